"""The Prefect side, run for real against one temporary Prefect API for this module: the
reminders flow from the catalogue, and the submission flow started by the last upload."""

from __future__ import annotations

import contextvars
import datetime as dt
import re
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage, Submission
from contestflow.intake.client import UploadFailed, upload_file
from contestflow.lifecycle import transition
from contestflow.submission.opening import open_submission
from contestflow.web.app import create_app
from contestflow.web.background import run_advance_workflow
from contestflow.web.server import BackgroundServer
from tests.intake import samples
from tests.web.conftest import Intake, open_test_submission

pytestmark = pytest.mark.flow


def test_the_reminders_flow_reminds_and_delivers(prefect_api: None, workspace: Path) -> None:
    from flows.catalogue import get_workflow
    from flows.executor import LocalExecutor

    submission_id, _ = open_test_submission()
    with session_scope() as session:
        transition(session, submission_id, "draft", "collecting", actor="test")
    workflow = get_workflow("send-reminders")
    parameters = {"today": dt.date(2028, 2, 14).isoformat(), "offsets": [7, 3, 1]}
    assert LocalExecutor().run(workflow, parameters) == {
        "reminders": 4, "summaries": 0, "delivered": 4}
    assert LocalExecutor().run(workflow, parameters)["reminders"] == 0  # nothing twice
    assert len(list((workspace / "outbox").glob("*.eml"))) == 4
    with session_scope() as session:
        states = {m.state for m in session.scalars(select(OutboxMessage))}
    assert states == {"delivered"}


def test_the_last_upload_starts_the_submission_flow(prefect_api: None,
                                                    workspace: Path) -> None:
    """Through the public client, as the demo uploads: no command is run to advance.

    A contest submitted in Russian (nothing to translate), so the flow can run to the review.
    """
    with session_scope() as session:
        submission = open_submission(session, "iac-city-media", "2026",
                                     nomination="Помним и гордимся!")
        submission_id = submission.id
        requests = {r.item_id: (r.id, r.department_id) for r in submission.requests}
        transition(session, submission_id, "draft", "collecting", actor="test")
    context = contextvars.copy_context()  # the worker thread must see this module's Prefect API
    finished: list[object] = []

    def advance(sid: int) -> None:
        try:
            finished.append(context.run(run_advance_workflow, sid))
        except Exception as error:
            finished.append(error)
            raise

    document = workspace / "Заявка «Помним и гордимся».docx"
    document.write_bytes(samples.docx_bytes("Сведения об издании и авторе"))
    scan = workspace / "Публикация.pdf"
    scan.write_bytes(samples.pdf_bytes())
    with BackgroundServer(create_app(advance=advance)) as server, httpx.Client() as client:
        intake = Intake(server.base_url, client, workspace, submission_id, requests)
        with pytest.raises(UploadFailed) as refused:
            upload_file(server.base_url, intake.request_id("application"),
                        intake.token("application"), scan, language="ru")
        assert refused.value.status == 415 and "PDF" in refused.value.message
        upload_file(server.base_url, intake.request_id("application"),
                    intake.token("application"), document)
        assert not finished  # one required item is still missing
        answer = upload_file(server.base_url, intake.request_id("publications"),
                             intake.token("publications"), scan)
        assert answer["version"] == 1 and len(answer["sha256"]) == 64
        deadline = time.monotonic() + 120
        while not finished and time.monotonic() < deadline:
            time.sleep(0.1)
    with session_scope() as session:
        state = session.get(Submission, submission_id).state
    # The flow ran to the end of what it can do alone: a Russian-language contest needs no
    # translation, so the package is assembled and waits for review.
    assert finished, "the advance-submission workflow was never started"
    assert not isinstance(finished[0], Exception), finished
    assert state == "in_review", finished


def test_the_translation_task_publishes_its_progress(prefect_api: None, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The task as the flow maps it, with an LLM on the fake service: the artifact ends at
    100 % with the figures, in the office's language."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from contestflow.config import get_settings
    from contestflow.materials import record_material
    from contestflow.store import get_store
    from contestflow.submission import steps
    from demo.samples import build_samples
    from tasks.translation import translate_material
    from tests.fakes.mt_server import FakeMTServer

    submission_id, requests = open_test_submission()
    project = build_samples(tmp_path / "samples")["project"]
    with FakeMTServer() as fake:
        for name, value in (("PROVIDER", "llm"), ("URL", f"{fake.url}/v1"),
                            ("API_KEY", "k"), ("MODEL", "m")):
            monkeypatch.setenv(f"CONTESTFLOW_MT_{name}", value)
        get_settings.cache_clear()
        with session_scope() as session:
            stored = get_store().put_file(project)
            record_material(session, requests["project"][0], stored, filename="project.docx",
                            media_type="application/octet-stream", actor="culture")
            (job,) = steps.translation_jobs(session, steps.load(session, submission_id))
        assert translate_material(job) is True
        assert fake.requests["llm"] >= 1
    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(
            any_=[f"translation-{job.material_id}-en"])))
    assert artifact.type == "progress" and artifact.data == 100.0
    assert re.fullmatch(r"segments: (\d+) of \1 done; memory 0, MT \1, waiting for a "
                        r"person 0", artifact.description or "")
