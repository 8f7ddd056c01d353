"""Every submission command ends with the next step, from the one place that knows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from contestflow.cli.main import app
from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage
from contestflow.lifecycle import transition
from contestflow.materials import record_material
from contestflow.states import SubmissionState
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.next_step import next_step
from contestflow.submission.opening import open_submission
from contestflow.submission.translating import review_dir_for, translate_job
from contestflow.translation.state import document_for, pending_segments
from demo.samples import build_samples
from tests.flow_steps import confirm_eligibility, run_steps

runner = CliRunner()


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def last_line(result: Result) -> str:
    return result.stdout.rstrip("\n").splitlines()[-1]


def _queued() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


@pytest.fixture
def advance_without_prefect(monkeypatch: pytest.MonkeyPatch) -> None:
    """`submission advance` runs the core's steps in-process instead of a Prefect flow: the
    command's own output is under test here, not Prefect (tests/cli/test_cli.py runs that)."""
    monkeypatch.setattr("contestflow.cli.flows.run_workflow",
                        lambda name, parameters: run_steps(parameters["submission_id"]))


def test_every_state_has_its_next_step_or_none() -> None:
    for state in SubmissionState:
        sentence = next_step(state, 7)
        finished = state in (SubmissionState.RESULT_RECORDED, SubmissionState.WITHDRAWN)
        assert (sentence is None) == finished
        assert sentence is None or (sentence.startswith("Next: ") and " 7" in sentence)


def test_open_says_that_advance_sends_the_requests(workspace: Path) -> None:
    result = invoke("submission", "open", "uclg-culture21", "--edition", "2028")
    assert "none has been sent yet" in result.stdout
    assert _queued() == 0  # the truth: opening sends nothing
    assert last_line(result) == (
        "Next: `contestflow submission advance 1` sends the requests to the departments.")


def test_advance_ends_with_the_step_of_the_state_it_reached(
        workspace: Path, advance_without_prefect: None) -> None:
    invoke("submission", "open", "uclg-culture21", "--edition", "2028")
    result = invoke("submission", "advance", "1")
    assert _queued() == 4  # one mail per department
    assert "State: collecting" in result.stdout
    assert last_line(result) == next_step("collecting", 1)
    assert "contestflow submission advance 1" in last_line(result)


def test_status_counts_the_segments_waiting_for_a_person(workspace: Path,
                                                         tmp_path: Path) -> None:
    project = build_samples(tmp_path / "samples")["project"]
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        request = next(r for r in submission.requests if r.item_id == "project")
        record_material(session, request.id, get_store().put_file(project),
                        filename="project.docx", media_type="application/octet-stream",
                        actor="culture")
        transition(session, submission.id, "draft", "collecting", actor="test")
        transition(session, submission.id, "collecting", "translating", actor="test")
        (job,) = steps.translation_jobs(session, steps.load(session, submission.id))
    review_dir = review_dir_for(get_settings(), job)
    assert not translate_job(get_store(), job, None, review_dir)  # no MT: a person translates
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None
        waiting = pending_segments(session, document.id)
    assert waiting > 0

    result = invoke("submission", "status", str(job.submission_id))
    assert f"Translations: {waiting} segments wait for a person." in result.stdout
    assert f"Review documents: {review_dir}" in result.stdout
    assert last_line(result) == next_step("translating", job.submission_id)
    shown = invoke("submission", "status", str(job.submission_id), "--json").stdout
    assert f'"segments_waiting": {waiting}' in shown


def test_review_then_mark_sent_point_at_sending_then_the_result(workspace: Path) -> None:
    with session_scope() as session:
        submission = open_submission(session, "iac-city-to-live", "2027")
        sid = submission.id
        for request in submission.requests:
            record_material(session, request.id, get_store().put_bytes(f"m{request.id}".encode()),
                            filename="справка.docx", media_type="application/octet-stream",
                            actor=request.department_id)
    assert run_steps(sid) == "in_review"
    confirm_eligibility(sid)

    approved = invoke("submission", "review", str(sid), "--approve")
    assert last_line(approved) == (
        f"Next: `contestflow submission send {sid} --to ADDRESS`, or, if it goes another way, "
        f"`contestflow submission mark-sent {sid} --how HOW`.")
    result = invoke("submission", "mark-sent", str(sid), "--how", "online form")
    assert "marked as sent" in result.stdout
    assert last_line(result) == (
        "Next: when the organiser announces the results, "
        f"`contestflow results record {sid} --outcome OUTCOME`.")


def test_withdraw_names_no_next_step(workspace: Path) -> None:
    invoke("submission", "open", "uclg-culture21", "--edition", "2028")
    result = invoke("submission", "withdraw", "1", "--reason", "the practice is not ready")
    assert "Next:" not in result.stdout
