"""A submission to one contest edition, what it asks of departments, and what they send."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contestflow.db.base import Base, created_at, intpk, sha256, slug, utcnow
from contestflow.states import RequestState, SubmissionState

SUBMISSION_STATES = tuple(SubmissionState)
REQUEST_STATES = tuple(RequestState)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Submission(Base):
    __tablename__ = "submissions"
    # No unique (edition, nomination): how many entries an edition or a nomination takes is
    # the contest's rule, checked on opening under a lock on the edition's row.
    __table_args__ = (CheckConstraint(_in("state", SUBMISSION_STATES), name="state"),)

    id: Mapped[intpk]
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"), index=True)
    nomination: Mapped[str] = mapped_column(
        String(300), default="", comment="Entries of one edition differ by nomination"
    )
    title: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[str] = mapped_column(String(32), default="draft", index=True)
    state_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    allow_public_mt_for_personal_data: Mapped[bool] = mapped_column(
        default=False, comment="The coordinator's explicit choice; off by default"
    )
    package_sha256: Mapped[sha256 | None] = mapped_column(
        comment="The organiser's zip, in the file store"
    )
    package_record_sha256: Mapped[sha256 | None] = mapped_column(
        comment="Our own record of that package (sources, findings, checklist), in the store"
    )
    nominator: Mapped[str] = mapped_column(
        String(300), default="", comment="Who nominates, where the city may not nominate itself"
    )
    nominator_contact: Mapped[str] = mapped_column(
        String(300), default="", comment="The nominating party's contact person"
    )
    nominator_email: Mapped[str] = mapped_column(
        String(320), default="", comment="Where the draft letter and the nomination go"
    )
    nominator_language: Mapped[str] = mapped_column(
        String(8), default="", comment="The language of the draft letter for the nominating party"
    )
    nominator_confirmed_on: Mapped[dt.date | None] = mapped_column(
        comment="The day the nominating party confirmed it submitted: the sending"
    )
    confirmations: Mapped[list[int]] = mapped_column(
        default=list, comment="Eligibility statements the coordinator confirmed, by index"
    )
    late_entry: Mapped[bool] = mapped_column(
        default=False, comment="Opened after the deadline, as the coordinator said: a late or "
        "historical entry"
    )
    sent_at: Mapped[dt.datetime | None]
    phase: Mapped[str] = mapped_column(
        String(64), default="", comment="The phase being prepared; empty: the first (or only)"
    )
    created_by: Mapped[str] = mapped_column(String(200), default="coordinator")
    created_at: Mapped[created_at]

    requests: Mapped[list[MaterialRequest]] = relationship(
        back_populates="submission", order_by="MaterialRequest.id"
    )
    phases_done: Mapped[list[SubmissionPhase]] = relationship(
        back_populates="submission", order_by="SubmissionPhase.id"
    )


class SubmissionPhase(Base):
    """A phase sent and decided on: its package, its sending and the organiser's shortlist.

    Written when the shortlist is recorded; the phase in progress keeps its package and its
    sending on the submission, as a one-phase entry does.
    """

    __tablename__ = "submission_phases"
    __table_args__ = (UniqueConstraint("submission_id", "phase"),)

    id: Mapped[intpk]
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    phase: Mapped[slug] = mapped_column(comment="The edition's phase id")
    package_sha256: Mapped[sha256 | None] = mapped_column(comment="That phase's zip, in the store")
    package_record_sha256: Mapped[sha256 | None]
    sent_at: Mapped[dt.datetime | None]
    how: Mapped[str] = mapped_column(String(500), default="", comment="How it went out")
    proof_sha256: Mapped[sha256 | None] = mapped_column(comment="The sending's proof, stored")
    proof_filename: Mapped[str] = mapped_column(String(255), default="")
    shortlisted: Mapped[bool] = mapped_column(comment="The organiser's shortlist decision")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[created_at]

    submission: Mapped[Submission] = relationship(back_populates="phases_done")


class MaterialRequest(Base):
    __tablename__ = "material_requests"
    __table_args__ = (
        UniqueConstraint("submission_id", "item_id"),
        CheckConstraint(_in("state", REQUEST_STATES), name="state"),
    )

    id: Mapped[intpk]
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    item_id: Mapped[slug] = mapped_column(comment="The contest item this request asks for")
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    due_on: Mapped[dt.date | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    draft_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("material_requests.id"),
        comment="The last edition's request whose approved material is offered as a draft",
    )
    created_at: Mapped[created_at]

    submission: Mapped[Submission] = relationship(back_populates="requests")
    materials: Mapped[list[Material]] = relationship(
        back_populates="request", order_by="Material.version"
    )


class Material(Base):
    """One uploaded version of what a request asked for; never overwritten."""

    __tablename__ = "materials"
    __table_args__ = (UniqueConstraint("request_id", "version"),)

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("material_requests.id"), index=True)
    version: Mapped[int]
    slot: Mapped[int] = mapped_column(
        default=1, comment="Which of the item's files this is; a new version keeps the slot"
    )
    removed: Mapped[bool] = mapped_column(
        default=False, comment="The department removed this file (kept, never deleted)"
    )
    details: Mapped[dict[str, Any]] = mapped_column(
        default=dict, comment="What the item records of each file (a piece's outlet, date)"
    )
    sha256: Mapped[sha256] = mapped_column(index=True)
    filename: Mapped[str] = mapped_column(String(255), comment="Cleaned original name")
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    language: Mapped[str] = mapped_column(String(8), default="ru")
    uploaded_by: Mapped[str] = mapped_column(String(200), default="")
    uploaded_at: Mapped[created_at]
    reused_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("materials.id"),
        comment="The last edition's material the department confirmed (the same stored file)",
    )

    request: Mapped[MaterialRequest] = relationship(back_populates="materials")


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint(_in("decision", ("approved", "changes_requested")), name="decision"),
    )

    id: Mapped[intpk]
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[created_at]
