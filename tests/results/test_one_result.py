"""One result per submission: recording again corrects it, removing sends it back to waiting,
and the report counts the entry once."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select, text

from contestflow.db import session_scope
from contestflow.db.migrate import alembic_config
from contestflow.db.models import AuditEvent, Result, Submission
from contestflow.results.ledger import ResultError, ResultInput, record_result, remove_result
from contestflow.results.summary import build_summary
from tests.results.helpers import sent_submission


def _record(submission_id: int, **fields: object):  # type: ignore[no-untyped-def]
    with session_scope() as session:
        return record_result(session, submission_id, ResultInput(**fields),  # type: ignore[arg-type]
                             actor="Иванова (ivanova)")


def _events(action: str) -> list[dict]:
    with session_scope() as session:
        return [e.details for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == action))]


def test_recording_again_corrects_the_one_result_and_logs_what_changed(
        database_url: str) -> None:
    submission_id = sent_submission()
    first = _record(submission_id, outcome="good-practice", notes="первое")
    again = _record(submission_id, outcome="good-practice", notes="первое")
    assert (again.result.id, again.created, again.changed) == (first.result.id, False, False)
    assert _events("result.changed") == []
    corrected = _record(submission_id, outcome="winner", notes="исправлено")
    assert (corrected.result.id, corrected.changed) == (first.result.id, True)
    [change] = _events("result.changed")
    assert change["changes"] == {"outcome": ["good-practice", "winner"],
                                 "notes": ["первое", "исправлено"]}
    with session_scope() as session:
        assert session.scalar(select(func.count(Result.id))) == 1
        summary = build_summary(session, lang="ru")
    assert summary.total.entries == 1 and summary.total.awarded == 1


def test_removing_a_result_sends_the_submission_back_to_waiting(database_url: str) -> None:
    submission_id = sent_submission()
    recorded = _record(submission_id, outcome="winner")
    with session_scope() as session:
        assert session.get(Submission, submission_id).state == "result_recorded"
        remove_result(session, recorded.result.id, actor="Иванова (ivanova)")
    with session_scope() as session:
        assert session.get(Submission, submission_id).state == "sent"
        assert session.scalar(select(func.count(Result.id))) == 0
    [removed] = _events("result.removed")
    assert removed["removed"]["outcome"] == "winner"
    assert _record(submission_id, outcome="good-practice").created  # it can be recorded anew


def test_removing_an_unknown_result_is_refused() -> None:
    with session_scope() as session, pytest.raises(ResultError, match="no recorded result 99"):
        remove_result(session, 99, actor="x")


def test_the_migration_keeps_the_latest_of_duplicated_results(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0007")
    with engine.begin() as connection:  # SQLite does not check foreign keys unless asked
        for result_id, submission, outcome in ((1, 1, "old"), (2, 1, "new"), (3, None, "h1"),
                                               (4, None, "h2"), (5, 2, "only")):
            connection.execute(text(
                "INSERT INTO results (id, submission_id, contest_id, edition_key, year, outcome,"
                " nomination, notes, source) VALUES (:id, :s, 'c', '2024', 2024, :o, '', '', "
                "'recorded')"), {"id": result_id, "s": submission, "o": outcome})
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, outcome FROM results ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(2, "new"), (3, "h1"), (4, "h2"), (5, "only")]
