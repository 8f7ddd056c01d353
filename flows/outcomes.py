"""What a finished run achieved, read from the application database and the workspace.

The deployment executor answers with these instead of the flow's return value (a worker's
return value stays in the worker unless result persistence is on); the in-process executor's
answers equal them, which the executors' shared contract test holds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.lifecycle import get_submission


def submission_state(parameters: dict[str, Any]) -> str:
    """The state the submission waits in."""
    with session_scope(read_only=True) as session:
        return get_submission(session, int(parameters["submission_id"])).state


def report_index(parameters: dict[str, Any]) -> str:
    """The report's index.html, where the flow wrote it (its folder is on the shared store)."""
    out_dir = parameters.get("out_dir") or str(
        get_settings().home / "reports" / f"results-{dt.date.today().isoformat()}")
    return str(Path(out_dir) / "index.html")
