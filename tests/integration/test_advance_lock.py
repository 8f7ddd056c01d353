"""One advance at a time per submission across processes (server mode): the PostgreSQL
advisory lock that a deployment run of advance-submission holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from contestflow.advances import one_run_at_a_time


def _postgres_only(url: str) -> None:
    if not url.startswith("postgresql"):
        pytest.skip("SQLite is the one-process embedded default: there is nothing to hold")


def test_a_second_run_waits_for_the_first(database_url: str) -> None:
    _postgres_only(database_url)
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with one_run_at_a_time(7):
            order.append("first in")
            inside.set()
            time.sleep(1.0)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(30)
    with one_run_at_a_time(7):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]
    with one_run_at_a_time(8), one_run_at_a_time(7):
        pass  # another submission's lock is another lock; a released one is free


def test_a_killed_holder_does_not_keep_the_submission(database_url: str) -> None:
    """A worker SIGKILLed while it holds the lock: PostgreSQL ends its session, and with it
    the lock, so the next run for that submission is not held up."""
    _postgres_only(database_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time\nfrom contestflow.advances import "
         "one_run_at_a_time\nwith one_run_at_a_time(9):\n    print('held', flush=True)\n"
         "    time.sleep(600)\n"],
        stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        got = threading.Event()

        def take() -> None:
            with one_run_at_a_time(9):
                got.set()

        waiter = threading.Thread(target=take, daemon=True)
        waiter.start()
        assert not got.wait(1.5), "the lock was not held by the other process"
        os.kill(holder.pid, signal.SIGKILL)
        assert got.wait(30), "the killed process's lock was never released"
    finally:
        holder.kill()
        holder.wait()
