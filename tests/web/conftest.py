"""A real intake server on a free port, with a fresh submission whose requests have links."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Material
from contestflow.intake.tokens import current_token
from contestflow.submission.opening import open_submission
from contestflow.web.app import create_app
from contestflow.web.guessing import COUNTED
from contestflow.web.server import BackgroundServer

CONTEST, EDITION = "uclg-culture21", "2028"


@dataclass
class Intake:
    """The server, a client without cookies, and the open submission's requests by item id."""

    base_url: str
    client: httpx.Client
    workspace: Path
    submission_id: int
    requests: dict[str, tuple[int, str]]  # item id -> (request id, department id)
    advanced: list[int] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    app: FastAPI | None = None

    def counted_refusals(self, code: str) -> int:
        """How many refusals of ``code`` the audit log counts (its per-minute rows, written
        now rather than when the minute is over)."""
        assert self.app is not None
        self.app.state.guard.flush(everything=True)
        with session_scope() as session:
            rows = session.scalars(select(AuditEvent).where(AuditEvent.action == COUNTED))
            return sum(row.details["codes"].get(code, 0) for row in rows)

    def request_id(self, item: str) -> int:
        return self.requests[item][0]

    def token(self, item: str) -> str:
        with session_scope() as session:
            from contestflow.db.models import MaterialRequest

            return current_token(session, session.get(MaterialRequest, self.request_id(item)))

    def upload(self, item: str, name: str, data: bytes, *, token: str | None = None,
               request_id: int | None = None, client: httpx.Client | None = None,
               headers: dict[str, str] | None = None, lang: str = "en") -> httpx.Response:
        """POST a file as the API does: ``Accept: application/json``, the link's token."""
        rid = request_id if request_id is not None else self.request_id(item)
        params = {"token": token if token is not None else self.token(item)}
        if token == "":
            params = {}
        return (client or self.client).post(
            f"/intake/{rid}", params=params, files={"file": (name, data)},
            headers={"Accept": "application/json", "Accept-Language": lang, **(headers or {})})

    def advanced_times(self, times: int) -> bool:
        """Whether the background advance ran ``times`` times (it runs just after the answer)."""
        deadline = time.monotonic() + 5
        while len(self.advanced) < times and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.advanced == [self.submission_id] * times

    def browser_session(self, item: str) -> tuple[httpx.Client, str]:
        """A client holding the session cookie a link gives, and the page's CSRF token."""
        client = httpx.Client(base_url=self.base_url, follow_redirects=True)
        page = client.get(f"/intake/{self.request_id(item)}", params={"token": self.token(item)})
        assert page.status_code == 200, page.text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match
        return client, match.group(1)


def open_test_submission() -> tuple[int, dict[str, tuple[int, str]]]:
    with session_scope() as session:
        submission = open_submission(session, CONTEST, EDITION)
        return submission.id, {r.item_id: (r.id, r.department_id) for r in submission.requests}


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, dict]:
    """A migrated SQLite database with the test submission open, made once per run: each test
    gets a copy (migrating and loading the catalog per test would cost ~0.4 s each)."""
    from contestflow.config import get_settings
    from contestflow.db.session import dispose_engines

    home = tmp_path_factory.mktemp("template-workspace")
    previous = {k: os.environ.get(k) for k in ("CONTESTFLOW_HOME", "CONTESTFLOW_DATABASE_URL")}
    os.environ["CONTESTFLOW_HOME"] = str(home)
    os.environ.pop("CONTESTFLOW_DATABASE_URL", None)
    get_settings.cache_clear()
    try:
        submission_id, requests = open_test_submission()
    finally:
        dispose_engines()
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
    database = home / "contestflow.db"
    assert not database.with_name("contestflow.db-wal").exists()
    return database, submission_id, requests


@pytest.fixture
def intake(workspace: Path, template_database: tuple[Path, int, dict]) -> Iterator[Intake]:
    advanced: list[int] = []
    delivered: list[int] = []
    template, submission_id, requests = template_database
    workspace.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, workspace / "contestflow.db")
    app = create_app(advance=advanced.append, deliver=lambda: delivered.append(1))
    with BackgroundServer(app) as server, \
            httpx.Client(base_url=server.base_url, timeout=60) as client:
        yield Intake(server.base_url, client, workspace, submission_id, requests, advanced,
                     delivered, app)


@pytest.fixture(scope="module")
def chromium():  # type: ignore[no-untyped-def]
    """Headless Chromium, one per test module (see tests/browser.py)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_executable

    executable = chromium_executable()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def stored_blobs(workspace: Path) -> list[Path]:
    blobs = workspace / "blobs"
    return [p for p in blobs.rglob("*") if p.is_file() and "tmp" not in p.relative_to(blobs).parts]


def material_count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count(Material.id))) or 0


def refusals(code: str | None = None) -> list[dict]:
    with session_scope() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "intake.refused"))
        return [e.details | {"actor": e.actor, "subject_id": e.subject_id} for e in events
                if code is None or e.details.get("code") == code]
from tests.web.office import office  # noqa: E402, F401  (the office fixture, for every web test)
