"""`contestflow serve` as a real process: it prints no login link, listens only on this
machine's own address in development, refuses a short production secret, and SIGTERM stops it
together with the Prefect API server its first flow run started."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, MaterialRequest
from contestflow.intake.tokens import current_token
from contestflow.lifecycle import transition
from contestflow.materials import record_material
from contestflow.store import get_store
from contestflow.submission.opening import open_submission
from tests.intake import samples

CONTESTFLOW = str(Path(sys.executable).with_name("contestflow"))
PREFECT_SERVER = "prefect.server.api.server"  # in the ephemeral server's command line


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """`contestflow serve ARGS` until it says where it listens: the process and its lines."""
    server = subprocess.Popen([CONTESTFLOW, "serve", "--no-schedule", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        assert server.stdout is not None
        for line in server.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("listening on "):
                break
        assert lines and lines[-1].startswith("listening on "), (lines, server.stderr)
        yield server, lines
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)


def _children() -> dict[int, list[int]]:
    """Every process's children, by parent id, read from /proc."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper has stopped: it holds nothing any more)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_prints_no_login_link_and_one_asked_for_works_once(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serving("--port", "0") as (_, lines):
        assert not any("login" in line.lower() for line in lines), lines
        base = lines[-1].split()[-1]
        # The department links in e-mails are built on CONTESTFLOW_BASE_URL (port 8000 here).
        assert any(line.startswith("Note: CONTESTFLOW_BASE_URL is") for line in lines)
        monkeypatch.setenv("CONTESTFLOW_BASE_URL", base)
        asked = subprocess.run([CONTESTFLOW, "intake", "coordinator-link", "--by", "Иванова"],
                               capture_output=True, text=True, timeout=60)
        assert asked.returncode == 0, asked.stderr
        link = asked.stdout.strip()
        assert link.startswith(f"{base}/coordinator/login?token=")
        first = httpx.get(link, follow_redirects=False, timeout=30)
        assert first.status_code == 303 and "cf_office" in first.headers["set-cookie"]
        second = httpx.get(link, follow_redirects=False, timeout=30)
        assert second.status_code == 403 and "cf_office" not in second.headers.get(
            "set-cookie", "")
    with session_scope() as session:
        [issued] = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "account.login_link_issued")).all()
        assert issued.actor == "Иванова (contestflow intake coordinator-link)"


def test_a_taken_port_from_the_base_url_gives_way_to_a_free_one(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("CONTESTFLOW_BASE_URL", f"http://127.0.0.1:{port}")
        with serving() as (_, lines):
            assert lines[0].startswith(f"Port {port} is not available (Address already in use)")
            assert int(urlsplit(lines[-1].split()[-1]).port or 0) != port
        named = subprocess.run([CONTESTFLOW, "serve", "--port", str(port)], capture_output=True,
                               text=True, timeout=60)
        assert named.returncode == 1  # a port asked for by name is not swapped for another
        assert named.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "no-such-host.invalid"])
