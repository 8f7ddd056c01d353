"""Work the web app starts but never waits for: advancing a submission, delivering mail, and
(in the embedded mode) the reminders schedule.

An upload's answer never depends on any of it: each job runs on one worker thread, errors are
logged, and a submission already queued for advancing is not queued twice. What an upload or
a decision promised is also on record in the database (``contestflow.advances``): the queue
here only makes it quick, and the sweep at start and every ``pending_interval`` seconds pays
what a stopped server still owed.

With a Prefect server (``announce`` given) nothing runs here: ``advance`` emits the event
that the ``advance-submission`` deployment's trigger answers with a run on a worker, which
settles the record itself; the server's ``advance-pending`` schedule asks again for what an
event lost, so there is no sweep here either.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

logger = logging.getLogger("contestflow.web")

AdvanceRunner = Callable[[int], Any]
Job = Callable[[], Any]


def run_advance_workflow(submission_id: int) -> Any:
    """Run the catalogued advance-submission workflow (in-process or on a Prefect server)."""
    from flows.catalogue import ADVANCE_SUBMISSION
    from flows.run import run_workflow

    return run_workflow(ADVANCE_SUBMISSION.name, {"submission_id": submission_id})


def deliver_outbox() -> int:
    from contestflow.notify import deliver_due

    return deliver_due()


def run_reminders_workflow() -> Any:
    from flows.run import run_workflow

    return run_workflow("send-reminders", {})


class Background:
    """One worker thread for follow-up jobs; ``advance`` coalesces repeated requests."""

    def __init__(self, advance: AdvanceRunner | None = None, deliver: Job | None = None,
                 reminders: Job | None = None, reminder_interval: float | None = None,
                 pending_interval: float | None = None,
                 announce: AdvanceRunner | None = None) -> None:
        self._advance = advance or run_advance_workflow
        self._announce = announce
        self._deliver = deliver or deliver_outbox
        self._reminders = reminders or run_reminders_workflow
        self._interval = reminder_interval
        self._pending_interval = pending_interval
        self._sweeper: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="contestflow-bg")
        self._queued: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    @property
    def announces(self) -> bool:
        """True on a server: ``advance`` queues a run on its workers rather than running."""
        return self._announce is not None

    def advance(self, submission_id: int) -> Future[Any] | None:
        """Queue the submission flow for ``submission_id`` unless it is already queued."""
        with self._lock:
            if submission_id in self._queued:
                return None
            self._queued.add(submission_id)

        def job() -> Any:
            from contestflow.advances import advance_now

            with self._lock:
                self._queued.discard(submission_id)
            if self._announce is not None:  # a server's worker runs it and settles the record
                return self._announce(submission_id)
            return advance_now(self._advance, submission_id)

        return self._submit(f"advance submission {submission_id}", job)

    def advance_pending(self) -> Future[Any]:
        """Queue one pass over what the database says is owed (skipping what is queued)."""
        def job() -> Any:
            from contestflow.advances import advance_pending

            with self._lock:
                queued = set(self._queued)
            return advance_pending(self._advance, skip=queued)

        return self._submit("advance what is pending", job)

    def start_pending_sweep(self) -> None:
        """Pay what is owed now, then every ``pending_interval`` seconds (embedded mode)."""
        if (self._pending_interval is None or self._sweeper is not None
                or self._announce is not None):
            return
        self.advance_pending()

        def sweep() -> None:
            while not self._stop.wait(self._pending_interval):
                try:
                    self.advance_pending()
                except RuntimeError:  # the pool was shut down meanwhile: the server stops
                    return

        self._sweeper = threading.Thread(target=sweep, name="contestflow-pending", daemon=True)
        self._sweeper.start()

    def deliver(self) -> Future[Any]:
        return self._submit("deliver the outbox", self._deliver)

    def _submit(self, what: str, job: Job) -> Future[Any]:
        def guarded() -> Any:
            try:
                return job()
            except Exception:  # never let a follow-up job take the web app down
                logger.exception("background job failed: %s", what)
                return None

        return self._pool.submit(guarded)

    def start_schedule(self) -> None:
        """Send reminders and deliver mail every ``reminder_interval`` seconds (embedded mode:
        with a Prefect server, its scheduler runs the catalogued deployment instead)."""
        if self._interval is None or self._ticker is not None:
            return

        def tick() -> None:
            while not self._stop.wait(self._interval):
                self._submit("send reminders", self._reminders)

        self._ticker = threading.Thread(target=tick, name="contestflow-schedule", daemon=True)
        self._ticker.start()

    def shutdown(self, wait: bool = True) -> None:
        self._stop.set()
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
