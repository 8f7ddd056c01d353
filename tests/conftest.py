"""Shared fixtures: a fresh workspace per test, and the database backends to run against.

Every test that takes ``database_url`` runs on a new SQLite file and, when PostgreSQL answers
on 127.0.0.1:5432, on a new PostgreSQL database too. Under CI (CI=true) a missing PostgreSQL
is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Typer says the help texts when the commands are imported, before any fixture runs: the tests
# read them in English, like the rest of the output (see `workspace`). tests/cli/
# test_russian_cli.py reads the Russian help from a process of its own.
os.environ["CONTESTFLOW_LANGUAGE"] = "en"

POSTGRES_ADMIN_URL = os.environ.get(
    "CONTESTFLOW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
_postgres_state: dict[str, object] = {}


def postgres_available() -> tuple[bool, str]:
    if "ok" not in _postgres_state:
        try:
            import psycopg

            conninfo = POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(conninfo, connect_timeout=3):
                pass
            _postgres_state.update(ok=True, why="")
        except Exception as error:  # any failure means: not usable here
            _postgres_state.update(ok=False, why=str(error).splitlines()[0])
    return bool(_postgres_state["ok"]), str(_postgres_state["why"])


def pytest_report_header(config: pytest.Config) -> list[str]:
    ok, why = postgres_available()
    backends = "sqlite, postgresql" if ok else f"sqlite only (PostgreSQL unreachable: {why})"
    return [f"contestflow database backends: {backends}"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    ok, why = postgres_available()
    terminalreporter.write_line(
        "database backends exercised: sqlite"
        + (", postgresql" if ok else f" (postgresql skipped: {why})")
    )


@pytest.fixture(scope="session", autouse=True)
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One Prefect home for the whole run: its ephemeral database is created once, not per test."""
    home = tmp_path_factory.mktemp("prefect-home")
    previous = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(home)
    yield home
    if previous is None:
        os.environ.pop("PREFECT_HOME", None)
    else:
        os.environ["PREFECT_HOME"] = previous


@pytest.fixture(scope="session")
def prefect_api(prefect_home: Path) -> Iterator[None]:
    """Prefect's test API for in-process flow tests, started once for the whole run (~10 s)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from flows.run import quiet_prefect

    quiet_prefect()
    with prefect_test_harness(), temporary_settings(
        updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    ):
        yield


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh CONTESTFLOW_HOME for every test; nothing touches the repository's workspace."""
    from contestflow.config import get_settings
    from contestflow.db.session import dispose_engines

    home = tmp_path / "workspace"
    monkeypatch.setenv("CONTESTFLOW_HOME", str(home))
    monkeypatch.delenv("CONTESTFLOW_DATABASE_URL", raising=False)
    # LibreOffice takes seconds a package: only the tests about PDF copies ask for them.
    monkeypatch.setenv("CONTESTFLOW_PDF_COPIES", "false")
    # The command line speaks Russian by default; the tests read its English (tests/cli/
    # test_russian_cli.py reads the Russian).
    monkeypatch.setenv("CONTESTFLOW_LANGUAGE", "en")
    get_settings.cache_clear()
    yield home
    dispose_engines()
    get_settings.cache_clear()


def _create_postgres_database() -> tuple[str, str]:
    import psycopg

    name = f"cf_test_{uuid.uuid4().hex[:12]}"
    conninfo = POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_postgres_database(name: str) -> None:
    import psycopg

    conninfo = POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh, empty database of each backend, also set as CONTESTFLOW_DATABASE_URL."""
    from contestflow.config import get_settings
    from contestflow.db.session import dispose_engines

    if request.param == "sqlite":
        url = f"sqlite:///{workspace / 'test.db'}"
        name = None
    else:
        ok, why = postgres_available()
        if not ok:
            if IN_CI:
                pytest.fail(f"PostgreSQL is required under CI and is unreachable: {why}")
            pytest.skip(f"PostgreSQL unreachable: {why}")
        name, url = _create_postgres_database()
    monkeypatch.setenv("CONTESTFLOW_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    dispose_engines()
    if name:
        _drop_postgres_database(name)
