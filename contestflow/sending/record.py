"""Recording that a package went to the organiser, and reading back how it went out.

E-mail through contestflow (``by_email``) and a sending done elsewhere (``mark_sent``: an
online form, the post) are one transition, one audit action and one refusal, so status and
the ledger read either the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db.base import utcnow
from contestflow.db.models import AuditEvent, OutboxMessage, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.lifecycle import get_submission, transition
from contestflow.states import SubmissionState, state_name

ACTION = "submission.sent"


@dataclass(frozen=True)
class MailDelivery:
    """Where one queued mail stands: queued (perhaps after failed attempts), delivered, failed."""

    message_id: int
    to: str
    state: str
    delivered_at: str | None
    attempts: int
    last_error: str


@dataclass(frozen=True)
class Proof:
    """What shows the package went out (the form's confirmation, a post receipt), stored."""

    filename: str
    sha256: str
    size: int


@dataclass(frozen=True)
class SentInfo:
    """How a sent submission went out; ``mail`` only when contestflow e-mailed it."""

    at: str | None
    how: str
    mail: MailDelivery | None = None
    proof: Proof | None = None
    note: str = ""  # what was posted (originals or certified copies), where it matters


def refuse_unless_approved(submission: Submission) -> None:
    if submission.state != SubmissionState.APPROVED:
        raise SubmissionError(
            N_("submission %(id)s is %(state)s; only an approved package is sent"),
            id=submission.id, state=state_name(submission.state))


def refuse_where_a_third_party_nominates(session: Session, submission: Submission) -> None:
    """Where the contest refuses self-nomination the nominating party submits, not the city:
    only their confirmation (``by_nominator``) is the sending."""
    definition, _ = definition_of(session, submission)
    if not definition.self_nomination_allowed:
        raise SubmissionError(N_(
            "%(contest)s is submitted by the nominating party, not by the city: give them the "
            "package and the draft letter, then record their confirmation (`submission "
            "nominated %(id)s`, or on the submission's page)"), contest=definition.names,
            id=submission.id)


def record_sent(
    session: Session,
    submission: Submission,
    *,
    actor: str,
    how: str,
    then: Callable[[], dict[str, Any]] | None = None,
    by_nominator: bool = False,
) -> None:
    """approved → sent, the time, and the audit entry that ``how_sent`` reads; in the caller's
    transaction. ``by_nominator``: the nominating party's confirmation, the one sending a
    contest without self-nomination takes.

    The compare-and-set comes first, so of two sendings at once the loser stops before doing
    anything; ``then`` runs once it has won (the e-mail is queued there) and returns what the
    audit entry adds.
    """
    refuse_unless_approved(submission)
    if not by_nominator:
        refuse_where_a_third_party_nominates(session, submission)
    transition(session, submission.id, SubmissionState.APPROVED, SubmissionState.SENT,
               actor=actor, reason=how)
    submission.sent_at = utcnow()
    details = then() if then is not None else {}
    record_event(session, actor=actor, action=ACTION, subject_type="submission",
                 subject_id=submission.id, how=how, package_sha256=submission.package_sha256,
                 **details)
    session.flush()


def mark_sent(session: Session, submission_id: int, *, actor: str, how: str,
              proof: Proof | None = None, note: str = "") -> None:
    """Record that the approved package went out by other means (online form, post…).

    What the edition's way of delivery asks is refused when missing, before anything changes:
    the online form's confirmation as the proof, and for the post what was posted (the
    originals or certified copies).
    """
    if not how.strip():
        raise SubmissionError(N_("say how the package went out: the online form, by post…"))
    submission = get_submission(session, submission_id)
    definition, edition = definition_of(session, submission)
    delivery = definition.package_for(edition.key).delivery
    refuse_unless_approved(submission)
    refuse_where_a_third_party_nominates(session, submission)  # their proof, not ours
    if delivery == "online_form" and proof is None:
        raise SubmissionError(N_(
            "%(contest)s takes entries through its online form: attach the proof that the "
            "entry arrived (a screenshot or PDF of the form's confirmation)"),
            contest=definition.names)
    if delivery == "post" and not note.strip():
        raise SubmissionError(N_(
            "%(contest)s takes entries by post: note what was posted (the originals or "
            "certified copies) and how (the registered letter's number)"),
            contest=definition.names)
    details: dict[str, Any] = ({"proof_filename": proof.filename, "proof_sha256": proof.sha256,
                                "proof_size": proof.size} if proof else {})
    if note.strip():
        details["note"] = note.strip()
    record_sent(session, submission, actor=actor, how=how.strip(), then=lambda: details)


def mail_delivery(session: Session, message_id: int) -> MailDelivery | None:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return None
    return MailDelivery(
        message_id=message.id,
        to=message.to_addr,
        state="queued" if message.state == "pending" else message.state,
        delivered_at=message.delivered_at.isoformat() if message.delivered_at else None,
        attempts=message.attempts,
        last_error=message.last_error,
    )


def how_sent(session: Session, submission: Submission) -> SentInfo | None:
    """How a sent submission went out (from its audit event), and its mail's delivery."""
    if submission.sent_at is None:
        return None
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == ACTION, AuditEvent.subject_type == "submission",
               AuditEvent.subject_id == str(submission.id))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    details = event.details if event is not None else {}
    message_id = details.get("outbox_message_id")
    proof = details.get("proof_sha256")
    return SentInfo(
        at=submission.sent_at.isoformat(),
        how=str(details.get("how", "")),
        mail=mail_delivery(session, int(message_id)) if message_id else None,
        proof=Proof(str(details["proof_filename"]), str(proof), int(details["proof_size"]))
        if proof else None,
        note=str(details.get("note", "")),
    )
