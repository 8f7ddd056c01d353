"""Tasks of the reminders flow: each opens its own transaction and retries on a hiccup."""

from __future__ import annotations

import datetime as dt

from prefect import task

from contestflow.db import session_scope
from contestflow.intake import reminders
from contestflow.notify import deliver_due

DELIVERY_BATCH = 20


@task(name="queue-reminders", retries=2, retry_delay_seconds=10)
def queue_reminders(offsets: list[int], today: dt.date | None = None) -> int:
    with session_scope() as session:
        return reminders.queue_reminders(session, today=today, offsets=offsets)


@task(name="queue-late-summary", retries=2, retry_delay_seconds=10)
def queue_late_summary(today: dt.date | None = None, to: str | None = None) -> bool:
    with session_scope() as session:
        return reminders.queue_late_summary(session, today=today, to=to)


@task(name="deliver-outbox", retries=3, retry_delay_seconds=[10, 60, 300])
def deliver_outbox() -> int:
    """Deliver every due message; no transaction stays open while a message is sent."""
    return deliver_due(DELIVERY_BATCH)
