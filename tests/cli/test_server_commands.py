"""`contestflow deploy` and `contestflow worker` without a Prefect server: one line saying
what to set, nothing started (tests/server/ runs them against a real server)."""

from __future__ import annotations

import pytest

from tests.cli.test_cli import assert_one_line_error, run


@pytest.mark.parametrize("command", [("deploy", "--json"), ("worker", "--pool", "contestflow")])
def test_without_a_server_they_say_what_to_set(command: tuple[str, ...],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTESTFLOW_PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = run(*command, ok=False)
    assert_one_line_error(result, "set CONTESTFLOW_PREFECT_API_URL")
