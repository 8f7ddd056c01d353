"""The results flows: reminding the coordinator of overdue results, and the yearly report.

Thin: each calls the core (contestflow.results) through tasks and ends; a schedule runs the
tracker again tomorrow, nothing waits inside a run.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from prefect import flow, get_run_logger

from contestflow.config import get_settings
from tasks import results as steps


@flow(name="track-results", log_prints=False)
def track_results(today: dt.date | None = None, to: str | None = None) -> list[int]:
    """List sent submissions past the organiser's announcement date without a result, and
    remind the coordinator; returns their ids."""
    logger = get_run_logger()
    found = steps.remind_awaiting(today, to)
    ids = [item["submission_id"] for item in found["awaiting"]]
    if ids:
        steps.publish_awaiting(found["awaiting"])
        logger.info(
            "%d result(s) overdue: %s; reminder %s",
            len(ids),
            ids,
            f"queued to {found['to']}" if found["queued"] else "already sent this week",
        )
    else:
        logger.info("no result is overdue")
    return ids


@flow(name="results-report", log_prints=False)
def results_report(
    out_dir: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    lang: Literal["ru", "en"] = "ru",
) -> str:
    """Write the results report and publish its tables as artifacts; returns index.html's path."""
    if out_dir is None:
        out_dir = str(get_settings().home / "reports" / f"results-{dt.date.today().isoformat()}")
    report = steps.write_results_report(out_dir, year_from, year_to, lang)
    steps.publish_report(report, lang)
    return report["index"]
