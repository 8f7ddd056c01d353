"""`make demo-server` without PostgreSQL: one line that says what it needs, exit 2, nothing
started (tests/server/ runs the same stack for real)."""

from __future__ import annotations

import os
import subprocess
import sys

from contestflow.config import REPOSITORY_ROOT


def test_without_postgresql_it_says_so_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "demo.server"], capture_output=True, text=True, timeout=120,
        cwd=REPOSITORY_ROOT, env={**os.environ, "CONTESTFLOW_POSTGRES_ADMIN_URL":
                                  "postgresql://postgres@127.0.0.1:1/postgres"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "needs PostgreSQL" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
