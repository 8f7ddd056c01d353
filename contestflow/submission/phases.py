"""An entry sent in phases: the organiser's shortlist between one sending and the next.

UCLG Culture 21 (2024) took a short form first and the full form only from the cities it
shortlisted. Phase 1 runs the whole cycle (collecting → … → sent); then the coordinator records
the shortlist. Shortlisted: the phase's package and sending are kept in ``submission_phases``,
the next phase's items are asked of their departments (with that phase's deadline) and the
submission collects again, its package now the fuller one. Not shortlisted: the entry ends with
that outcome in the ledger. A one-phase edition never meets any of this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db.models import Submission, SubmissionPhase
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.intake.drafts import offer_drafts
from contestflow.intake.requests import notify_material_requests
from contestflow.lifecycle import get_submission, transition
from contestflow.results.ledger import ResultInput, record_result
from contestflow.sending import how_sent
from contestflow.states import SubmissionState, state_name
from contestflow.submission.opening import add_requests
from schemas.contest import ContestDefinition, Names, Phase
from schemas.contest import Edition as EditionDefinition

NOT_SHORTLISTED = "not-shortlisted"
S = SubmissionState


@dataclass(frozen=True)
class PhaseView:
    """One phase of a submission as status, the ledger and the page show it."""

    id: str
    name: str
    name_ru: str
    deadline: str
    state: str  # "current", "shortlisted", "not_shortlisted", "later"
    sent_at: str | None = None
    how: str = ""
    package_sha256: str | None = None
    proof_filename: str = ""

    @property
    def deadline_day(self) -> dt.date:
        return dt.date.fromisoformat(self.deadline)

    @property
    def sent_day(self) -> dt.date | None:
        return dt.date.fromisoformat(self.sent_at[:10]) if self.sent_at else None


@dataclass(frozen=True)
class ShortlistDecision:
    submission_id: int
    phase: str
    shortlisted: bool
    state: str
    next_phase: str | None
    requests_added: int

    def as_dict(self) -> dict:
        return {"id": self.submission_id, "phase": self.phase, "shortlisted": self.shortlisted,
                "state": self.state, "next_phase": self.next_phase,
                "requests_added": self.requests_added}


def _names(phase: Phase) -> Names:
    return Names(ru=phase.name_ru or phase.name, en=phase.name)


def _edition(session: Session, submission: Submission
             ) -> tuple[ContestDefinition, EditionDefinition]:
    definition, edition = definition_of(session, submission)
    return definition, definition.edition(edition.key)


def awaits_shortlist(session: Session, submission: Submission) -> bool:
    """Sent for a phase that a later one follows: the organiser's shortlist comes next."""
    if submission.state != S.SENT:
        return False
    _, edition = _edition(session, submission)
    return edition.next_phase(submission.phase) is not None


def record_shortlist(session: Session, submission_id: int, *, shortlisted: bool,
                     actor: str) -> ShortlistDecision:
    """Record the organiser's shortlist for the phase just sent, in the caller's transaction.

    Refused (nothing changed) for a one-phase edition, after the last phase, and before the
    phase's package is sent.
    """
    submission = get_submission(session, submission_id)
    definition, edition = _edition(session, submission)
    if not edition.phased:
        raise SubmissionError(N_(
            "%(contest)s %(edition)s has one phase and no shortlist: record its result with "
            "`contestflow results record %(id)s`"), contest=definition.names,
            edition=edition.key, id=submission.id)
    current = edition.phase(submission.phase)
    following = edition.next_phase(submission.phase)
    if following is None:
        raise SubmissionError(N_(
            "submission %(id)s is in the last phase, “%(phase)s”: no shortlist follows it; "
            "record the result with `contestflow results record %(id)s`"),
            id=submission.id, phase=_names(current))
    if any(row.phase == current.id for row in submission.phases_done):
        raise SubmissionError(N_(
            "the shortlist of phase “%(phase)s” is already recorded for submission %(id)s"),
            id=submission.id, phase=_names(current))
    if submission.state != S.SENT:
        raise SubmissionError(N_(
            "submission %(id)s is %(state)s: the shortlist is recorded once the package of "
            "phase “%(phase)s” is sent"), id=submission.id, state=state_name(submission.state),
            phase=_names(current))
    sent = how_sent(session, submission)
    session.add(SubmissionPhase(
        submission_id=submission.id, phase=current.id,
        package_sha256=submission.package_sha256,
        package_record_sha256=submission.package_record_sha256,
        sent_at=submission.sent_at, how=sent.how if sent else "",
        proof_sha256=sent.proof.sha256 if sent and sent.proof else None,
        proof_filename=sent.proof.filename if sent and sent.proof else "",
        shortlisted=shortlisted, decided_by=actor,
    ))
    session.flush()
    record_event(session, actor=actor, action="submission.shortlist",
                 subject_type="submission", subject_id=submission.id, phase=current.id,
                 shortlisted=shortlisted)
    if not shortlisted:
        record_result(session, submission.id, ResultInput(outcome=NOT_SHORTLISTED), actor=actor)
        session.refresh(submission)
        return ShortlistDecision(submission.id, current.id, False, submission.state, None, 0)
    # The next phase builds, approves and sends a package of its own.
    submission.package_sha256 = None
    submission.package_record_sha256 = None
    submission.sent_at = None
    submission.phase = following.id
    transition(session, submission.id, S.SENT, S.COLLECTING, actor=actor,
               reason=f"shortlisted after phase {current.id}")
    added = add_requests(session, submission, definition, edition, following.id)
    session.refresh(submission)
    offer_drafts(session, submission, actor=actor)  # phase 2's items that rarely change
    notify_material_requests(session, submission)
    return ShortlistDecision(submission.id, current.id, True, submission.state, following.id,
                             len(added))


def submission_phases(session: Session, submission: Submission) -> list[PhaseView]:
    """Every phase of the submission's edition: decided ones with their sending, the current
    one, and those still to come. Empty for a one-phase edition."""
    _, edition = _edition(session, submission)
    if not edition.phased:
        return []
    done = {row.phase: row for row in submission.phases_done}
    current = edition.phase(submission.phase)
    views: list[PhaseView] = []
    reached = True
    for phase in edition.phases:
        row = done.get(phase.id)
        common = {"id": phase.id, "name": phase.name, "name_ru": phase.name_ru or phase.name,
                  "deadline": phase.deadline.isoformat()}
        if row is not None:
            views.append(PhaseView(
                **common, state="shortlisted" if row.shortlisted else "not_shortlisted",
                sent_at=row.sent_at.isoformat() if row.sent_at else None, how=row.how,
                package_sha256=row.package_sha256, proof_filename=row.proof_filename))
        elif phase.id == current.id and reached:
            sent = how_sent(session, submission)
            views.append(PhaseView(
                **common, state="current", sent_at=sent.at if sent else None,
                how=sent.how if sent else "", package_sha256=submission.package_sha256,
                proof_filename=sent.proof.filename if sent and sent.proof else ""))
            reached = False
        else:
            views.append(PhaseView(**common, state="later"))
    return views
