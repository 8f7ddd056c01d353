"""Server benchmark: submissions advanced by event-triggered runs on a Prefect server.

    .venv/bin/python benchmarks/bench_server.py [--sizes 1,5,20] [--workers 1,2]

On one stack (demo/stack.py: `prefect server start` on PostgreSQL, the application database
on PostgreSQL, `contestflow deploy`, `contestflow worker` processes), for each number of
workers and each number of submissions: open that many submissions, emit one event each
(what an upload or a decision does), and time until every one has been advanced (its
requests sent, in ``collecting``) and nothing is owed any more.

Baseline, measured in the same run: the same work without Prefect (the core's steps called
in this process, the same PostgreSQL database). The orchestration cost per task is the time a
submission took through the server, less the baseline's time for it, divided by the flow
run's tasks; the ratios say how many times the baseline's time each measurement is.

Needs PostgreSQL at 127.0.0.1:5432 (CONTESTFLOW_POSTGRES_ADMIN_URL); skipped with a line
saying so when it does not answer, so `make bench` still runs the others.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CONTEST, EDITION = "iac-city-to-live", "2027"
WAIT_SECONDS = 900.0
# advance-submission in collecting: read-state, start-collecting, read-state, deliver-outbox
TASKS_A_RUN = 4


def open_submissions(count: int, first_nomination: int) -> list[int]:
    """``count`` submissions; each its own nomination text (one edition takes one each)."""
    from contestflow.db import session_scope
    from contestflow.submission.opening import open_submission

    ids = []
    with session_scope() as session:
        for number in range(count):
            ids.append(open_submission(session, CONTEST, EDITION,
                                       nomination=f"bench {first_nomination + number}").id)
    return ids


def wait_collecting(ids: list[int]) -> None:
    from sqlalchemy import func, select

    from contestflow.db import session_scope
    from contestflow.db.models import PendingAdvance, Submission

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with session_scope(read_only=True) as session:
            moved = session.scalar(select(func.count()).select_from(Submission).where(
                Submission.id.in_(ids), Submission.state == "collecting"))
            owed = session.scalar(select(func.count()).select_from(PendingAdvance).where(
                PendingAdvance.submission_id.in_(ids), PendingAdvance.done_at.is_(None)))
        if moved == len(ids) and not owed:
            return
        time.sleep(0.2)
    raise SystemExit(f"not advanced in {WAIT_SECONDS:g} s")


def owe(ids: list[int]) -> None:
    """What an upload does in its transaction: the advance is owed."""
    from contestflow.advances import owe_advance
    from contestflow.db import session_scope

    with session_scope() as session:
        for submission_id in ids:
            owe_advance(session, submission_id, "advance.requested")


def baseline(count: int, start: int) -> float:
    """The same advance, without Prefect: the core's steps in this process."""
    from contestflow.notify import deliver_due
    from tests.flow_steps import run_steps

    ids = open_submissions(count, start)
    began = time.perf_counter()
    for submission_id in ids:
        run_steps(submission_id)
    deliver_due()
    return time.perf_counter() - began


def through_server(count: int, start: int) -> float:
    from flows.events import announce

    ids = open_submissions(count, start)
    owe(ids)
    began = time.perf_counter()
    for submission_id in ids:
        announce(submission_id)
    wait_collecting(ids)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,5,20")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    worker_counts = [int(n) for n in args.workers.split(",")]

    from demo.stack import PostgresUnavailable, server_stack

    with tempfile.TemporaryDirectory(prefix="bench-server-") as folder:
        try:
            stack_context = server_stack(Path(folder), workers=worker_counts[0],
                                         extra_env={"CONTESTFLOW_MT_PROVIDER": "none",
                                                    "CONTESTFLOW_PDF_COPIES": "false"})
            began = time.perf_counter()
            stack = stack_context.__enter__()
        except PostgresUnavailable as error:
            print(f"skipped: PostgreSQL does not answer ({error})")
            return
        try:
            print(f"stack up in {time.perf_counter() - began:.1f} s "
                  f"(server, deploy, {worker_counts[0]} worker(s))")
            nomination = 0
            # Warm-up: the first run of each worker pays its imports; not what is measured.
            through_server(1, nomination)
            nomination += 1
            base = {}
            for size in sizes:
                base[size] = baseline(size, nomination)
                nomination += size
            print(f"{'workers':>7} {'subm.':>5} {'server s':>9} {'baseline s':>10} "
                  f"{'ratio':>7} {'per subm. s':>11} {'orch./task s':>12}")
            for workers in worker_counts:
                while len(stack.workers) < workers:
                    stack.start_worker(f"worker-{len(stack.workers) + 1}")
                for size in sizes:
                    took = through_server(size, nomination)
                    nomination += size
                    per = took / size
                    orchestration = (took - base[size]) / size / TASKS_A_RUN
                    print(f"{workers:>7} {size:>5} {took:>9.2f} {base[size]:>10.3f} "
                          f"{took / base[size]:>7.0f}x {per:>11.2f} {orchestration:>12.2f}",
                          flush=True)
        finally:
            stack_context.__exit__(None, None, None)


if __name__ == "__main__":
    main()
