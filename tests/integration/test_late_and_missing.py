"""One meaning of "late" and "missing": the CLI's status, the coordinator's page, the reminders
and the flow agree, including about a request re-opened after its due date (they disagreed)."""

from __future__ import annotations

import datetime as dt

import pytest

from contestflow.db import session_scope
from contestflow.db.models import Submission
from contestflow.intake.reminders import late_rows
from contestflow.intake.views import submission_overview
from contestflow.lifecycle import StateConflict, transition_request
from contestflow.materials import record_material, reopen_request
from contestflow.states import RequestState
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.status import submission_status
from tests.flow_steps import run_steps


def _collecting_with_everything(database_url: str) -> tuple[int, int]:
    with session_scope() as session:
        submission = open_submission(session, "iac-city-to-live", "2027")
        sid = submission.id
        for request in submission.requests:
            record_material(session, request.id, get_store().put_bytes(f"m{request.id}".encode()),
                            filename="x.pdf", media_type="application/pdf", actor="dept")
        reopened = next(r for r in submission.requests if r.item_id == "practice-description")
        due_on = reopened.due_on
        assert due_on is not None
        reopen_request(session, reopened.id, "Add the 2026 figures", actor="coordinator")
    return sid, reopened.id


def test_a_reopened_request_past_its_due_date_is_late_everywhere(database_url: str) -> None:
    sid, request_id = _collecting_with_everything(database_url)
    with session_scope() as session:
        submission = session.get(Submission, sid)
        request = next(r for r in submission.requests if r.id == request_id)
        after_due = request.due_on + dt.timedelta(days=2)
        session.execute(Submission.__table__.update().where(Submission.id == sid)
                        .values(state="collecting"))
    with session_scope() as session:
        status = submission_status(session, sid, today=after_due)
        row = next(r for r in status.requests if r.id == request_id)
        assert row.versions == 1 and row.missing and row.late
        overview = submission_overview(session, session.get(Submission, sid), after_due,
                                       with_requests=True)
        view = next(v for v in overview.requests if v.spec.request_id == request_id)
        assert view.late and overview.late == 1
        assert [r for r in late_rows(session, after_due) if r.submission.id == sid]
        assert steps.missing_required_items(session, session.get(Submission, sid)) == [
            "practice-description"]
    assert run_steps(sid) == "collecting"  # the flow waits for it too


def test_request_reopening_is_a_compare_and_set(database_url: str) -> None:
    """Two people acting on a request read in the same state: the second one loses."""
    sid, request_id = _collecting_with_everything(database_url)
    with session_scope() as session:
        first = session.get(Submission, sid).requests
        request = next(r for r in first if r.id == request_id)
        assert request.state == RequestState.REOPENED
        # Someone else answers the re-opening in between (a new version arrives).
        session.execute(type(request).__table__.update()
                        .where(type(request).id == request_id).values(state="received"))
        with pytest.raises(StateConflict, match="no longer reopened"):
            transition_request(session, request, RequestState.REOPENED, comment="again")
