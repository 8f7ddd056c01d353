"""A whole server setup on this machine: a Prefect server on PostgreSQL, the application
database on PostgreSQL, a process work pool, the deployments and workers, all started as
child processes and stopped again (``make demo-server``, tests/server/, the server benchmark).

Each part is what production runs (``prefect server start``, ``contestflow deploy``,
``contestflow worker``), only on a free loopback port and in databases of their own, made for
the run and dropped after it.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ADMIN_URL = os.environ.get("CONTESTFLOW_POSTGRES_ADMIN_URL",
                           "postgresql://postgres@127.0.0.1:5432/postgres")
POOL = "contestflow"
SERVER_START_SECONDS = 180.0  # first start migrates Prefect's database: slow on 2 busy cores
BIN = Path(sys.executable).parent


class PostgresUnavailable(RuntimeError):
    """PostgreSQL does not answer at the admin address."""


def postgres_answers(admin_url: str = ADMIN_URL) -> tuple[bool, str]:
    import psycopg

    try:
        with psycopg.connect(admin_url, connect_timeout=3):
            return True, ""
    except Exception as error:  # unreachable, refused, no such role: all "not here"
        return False, str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


def _admin(statement: str, admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


def _with_database(admin_url: str, name: str, driver: str) -> str:
    rest = admin_url.split("://", 1)[1]
    base = rest.rsplit("/", 1)[0]
    return f"postgresql+{driver}://{base}/{name}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    home: Path
    api_url: str
    app_database_url: str
    env: dict[str, str]
    pool: str = POOL
    server: subprocess.Popen[bytes] | None = None
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: Path = Path()

    @property
    def workspace(self) -> Path:
        """CONTESTFLOW_HOME of every process here: the store, packages, outbox (shared)."""
        return Path(self.env["CONTESTFLOW_HOME"])

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        """``contestflow worker`` in a process group of its own (its flow runs are children)."""
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        process = subprocess.Popen(
            [str(BIN / "contestflow"), "worker", "--pool", self.pool, "--name", name],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.workers[name] = process
        return process

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker and every process under it (its flow runs, which Prefect
        starts in sessions of their own): a machine that went away."""
        process = self.workers.pop(name)
        for pid in [process.pid, *descendants(process.pid)]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(10)

    def flow_runs(self, flow_name: str | None = None) -> list[Any]:
        """Every flow run the server knows (of ``flow_name``), oldest first."""
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import FlowFilter, FlowFilterName
        from prefect.client.schemas.sorting import FlowRunSort

        with get_client(sync_client=True) as client:
            flows = FlowFilter(name=FlowFilterName(any_=[flow_name])) if flow_name else None
            return client.read_flow_runs(flow_filter=flows, sort=FlowRunSort.START_TIME_ASC,
                                         limit=200)

    def flow_names(self) -> dict[Any, str]:
        """Each flow's name by its id (a flow run names its flow by id only)."""
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            return {flow.id: flow.name for flow in client.read_flows(limit=200)}

    def run_deployment(self, workflow: str, parameters: dict[str, Any],
                       timeout: float = 300) -> Any:
        from prefect.deployments import run_deployment

        return run_deployment(name=f"{workflow}/{workflow}", parameters=parameters,
                              timeout=timeout)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first found, then theirs), from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def worker_of(flow_run: Any) -> str:
    """The worker that ran ``flow_run`` (the label Prefect's worker gives each run it takes)."""
    return str((flow_run.labels or {}).get("prefect.worker.name", "?"))


def _wait_healthy(api_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"prefect server start exited ({server.returncode}); see {log}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not answer in {SERVER_START_SECONDS:g} s; "
                       f"see {log}")


def _stop(process: subprocess.Popen[bytes] | None, group: bool) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        if group:
            # The worker passes SIGTERM on to its flow runs (in sessions of their own).
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        process.wait(20)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        if group:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(10)


@contextmanager
def server_stack(home: Path, workers: int = 2, *, admin_url: str = ADMIN_URL,
                 extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Start everything, yield it, stop and drop everything (also on failure).

    This process's environment is pointed at the stack for the ``with`` block (Prefect client
    and application database), so the caller's own calls go where the workers' go.
    """
    ok, why = postgres_answers(admin_url)
    if not ok:
        raise PostgresUnavailable(why)
    tag = secrets.token_hex(4)
    prefect_db, app_db = f"cf_prefect_{tag}", f"cf_app_{tag}"
    home.mkdir(parents=True, exist_ok=True)
    logs = home / "logs"
    logs.mkdir(exist_ok=True)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    app_url = _with_database(admin_url, app_db, "psycopg")
    env = {**os.environ, **(extra_env or {})}
    env.update({
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        # Workers look for new runs every second, not every fifteen: the demo and tests wait.
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_HEARTBEAT_SECONDS": "5",
        "CONTESTFLOW_HOME": str(home / "workspace"),
        "CONTESTFLOW_DATABASE_URL": app_url,
        "CONTESTFLOW_PREFECT_API_URL": api_url,
        "CONTESTFLOW_LANGUAGE": env.get("CONTESTFLOW_LANGUAGE", "ru"),
    })
    env.pop("PREFECT_LOGGING_SETTINGS_PATH", None)
    env.pop("PREFECT_PROFILES_PATH", None)
    server_env = {**env, "PREFECT_API_DATABASE_CONNECTION_URL":
                  _with_database(admin_url, prefect_db, "asyncpg")}
    saved = {name: os.environ.get(name) for name in env}
    _stop_on_sigterm()
    stack = Stack(home=home, api_url=api_url, app_database_url=app_url, env=env, logs=logs)
    _admin(f'CREATE DATABASE "{prefect_db}"', admin_url)
    _admin(f'CREATE DATABASE "{app_db}"', admin_url)
    try:
        server_log = logs / "prefect-server.log"
        with open(server_log, "ab") as log:
            stack.server = subprocess.Popen(
                [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                 "--port", str(port), "--no-ui"],
                env=server_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_healthy(api_url, stack.server, server_log)
        os.environ.update(env)
        _reset_process_caches()
        deployed = subprocess.run(
            [str(BIN / "contestflow"), "deploy", "--pool", POOL, "--json"], env=env,
            capture_output=True, text=True, timeout=300)
        if deployed.returncode != 0:
            raise RuntimeError(f"contestflow deploy failed: {deployed.stderr.strip()}")
        for number in range(1, workers + 1):
            stack.start_worker(f"worker-{number}")
        yield stack
    finally:
        for process in list(stack.workers.values()):
            below = descendants(process.pid)
            _stop(process, group=True)
            for pid in below:  # a flow run the worker left behind: nothing may outlive us
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        _stop(stack.server, group=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _reset_process_caches()
        for database in (prefect_db, app_db):
            try:
                _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', admin_url)
            except Exception as error:  # left behind: say so, never hide the run's own error
                print(f"could not drop database {database}: {error}", file=sys.stderr)


def _stop_on_sigterm() -> None:
    """SIGTERM ends the caller the way Ctrl-C does, through ``finally``: the server, the
    workers and the databases are stopped and dropped rather than left behind."""
    import threading

    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _reset_process_caches() -> None:
    """This process's settings and engines follow the environment just changed."""
    from contestflow.config import get_settings
    from contestflow.db.session import dispose_engines

    get_settings.cache_clear()
    dispose_engines()
    if "prefect.settings" in sys.modules:
        # Prefect reads its settings from the environment on each access of the context's
        # settings; the cached profile-based context must be rebuilt for the new API URL.
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()
