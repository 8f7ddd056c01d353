"""Contests, their editions, and the city's departments.

Contest definitions live in YAML (schemas/contests); these rows are their footprint in the
database, so that submissions and results can refer to them and survive a definition's edits.
What the office learns after the YAML shipped (a date confirmed from the organiser's call, a
new edition made from the last one) is an ``EditionOverlay``: the catalog lays it over the YAML
every time it is read, so a re-sync of the YAML never loses it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at, intpk, sha256, slug, utcnow


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


class EditionOverlay(Base):
    __tablename__ = "edition_overlays"
    __table_args__ = (UniqueConstraint("contest_id", "key"),)

    id: Mapped[intpk]
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), index=True)
    key: Mapped[str] = mapped_column(String(32), comment="Edition name, usually its year")
    edition: Mapped[dict[str, Any]] = mapped_column(
        JSON, comment="The whole edition as schemas.contest.Edition, dates as the office knows "
        "them")
    confirmed_phases: Mapped[list[str]] = mapped_column(
        default=list, comment="Phases the office confirmed: only these replace the YAML's")
    made_from: Mapped[str | None] = mapped_column(
        String(32), comment="The edition a new one was made from; none for the YAML's own")
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
