"""Upload links given to departments: one row per link, so that a link can be revoked.

The link itself carries a signature over (request, department, token id, expiry); the row is
what makes it revocable and lets a coordinator see which links are out there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at


class IntakeToken(Base):
    __tablename__ = "intake_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, comment="Random token id")
    request_id: Mapped[int] = mapped_column(ForeignKey("material_requests.id"), index=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"))
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[created_at]
