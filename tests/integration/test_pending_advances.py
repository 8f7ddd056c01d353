"""What an upload or a decision promised is paid once the advance has run, never before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contestflow.advances import advance_pending, owe_advance, pending_submissions
from contestflow.db import session_scope
from contestflow.db.models import PendingAdvance
from contestflow.submission.opening import open_submission


def _owed(owed: tuple[int, str]) -> None:
    with session_scope() as session:
        owe_advance(session, *owed)


def test_a_record_is_settled_only_by_an_advance_that_ran(database_url: str) -> None:
    with session_scope() as session:
        sid = open_submission(session, "iac-city-to-live", "2027").id
    _owed((sid, "material.accepted"))

    def broken(submission_id: int) -> None:
        raise RuntimeError("the flow crashed")

    assert advance_pending(broken) == []
    with session_scope(read_only=True) as session:
        [row] = session.scalars(select(PendingAdvance)).all()
        assert row.done_at is None and row.attempts == 1 and "crashed" in row.last_error
        assert pending_submissions(session) == {}  # retried later, not at once
        assert pending_submissions(session, due_only=False) == {sid: row.id}
        row_id, created = row.id, row.created_at
    with session_scope() as session:  # the retry time has come
        session.get(PendingAdvance, row_id).next_attempt_at = created

    ran: list[int] = []

    def advance(submission_id: int) -> None:
        ran.append(submission_id)
        _owed((submission_id, "review.applied"))  # arrives while the run reads the state

    assert advance_pending(advance) == [sid] and ran == [sid]
    with session_scope(read_only=True) as session:
        rows = session.scalars(select(PendingAdvance).order_by(PendingAdvance.id)).all()
        assert [(r.reason, r.done_at is not None) for r in rows] == [
            ("material.accepted", True), ("review.applied", False)]


def test_skipped_submissions_are_left_for_their_own_run(database_url: str) -> None:
    with session_scope() as session:
        sid = open_submission(session, "iac-city-to-live", "2027").id
    _owed((sid, "review.changes_requested"))
    assert advance_pending(pytest.fail, skip={sid}) == []
