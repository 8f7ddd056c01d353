"""Where a submission stands, per request, and how it went out: the view `submission status`
prints and scripts read with ``--json``."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.assembly.package import package_stem_for
from contestflow.catalog import definition_of
from contestflow.config import get_settings
from contestflow.db.models import Department
from contestflow.errors import SubmissionError
from contestflow.identity import local_today
from contestflow.intake.drafts import draft_for, draft_pending
from contestflow.lifecycle import get_submission
from contestflow.materials import current_files
from contestflow.sending import SentInfo, how_sent
from contestflow.states import is_late, is_missing
from contestflow.submission.nomination import Nominator, recorded_nominator
from contestflow.submission.phases import PhaseView, awaits_shortlist, submission_phases
from contestflow.submission.translating import review_dir
from contestflow.submission.translations import submission_translations


@dataclass
class RequestStatus:
    id: int
    item_id: str
    item_title: str
    department_id: str
    required: bool
    state: str
    due_on: str | None
    versions: int
    missing: bool
    late: bool
    item_title_ru: str = ""
    department_ru: str = ""
    department_en: str = ""
    # Last edition's approved material: the edition it is offered from while the department
    # has still to answer, and whether the department confirmed it unchanged.
    draft_offered: str = ""
    draft_confirmed: bool = False


@dataclass
class SubmissionStatus:
    id: int
    contest_id: str
    contest_name: str
    edition: str
    contest_name_ru: str
    nomination: str
    state: str
    deadline: str | None
    package_sha256: str | None
    deadline_expected: bool = False  # estimated from the last cycle, not yet published
    late_entry: bool = False  # opened after the deadline, as a late or historical entry
    requests: list[RequestStatus] = field(default_factory=list)
    sent: SentInfo | None = None  # how it went out, and the e-mail's delivery when mailed
    # Segments no glossary, memory or MT could translate: the flow waits for a person.
    segments_waiting: int = 0
    review_documents: str | None = None  # their folder, once one has been written
    # An edition in several phases: each with its sending and the organiser's shortlist.
    phase: str = ""
    phases: list[PhaseView] = field(default_factory=list)
    awaiting_shortlist: bool = False
    nominator: Nominator | None = None  # the third party that nominates, where one must

    @property
    def missing(self) -> list[RequestStatus]:
        return [r for r in self.requests if r.missing]

    def as_dict(self) -> dict:
        return asdict(self) | {"package_file": str(self.package_file or "") or None}

    @property
    def package_file(self) -> Path | None:
        """The copy of the package exported for people (the store keeps the original)."""
        if not self.package_sha256:
            return None
        stem = package_stem_for(self.contest_id, self.edition, self.id)
        return get_settings().submission_dir(self.id) / f"{stem}.zip"


def submission_status(
    session: Session, submission_id: int, today: dt.date | None = None
) -> SubmissionStatus:
    """Where a submission stands, per request: received, missing, late."""
    today = today or local_today()
    submission = get_submission(session, submission_id)
    definition, edition = definition_of(session, submission)
    status = SubmissionStatus(
        id=submission.id,
        contest_id=definition.id,
        contest_name=definition.names.en,
        contest_name_ru=definition.names.ru,
        edition=edition.key,
        nomination=submission.nomination,
        state=submission.state,
        deadline=edition.deadline.isoformat() if edition.deadline else None,
        package_sha256=submission.package_sha256,
        deadline_expected=any(e.key == edition.key and e.phases[-1].expected
                              for e in definition.editions),
        late_entry=submission.late_entry,
        sent=how_sent(session, submission),
        nominator=recorded_nominator(submission),
    )
    status.phases = submission_phases(session, submission)
    status.phase = next((p.id for p in status.phases if p.state == "current"), "")
    status.awaiting_shortlist = awaits_shortlist(session, submission)
    status.segments_waiting = sum(
        t.untranslated for t in submission_translations(session, submission.id))
    folder = review_dir(get_settings(), submission.id)
    if any(folder.glob("*.review.docx")):
        status.review_documents = str(folder)
    departments = {d.id: d for d in session.scalars(select(Department))}
    for request in submission.requests:
        item = definition.item(request.item_id)
        department = departments.get(request.department_id)
        pending = draft_pending(session, request)
        confirmed = any(m.reused_from_id for m in current_files(request))
        status.requests.append(
            RequestStatus(
                id=request.id,
                item_id=request.item_id,
                item_title=item.title.en,
                item_title_ru=item.title.ru,
                department_ru=department.name_ru if department else request.department_id,
                department_en=department.name_en if department else request.department_id,
                department_id=request.department_id,
                required=item.required,
                state=request.state,
                due_on=request.due_on.isoformat() if request.due_on else None,
                versions=len(request.materials),
                missing=is_missing(item.required, request.state),
                late=is_late(item.required, request.state, request.due_on, today),
                draft_offered=pending.edition if pending else "",
                draft_confirmed=confirmed and draft_for(session, request) is not None,
            )
        )
    return status


def exported_package(status: SubmissionStatus) -> Path:
    """Where the people's copy of the package is, or a refusal when none was built."""
    if status.package_file is None:
        raise SubmissionError(f"submission {status.id} has no package yet")
    return status.package_file
