"""Starting a catalogued workflow: the one place the CLI, the web app and the demo go through.

It picks the executor from configuration (in-process, or a Prefect server's workers) and keeps
Prefect's internals out of the user's terminal.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path
from typing import Any

import yaml

from contestflow.config import Settings, get_settings, prepare_prefect_environment
from contestflow.files import write_atomically
from flows.catalogue import ADVANCE_SUBMISSION, get_workflow
from flows.executor import get_executor
from flows.local_server import start_local_server, stop_local_server, use_local_server


def run_workflow(name: str, parameters: dict[str, Any]) -> Any:
    """Run the catalogued workflow ``name`` with ``parameters`` and return its result."""
    answer = answer_at_once(name, parameters)
    if answer is not None:
        return answer
    executor = get_executor()
    use_local_server()  # `contestflow serve`'s Prefect server, when it runs: no start-up here
    quiet_prefect()
    return executor.run(get_workflow(name), parameters)


def keep_local_server(settings: Settings | None = None) -> str | None:
    """Keep a Prefect API server for this process's flows and the workspace's commands while
    this process runs (`contestflow serve`); see flows/local_server.py. Returns its address."""
    settings = settings or get_settings()
    if settings.prefect_api_url:
        return None
    prepare_prefect_environment(settings)
    quiet_prefect()  # before PREFECT_API_URL is set: the server's own logging is quietened too
    return start_local_server(settings)


def answer_at_once(name: str, parameters: dict[str, Any]) -> Any | None:
    """What the workflow would return, when the application database shows that a run would
    do nothing; None when it has to run.

    Starting Prefect costs seconds on each command (its ephemeral API server starts with the
    process); asking the database costs milliseconds. Only ``advance-submission`` has such an
    answer, and only where ``steps.state_if_idle`` can prove it equal to the flow's; the run
    history in Prefect then has no entry for a run that would have changed nothing.
    """
    if name != ADVANCE_SUBMISSION.name:
        return None
    submission_id = parameters.get("submission_id")
    if type(submission_id) is not int:  # the flow's own validation decides about the rest
        return None
    from contestflow.db import session_scope
    from contestflow.submission.steps import state_if_idle

    with session_scope(read_only=True) as session:
        return state_if_idle(session, submission_id)


def stop_embedded_server() -> None:
    """Stop the local Prefect API server this process keeps (`contestflow serve`), or
    Prefect's ephemeral one, the child process the first in-process flow run of this process
    started, if one did (with a configured server there is none).

    Prefect stops it at interpreter exit; a process told to stop (SIGTERM) must not wait for
    exit, which first waits for every running background thread.
    """
    import sys

    stop_local_server()
    if "prefect.server.api.server" not in sys.modules:
        return  # no flow ran here: nothing started, and importing Prefect's server costs ~1 s
    from prefect.server.api.server import SubprocessASGIServer

    # Prefect keeps its servers by port in this class attribute; ``stop`` removes each one.
    for server in list(SubprocessASGIServer._instances.values()):
        server.stop()


def quiet_prefect() -> None:
    """Keep Prefect's internals out of the user's terminal.

    The ephemeral API server runs in a subprocess and, as it shuts down, logs cancelled event
    flushes, SQLite "database is locked" errors and cancelled connection resets with
    tracebacks: harmless, and nothing a user can act on. Only its critical errors are shown;
    a real server (``PREFECT_API_URL`` set) logs as configured.
    """
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if not os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
        if "PREFECT_LOGGING_SETTINGS_PATH" not in os.environ:
            os.environ["PREFECT_LOGGING_SETTINGS_PATH"] = str(_write_quiet_logging_config())
    contestflow_logger = logging.getLogger("contestflow")
    if contestflow_logger.level == logging.NOTSET:
        # Set here, not inherited from the root, so our own warnings survive the quieter root.
        contestflow_logger.setLevel(logging.WARNING)


def _write_quiet_logging_config() -> Path:
    """Prefect's own logging file, with the loggers no ``PREFECT_LOGGING_*`` variable reaches.

    SQLAlchemy pins its logger at WARNING on import, and the root logger carries asyncio's and
    other libraries' shutdown noise; Prefect only lets variables override keys its file already
    has, so the server gets a copy of the installed file with those two raised.
    """
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.submodule_search_locations
    default = Path(spec.submodule_search_locations[0]) / "logging" / "logging.yml"
    config = yaml.safe_load(default.read_text(encoding="utf-8"))
    config["loggers"]["sqlalchemy"] = {"level": "CRITICAL"}
    config["root"]["level"] = "CRITICAL"
    prefect_home = Path(os.environ.get("PREFECT_HOME") or get_settings().prefect_home)
    prefect_home.mkdir(parents=True, exist_ok=True)
    target = prefect_home / "logging.yml"
    # Written whole and renamed: several processes may start at once and all read this file.
    return write_atomically(target, yaml.safe_dump(config, allow_unicode=True).encode("utf-8"))
