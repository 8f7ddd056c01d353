"""Server mode for real: `prefect server start` on PostgreSQL, the application database on
PostgreSQL, `contestflow deploy`, two `contestflow worker` processes, the web app telling the
server by events. One stack for the whole story (it takes a minute or more to start here):

1. the deployment executor keeps the executors' contract;
2. two submissions at once, from opening to approval, uploads through the web app, the fake
   MT on one of them, packages assembled: every step exactly once (audit log, outbox, the
   fake MT's request log);
3. a worker SIGKILLed in the middle of a translation: its run stops sending heartbeats, the
   server marks it crashed, which starts `advance-pending`; another worker finishes the
   submission, and nothing is done twice.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, MTAnswer, OutboxMessage, PendingAdvance, Submission
from contestflow.intake.client import send_fields, upload_file
from contestflow.intake.tokens import current_token
from contestflow.submission.opening import open_submission
from contestflow.submission.review import decide
from tests.conftest import IN_CI, POSTGRES_ADMIN_URL, postgres_available
from tests.fakes.mt_server import FakeMTServer
from tests.flow_steps import confirm_eligibility
from tests.intake import samples

pytestmark = [pytest.mark.server, pytest.mark.flow]

WAIT = 300.0  # seconds a state may take: each flow run is a new process on 2 shared cores


@pytest.fixture
def admin_url() -> str:
    ok, why = postgres_available()
    if not ok:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI and is unreachable: {why}")
        pytest.skip(f"PostgreSQL unreachable: {why}")
    return POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


def _state(submission_id: int) -> str:
    with session_scope(read_only=True) as session:
        return session.get(Submission, submission_id).state


def _wait_for(submission_ids: list[int], state: str, *, settled: bool = True) -> None:
    """Until each submission is in ``state`` and (``settled``) nothing is owed any more."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with session_scope(read_only=True) as session:
            states = {s: session.get(Submission, s).state for s in submission_ids}
            owed = session.scalars(select(PendingAdvance.submission_id).where(
                PendingAdvance.done_at.is_(None),
                PendingAdvance.submission_id.in_(submission_ids))).all()
        if set(states.values()) == {state} and not (settled and owed):
            return
        time.sleep(1)
    raise AssertionError(f"waited {WAIT:g} s for {state}: {states}, still owed {owed}")


def _links(submission_id: int) -> dict[str, tuple[int, str]]:
    with session_scope() as session:
        return {r.item_id: (r.id, current_token(session, r, actor="test"))
                for r in session.get(Submission, submission_id).requests}


def _open(contest: str, edition: str, nomination: str = "", *, late: bool = False) -> int:
    with session_scope() as session:
        return open_submission(session, contest, edition, nomination=nomination,
                               late=late).id


def _upload_uclg(base_url: str, submission_id: int, materials: dict[str, Path]) -> None:
    from demo.samples import structured_entries

    links = _links(submission_id)
    entries = structured_entries()
    for item_id, values in entries.items():
        send_fields(base_url, *links[item_id], values)
    for item_id, path in materials.items():
        if item_id not in entries:
            upload_file(base_url, *links[item_id], path, language="ru")


def _upload_media(base_url: str, submission_id: int, folder: Path) -> None:
    links = _links(submission_id)
    document = folder / "Заявка.docx"
    document.write_bytes(samples.docx_bytes("Сведения об издании и авторе"))
    scan = folder / "Публикация.pdf"
    scan.write_bytes(samples.pdf_bytes())
    # The piece first, with what the contest records of it (its date is a blocking rule);
    # the application last, so that the last upload is the one that asks for the run.
    upload_file(base_url, *links["publications"], scan)
    request_id, token = links["publications"]
    described = httpx.post(
        f"{base_url}/intake/{request_id}/files/1/details", params={"token": token},
        json={"outlet": "Вечерний Ставрополь", "author": "И. Иванов",
              "published_on": "2026-05-01", "kind": "печать"},
        headers={"Accept": "application/json"}, timeout=60)
    assert described.status_code == 200, described.text
    upload_file(base_url, *links["application"], document)


