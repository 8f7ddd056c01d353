"""Opening a submission and reading where it stands."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import Catalog, CatalogError, load_catalog, load_departments
from contestflow.db.models import Contest, Department, Edition, MaterialRequest, Submission
from schemas import CONTESTS_DIR, ContestDefinition

if TYPE_CHECKING:
    from contestflow.submission.sending import SentInfo


class SubmissionError(ValueError):
    """A request about submissions that cannot be done; the message is for a person."""


def seed_departments(session: Session) -> int:
    """Add the bundled departments that the database does not have yet; never overwrites."""
    existing = set(session.scalars(select(Department.id)))
    added = 0
    for definition in load_departments():
        if definition.id not in existing:
            session.add(Department(**definition.model_dump()))
            added += 1
    session.flush()
    return added


def department_ids(session: Session) -> list[str]:
    seed_departments(session)
    return list(session.scalars(select(Department.id).where(Department.active)))


_catalog_lock = threading.Lock()
_catalog_cache: dict[tuple, Catalog] = {}


def catalog_for(session: Session) -> Catalog:
    """The contest catalog, checked against the departments in this database.

    Parsing and validating every definition costs about 0.1 s, and an upload or a status page
    needs it several times; so it is cached under what it depends on (each file's name, size
    and modification time, and the known departments) and reloaded when any of that changes.
    """
    known = tuple(sorted(department_ids(session)))
    files = tuple(
        (path.name, path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(CONTESTS_DIR.glob("*.yaml"))
    )
    key = (known, files)
    with _catalog_lock:
        cached = _catalog_cache.get(key)
    if cached is None:
        cached = load_catalog(CONTESTS_DIR, known_departments=known)
        with _catalog_lock:
            _catalog_cache.clear()
            _catalog_cache[key] = cached
    return cached


def _definition_digest(definition: ContestDefinition) -> str:
    payload = json.dumps(definition.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def sync_contest(session: Session, definition: ContestDefinition) -> Contest:
    """Make the database's contest and edition rows match one definition (idempotent)."""
    contest = session.get(Contest, definition.id)
    digest = _definition_digest(definition)
    if contest is None:
        contest = Contest(id=definition.id, name=definition.names.en, definition_sha256=digest)
        session.add(contest)
    elif contest.definition_sha256 != digest:
        contest.name, contest.definition_sha256 = definition.names.en, digest
    rows = {
        e.key: e for e in session.scalars(select(Edition).where(Edition.contest_id == contest.id))
    }
    for edition in definition.editions:
        row = rows.get(edition.key) or Edition(contest_id=definition.id, key=edition.key)
        row.year = edition.year
        row.opens_on = edition.opens_on
        row.deadline = edition.deadline
        row.results_expected_on = edition.results_expected_on
        session.add(row)
    session.flush()
    return contest


def open_submission(
    session: Session,
    contest_id: str,
    edition_key: str,
    *,
    nomination: str = "",
    title: str = "",
    actor: str = "coordinator",
) -> Submission:
    """Open a submission with one material request per item of the contest.

    Raises ``SubmissionError`` (and changes nothing) for an unknown contest or edition, or when
    the same edition and nomination already have a submission.
    """
    try:
        definition = catalog_for(session).get(contest_id)
        edition_def = definition.edition(edition_key)
    except (CatalogError, KeyError) as error:
        raise SubmissionError(str(error).strip("'\"")) from error
    nomination = nomination.strip()
    if edition_def.nominations and nomination and nomination not in edition_def.nominations:
        raise SubmissionError(
            f"edition {edition_key} has no nomination {nomination!r} "
            f"(known: {'; '.join(edition_def.nominations)})"
        )
    sync_contest(session, definition)
    edition = session.scalars(
        select(Edition).where(Edition.contest_id == contest_id, Edition.key == edition_key)
    ).one()
    duplicate = session.scalars(
        select(Submission).where(
            Submission.edition_id == edition.id, Submission.nomination == nomination
        )
    ).first()
    if duplicate is not None:
        what = f" in nomination {nomination!r}" if nomination else ""
        raise SubmissionError(
            f"{contest_id} {edition_key}{what} already has submission {duplicate.id} "
            f"({duplicate.state}); use --nomination to enter another practice"
        )
    submission = Submission(
        edition_id=edition.id, nomination=nomination, title=title, created_by=actor
    )
    session.add(submission)
    session.flush()
    for item in definition.items:
        phase = edition_def.phase(item.phase)
        due = phase.deadline - dt.timedelta(days=definition.internal_lead_days)
        session.add(
            MaterialRequest(
                submission_id=submission.id,
                item_id=item.id,
                department_id=item.department,
                due_on=max(due, phase.opens_on) if phase.opens_on else due,
            )
        )
    record_event(
        session,
        actor=actor,
        action="submission.opened",
        subject_type="submission",
        subject_id=submission.id,
        contest=contest_id,
        edition=edition_key,
        nomination=nomination,
    )
    session.flush()
    session.refresh(submission)
    return submission


def get_submission(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise SubmissionError(f"there is no submission {submission_id}")
    return submission


def definition_of(session: Session, submission: Submission) -> tuple[ContestDefinition, Edition]:
    edition = session.get(Edition, submission.edition_id)
    assert edition is not None  # a foreign key guarantees it
    return catalog_for(session).get(edition.contest_id), edition


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
    late: bool


@dataclass
class SubmissionStatus:
    id: int
    contest_id: str
    contest_name: str
    edition: str
    nomination: str
    state: str
    deadline: str | None
    package_path: str | None
    requests: list[RequestStatus] = field(default_factory=list)
    sent: SentInfo | None = None  # how it went out, and the e-mail's delivery when mailed

    @property
    def missing(self) -> list[RequestStatus]:
        return [r for r in self.requests if r.required and r.versions == 0]

    def as_dict(self) -> dict:
        return asdict(self)


def submission_status(
    session: Session, submission_id: int, today: dt.date | None = None
) -> SubmissionStatus:
    """Where a submission stands, per request: received, missing, late."""
    today = today or dt.date.today()
    submission = get_submission(session, submission_id)
    definition, edition = definition_of(session, submission)
    status = SubmissionStatus(
        id=submission.id,
        contest_id=definition.id,
        contest_name=definition.names.en,
        edition=edition.key,
        nomination=submission.nomination,
        state=submission.state,
        deadline=edition.deadline.isoformat() if edition.deadline else None,
        package_path=submission.package_path,
    )
    from contestflow.submission.sending import how_sent  # sending builds on this module

    status.sent = how_sent(session, submission)
    for request in submission.requests:
        item = definition.item(request.item_id)
        versions = len(request.materials)
        status.requests.append(
            RequestStatus(
                id=request.id,
                item_id=request.item_id,
                item_title=item.title.en,
                department_id=request.department_id,
                required=item.required,
                state=request.state,
                due_on=request.due_on.isoformat() if request.due_on else None,
                versions=versions,
                late=bool(
                    item.required and request.due_on and versions == 0 and today > request.due_on
                ),
            )
        )
    return status
