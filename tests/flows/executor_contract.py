"""What every workflow executor must do, checked against each one (in-process here, the
deployment executor on a real server in tests/server/): run the catalogued flow with the
caller's parameters and answer with the outcome the application database holds."""

from __future__ import annotations

from contestflow.db import session_scope
from contestflow.lifecycle import transition
from contestflow.submission.opening import open_submission
from flows.catalogue import ADVANCE_SUBMISSION
from flows.executor import WorkflowExecutor


def check_executor_contract(executor: WorkflowExecutor) -> int:
    """Opens a submission, runs ``advance-submission`` through ``executor`` twice; returns
    the submission's id. The outcome is the state the database holds after the run, whatever
    moved it (each run is a new process on a server, so two runs are all it gets)."""
    with session_scope() as session:
        submission = open_submission(session, "iac-city-to-live", "2027")
        submission_id = submission.id
    parameters = {"submission_id": submission_id, "mt_provider": "none"}
    assert executor.run(ADVANCE_SUBMISSION, parameters) == "collecting"
    with session_scope() as session:
        # Moved on behind the executor's back: the answer follows the database.
        transition(session, submission_id, "collecting", "withdrawn", actor="test")
    assert executor.run(ADVANCE_SUBMISSION, parameters) == "withdrawn"
    return submission_id
