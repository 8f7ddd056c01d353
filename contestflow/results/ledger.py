"""The outcomes ledger: record what a submission won, and find the ones still waiting.

A result is one entry's outcome in its contest's own vocabulary. Recording the first result of a
``sent`` submission moves it to ``result_recorded`` (compare-and-set, audited in the same
transaction). Recording the same result twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db.models import Department, Edition, Result, Submission
from contestflow.errors import Refusal
from contestflow.i18n import N_
from contestflow.lifecycle import StateConflict, get_submission, transition
from contestflow.results.certificates import store_certificate
from contestflow.results.vocabulary import fold, resolve_outcome, vocabulary_hint
from contestflow.states import RECORDABLE, SubmissionState, state_name
from contestflow.store import LocalFileStore, get_store
from schemas import ContestDefinition
from schemas.contest import Edition as EditionDefinition
from schemas.contest import Names

CURRENCY = re.compile(r"^[A-Z]{3}$")


class ResultError(Refusal, ValueError):
    """A result that cannot be recorded as asked; the message is for a person."""


@dataclass(frozen=True)
class ResultInput:
    """What the coordinator says about one outcome. ``None`` means: take the default."""

    outcome: str
    nomination: str | None = None
    department: str | None = None
    announced_on: dt.date | None = None
    prize_amount: Decimal | str | None = None
    prize_currency: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Certificate:
    """The diploma or letter that came with a result, as a stream of bytes."""

    filename: str
    chunks: Iterable[bytes]


@dataclass(frozen=True)
class Recorded:
    result: Result
    created: bool
    changed: bool = False  # an existing result was corrected


def resolve_department(session: Session, text: str) -> Department | None:
    """The department ``text`` names: its id, or its Russian or English name."""
    wanted = fold(text)
    for department in session.scalars(select(Department)):
        if wanted in {fold(department.id), fold(department.name_ru), fold(department.name_en)}:
            return department
    return None


def default_department(definition: ContestDefinition) -> str | None:
    """The department owning most of the contest's required items: usually the practice's
    owner (culture for UCLG Culture 21). None when two departments tie."""
    counts = Counter(item.department for item in definition.items if item.required)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def parse_prize(
    amount: Decimal | str | None, currency: str | None
) -> tuple[Decimal | None, str | None]:
    """A prize is an amount and an ISO 4217 currency, both or neither."""
    currency = (currency or "").strip().upper() or None
    if amount in (None, ""):
        if currency:
            raise ResultError(N_("a prize currency needs a prize amount"))
        return None, None
    try:
        value = Decimal(str(amount).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ResultError(N_("prize amount “%(amount)s” is not a number"), amount=amount) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise ResultError(N_("prize amount %(amount)s is not a possible prize"), amount=amount)
    if not currency or not CURRENCY.match(currency):
        raise ResultError(N_("a prize amount needs its currency as three letters (EUR, USD, "
                             "RUB)"))
    return value.quantize(Decimal("0.01")), currency


def _check_state(submission: Submission, awarded: bool) -> None:
    if submission.state in RECORDABLE:
        return
    if submission.state == "withdrawn":
        if awarded:
            raise ResultError(N_("submission %(id)s was withdrawn: it cannot have won"),
                              id=submission.id)
        return
    raise ResultError(N_(
        "submission %(id)s is %(state)s; a result is recorded once the package is sent and its "
        "sending recorded"),
        id=submission.id, state=state_name(submission.state))


def _refuse_before_shortlist(submission: Submission, edition: EditionDefinition,
                             outcome: str) -> None:
    """After a phase that a later one follows, only the organiser's shortlist (or the end it
    gives the entry) is a result."""
    if (submission.state != "sent" or edition.next_phase(submission.phase) is None
            or outcome in ("not-shortlisted", "withdrawn")):
        return
    phase = edition.phase(submission.phase)
    raise ResultError(N_(
        "submission %(id)s was sent for phase “%(phase)s”, and a later phase follows: record "
        "the organiser's shortlist first (`contestflow submission shortlist %(id)s`)"),
        id=submission.id, phase=Names(ru=phase.name_ru or phase.name, en=phase.name))


def _department_id(
    session: Session, data: ResultInput, definition: ContestDefinition
) -> str | None:
    if data.department is None:
        return default_department(definition)
    if not data.department.strip():
        return None
    department = resolve_department(session, data.department)
    if department is None:
        known = ", ".join(session.scalars(select(Department.id).order_by(Department.id)))
        raise ResultError(N_("unknown department '%(department)s' (known: %(known)s)"),
                          department=data.department, known=known)
    return department.id


EDITABLE = ("outcome", "nomination", "department_id", "prize_amount", "prize_currency",
            "announced_on", "notes")


def recorded_result(session: Session, submission_id: int) -> Result | None:
    """The submission's one result, if recorded (imported history has no submission)."""
    return session.scalars(select(Result).where(Result.submission_id == submission_id)).first()


