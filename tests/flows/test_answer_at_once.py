"""`submission advance` with nothing to do answers from the database, without Prefect, and
that answer is the one the real flow reaches on the same data (each case runs both)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Document, Material, OutboxMessage, Submission
from contestflow.materials import record_material
from contestflow.notify import deliver_due
from contestflow.states import SubmissionState
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from flows.catalogue import ADVANCE_SUBMISSION
from flows.executor import LocalExecutor
from flows.run import answer_at_once
from tests.flow_steps import run_step, run_steps

WAITING_STATES = [state for state in SubmissionState if state not in steps.STEPS]


def _open(contest: str = "iac-city-to-live", edition: str = "2027") -> int:
    with session_scope() as session:
        return open_submission(session, contest, edition).id


def _upload_all(submission_id: int, *, leave_out: str | None = None) -> None:
    """Every requested item but ``leave_out``, as files that are not Word documents (nothing
    to translate), so the steps reach review without MT."""
    with session_scope() as session:
        for request in steps.load(session, submission_id).requests:
            if request.item_id == leave_out:
                continue
            record_material(session, request.id, get_store().put_bytes(f"m{request.id}".encode()),
                            filename="справка.docx", media_type="application/octet-stream",
                            actor=request.department_id)


def _footprint(submission_id: int) -> tuple[object, ...]:
    """Everything a run could change: the state, the audit log, the outbox, the materials."""
    with session_scope(read_only=True) as session:
        def count(model: type, *where: object) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return (steps.load(session, submission_id).state, count(AuditEvent),
                count(OutboxMessage, OutboxMessage.state == "pending"),
                count(OutboxMessage, OutboxMessage.state == "delivered"),
                count(Material), count(Document), steps.load(session, submission_id).package_sha256)


def _flow(submission_id: int) -> str:
    return LocalExecutor().run(ADVANCE_SUBMISSION, {"submission_id": submission_id})


def _quick(submission_id: int) -> str | None:
    return answer_at_once(ADVANCE_SUBMISSION.name, {"submission_id": submission_id})


def _assert_same_as_the_flow(submission_id: int, expected: str) -> None:
    before = _footprint(submission_id)
    assert _quick(submission_id) == expected
    assert _footprint(submission_id) == before  # answering changed nothing
    assert _flow(submission_id) == expected
    assert _footprint(submission_id) == before  # and the flow, on the same data, did nothing


def test_collecting_with_an_item_missing_is_answered_as_the_flow_does(
        database_url: str, prefect_api: None) -> None:
    sid = _open()
    run_step(sid, SubmissionState.DRAFT)
    deliver_due()
    _upload_all(sid, leave_out="practice-description")
    _assert_same_as_the_flow(sid, "collecting")


@pytest.mark.parametrize("state", WAITING_STATES)
def test_a_state_where_a_person_decides_is_answered_as_the_flow_does(
        state: SubmissionState, database_url: str, prefect_api: None) -> None:
    sid = _open()
    _upload_all(sid)
    assert run_steps(sid) == "in_review"
    deliver_due()
    with session_scope() as session:  # the flow reads nothing but the state in these
        session.execute(update(Submission).where(Submission.id == sid).values(state=state))
    _assert_same_as_the_flow(sid, state)


def test_work_to_do_goes_to_the_flow(database_url: str, prefect_api: None) -> None:
    sid = _open()
    assert _quick(sid) is None  # draft: the requests are to be sent
    assert _flow(sid) == "collecting"

    _upload_all(sid)
    assert _quick(sid) is None  # everything required arrived
    assert _flow(sid) == "in_review"


def test_mail_due_goes_to_the_flow_which_delivers_it(
        database_url: str, prefect_api: None) -> None:
    sid = _open()
    run_step(sid, SubmissionState.DRAFT)  # the requests are queued, not yet delivered
    assert _footprint(sid)[2] > 0
    assert _quick(sid) is None
    assert _flow(sid) == "collecting"
    assert _footprint(sid)[2] == 0  # the run delivered them
    assert _quick(sid) == "collecting"  # and now there is nothing left to do


def test_translating_always_goes_to_the_flow(database_url: str) -> None:
    sid = _open()
    with session_scope() as session:
        session.execute(update(Submission).where(Submission.id == sid)
                        .values(state=SubmissionState.TRANSLATING))
    assert _quick(sid) is None


def test_what_only_the_flow_can_say_goes_to_it(database_url: str) -> None:
    assert _quick(99) is None  # no such submission: the flow's refusal, not ours
    assert answer_at_once(ADVANCE_SUBMISSION.name, {"submission_id": "1"}) is None
    assert answer_at_once("send-reminders", {}) is None


def test_the_command_answers_without_importing_prefect(workspace: Path) -> None:
    """The whole point: the CLI process never imports Prefect when there is nothing to do."""
    sid = _open()
    run_step(sid, SubmissionState.DRAFT)
    deliver_due()
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from contestflow.cli.main import app\n"
        f"result = CliRunner().invoke(app, ['submission', 'advance', '{sid}', '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(result.stdout, end='')\n"
        "print('prefect' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120, check=True)
    assert json.loads(done.stdout) == {"id": sid, "state": "collecting"}
    assert done.stderr.strip().splitlines()[-1] == "False"


_BOTH_OUTPUTS = (
    "import json, sys\n"
    "import flows.run as run\n"
    "if sys.argv[1] == 'flow':\n"
    "    run.answer_at_once = lambda name, parameters: None  # the command as before\n"
    "from typer.testing import CliRunner\n"
    "from contestflow.cli.main import app\n"
    "outputs = []\n"
    "for extra in (['--json'], []):\n"
    "    result = CliRunner().invoke(app, ['submission', 'advance', sys.argv[2], *extra])\n"
    "    assert result.exit_code == 0, result.output\n"
    "    outputs.append(result.stdout)\n"
    "print(json.dumps([*outputs, 'prefect' in sys.modules]))\n"
)


def test_the_command_prints_the_same_as_when_the_flow_runs(workspace: Path) -> None:
    """The JSON and the text (state, what is missing, the next step) of the quick answer and
    of the command running the flow, byte for byte."""
    sid = _open()
    run_step(sid, SubmissionState.DRAFT)
    deliver_due()
    _upload_all(sid, leave_out="practice-description")

    def outputs(how: str) -> list[object]:
        done = subprocess.run([sys.executable, "-c", _BOTH_OUTPUTS, how, str(sid)],
                              capture_output=True, text=True, env=dict(os.environ),
                              timeout=300, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    before = _footprint(sid)
    (*quick, quick_prefect), (*flow, flow_prefect) = outputs("quick"), outputs("flow")
    assert (quick_prefect, flow_prefect) == (False, True)  # one answered, the other ran
    assert quick == flow
    assert json.loads(quick[0]) == {"id": sid, "state": "collecting"}
    assert "Next: once the departments have uploaded" in quick[1]
    assert _footprint(sid) == before
