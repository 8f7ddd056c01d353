"""Staff decisions on an assembled package: approve it, or send it back with changes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.advances import owe_advance
from contestflow.assembly.approval import approval_problems
from contestflow.db.models import Review, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_, Joined
from contestflow.intake.requests import reopen_and_notify
from contestflow.lifecycle import StateConflict, get_submission, transition
from contestflow.states import SubmissionState, state_name
from contestflow.store import FileStore, get_store

# How a package version is shown and named: the first characters of its sha256.
PACKAGE_VERSION_LENGTH = 12


class StaleDecision(SubmissionError):
    """A decision made on a state or a package that is no longer the submission's."""


def package_version(submission: Submission) -> str:
    """The package version a reviewer sees and names in a decision ("" before assembly)."""
    return (submission.package_sha256 or "")[:PACKAGE_VERSION_LENGTH]


def decide(
    session: Session,
    submission_id: int,
    *,
    reviewer: str,
    approve: bool,
    comment: str = "",
    reopen: list[int] | None = None,
    store: FileStore | None = None,
    seen_state: str = SubmissionState.IN_REVIEW,
    seen_package: str | None = None,
) -> Review:
    """Record a reviewer's decision, made on ``seen_state`` (and ``seen_package``, the package
    version the reviewer looked at, when given).

    A decision is refused when the submission has moved on since (another reviewer decided, a
    package was rebuilt): of two decisions at once exactly one wins, and the other is told
    why. Approval is refused while the package has blocking findings or no longer matches what
    departments and reviewers have since changed. Requesting changes re-opens the named
    requests (their departments are mailed the comment), and the flow then moves the
    submission back to collecting (a durable record in this transaction says it must).
    """
    get_submission(session, submission_id)
    # PostgreSQL: wait here for a concurrent decision to commit, then read what it left.
    submission = session.scalars(select(Submission).where(Submission.id == submission_id)
                                 .with_for_update().execution_options(populate_existing=True)
                                 ).one()
    _check_basis(submission, seen_state, seen_package)
    allowed = {SubmissionState.IN_REVIEW} | (set() if approve else {SubmissionState.APPROVED})
    if submission.state not in allowed:
        raise StaleDecision(N_("submission %(id)s is %(state)s, not in review"),
                            id=submission_id, state=state_name(submission.state))
    if approve:
        problems = approval_problems(session, store or get_store(), submission)
        if problems:
            raise SubmissionError(N_("cannot approve: %(problems)s"), problems=Joined(problems))
    elif not comment.strip():
        raise SubmissionError(N_("say what must change: the departments will read it"))
    _check_requests(submission, reopen or [])
    decision = "approved" if approve else "changes_requested"
    try:
        transition(session, submission_id, seen_state, decision, actor=reviewer, reason=comment)
    except StateConflict:
        session.refresh(submission)
        raise _stale(submission, seen_state) from None
    if not approve:
        for request_id in reopen or []:
            reopen_and_notify(session, request_id, comment.strip(), actor=reviewer)
    review = Review(
        submission_id=submission_id,
        reviewer=reviewer,
        decision=decision,
        comment=comment.strip(),
        details={"reopened": list(reopen or [])},
    )
    session.add(review)
    owe_advance(session, submission_id, f"review.{decision}")
    session.flush()
    return review


def _check_basis(submission: Submission, seen_state: str, seen_package: str | None) -> None:
    if submission.state != seen_state:
        raise _stale(submission, seen_state)
    if seen_package is not None and seen_package.strip().lower() != package_version(submission):
        raise StaleDecision(
            N_("the package of submission %(id)s is now version %(now)s, not %(seen)s that "
               "the decision was made on: look at the new package and decide again"),
            id=submission.id, now=package_version(submission) or "-", seen=seen_package)


def _stale(submission: Submission, seen_state: str) -> StaleDecision:
    return StaleDecision(
        N_("submission %(id)s is %(state)s now, not %(seen)s as when this decision was made: "
           "someone decided or changed it meanwhile; look at it again and decide"),
        id=submission.id, state=state_name(submission.state), seen=state_name(seen_state))


def _check_requests(submission: Submission, request_ids: list[int]) -> None:
    own = {request.id for request in submission.requests}
    foreign = [str(r) for r in request_ids if r not in own]
    if foreign:
        raise SubmissionError(N_("requests %(requests)s do not belong to submission %(id)s"),
                              requests=", ".join(foreign), id=submission.id)


def withdraw(session: Session, submission_id: int, *, actor: str, reason: str) -> None:
    submission = get_submission(session, submission_id)
    if not reason.strip():
        raise SubmissionError(N_("say why the submission is withdrawn"))
    transition(session, submission_id, submission.state, "withdrawn", actor=actor, reason=reason)
