"""Staff decisions on an assembled package: approve it, or send it back with changes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from contestflow.assembly.approval import approval_problems
from contestflow.db.models import Review, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_, Joined
from contestflow.intake.requests import reopen_and_notify
from contestflow.lifecycle import get_submission, transition
from contestflow.states import SubmissionState, state_name
from contestflow.store import FileStore, get_store


def decide(
    session: Session,
    submission_id: int,
    *,
    reviewer: str,
    approve: bool,
    comment: str = "",
    reopen: list[int] | None = None,
    store: FileStore | None = None,
) -> Review:
    """Record a reviewer's decision.

    Approval is refused while the package has blocking findings or no longer matches what
    departments and reviewers have since changed. Requesting changes re-opens the named
    requests (their departments are mailed the comment), and the flow then waits for them.
    """
    submission = get_submission(session, submission_id)
    allowed = {SubmissionState.IN_REVIEW} | (set() if approve else {SubmissionState.APPROVED})
    if submission.state not in allowed:
        raise SubmissionError(N_("submission %(id)s is %(state)s, not in review"),
                              id=submission_id, state=state_name(submission.state))
    if approve:
        problems = approval_problems(session, store or get_store(), submission)
        if problems:
            raise SubmissionError(N_("cannot approve: %(problems)s"), problems=Joined(problems))
    elif not comment.strip():
        raise SubmissionError(N_("say what must change: the departments will read it"))
    _check_requests(submission, reopen or [])
    decision = "approved" if approve else "changes_requested"
    transition(session, submission_id, submission.state, decision, actor=reviewer, reason=comment)
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
    session.flush()
    return review


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
