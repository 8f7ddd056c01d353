"""The one way a submission or a material request changes state: compare-and-set.

``UPDATE submissions SET state = :new WHERE id = :id AND state = :expected``: of two workers or
two reviewers acting at once, exactly one changes the row; the other learns it lost. What the
states are and which moves are allowed is ``contestflow.states``.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.db.base import utcnow
from contestflow.db.models import MaterialRequest, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.states import REQUEST_TRANSITIONS, RequestState, can_transition


class IllegalTransition(ValueError):
    pass


class StateConflict(RuntimeError):
    """Someone else changed the row first; reload and decide again."""


def get_submission(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise SubmissionError(N_("there is no submission %(id)s"), id=submission_id)
    return submission


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


def transition_request(
    session: Session, request: MaterialRequest, new: RequestState, **values: object
) -> None:
    """Move a material request from the state it was read in to ``new``, or raise.

    The caller audits the change with its own action (it knows why: an upload, a re-opening).
    """
    expected = RequestState(request.state)
    if new not in REQUEST_TRANSITIONS[expected]:
        raise IllegalTransition(f"a material request cannot go from {expected} to {new}")
    result = session.execute(
        update(MaterialRequest)
        .where(MaterialRequest.id == request.id, MaterialRequest.state == expected)
        .values(state=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StateConflict(f"material request {request.id} is no longer {expected}")
    session.refresh(request)
