"""What the submission flow does, without Prefect: the core's own state→step map, run until the
submission waits for people. Tests use this instead of keeping a copy of the map."""

from __future__ import annotations

from contestflow.assembly.package import read_record
from contestflow.db import session_scope
from contestflow.states import SubmissionState
from contestflow.store import get_store
from contestflow.submission import steps


def run_steps(submission_id: int) -> str:
    """Every step the state allows, each in its own transaction; returns the state it waits in."""
    while True:
        with session_scope() as session:
            submission = steps.load(session, submission_id)
            step = steps.STEPS.get(SubmissionState(submission.state))
            if step is None or not step(session, submission, get_store()):
                return steps.load(session, submission_id).state


def run_step(submission_id: int, state: SubmissionState) -> bool:
    with session_scope() as session:
        return steps.STEPS[state](session, steps.load(session, submission_id), get_store())


def package_record(submission_id: int) -> dict:
    """Our record of the submission's current package (sources, findings), from the store."""
    with session_scope() as session:
        digest = steps.load(session, submission_id).package_record_sha256
    assert digest, "no package has been built"
    return read_record(get_store().read_bytes(digest))


def confirm_eligibility(submission_id: int) -> None:
    """What the coordinator does before approval: confirm every eligibility statement."""
    from contestflow.submission.eligibility import confirm_statements

    with session_scope() as session:
        confirm_statements(session, get_store(), submission_id, None, actor="coordinator")
