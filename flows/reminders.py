"""The reminders flow, on a schedule: deliver mail; in working hours, remind and summarise.

Every part is idempotent (deduplicated in the outbox), so the schedule can tick as often as
delivery needs (every 15 minutes) without anyone receiving a reminder twice.
"""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger

from contestflow.intake.reminders import DEFAULT_OFFSETS, in_working_hours
from tasks import notify as steps


@flow(name="send-reminders", log_prints=False)
def send_reminders(
    offsets: list[int] | None = None,
    today: dt.date | None = None,
    coordinator_email: str | None = None,
    any_hour: bool = False,
) -> dict[str, int]:
    """Queue today's reminders and late summary (weekdays 9–18 in the city's time unless
    ``any_hour``), then deliver everything due; returns the counts."""
    logger = get_run_logger()
    queued = summaries = 0
    if any_hour or today is not None or in_working_hours():
        queued = steps.queue_reminders(list(offsets or DEFAULT_OFFSETS), today)
        summaries = int(steps.queue_late_summary(today, coordinator_email))
    delivered = steps.deliver_outbox()
    logger.info("reminders queued: %s, summaries: %s, delivered: %s", queued, summaries, delivered)
    return {"reminders": queued, "summaries": summaries, "delivered": delivered}
