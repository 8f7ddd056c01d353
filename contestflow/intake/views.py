"""What the intake pages show, as plain data: a department's request, the coordinator's overview.

The web layer renders these; it never walks ORM relationships itself, so each page is one short
transaction and the template cannot trigger lazy loads after the session is gone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.catalog import definition_of
from contestflow.db.models import Department, Edition, Material, MaterialRequest, Submission
from contestflow.identity import local_today
from contestflow.intake.drafts import draft_pending
from contestflow.intake.fields import current_values
from contestflow.intake.messages import RequestSpec, SubmissionInfo
from contestflow.intake.requests import request_spec, submission_info
from contestflow.materials import current_files
from contestflow.states import DELIVERED, OPEN_FOR_MATERIAL, is_late, is_missing
from contestflow.store import get_store
from schemas import ContestDefinition


@dataclass(frozen=True)
class MaterialRow:
    id: int
    version: int
    filename: str
    size: int
    sha256: str
    media_type: str
    uploaded_at: dt.datetime
    uploaded_by: str
    slot: int = 1
    removed: bool = False
    details: dict = field(default_factory=dict)


@dataclass
class RequestView:
    spec: RequestSpec
    state: str
    late: bool
    department_id: str
    department_ru: str
    department_en: str
    versions: list[MaterialRow] = field(default_factory=list)
    files: list[MaterialRow] = field(default_factory=list)  # as they stand, in order


@dataclass(frozen=True)
class FieldView:
    """One field of a structured item on the upload page, with what was last entered."""

    id: str
    title_ru: str
    title_en: str
    value: str
    required: bool
    type: str = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (ru, en); the English one is stored


@dataclass
class RequestPage:
    """A department's upload page: one request, and its other requests it holds links for."""

    info: SubmissionInfo
    request: RequestView
    open: bool
    siblings: list[RequestView] = field(default_factory=list)
    fields: list[FieldView] = field(default_factory=list)  # a structured item: no file
    file_fields: list[FieldView] = field(default_factory=list)  # asked of each file
    publication_window: tuple[dt.date, dt.date] | None = None  # a piece's date must be in it
    # Last edition's approved material, while the department has still to confirm or replace it
    draft_edition: str = ""
    draft_files: list[MaterialRow] = field(default_factory=list)


@dataclass(frozen=True)
class DepartmentProgress:
    department_id: str
    name_ru: str
    name_en: str
    required: int
    delivered: int
    late: int

    @property
    def complete(self) -> bool:
        return self.delivered >= self.required


@dataclass
class SubmissionOverview:
    info: SubmissionInfo
    state: str
    deadline: dt.date | None
    next_due: dt.date | None
    departments: list[DepartmentProgress] = field(default_factory=list)
    requests: list[RequestView] = field(default_factory=list)

    @property
    def required(self) -> int:
        return sum(d.required for d in self.departments)

    @property
    def delivered(self) -> int:
        return sum(d.delivered for d in self.departments)

    @property
    def late(self) -> int:
        return sum(d.late for d in self.departments)


def _request_view(session: Session, definition: ContestDefinition, request: MaterialRequest,
                  today: dt.date, departments: dict[str, Department]) -> RequestView:
    spec = request_spec(definition, request)
    department = departments.get(request.department_id) or session.get(
        Department, request.department_id)
    late = is_late(spec.required, request.state, request.due_on, today)
    versions = [_row(m) for m in request.materials]
    return RequestView(spec, request.state, late, request.department_id,
                       department.name_ru if department else request.department_id,
                       department.name_en if department else request.department_id,
                       list(reversed(versions)), [_row(m) for m in current_files(request)])


def _row(m: Material) -> MaterialRow:
    return MaterialRow(m.id, m.version, m.filename, m.size, m.sha256, m.media_type,
                       m.uploaded_at, m.uploaded_by, m.slot, m.removed, dict(m.details or {}))


def request_page(session: Session, request_id: int, granted: Iterable[int],
                 today: dt.date | None = None) -> RequestPage:
    today = today or local_today()
    request = session.get(MaterialRequest, request_id)
    assert request is not None  # the caller holds a grant for it
    submission = session.get(Submission, request.submission_id)
    assert submission is not None
    definition, edition = definition_of(session, submission)
    departments: dict[str, Department] = {}
    allowed = set(granted)
    siblings = [
        _request_view(session, definition, other, today, departments)
        for other in submission.requests
        if other.id in allowed and other.department_id == request.department_id
    ]
    item = definition.item(request.item_id)
    draft = draft_pending(session, request)
    entered = current_values(session, get_store(), request) if item.structured else {}
    if item.structured and not entered and draft is not None:
        # prefilled with what was sent last time: saved unchanged or corrected, it is this
        # submission's own version
        entered = current_values(session, get_store(), draft.files[0].request)
    fields = [FieldView(f.id, f.title.ru, f.title.en, entered.get(f.id, ""), f.required)
              for f in item.fields]
    file_fields = [FieldView(f.id, f.title.ru, f.title.en, "", f.required, f.type,
                             tuple((c.ru, c.en) for c in f.choices)) for f in item.file_fields]
    return RequestPage(submission_info(session, submission, definition),
                       _request_view(session, definition, request, today, departments),
                       submission.state in OPEN_FOR_MATERIAL, siblings, fields, file_fields,
                       definition.edition(edition.key).publication_window
                       if item.file_fields else None,
                       draft.edition if draft else "",
                       [_row(m) for m in draft.files] if draft else [])


def submission_overview(session: Session, submission: Submission, today: dt.date,
                        with_requests: bool = False) -> SubmissionOverview:
    definition, edition = definition_of(session, submission)
    departments = {d.id: d for d in session.scalars(select(Department))}
    views = [_request_view(session, definition, r, today, departments)
             for r in submission.requests]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for view in views:
        if view.spec.required:
            counts[view.department_id][0] += 1
            counts[view.department_id][1] += view.state in DELIVERED
            counts[view.department_id][2] += view.late
    progress = [DepartmentProgress(dep, departments[dep].name_ru if dep in departments else dep,
                                   departments[dep].name_en if dep in departments else dep,
                                   *numbers)
                for dep, numbers in sorted(counts.items())]
    waiting = [v.spec.due_on for v in views
               if v.spec.due_on and is_missing(v.spec.required, v.state)]
    return SubmissionOverview(submission_info(session, submission, definition), submission.state,
                              edition.deadline, min(waiting) if waiting else None, progress,
                              views if with_requests else [])


def all_overviews(session: Session, today: dt.date | None = None) -> list[SubmissionOverview]:
    """Every submission, newest edition first: the coordinator's front page."""
    today = today or local_today()
    submissions = session.scalars(
        select(Submission).join(Edition)
        .order_by(Edition.deadline.desc().nulls_last(), Submission.id.desc())
    )
    return [submission_overview(session, submission, today) for submission in submissions]
