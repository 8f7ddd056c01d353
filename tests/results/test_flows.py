"""The results flows, run once each against a temporary Prefect API (one harness per module)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contestflow.db import session_scope
from contestflow.identity import history_file
from contestflow.results.history import import_history_file
from tests.results.helpers import sent_submission

pytestmark = pytest.mark.flow


def test_tracking_reminds_once_and_the_report_publishes_its_tables(
    prefect_api: None, tmp_path: Path
) -> None:
    from prefect.artifacts import Artifact

    from contestflow.db.models import OutboxMessage
    from flows.catalogue import get_workflow
    from flows.executor import LocalExecutor
    from flows.results import track_results

    overdue = sent_submission(edition="2024")
    with session_scope() as session:
        assert import_history_file(session, history_file()).ok
    assert track_results() == [overdue]
    assert track_results() == [overdue]  # listed again, but reminded only once this week
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1

    index = LocalExecutor().run(get_workflow("results-report"),
                                {"out_dir": str(tmp_path / "report"), "lang": "en"})
    assert Path(index).is_file()
    by_year = Artifact.get("results-by-year")
    assert by_year is not None
    rows = json.loads(by_year.data) if isinstance(by_year.data, str) else by_year.data
    assert rows[-1]["Year"] == "Total" and rows[-1]["Entries"] == 35
    assert Artifact.get("results-by-department") is not None
    summary = Artifact.get("results-report")
    assert summary is not None and "Entries: 35" in str(summary.data)
    assert Artifact.get("results-awaiting") is not None
