"""Tasks of the results flows; each opens its own transaction and calls the core."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from contestflow.db import session_scope
from contestflow.results.i18n import labels, percent
from contestflow.results.reminders import remind_awaiting_results
from contestflow.results.report import write_report
from contestflow.results.summary import report_tables


@task(name="remind-awaiting-results", retries=2, retry_delay_seconds=5)
def remind_awaiting(today: dt.date | None, to: str | None) -> dict[str, Any]:
    """Queue the reminder (deduplicated per week and list); returns what it found."""
    with session_scope() as session:
        reminder = remind_awaiting_results(session, today=today, to=to)
    return {
        "awaiting": [asdict(item) for item in reminder.awaiting],
        "queued": reminder.queued,
        "to": reminder.to,
    }


@task(name="publish-awaiting-results")
def publish_awaiting(awaiting: list[dict[str, Any]]) -> None:
    rows = [
        {
            "submission": a["submission_id"],
            "contest": a["contest_id"],
            "edition": a["edition_key"],
            "nomination": a["nomination"],
            "expected": a["results_expected_on"].isoformat(),
            "days late": a["days_overdue"],
        }
        for a in awaiting
    ]
    create_table_artifact(
        rows,
        key="results-awaiting",
        description="Sent submissions past the announcement date, no result",
    )


@task(name="write-results-report", retries=1)
def write_results_report(
    out_dir: str, year_from: int | None, year_to: int | None, lang: str
) -> dict[str, Any]:
    """Write the report files; returns their paths, the totals and the tables."""
    with session_scope() as session:
        files = write_report(
            session, Path(out_dir), year_from=year_from, year_to=year_to, lang=lang
        )
    total = files.summary.total
    return {
        "index": str(files.index),
        "csv": str(files.csv),
        "xlsx": str(files.xlsx),
        "period": files.summary.period,
        "entries": total.entries,
        "awarded": total.awarded,
        "success_rate": percent(total.success_rate, lang),
        "tables": report_tables(files.summary),
    }


@task(name="publish-results-artifacts")
def publish_report(report: dict[str, Any], lang: str) -> None:
    """The report's tables as Prefect table artifacts, and a summary in Markdown."""
    words = labels(lang)
    for key, rows in report["tables"].items():
        create_table_artifact(rows, key=key, description=f"{words['report_title']}: {key}")
    create_markdown_artifact(
        f"# {words['report_title']}\n\n"
        f"{words['period']}: {report['period']}\n\n"
        + words["summary_line"].format(
            entries=report["entries"], awarded=report["awarded"], rate=report["success_rate"]
        )
        + f"\n\n`{report['index']}` · `{report['csv']}` · `{report['xlsx']}`\n",
        key="results-report",
        description=words["report_title"],
    )
