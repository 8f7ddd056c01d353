"""Guessing costs time (429 with Retry-After per client address, counted in the audit log per
address and minute), and the small doors: oversized ids, 500s and the trailing-slash redirect
answer with the security headers and never with another host."""

from __future__ import annotations

import re
from collections import Counter
from contextlib import closing

import httpx
import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent
from contestflow.web.app import create_app
from contestflow.web.guessing import COUNTED
from contestflow.web.server import BackgroundServer
from tests.web.conftest import Intake, refusals
from tests.web.office import PASSWORD, Office

LIMIT = 30  # the default CONTESTFLOW_GUESS_LIMIT, 30 a minute


def _counted() -> list[AuditEvent]:
    with session_scope() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == COUNTED)).all()
        session.expunge_all()
        return list(rows)


def test_300_wrong_tokens_meet_429s(intake: Intake) -> None:
    request_id = intake.request_id("project")
    statuses = Counter()
    for number in range(300):
        answer = intake.client.get(f"/intake/{request_id}", params={"token": f"guess-{number}"},
                                   headers={"Accept": "application/json"})
        statuses[answer.status_code] += 1
        if answer.status_code == 429:
            assert 1 <= int(answer.headers["retry-after"]) <= 60
            assert answer.json()["code"] == "rate_limited"
    assert statuses == {403: LIMIT, 429: 300 - LIMIT}
    # the right link waits too: a guesser cannot tell a hit while the address is blocked
    right = intake.client.get(f"/intake/{request_id}", params={"token": intake.token("project")})
    assert right.status_code == 429
    page = intake.client.get(f"/intake/{request_id}", params={"token": "one more"},
                             headers={"Accept-Language": "ru"})
    assert page.status_code == 429 and "Слишком много попыток" in page.text
    assert "content-security-policy" in page.headers and page.headers["retry-after"]
    upload = intake.upload("project", "проект.docx", b"x" * 100_000, token="guess")
    assert upload.status_code == 429 and upload.json()["code"] == "rate_limited"
    # another address (through the local proxy that uvicorn trusts) is not held up
    other = intake.client.get(f"/intake/{request_id}", params={"token": "x"},
                              headers={"X-Forwarded-For": "192.0.2.10"})
    assert other.status_code == 403
    # one audit row per address and minute, not one per request
    intake.app.state.guard.flush(everything=True)  # type: ignore[union-attr]
    rows = _counted()
    by_address = Counter()
    for row in rows:
        by_address[row.subject_id] += row.details["count"]
    assert by_address == {"127.0.0.1": 303, "192.0.2.10": 1}
    assert len(rows) <= 3  # 127.0.0.1 in one minute (or two, at a minute's turn), 192.0.2.10
    assert refusals() == []


def test_wrong_passwords_meet_429s(workspace, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from contestflow.accounts import add_account
    from contestflow.config import get_settings

    monkeypatch.setenv("CONTESTFLOW_GUESS_LIMIT", "3/minute")
    get_settings.cache_clear()
    with session_scope() as session:
        add_account(session, "ivanova", role="coordinator", password=PASSWORD, actor="test")
    with BackgroundServer(create_app()) as server, \
            closing(httpx.Client(base_url=server.base_url)) as client:
        def attempt(password: str) -> httpx.Response:
            form = client.get("/login")
            token = re.search(r'name="form_token" value="([^"]+)"', form.text)
            assert token
            return client.post("/login", data={"login": "ivanova", "password": password,
                                               "form_token": token.group(1)})

        assert [attempt(f"wrong {n}").status_code for n in range(5)] == [401, 401, 401, 429, 429]
        assert attempt(PASSWORD).status_code == 429  # the right one waits out the minute too
        link = client.get("/coordinator/login", params={"token": "forged"})
        assert link.status_code == 429 and int(link.headers["retry-after"]) >= 1
    codes = Counter()
    for row in _counted():  # written when the server stopped
        codes.update(row.details["codes"])
    assert codes == {"wrong_password": 3, "rate_limited": 4}


def test_an_oversized_id_is_the_404_page_with_the_headers(office: Office) -> None:
    client, _ = office.signed_in("ivanova")
    with closing(client):
        for path in ("/coordinator/submissions/99999999999999999999999",
                     "/coordinator/submissions/9223372036854775808",
                     "/coordinator/submissions/-99999999999999999999999",
                     "/intake/99999999999999999999999?token=x",
                     f"/coordinator/submissions/{'9' * 5000}"):
            answer = client.get(path, headers={"Accept-Language": "ru"})
            assert answer.status_code == 404, (path, answer.text)
            assert "Страница не найдена" in answer.text
            assert "script-src 'self'" in answer.headers["content-security-policy"]
            assert answer.headers["x-frame-options"] == "DENY"
        # the largest id the database holds is an id like any other: no such submission
        assert client.get("/coordinator/submissions/9223372036854775807").status_code == 404


def test_a_500_is_a_page_with_the_security_headers(workspace) -> None:  # type: ignore[no-untyped-def]
    app = create_app()

    @app.get("/broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    with BackgroundServer(app) as server:
        # uvicorn closes the connection after an error: one connection per request
        page = httpx.get(f"{server.base_url}/broken", headers={"Accept-Language": "ru"})
        api = httpx.get(f"{server.base_url}/broken", headers={"Accept": "application/json"})
    assert page.status_code == 500 and "На сервере произошла ошибка" in page.text
    assert "a bug" not in page.text
    assert api.status_code == 500 and api.json()["code"] == "server_error"
    for answer in (page, api):
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"


def test_the_trailing_slash_redirect_is_relative_whatever_the_host(office: Office) -> None:
    with closing(httpx.Client(base_url=office.base_url)) as client:
        answer = client.get("/login/?next=/coordinator", headers={"Host": "evil.example"})
        assert answer.status_code == 307
        assert answer.headers["location"] == "/login?next=/coordinator"
        assert "content-security-policy" in answer.headers
        # never a protocol-relative address that a browser would take to another site
        assert client.get(httpx.URL(office.base_url + "//login/")).status_code == 404
        assert client.get("/no-such-page/").status_code == 404


def test_a_new_link_gives_the_department_session_a_new_csrf_value(intake: Intake) -> None:
    client, first = intake.browser_session("project")  # culture's
    with closing(client):
        page = client.get(f"/intake/{intake.request_id('background')}",
                          params={"token": intake.token("background")})  # culture's too
        assert page.status_code == 200
        second = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert second and second.group(1) != first
        stale = intake.upload("project", "проект.docx", b"x", token="", client=client,
                              headers={"X-CSRF-Token": first})
        assert stale.status_code == 403 and stale.json()["code"] == "csrf"
