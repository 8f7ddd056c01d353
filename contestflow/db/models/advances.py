"""Promises that a submission will be advanced: one row per event that asked for it.

An acknowledged last upload, an applied review or a review decision writes its row in the same
transaction as the change itself, so a server stopped before the flow ran still owes the run:
whoever advances what is pending (the embedded server at start and on its schedule, or a
server deployment) finds the row and marks it done only once the advance has run.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at, intpk, utcnow


class PendingAdvance(Base):
    __tablename__ = "pending_advances"
    __table_args__ = (Index("ix_pending_advances_open", "done_at", "submission_id"),)

    id: Mapped[intpk]
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(64), comment="material.accepted, review.applied…")
    created_at: Mapped[created_at]
    done_at: Mapped[dt.datetime | None] = mapped_column(
        default=None, comment="Set once an advance that started after this row has run"
    )
    attempts: Mapped[int] = mapped_column(default=0, comment="Advances that failed before")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="A failed advance is retried from here, later each time"
    )
    last_error: Mapped[str] = mapped_column(Text, default="")
