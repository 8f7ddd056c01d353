"""The outcomes ledger: what the city entered and what it won, across the years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at, intpk, sha256


class Result(Base):
    __tablename__ = "results"

    id: Mapped[intpk]
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id"), index=True, unique=True,  # one result per entry
        comment="Empty for imported history"
    )
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), index=True)
    edition_key: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(
        index=True, comment="Empty when the source does not state the year (say why in notes)"
    )
    nomination: Mapped[str] = mapped_column(String(500), default="")
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    outcome: Mapped[str] = mapped_column(String(64), comment="In the contest's own vocabulary")
    prize_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    prize_currency: Mapped[str | None] = mapped_column(String(3))
    announced_on: Mapped[dt.date | None]
    certificate_sha256: Mapped[sha256 | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(32), default="recorded", comment="recorded/import")
    reference: Mapped[str] = mapped_column(
        Text, default="",
        comment="Where the result is stated: the city's account, an organiser's page (address)")
    created_at: Mapped[created_at]
