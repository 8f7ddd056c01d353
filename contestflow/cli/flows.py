"""Running catalogued workflows from the command line, quietly and without tracebacks."""

from __future__ import annotations

import os
from typing import Any

from contestflow.cli.common import fail


def quiet_prefect() -> None:
    """Keep Prefect's internals out of the user's terminal.

    The ephemeral API server runs in a subprocess and, as it shuts down, logs cancelled event
    flushes and SQLite "database is locked" errors with tracebacks: harmless, and nothing a
    user can act on. Only its critical errors are shown; a real server logs as configured.
    """
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if not os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


def run_workflow(name: str, parameters: dict[str, Any]) -> Any:
    from flows.catalogue import get_workflow
    from flows.executor import get_executor

    executor = get_executor()
    quiet_prefect()
    try:
        return executor.run(get_workflow(name), parameters)
    except Exception as error:  # the flow's own failure, shown as one line
        fail(f"{name} failed: {error}")
