"""The demo's last step: the city's history, the demo submission's result, the report."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.results.history import SAMPLE_HISTORY, import_history_file
from contestflow.results.ledger import ResultInput, record_result
from contestflow.results.report import ReportFiles, write_report
from contestflow.submission import service


def finish_demo(session: Session, submission_id: int, out_dir: Path, *,
                lang: str = "ru") -> ReportFiles:
    """Import the bundled history (once), record the sent demo submission's result as the
    contest's humblest award, and write the report into ``out_dir``. Safe to run twice."""
    history = import_history_file(session, SAMPLE_HISTORY)
    if not history.ok:
        raise RuntimeError(f"the bundled history does not import: {history.file_error or ''}"
                           f"{[(r.line, r.messages) for r in history.refused]}")
    definition, _ = service.definition_of(session, service.get_submission(session, submission_id))
    awarded = [outcome for outcome in definition.outcomes if outcome.awarded]
    outcome = awarded[-1] if awarded else definition.outcomes[0]
    record_result(session, submission_id,
                  ResultInput(outcome=outcome.id, notes="Demo result, recorded by `make demo`."),
                  actor="demo")
    return write_report(session, out_dir, lang=lang)
