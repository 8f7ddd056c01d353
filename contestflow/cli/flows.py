"""Running catalogued workflows from the command line, quietly and without tracebacks."""

from __future__ import annotations

import logging
import os
from typing import Any

from contestflow.cli.common import fail


class _DropShutdownNoise(logging.Filter):
    """Prefect's ephemeral server logs harmless 'database is locked' errors at shutdown."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += str(record.exc_info[1])
        return "database is locked" not in text


def quiet_prefect() -> None:
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "ERROR")
    noise = _DropShutdownNoise()
    for name in (
        "prefect",
        "prefect.server",
        "prefect.server.services",
        "uvicorn.error",
        "sqlalchemy.pool",
        "prefect.server.api.server",
        "",
    ):
        logging.getLogger(name).addFilter(noise)


def run_workflow(name: str, parameters: dict[str, Any]) -> Any:
    from flows.catalogue import get_workflow
    from flows.executor import get_executor

    executor = get_executor()
    quiet_prefect()
    try:
        return executor.run(get_workflow(name), parameters)
    except Exception as error:  # the flow's own failure, shown as one line
        fail(f"{name} failed: {error}")
