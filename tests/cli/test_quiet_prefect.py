"""The ephemeral server's shutdown noise stays out of the terminal; our own warnings do not."""

from __future__ import annotations

import os
import subprocess
import sys

# Runs in a fresh interpreter, as the ephemeral server does, configuring logging the way
# Prefect does there: from the environment that quiet_prefect() prepared.
SCRIPT = """
import logging
from flows.run import quiet_prefect
quiet_prefect()
from prefect.logging.configuration import setup_logging
setup_logging()
logging.getLogger("sqlalchemy.pool.impl.AsyncAdaptedQueuePool").error(
    "Exception during reset or similar", exc_info=RuntimeError("cancelled")
)
logging.getLogger("contestflow.notify").warning("delivery postponed: SMTP refused")
"""


def test_pool_reset_noise_is_hidden_and_our_warnings_are_kept(tmp_path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PREFECT_LOGGING") and key != "PREFECT_API_URL"
    }
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Exception during reset" not in result.stderr
    assert "Traceback" not in result.stderr
    assert "delivery postponed: SMTP refused" in result.stderr


def test_a_configured_server_logs_as_configured(tmp_path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_LOGGING")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    env["PREFECT_API_URL"] = "http://127.0.0.1:9/api"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Exception during reset" in result.stderr
