"""No way in by a known key: each workspace signs with its own secret, a login link works once,
logout and `users sessions-end` end sessions on the server."""

from __future__ import annotations

import os
import shutil
import stat
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select, update
from typer.testing import CliRunner

from contestflow.accounts import add_account
from contestflow.cli import app as cli
from contestflow.config import SECRET_FILE, SettingsRefused, get_settings
from contestflow.db import session_scope
from contestflow.db.base import utcnow
from contestflow.db.models import AuditEvent, LoginLink, SignIn
from contestflow.db.session import dispose_engines
from contestflow.web.app import create_app
from contestflow.web.server import BackgroundServer
from contestflow.web.sessions import OFFICE_COOKIE, OFFICE_SALT, coordinator_login_url
from tests.web.office import PASSWORD, Office


def _use(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``home`` this process's workspace (as a server started there would have it)."""
    dispose_engines()
    monkeypatch.setenv("CONTESTFLOW_HOME", str(home))
    get_settings.cache_clear()


def _status_with(base_url: str, cookie: str) -> int:
    with closing(httpx.Client(base_url=base_url, cookies={OFFICE_COOKIE: cookie})) as client:
        return client.get("/coordinator").status_code


def test_a_cookie_from_one_workspace_is_refused_by_another(
        workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope() as session:
        add_account(session, "ivanova", role="coordinator", password=PASSWORD, actor="test")
    with BackgroundServer(create_app()) as first:
        client, _ = Office(first.base_url).signed_in("ivanova")
        with closing(client):
            cookie = client.cookies[OFFICE_COOKIE]
            assert client.get("/coordinator").status_code == 200
    dispose_engines()
    # The other workspace holds the same database, the session's row included: only the
    # secret differs, so only the secret can refuse the cookie.
    other = tmp_path / "other-workspace"
    other.mkdir()
    shutil.copyfile(workspace / "contestflow.db", other / "contestflow.db")
    _use(other, monkeypatch)
    with BackgroundServer(create_app()) as second:
        assert _status_with(second.base_url, cookie) == 401
    assert (other / SECRET_FILE).read_text() != (workspace / SECRET_FILE).read_text()
    _use(workspace, monkeypatch)
    with BackgroundServer(create_app()) as again:  # the same workspace still knows it
        assert _status_with(again.base_url, cookie) == 200


def test_the_workspace_secret_is_random_kept_and_the_owners_only(workspace: Path) -> None:
    key = get_settings().signing_key
    path = workspace / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 32 and key != "development-only-secret-change-me"
    assert path.read_text().strip() == key
    get_settings.cache_clear()
    assert get_settings().signing_key == key  # made once, then read


def test_a_cookie_signed_with_the_old_public_constant_gets_nowhere(office: Office) -> None:
    forged = URLSafeTimedSerializer("development-only-secret-change-me", salt=OFFICE_SALT
                                    ).dumps({"s": "anything", "c": "x"})
    assert _status_with(office.base_url, forged) == 401


@pytest.mark.parametrize("secret", ["", "x", "s" * 31])
def test_production_refuses_an_empty_or_short_secret(
        monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("CONTESTFLOW_ENVIRONMENT", "production")
    monkeypatch.setenv("CONTESTFLOW_SECRET_KEY", secret)
    get_settings.cache_clear()
    with pytest.raises(SettingsRefused, match="CONTESTFLOW_SECRET_KEY") as refused:
        create_app()
    assert "\n" not in str(refused.value)
    monkeypatch.setenv("CONTESTFLOW_SECRET_KEY", "s" * 32)
    get_settings.cache_clear()
    assert get_settings().signing_key == "s" * 32


def _link_path(link: str) -> str:
    return "/coordinator/login" + link.split("/coordinator/login", 1)[1]


def test_a_login_link_works_once(office: Office) -> None:
    path = _link_path(coordinator_login_url(asked_by="Иванова"))
    with closing(httpx.Client(base_url=office.base_url)) as first, \
            closing(httpx.Client(base_url=office.base_url)) as second:
        assert first.get(path).status_code == 303
        assert first.get("/coordinator").status_code == 200
        refused = second.get(path)
        assert refused.status_code == 403 and "уже использована" in refused.text
        assert OFFICE_COOKIE not in refused.headers.get("set-cookie", "")
        assert second.get("/coordinator").status_code == 401
    with session_scope() as session:
        [issued] = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "account.login_link_issued")).all()
        assert issued.actor == "Иванова"


def test_a_login_link_past_its_minutes_is_refused(office: Office) -> None:
    path = _link_path(coordinator_login_url(asked_by="test"))
    with session_scope() as session:
        session.execute(update(LoginLink).values(expires_at=utcnow()))
    with closing(httpx.Client(base_url=office.base_url)) as client:
        assert client.get(path).status_code == 403
        assert client.get("/coordinator").status_code == 401


def test_logout_ends_the_session_on_the_server(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        cookie = client.cookies[OFFICE_COOKIE]
        out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/login"
    # a copy of the cookie (another tab, a stolen one) is ended with it
    assert _status_with(office.base_url, cookie) == 401
    with session_scope() as session:
        [row] = session.scalars(select(SignIn)).all()
        assert row.ended_at is not None and row.ended_by and "ivanova" in row.ended_by


def test_a_logout_form_from_another_site_ends_nothing(office: Office) -> None:
    client, _ = office.signed_in("ivanova")
    with closing(client):
        assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
        assert client.get("/coordinator").status_code == 200


def test_all_of_a_persons_sessions_end_at_once(office: Office) -> None:
    laptop, _ = office.signed_in("ivanova")
    phone, _ = office.signed_in("ivanova")
    colleague, _ = office.signed_in("petrov")
    with closing(laptop), closing(phone), closing(colleague):
        ended = CliRunner().invoke(cli, ["users", "sessions-end", "Ivanova"])
        assert ended.exit_code == 0 and "2 sessions of ivanova ended" in ended.output
        assert laptop.get("/coordinator").status_code == 401
        assert phone.get("/coordinator").status_code == 401
        assert colleague.get("/coordinator").status_code == 200  # only hers
    with session_scope() as session:
        [event] = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "account.sessions_ended")).all()
        assert event.subject_id == "ivanova" and event.details["count"] == 2


def test_a_new_password_ends_the_old_sessions(office: Office) -> None:
    client, _ = office.signed_in("petrov")
    with closing(client):
        changed = CliRunner().invoke(cli, ["users", "password", "petrov", "--password-stdin"],
                                     input="a brand new password\n")
        assert changed.exit_code == 0, changed.output
        assert client.get("/coordinator").status_code == 401


def test_two_processes_making_the_secret_at_once_agree(workspace: Path) -> None:
    """Each forked child makes the workspace's secret with nothing there yet: one wins."""
    from contestflow.config import workspace_secret

    workspace.mkdir(parents=True, exist_ok=True)
    readers = []
    for _ in range(4):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: make (or read) the secret, hand it back, leave at once
            os.close(read)
            os.write(write, workspace_secret(workspace).encode())
            os._exit(0)
        os.close(write)
        readers.append((pid, read))
    secrets = set()
    for pid, read in readers:
        with os.fdopen(read) as pipe:
            secrets.add(pipe.read())
        os.waitpid(pid, 0)
    assert secrets == {(workspace / SECRET_FILE).read_text().strip()}
    assert [p.name for p in workspace.iterdir() if p.name.startswith(".")] == []
