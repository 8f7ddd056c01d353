"""Eight uploads to one request at once: every one acknowledged (no "database is locked"
reaches anyone), no version used twice; on SQLite and on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import Material
from contestflow.store import get_store
from contestflow.web.app import create_app
from contestflow.web.server import BackgroundServer
from tests.intake import samples
from tests.web.conftest import Intake, open_test_submission

UPLOADS = 8


def _upload_concurrently(intake: Intake) -> list[httpx.Response]:
    token = intake.token("project")
    documents = [samples.docx_bytes(f"Версия {n}") for n in range(UPLOADS)]

    def upload(n: int) -> httpx.Response:
        with httpx.Client(base_url=intake.base_url, timeout=60) as client:
            return intake.upload("project", f"Проект {n}.docx", documents[n], token=token,
                                 client=client)

    with ThreadPoolExecutor(UPLOADS) as pool:
        return list(pool.map(upload, range(UPLOADS)))


def _check(responses: list[httpx.Response]) -> None:
    assert [r.status_code for r in responses] == [201] * UPLOADS, [r.text for r in responses]
    versions = sorted(r.json()["version"] for r in responses)
    assert versions == list(range(1, UPLOADS + 1))
    with session_scope() as session:
        rows = session.scalars(select(Material)).all()
    assert sorted(m.version for m in rows) == versions
    store = get_store()
    for row in rows:
        assert store.exists(row.sha256)


def test_eight_concurrent_uploads_on_each_database(database_url: str, workspace: Path) -> None:
    submission_id, requests = open_test_submission()
    with BackgroundServer(create_app(advance=lambda _id: None)) as server, \
            httpx.Client(base_url=server.base_url) as client:
        intake = Intake(server.base_url, client, workspace, submission_id, requests)
        _check(_upload_concurrently(intake))
