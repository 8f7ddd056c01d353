"""A translation's progress while it runs: the run keeps its figures in the database (a few
writes, not one per MT batch) and the office's pages show them before the result is stored.
Real SQLite, real HTTP to the fake MT service, the real office server, headless Chromium."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from contestflow.db import session_scope
from contestflow.db.models import TranslationRun
from contestflow.lifecycle import transition
from contestflow.materials import record_material
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.running import STALE, RunRecorder, running_translations
from contestflow.submission.translating import TranslationJob, translate_job
from contestflow.submission.translations import submission_translations
from contestflow.translation.mt import make_provider
from contestflow.translation.records import TranslationProgress
from contestflow.web.sessions import coordinator_login_url
from demo.samples import build_samples
from tests.fakes.mt_server import FakeMTServer
from tests.web.conftest import Intake


@pytest.fixture
def job(intake: Intake, tmp_path: Path) -> TranslationJob:
    """The project description uploaded, no memory: every sentence goes to MT."""
    samples = build_samples(tmp_path / "samples")
    with session_scope() as session:
        stored = get_store().put_file(samples["project"])
        record_material(session, intake.request_id("project"), stored, filename="project.docx",
                        media_type="application/octet-stream", actor="culture")
        (found,) = steps.translation_jobs(session, steps.load(session, intake.submission_id))
    return found


@pytest.fixture
def slow_mt() -> Iterator[FakeMTServer]:
    with FakeMTServer(hang_seconds=5) as server:
        server.delay = 0.4
        yield server


def runs() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count(TranslationRun.id))) or 0


def test_the_recorder_writes_a_few_times_and_clears_its_row(intake: Intake,
                                                             job: TranslationJob) -> None:
    recorder = RunRecorder(job.material_id, "ru", "en")
    recorder(TranslationProgress(10, 0))
    recorder(TranslationProgress(10, 3, memory=1, mt=2))  # at once after: not written
    with session_scope() as session:
        (figures,) = running_translations(session, [job.material_id]).values()
    assert (figures.done, figures.total, figures.percent) == (0, 10, 0)
    recorder.written_at = 0.0  # as if INTERVAL had passed
    recorder(TranslationProgress(10, 3, memory=1, mt=2))
    recorder(TranslationProgress(10, 10, memory=1, mt=8, waiting=1))  # the last: written
    assert recorder.writes == 3
    with session_scope() as session:
        (figures,) = running_translations(session, [job.material_id]).values()
        (summary,) = submission_translations(session, intake.submission_id)
    assert (figures.done, figures.mt, figures.waiting) == (10, 8, 1)
    assert summary.document_id == 0 and summary.running == figures  # no document yet
    recorder.finish()
    assert runs() == 0


def test_a_row_left_by_a_killed_run_is_not_shown(intake: Intake, job: TranslationJob) -> None:
    RunRecorder(job.material_id, "ru", "en")(TranslationProgress(4, 1))
    with session_scope() as session:
        assert running_translations(session, [job.material_id])
        session.execute(update(TranslationRun).values(
            updated_at=dt.datetime.now(dt.UTC) - STALE - dt.timedelta(seconds=1)))
    with session_scope() as session:
        assert running_translations(session, [job.material_id]) == {}
        assert submission_translations(session, intake.submission_id) == []


def test_a_finished_or_failed_run_leaves_no_row(intake: Intake, job: TranslationJob,
                                                tmp_path: Path) -> None:
    dead = make_provider("libre", url="http://127.0.0.1:9")  # nobody listens there
    heard: list[TranslationProgress] = []
    assert not translate_job(get_store(), job, dead, tmp_path / "review", progress=heard.append)
    assert heard and heard[-1].waiting == heard[-1].total  # MT failed: all wait for a person
    assert runs() == 0
    with session_scope() as session:
        (summary,) = submission_translations(session, intake.submission_id)
    assert summary.running is None and summary.untranslated == summary.segments > 0


@pytest.mark.browser
def test_the_office_shows_a_run_under_way(chromium, intake: Intake,  # type: ignore[no-untyped-def]
                                          job: TranslationJob, slow_mt: FakeMTServer,
                                          tmp_path: Path) -> None:
    with session_scope() as session:
        for before, after in (("draft", "collecting"), ("collecting", "translating")):
            transition(session, intake.submission_id, before, after, actor="test")
    provider = make_provider("libre", url=slow_mt.url, concurrency=1)
    outcome: list[bool] = []
    worker = threading.Thread(target=lambda: outcome.append(translate_job(
        get_store(), job, provider, tmp_path / "review")))
    context = chromium.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(coordinator_login_url(asked_by="test").replace("http://127.0.0.1:8000",
                                                                 intake.base_url))
        translations = f"{intake.base_url}/coordinator/submissions/{intake.submission_id}"
        worker.start()
        done, total = _partial(page, f"{translations}/translations")
        assert 0 < done < total
        figures = page.locator(".progress-figures.running").inner_text()
        assert re.match(rf"Идёт перевод: готово {done} из {total} сегментов \(\d+%\); из "
                        rf"памяти \d+, машинный перевод \d+, ждут человека 0", figures), figures
        page.goto(translations)  # the submission's page shows it too
        assert page.locator("progress.document.running").count() == 1
        page.get_by_text("Материалы сейчас переводятся").wait_for()
        worker.join(timeout=120)
        assert outcome == [True]  # everything translated by MT
        page.goto(f"{translations}/translations")
        assert page.locator("progress.document.running").count() == 0
        stored = page.locator("progress.document")
        assert stored.get_attribute("value") == stored.get_attribute("max")
    finally:
        worker.join(timeout=120)
        context.close()
    assert runs() == 0


def _partial(page, url: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Reload ``url`` until it shows a run part of the way through: (done, total)."""
    bar = page.locator("progress.document.running")
    for _ in range(100):
        page.goto(url)
        if bar.count():
            done, total = int(bar.get_attribute("value")), int(bar.get_attribute("max"))
            if 0 < done < total:
                return done, total
        page.wait_for_timeout(100)
    raise AssertionError("the page never showed the run part of the way through")