def _transitions(submission_id: int) -> Counter[tuple[str, str]]:
    with session_scope(read_only=True) as session:
        rows = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "submission.state",
            AuditEvent.subject_id == str(submission_id))).all()
        return Counter((row.details["old"], row.details["new"]) for row in rows)


def _stored_answers() -> set[str]:
    with session_scope(read_only=True) as session:
        return set(session.scalars(select(MTAnswer.source_text)).all())


def _approve(submission_id: int) -> None:
    from flows.events import announce

    confirm_eligibility(submission_id)
    with session_scope() as session:
        decide(session, submission_id, reviewer="reviewer", approve=True, comment="ok")
    announce(submission_id)  # what the web app's decision page does on a server


def _send_requests_in_the_office(base_url: str, submission_id: int, tmp_path: Path) -> None:
    """The coordinator presses «Отправить запросы подразделениям» in Chromium; on a server the
    page says at once that a run is queued (it does not wait for the worker)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_executable, screenshot_path
    from tests.web.office import add_office_accounts, sign_in_page

    add_office_accounts()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(),
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="ru-RU").new_page()
            sign_in_page(page, base_url, "ivanova")
            page.goto(f"{base_url}/coordinator/submissions/{submission_id}")
            page.get_by_role("button", name="Отправить запросы подразделениям").click()
            page.get_by_text("Готово: запуск поставлен в очередь обработчиков сервера.").wait_for()
            page.screenshot(path=str(screenshot_path("office-queued-on-server.png", tmp_path)),
                            full_page=True)
        finally:
            browser.close()


def _wait_until_crashed(flow_run_id: object) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType

    deadline = time.monotonic() + WAIT
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            state = client.read_flow_run(flow_run_id).state
            if state is not None and state.type == StateType.CRASHED:
                return
            time.sleep(2)
    raise AssertionError(f"the killed run is still {state.name if state else None}")


# Each flow run is a process of its own that imports Prefect and contestflow: ~5 s of CPU,
# and on a shared 2-core machine under load a minute of wall time.
@pytest.mark.timeout(2400)
def test_on_a_prefect_server_with_two_workers(admin_url: str, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from contestflow.web.app import create_app
    from contestflow.web.server import BackgroundServer
    from demo.run import load_language_resources
    from demo.samples import build_samples
    from demo.stack import server_stack, worker_of
    from flows.events import announce
    from flows.executor import DeploymentExecutor
    from tests.flows.executor_contract import check_executor_contract

    materials = build_samples(tmp_path / "materials")
    # Slow enough that a translation is still running when its worker is killed.
    with FakeMTServer(delay=0.05) as fake, server_stack(
            tmp_path / "stack", workers=2, admin_url=admin_url, extra_env={
                "CONTESTFLOW_MT_PROVIDER": "libre", "CONTESTFLOW_MT_URL": fake.url,
                "CONTESTFLOW_PDF_COPIES": "false", "CONTESTFLOW_LANGUAGE": "en"}) as stack, \
            temporary_settings(updates={PREFECT_API_URL: stack.api_url}):
        # (In a whole-suite run the session's Prefect test harness holds PREFECT_API_URL in a
        # settings context, which outranks the environment the stack set.)
        # 1. The deployment executor: a run on a worker, the outcome from our database.
        check_executor_contract(DeploymentExecutor(timeout=WAIT))

        # 2. Two submissions at once: one translated by the memory and the fake MT (last
        # year's memory holds the letter's names as the rules want them), one in Russian only.
        load_language_resources(tmp_path / "resources")
        culture = _open("uclg-culture21", "2028")
        media = _open("iac-city-media", "2026", "Помним и гордимся!")
        announce(culture)  # the coordinator's "send the requests", as an event
        with BackgroundServer(create_app(deliver=lambda: 0)) as web:
            # The same from the office: the page answers at once that a run is queued.
            _send_requests_in_the_office(web.base_url, media, tmp_path)
            _wait_for([culture, media], "collecting")
            _upload_uclg(web.base_url, culture, materials)
            _upload_media(web.base_url, media, tmp_path)
        _wait_for([culture, media], "in_review")
        for submission_id in (culture, media):
            _approve(submission_id)
        _wait_for([culture, media], "approved")

        path = ["draft", "collecting", "translating", "assembling", "in_review", "approved"]
        for submission_id in (culture, media):
            assert _transitions(submission_id) == Counter(itertools.pairwise(path))
            packages = list(stack.workspace.glob(f"packages/submission-{submission_id}/*.zip"))
            assert len(packages) == 1, packages
        assert max(Counter(fake.texts).values()) == 1, "a text was sent to the MT twice"
        sent_before = len(fake.texts)
        assert sent_before > 0
        with session_scope(read_only=True) as session:
            keys = session.scalars(select(OutboxMessage.dedupe_key)).all()
        assert len(keys) == len(set(keys)) > 0
        runs = [r for r in stack.flow_runs("advance-submission") if r.state_name == "Completed"]
        # Which worker takes a run is the server's choice; each run names the one that did.
        assert {worker_of(r) for r in runs} <= {"worker-1", "worker-2"} and len(runs) >= 6

        # 3. A worker killed mid-translation: asked again, finished elsewhere, nothing twice.
        third = _open("uclg-culture21", "2026", late=True)  # (its deadline is past)
        # The coordinator's command returns at once: the run is queued, not waited for.
        asked = subprocess.run(
            [str(Path(sys.executable).with_name("contestflow")), "submission", "advance",
             str(third), "--json"], env=stack.env, capture_output=True, text=True, timeout=120)
        assert asked.returncode == 0, asked.stderr
        assert json.loads(asked.stdout) == {"id": third, "queued": True,
                                            "event": "contestflow.advance.requested"}
        _wait_for([third], "collecting")
        # Forget the first submission's answers (the same texts): this one asks for them all.
        with session_scope() as session:
            session.execute(MTAnswer.__table__.delete())
        fake.delay = 2.0
        with BackgroundServer(create_app(deliver=lambda: 0)) as web:
            _upload_uclg(web.base_url, third, materials)
        deadline = time.monotonic() + WAIT
        while not (_state(third) == "translating" and _stored_answers()) \
                and time.monotonic() < deadline:
            time.sleep(0.5)
        running = [r for r in stack.flow_runs("advance-submission")
                   if r.state_name == "Running" and r.parameters["submission_id"] == third]
        assert running, "no run was translating the third submission"
        victim = worker_of(running[0])
        stack.kill_worker(victim)
        stored = _stored_answers()
        sent_at_kill = len(fake.texts)
        fake.delay = 0.0
        stack.start_worker("worker-3")
        assert _state(third) == "translating"
        # Nobody asks again: the killed run's heartbeats stop, the server marks it crashed,
        # and that starts advance-pending, which asks for the submission again.
        _wait_until_crashed(running[0].id)
        _wait_for([third], "in_review")
        followed_up = [r for r in stack.flow_runs("advance-pending")
                       if r.start_time and r.start_time > running[0].start_time]
        assert followed_up, "no advance-pending run followed the crash"
        again = [t for t in fake.texts[sent_at_kill:] if t in stored]
        assert not again, f"{len(again)} stored answers were asked of the MT again"
        assert _transitions(third) == Counter(itertools.pairwise(path[:5]))
        assert len(list(stack.workspace.glob(f"packages/submission-{third}/*.zip"))) == 1
        with session_scope(read_only=True) as session:
            keys = session.scalars(select(OutboxMessage.dedupe_key)).all()
        assert len(keys) == len(set(keys))
        assert os.environ["CONTESTFLOW_DATABASE_URL"].startswith("postgresql")
