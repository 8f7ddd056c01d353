"""Running catalogued workflows from the command line, as one line when they fail."""

from __future__ import annotations

from typing import Any

from contestflow.cli.common import fail, say
from contestflow.i18n import N_


def run_workflow(name: str, parameters: dict[str, Any]) -> Any:
    from flows.run import run_workflow as start

    try:
        return start(name, parameters)
    except Exception as error:  # the flow's own failure, shown as one line
        fail(say(N_("%(workflow)s failed: %(error)s"), workflow=name, error=error))
