"""The demo's last step: the city's history, the demo submission's result, the report."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.catalog import definition_of
from contestflow.identity import history_file
from contestflow.lifecycle import get_submission
from contestflow.results.history import import_history_file
from contestflow.results.ledger import ResultInput, record_result
from contestflow.results.report import ReportFiles, write_report


def finish_demo(session: Session, submission_id: int, out_dir: Path, *,
                lang: str = "ru") -> ReportFiles:
    """Import the bundled history (once), record the sent demo submission's result as the
    contest's humblest award, and write the report into ``out_dir``. Safe to run twice."""
    history = import_history_file(session, history_file())
    if not history.ok:
        raise RuntimeError(f"the bundled history does not import: {history.file_error or ''}"
                           f"{[(r.line, r.messages) for r in history.refused]}")
    definition, _ = definition_of(session, get_submission(session, submission_id))
    awarded = [outcome for outcome in definition.outcomes if outcome.awarded]
    outcome = awarded[-1] if awarded else definition.outcomes[0]
    record_result(session, submission_id,
                  ResultInput(outcome=outcome.id, notes="Demo result, recorded by `make demo`."),
                  actor="demo")
    return write_report(session, out_dir, lang=lang)
