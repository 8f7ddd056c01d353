"""A database that never answers, or is not there, ends every command in bounded time with one
line on the CLI, and a JSON error (or a Russian page) on the web."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from contestflow.config import get_settings

CONTESTFLOW = str(Path(sys.executable).with_name("contestflow"))


@contextmanager
def silent_database() -> Iterator[int]:
    """A TCP listener on 127.0.0.1 that accepts every connection and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once closed


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"CONTESTFLOW_DATABASE_URL": url, "CONTESTFLOW_DB_CONNECT_TIMEOUT": "2"}
    # The timeout only stops a hung test; the command must end long before it.
    return subprocess.run([CONTESTFLOW, *args], capture_output=True, text=True, env=env,
                          timeout=90)


@pytest.mark.parametrize("command", [["submission", "status", "1"],
                                     ["submission", "open", "uclg-culture21", "--edition",
                                      "2028"]])
def test_a_database_that_never_answers_gives_one_line(command: list[str]) -> None:
    with silent_database() as port:
        done = _run(f"postgresql://app@127.0.0.1:{port}/contestflow", *command)
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line == (f"error: the database at 127.0.0.1:{port}/contestflow did not answer in "
                    "time (2 s): nothing was saved; check that it runs and is reachable, then "
                    "try again")


def test_postgresql_on_a_closed_port_gives_one_line() -> None:
    port = closed_port()
    done = _run(f"postgresql://app:secret@127.0.0.1:{port}/contestflow", "submission", "status",
                "1")
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: cannot reach the database at 127.0.0.1:{port}/contestflow: ")
    assert "Connection refused" in line and "secret" not in line and "sqlalche.me" not in line


def test_the_web_app_answers_a_lost_database_in_json_and_in_russian(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from contestflow.web.app import create_app

    with TestClient(create_app()) as client, silent_database() as port:
        # The database stops answering after the app started.
        monkeypatch.setenv("CONTESTFLOW_DATABASE_URL", f"postgresql://app@127.0.0.1:{port}/x")
        monkeypatch.setenv("CONTESTFLOW_DB_CONNECT_TIMEOUT", "1")
        get_settings.cache_clear()
        upload = client.post("/intake/1", params={"token": "t"}, files={"file": ("a.docx", b"x")},
                             headers={"Accept": "application/json"})
        assert upload.status_code == 503
        assert upload.json()["error"] == "database_timeout"
        assert upload.json()["message"].startswith(f"база данных 127.0.0.1:{port}/x не ответила")
        page = client.get("/intake/1", params={"token": "t"})
        assert page.status_code == 503 and "не ответила вовремя" in page.text


def test_a_full_database_is_said_to_be_full(workspace: Path) -> None:
    """SQLite's own "database or disk is full" (a page limit stands in for the disk)."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from contestflow.db.faults import database_fault
    from contestflow.db.session import make_engine

    engine = make_engine(f"sqlite:///{workspace / 'full.db'}")
    with pytest.raises(OperationalError) as raised, engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA max_page_count=8")
        connection.execute(text("CREATE TABLE t (b BLOB)"))
        connection.execute(text("INSERT INTO t VALUES (zeroblob(100000))"))
    fault = database_fault(raised.value)
    assert fault is not None and fault.kind == "full"
    assert fault.message_in("ru").startswith("на диске рабочей папки или базы данных")
    engine.dispose()
