"""Contests, their editions, and the city's departments.

Contest definitions live in YAML (schemas/contests); these rows are their footprint in the
database, so that submissions and results can refer to them and survive a definition's edits.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at, intpk, sha256, slug


class Department(Base):
    __tablename__ = "departments"
    __table_args__: ClassVar[dict[str, str]] = {
        "comment": "City administration bodies that own contest materials"
    }

    id: Mapped[slug] = mapped_column(primary_key=True)
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]


class Contest(Base):
    __tablename__ = "contests"

    id: Mapped[slug] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    definition_sha256: Mapped[sha256] = mapped_column(
        comment="Digest of the YAML definition last synced"
    )
    synced_at: Mapped[created_at]


class Edition(Base):
    __tablename__ = "editions"
    __table_args__ = (UniqueConstraint("contest_id", "key"),)

    id: Mapped[intpk]
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), index=True)
    key: Mapped[str] = mapped_column(String(32), comment="Edition name, usually its year")
    year: Mapped[int]
    opens_on: Mapped[dt.date | None]
    deadline: Mapped[dt.date | None] = mapped_column(comment="Last phase's deadline")
    results_expected_on: Mapped[dt.date | None]