def _changes(existing: Result, row: Result) -> dict[str, list[str]]:
    """Each field that differs: [before, after], as text for the audit log."""
    return {name: [_text(getattr(existing, name)), _text(getattr(row, name))]
            for name in EDITABLE if getattr(existing, name) != getattr(row, name)}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def record_result(
    session: Session,
    submission_id: int,
    data: ResultInput,
    *,
    actor: str,
    certificate: Certificate | None = None,
    store: LocalFileStore | None = None,
) -> Recorded:
    """Record a submission's result (with its certificate, if given): one per submission.

    Recording again corrects that result, and the audit log keeps what changed; the same result
    again changes nothing, except that a certificate given now is attached. Everything is
    checked before anything is written; the certificate is checked and stored last, so a
    refused file raises and the caller's transaction keeps nothing.
    """
    submission = get_submission(session, submission_id)
    definition, edition = definition_of(session, submission)
    outcome = resolve_outcome(definition, data.outcome)
    if outcome is None:
        raise ResultError(N_("outcome “%(outcome)s” is not one of %(contest)s (%(hint)s)"),
                          outcome=data.outcome.strip(), contest=definition.names,
                          hint=vocabulary_hint(definition, data.outcome))
    _check_state(submission, outcome.awarded)
    _refuse_before_shortlist(submission, definition.edition(edition.key), outcome.id)
    if data.announced_on and data.announced_on > dt.date.today():
        raise ResultError(N_("announced on %(date)s is in the future"), date=data.announced_on)
    amount, currency = parse_prize(data.prize_amount, data.prize_currency)
    row = Result(
        submission_id=submission.id, contest_id=edition.contest_id, edition_key=edition.key,
        year=edition.year, outcome=outcome.id,
        nomination=(submission.nomination if data.nomination is None else data.nomination).strip(),
        department_id=_department_id(session, data, definition),
        prize_amount=amount, prize_currency=currency, announced_on=data.announced_on,
        notes=data.notes.strip(), source="recorded",
    )
    existing = recorded_result(session, submission.id)
    if existing is not None:
        changes = _changes(existing, row)
        for name in changes:
            setattr(existing, name, getattr(row, name))
        if changes:
            record_event(session, actor=actor, action="result.changed", subject_type="result",
                         subject_id=existing.id, submission=submission.id, changes=changes)
        if certificate is not None:
            attach_certificate(session, existing, certificate, actor=actor, store=store)
        session.flush()
        return Recorded(existing, created=False, changed=bool(changes))
    session.add(row)
    session.flush()
    if submission.state == "sent":
        _mark_result_recorded(session, submission, f"result {row.id}: {outcome.id}", actor)
    record_event(session, actor=actor, action="result.recorded", subject_type="result",
                 subject_id=row.id, submission=submission.id, contest=row.contest_id,
                 edition=row.edition_key, outcome=row.outcome, awarded=outcome.awarded)
    if certificate is not None:
        attach_certificate(session, row, certificate, actor=actor, store=store)
    return Recorded(row, created=True)


def _mark_result_recorded(session: Session, submission: Submission, reason: str,
                          actor: str) -> None:
    """sent → result_recorded; if someone recorded another result first, that is fine too."""
    try:
        transition(session, submission.id, "sent", "result_recorded", actor=actor, reason=reason)
    except StateConflict:
        session.refresh(submission)
        if submission.state != "result_recorded":
            raise


def remove_result(session: Session, result_id: int, *, actor: str) -> None:
    """Remove a recorded result (a mistake); its submission goes back to waiting for one.

    The row goes, the audit log keeps what it said; a certificate stays in the store."""
    row = session.get(Result, result_id)
    if row is None or row.submission_id is None:
        raise ResultError(N_("no recorded result %(id)s (imported history is not removed here)"),
                          id=result_id)
    submission = get_submission(session, row.submission_id)
    record_event(session, actor=actor, action="result.removed", subject_type="result",
                 subject_id=row.id, submission=submission.id,
                 removed={name: _text(getattr(row, name)) for name in EDITABLE}
                 | {"certificate_sha256": row.certificate_sha256 or ""})
    session.delete(row)
    if submission.state == SubmissionState.RESULT_RECORDED:
        transition(session, submission.id, SubmissionState.RESULT_RECORDED,
                   SubmissionState.SENT, actor=actor, reason=f"result {result_id} removed")
    session.flush()


def attach_certificate(session: Session, row: Result, certificate: Certificate, *, actor: str,
                       store: LocalFileStore | None = None) -> None:
    """Check and store the certificate, then point the result at it (audited)."""
    stored = store_certificate(store or get_store(), certificate.chunks, certificate.filename)
    if row.certificate_sha256 == stored.sha256:
        return
    row.certificate_sha256 = stored.sha256
    record_event(session, actor=actor, action="result.certificate", subject_type="result",
                 subject_id=row.id, filename=certificate.filename, sha256=stored.sha256,
                 size=stored.size)
    session.flush()


def list_results(
    session: Session,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    contest_id: str | None = None,
) -> list[Result]:
    """Ledger rows, oldest first; a year range leaves out rows whose year is not stated."""
    query = select(Result)
    if year_from is not None:
        query = query.where(Result.year >= year_from)
    if year_to is not None:
        query = query.where(Result.year <= year_to)
    if contest_id:
        query = query.where(Result.contest_id == contest_id)
    rows = list(session.scalars(query.order_by(Result.id)))
    return sorted(rows, key=lambda r: (r.year is None, r.year or 0, r.contest_id, r.id))


@dataclass(frozen=True)
class AwaitingResult:
    submission_id: int
    contest_id: str
    edition_key: str
    nomination: str
    title: str
    results_expected_on: dt.date
    days_overdue: int


def awaiting_results(session: Session, today: dt.date | None = None) -> list[AwaitingResult]:
    """Sent submissions whose organiser's announcement date has passed, with no result yet."""
    today = today or dt.date.today()
    has_result = select(Result.id).where(Result.submission_id == Submission.id).exists()
    query = (
        select(Submission, Edition)
        .join(Edition, Submission.edition_id == Edition.id)
        .where(Submission.state == "sent", Edition.results_expected_on < today, ~has_result)
        .order_by(Edition.results_expected_on, Submission.id)
    )
    return [
        AwaitingResult(
            submission_id=s.id, contest_id=e.contest_id, edition_key=e.key,
            nomination=s.nomination, title=s.title, results_expected_on=e.results_expected_on,
            days_overdue=(today - e.results_expected_on).days,
        )
        for s, e in session.execute(query)
    ]
