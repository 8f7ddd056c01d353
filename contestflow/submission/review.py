"""Staff decisions on an assembled package: approve it, or send it back with changes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.assembly.package import read_manifest, stale_items
from contestflow.audit import record_event
from contestflow.db.base import utcnow
from contestflow.db.models import Review, Submission
from contestflow.store import LocalFileStore, get_store
from contestflow.submission.lifecycle import transition
from contestflow.submission.service import SubmissionError, get_submission


def approval_problems(session: Session, store: LocalFileStore, submission: Submission) -> list[str]:
    """Why the package may not be approved: its blocking findings, or that it is stale."""
    if not submission.package_path or not Path(submission.package_path).is_file():
        return ["no package has been built"]
    manifest = read_manifest(Path(submission.package_path))
    problems = [
        f"{f['item_id']}: {f['message']}"
        for f in manifest["findings"]
        if f["severity"] == "blocking"
    ]
    stale = stale_items(session, store, submission, manifest)
    if stale:
        problems.append(
            f"changed since the package was built: {', '.join(stale)} "
            "(request changes to rebuild it)"
        )
    return problems


def decide(
    session: Session,
    submission_id: int,
    *,
    reviewer: str,
    approve: bool,
    comment: str = "",
    reopen: list[int] | None = None,
    store: LocalFileStore | None = None,
) -> Review:
    """Record a reviewer's decision.

    Approval is refused while the package has blocking findings or no longer matches what
    departments and reviewers have since changed. Requesting changes re-opens the named
    requests (their departments are mailed the comment), and the flow then waits for them.
    """
    submission = get_submission(session, submission_id)
    allowed = ("in_review",) if approve else ("in_review", "approved")
    if submission.state not in allowed:
        raise SubmissionError(f"submission {submission_id} is {submission.state}, not in review")
    if approve:
        problems = approval_problems(session, store or get_store(), submission)
        if problems:
            raise SubmissionError(f"cannot approve: {'; '.join(problems)}")
    elif not comment.strip():
        raise SubmissionError("say what must change: the departments will read it")
    _check_requests(submission, reopen or [])
    decision = "approved" if approve else "changes_requested"
    transition(session, submission_id, submission.state, decision, actor=reviewer, reason=comment)
    if not approve:
        from contestflow.intake.requests import reopen_and_notify

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
        raise SubmissionError(
            f"request(s) {', '.join(foreign)} do not belong to submission {submission.id}"
        )


def mark_sent(session: Session, submission_id: int, *, actor: str, how: str) -> None:
    """Record that the approved package went to the organiser (by e-mail, online form...)."""
    submission = get_submission(session, submission_id)
    if submission.state != "approved":
        raise SubmissionError(
            f"submission {submission_id} is {submission.state}; only an approved package is sent"
        )
    transition(session, submission_id, "approved", "sent", actor=actor, reason=how)
    submission.sent_at = utcnow()
    record_event(
        session,
        actor=actor,
        action="submission.sent",
        subject_type="submission",
        subject_id=submission_id,
        how=how,
        package_sha256=submission.package_sha256,
    )
    session.flush()


def withdraw(session: Session, submission_id: int, *, actor: str, reason: str) -> None:
    submission = get_submission(session, submission_id)
    if not reason.strip():
        raise SubmissionError("say why the submission is withdrawn")
    transition(session, submission_id, submission.state, "withdrawn", actor=actor, reason=reason)
