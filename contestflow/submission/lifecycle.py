"""The submission lifecycle and its one way of changing state: compare-and-set.

``UPDATE submissions SET state = :new WHERE id = :id AND state = :expected``: of two workers or
two reviewers acting at once, exactly one changes the row; the other learns it lost.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.db.base import utcnow
from contestflow.db.models import Submission
from contestflow.db.models.submission import SUBMISSION_STATES

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"collecting"}),
    "collecting": frozenset({"translating"}),
    "translating": frozenset({"assembling"}),
    "assembling": frozenset({"in_review"}),
    "in_review": frozenset({"approved", "changes_requested"}),
    "changes_requested": frozenset({"collecting"}),
    "approved": frozenset({"sent", "changes_requested"}),
    "sent": frozenset({"result_recorded"}),
    "result_recorded": frozenset(),
    "withdrawn": frozenset(),
}
# Everything before the package goes out can be withdrawn.
WITHDRAWABLE = frozenset(SUBMISSION_STATES) - {"sent", "result_recorded", "withdrawn"}


class IllegalTransition(ValueError):
    pass


class StateConflict(RuntimeError):
    """Someone else changed the submission first; reload and decide again."""


def can_transition(current: str, new: str) -> bool:
    if new == "withdrawn":
        return current in WITHDRAWABLE
    return new in TRANSITIONS.get(current, frozenset())


def transition(
    session: Session, submission_id: int, expected: str, new: str, *, actor: str, reason: str = ""
) -> None:
    """Move a submission from ``expected`` to ``new``, or raise; audited in the same transaction."""
    if not can_transition(expected, new):
        raise IllegalTransition(f"a submission cannot go from {expected} to {new}")
    result = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.state == expected)
        .values(state=new, state_changed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StateConflict(f"submission {submission_id} is no longer {expected}")
    record_event(
        session,
        actor=actor,
        action="submission.state",
        subject_type="submission",
        subject_id=submission_id,
        old=expected,
        new=new,
        reason=reason,
    )
    submission = session.get(Submission, submission_id)
    if submission is not None:
        session.refresh(submission)
