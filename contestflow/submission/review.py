"""Staff decisions on an assembled package: approve it, or send it back with changes."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.db.base import utcnow
from contestflow.db.models import Review, Submission
from contestflow.submission.lifecycle import transition
from contestflow.submission.service import SubmissionError, get_submission


def blocking_findings(submission: Submission) -> list[dict]:
    if not submission.package_path:
        return [{"item_id": "", "message": "no package has been built"}]
    manifest = Path(submission.package_path).with_suffix("").with_suffix(".manifest.json")
    findings = json.loads(manifest.read_text(encoding="utf-8"))["findings"]
    return [f for f in findings if f["severity"] == "blocking"]


def decide(
    session: Session, submission_id: int, *, reviewer: str, approve: bool, comment: str = ""
) -> Review:
    """Record a reviewer's decision; approval is refused while the package has blocking findings."""
    submission = get_submission(session, submission_id)
    if submission.state != "in_review":
        raise SubmissionError(f"submission {submission_id} is {submission.state}, not in review")
    if approve:
        blocking = blocking_findings(submission)
        if blocking:
            listed = "; ".join(f"{f['item_id']}: {f['message']}" for f in blocking)
            raise SubmissionError(f"cannot approve while the package has problems: {listed}")
    elif not comment.strip():
        raise SubmissionError("say what must change: the departments will read it")
    decision = "approved" if approve else "changes_requested"
    transition(session, submission_id, "in_review", decision, actor=reviewer, reason=comment)
    review = Review(
        submission_id=submission_id, reviewer=reviewer, decision=decision, comment=comment.strip()
    )
    session.add(review)
    session.flush()
    return review


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
