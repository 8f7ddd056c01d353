"""The e-mail outbox: every notification is a row first, delivered later, at most once per key.

Queueing and delivering are separate so that a request, a reminder or a result notice is
recorded in the same transaction as the change it announces, and a mail server that is down
only delays delivery. ``dedupe_key`` is unique: the same notice queued twice is one message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at, intpk, utcnow

OUTBOX_STATES = ("pending", "delivered", "failed")


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (CheckConstraint("state IN ('pending', 'delivered', 'failed')", name="state"),)

    id: Mapped[intpk]
    dedupe_key: Mapped[str] = mapped_column(
        String(200), unique=True, comment="One message per key, however often it is queued"
    )
    to_addr: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON,
        default=list,
        comment="[{filename, sha256, media_type, size}], bytes in the file store",
    )
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(
        String(255), comment="RFC 5322 Message-ID, stable across retries"
    )
    created_at: Mapped[created_at]
    delivered_at: Mapped[dt.datetime | None]