def test_development_refuses_to_listen_beyond_this_machine(workspace: Path, host: str) -> None:
    refused = subprocess.run([CONTESTFLOW, "serve", "--host", host, "--port", "0"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert line.startswith(f"error: {host} — не адрес этой машины")
    assert "CONTESTFLOW_ENVIRONMENT=production" in line


@pytest.mark.parametrize("secret", ["", "x", "s" * 31])
def test_production_refuses_an_empty_or_short_secret(
        workspace: Path, monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("CONTESTFLOW_ENVIRONMENT", "production")
    monkeypatch.setenv("CONTESTFLOW_SECRET_KEY", secret)
    refused = subprocess.run([CONTESTFLOW, "serve", "--port", "0"], capture_output=True,
                             text=True, timeout=60)
    assert refused.returncode == 2 and refused.stdout == ""
    [line] = refused.stderr.splitlines()  # one line, Russian first, naming the setting
    assert line.startswith("error: CONTESTFLOW_SECRET_KEY")
    russian, english = line.split(" / ")
    assert f"сейчас {len(secret)}" in russian and "at least 32 bytes" in english


def _all_but_one_uploaded() -> tuple[int, str]:
    """A submission collecting, every required item in but one: the request id and token of
    the last one, whose upload through the web app starts the submission flow."""
    with session_scope() as session:
        submission = open_submission(session, "iac-city-to-live", "2027")
        transition(session, submission.id, "draft", "collecting", actor="test")
        required = [r for r in submission.requests if r.item_id != "photographs"]
        for request in required[1:]:
            record_material(session, request.id, get_store().put_bytes(samples.docx_bytes()),
                            filename="справка.docx", media_type="application/octet-stream",
                            actor=request.department_id)
        last = session.get(MaterialRequest, required[0].id)
        assert last is not None
        return last.id, current_token(session, last)


@pytest.mark.flow
def test_sigterm_stops_serve_and_its_prefect_server(workspace: Path) -> None:
    request_id, token = _all_but_one_uploaded()
    with serving("--port", "0") as (server, lines):
        base = lines[-1].split()[-1]
        upload = httpx.post(f"{base}/intake/{request_id}", params={"token": token},
                            files={"file": ("Заявка.docx", samples.docx_bytes())},
                            headers={"Accept": "application/json"}, timeout=60)
        assert upload.status_code == 201, upload.text
        # The last upload runs the flow in the background: its first run starts Prefect's
        # ephemeral API server as a child process of serve.
        deadline = time.monotonic() + 240
        while not any(PREFECT_SERVER in command_line(pid) for pid in descendants(server.pid)):
            assert server.poll() is None and time.monotonic() < deadline, "no Prefect server"
            time.sleep(0.2)
        family = descendants(server.pid)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == -signal.SIGTERM  # ended of the signal, as before
        deadline = time.monotonic() + 30
        while [pid for pid in family if alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.1)
        left = {pid: command_line(pid) for pid in family if alive(pid)}
        assert not left, f"still running after serve stopped: {left}"


def _state_and_owed(submission_id: int) -> tuple[str, int]:
    from sqlalchemy import func, select

    from contestflow.db.models import PendingAdvance, Submission

    with session_scope(read_only=True) as session:
        state = session.scalars(select(Submission.state).where(
            Submission.id == submission_id)).one()
        owed = session.scalar(select(func.count()).select_from(PendingAdvance).where(
            PendingAdvance.submission_id == submission_id, PendingAdvance.done_at.is_(None)))
        return state, int(owed or 0)


def _stop(server: subprocess.Popen[str], signum: int) -> None:
    """Stop ``serve`` with ``signum``: it ends of that signal and leaves no process behind."""
    family = descendants(server.pid)
    server.send_signal(signum)
    assert server.wait(timeout=60) == -signum
    deadline = time.monotonic() + 30
    while [pid for pid in family if alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    left = {pid: command_line(pid) for pid in family if alive(pid)}
    assert not left, f"still running after serve stopped: {left}"


@pytest.mark.flow
def test_an_acknowledged_last_upload_is_advanced_after_a_restart(workspace: Path) -> None:
    """The 201 promises the flow will run: stopped before it did, serve runs it on restart."""
    request_id, token = _all_but_one_uploaded()
    with session_scope() as session:
        submission_id = session.get(MaterialRequest, request_id).submission_id
    with serving("--port", "0") as (server, lines):
        base = lines[-1].split()[-1]
        upload = httpx.post(f"{base}/intake/{request_id}", params={"token": token},
                            files={"file": ("Заявка.docx", samples.docx_bytes())},
                            headers={"Accept": "application/json"}, timeout=60)
        assert upload.status_code == 201, upload.text
        _stop(server, signal.SIGTERM)  # before the flow (seconds to start) could finish
    assert _state_and_owed(submission_id) == ("collecting", 1)
    with serving("--port", "0") as (server, _):
        deadline = time.monotonic() + 240
        while _state_and_owed(submission_id) == ("collecting", 1):
            assert server.poll() is None and time.monotonic() < deadline, "never advanced"
            time.sleep(0.5)
        deadline = time.monotonic() + 60
        while _state_and_owed(submission_id)[1]:  # settled once the run has returned
            assert time.monotonic() < deadline, "the record was never settled"
            time.sleep(0.2)
        assert _state_and_owed(submission_id)[0] in ("translating", "in_review")
        _stop(server, signal.SIGINT)  # Ctrl-C stops every process it started too
