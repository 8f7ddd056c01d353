"""`contestflow serve` keeps a Prefect API server that the workspace's commands run their flows
on while it runs; when it is gone (even killed) they fall back to Prefect's ephemeral mode.

Real processes throughout: `serve` and each command are subprocesses of the installed script.
Which server a command used is read from the Prefect databases themselves: the command gets a
Prefect home of its own, so a run it made on an ephemeral server lands there, and a run on
serve's server lands in serve's.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import Submission
from contestflow.states import SubmissionState
from contestflow.submission.opening import open_submission
from contestflow.submission.review import withdraw
from flows.local_server import ADDRESS_FILE, answering_local_server

CONTESTFLOW = str(Path(sys.executable).with_name("contestflow"))


def _flow_runs(prefect_home: Path) -> int:
    database = prefect_home / "prefect.db"
    if not database.exists():
        return 0
    with sqlite3.connect(database) as connection:
        return int(connection.execute("select count(*) from flow_run").fetchone()[0])


def _advance(submission_id: int, prefect_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREFECT_HOME": str(prefect_home)}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run([CONTESTFLOW, "submission", "advance", str(submission_id), "--json"],
                          capture_output=True, text=True, env=env, timeout=300)


def _open(nomination: str) -> int:
    """An entry of UCLG 2028, which takes one application per government: an earlier one of
    this test is withdrawn first."""
    with session_scope() as session:
        for earlier in session.scalars(select(Submission).where(
                Submission.state != SubmissionState.WITHDRAWN)).all():
            withdraw(session, earlier.id, actor="test", reason="the next case")
        return open_submission(session, "uclg-culture21", "2028", nomination=nomination).id


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_commands_use_serves_prefect_server_and_fall_back_when_it_is_killed(
        workspace: Path, tmp_path: Path) -> None:
    serves_home, commands_home = tmp_path / "serve-prefect", tmp_path / "command-prefect"
    address = workspace / ADDRESS_FILE
    serve = subprocess.Popen(
        [CONTESTFLOW, "serve", "--port", "0", "--no-schedule"],
        env={**os.environ, "PREFECT_HOME": str(serves_home)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while not address.exists():
            assert serve.poll() is None, serve.stderr.read() if serve.stderr else ""
            assert time.monotonic() < deadline, "serve's Prefect server never answered"
            time.sleep(0.2)
        published = json.loads(address.read_text(encoding="utf-8"))
        assert published["pid"] == serve.pid
        assert answering_local_server() == published["api_url"]
        prefect_children = [
            pid for pid in _children(serve.pid)
            if "prefect.server.api.server" in _command_line(pid)]
        assert len(prefect_children) == 1

        on_serve = _open("first")
        done = _advance(on_serve, commands_home)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {"id": on_serve, "state": "collecting"}
        assert _flow_runs(serves_home) == 1  # the run is on serve's server
        assert _flow_runs(commands_home) == 0  # and the command started none of its own
        assert "Traceback" not in done.stderr
    finally:
        serve.send_signal(signal.SIGKILL)  # no clean-up: the address file stays behind
        serve.wait(30)

    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in prefect_children):  # it dies with its parent
        assert time.monotonic() < deadline, "serve's Prefect server outlived it"
        time.sleep(0.2)
    assert address.exists()
    assert answering_local_server() is None  # the address names a dead process

    fallen_back = _open("second")
    done = _advance(fallen_back, commands_home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"id": fallen_back, "state": "collecting"}
    assert _flow_runs(commands_home) == 1  # on an ephemeral server of its own
    assert _flow_runs(serves_home) == 1


def test_a_clean_stop_withdraws_the_address(workspace: Path, tmp_path: Path) -> None:
    address = workspace / ADDRESS_FILE
    serve = subprocess.Popen(
        [CONTESTFLOW, "serve", "--port", "0", "--no-schedule"],
        env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while not address.exists():
            assert serve.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        children = _children(serve.pid)
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(60)
    assert not address.exists()
    assert not any(_alive(pid) for pid in children)


def test_a_server_that_does_not_answer_in_time_is_not_published(
        workspace: Path, tmp_path: Path) -> None:
    serve = subprocess.Popen(
        [CONTESTFLOW, "serve", "--port", "0", "--no-schedule"],
        env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"),
             "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "0.01"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    assert serve.stderr is not None
    reader = threading.Thread(target=lambda: lines.extend(serve.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any("the local Prefect API server did not answer" in line for line in lines):
            assert serve.poll() is None and time.monotonic() < deadline, lines
            time.sleep(0.2)
        assert not (workspace / ADDRESS_FILE).exists()
        deadline = time.monotonic() + 30
        while any("prefect.server.api.server" in _command_line(pid)
                  for pid in _children(serve.pid)):  # given up on: stopped
            assert time.monotonic() < deadline, "the server that did not answer still runs"
            time.sleep(0.2)
        assert serve.poll() is None  # the web app goes on; its flows start their own server
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(60)


@pytest.mark.parametrize("content", ["", "{", '{"pid": "x"}', '{"pid": 1, "api_url": 5}'])
def test_an_unreadable_address_is_ignored(workspace: Path, content: str) -> None:
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / ADDRESS_FILE).write_text(content, encoding="utf-8")
    assert answering_local_server() is None


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
