"""The database on each backend: migrations, write discipline, compare-and-set, audit log."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect, select, text

from contestflow.audit import record_event
from contestflow.db import session_scope
from contestflow.db.migrate import current_revisions, downgrade_to_base, head_revisions
from contestflow.db.models import AuditEvent, Submission
from contestflow.db.models.audit import AuditLogIsAppendOnly
from contestflow.db.session import get_engine, make_engine
from contestflow.lifecycle import IllegalTransition, StateConflict, transition
from contestflow.submission.opening import open_submission

TABLES = {
    "departments",
    "contests",
    "editions",
    "submissions",
    "material_requests",
    "materials",
    "reviews",
    "documents",
    "segments",
    "translation_units",
    "glossary_terms",
    "results",
    "audit_events",
}


def test_migrations_from_empty_to_head_and_back(database_url: str) -> None:
    engine = make_engine(database_url)
    assert current_revisions(engine) == set()
    get_engine(database_url)  # first use upgrades
    assert current_revisions(engine) == head_revisions()
    assert TABLES <= set(inspect(engine).get_table_names())
    downgrade_to_base(engine)
    assert not TABLES & set(inspect(engine).get_table_names())
    from contestflow.db.migrate import upgrade_to_head

    upgrade_to_head(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_sqlite_write_discipline(workspace) -> None:
    engine = get_engine()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _open(database_url: str) -> int:
    with session_scope(database_url) as session:
        return open_submission(session, "iac-city-to-live", "2027").id


def test_compare_and_set_has_exactly_one_winner(database_url: str) -> None:
    submission_id = _open(database_url)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def attempt() -> None:
        barrier.wait()
        try:
            with session_scope(database_url) as session:
                transition(session, submission_id, "draft", "collecting", actor="worker")
            outcomes.append("won")
        except StateConflict:
            outcomes.append("lost")

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost"] * 5 + ["won"]
    with session_scope(database_url) as session:
        assert session.get(Submission, submission_id).state == "collecting"
        changes = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "submission.state")
        ).all()
        assert len(changes) == 1


def test_illegal_transition_changes_nothing(database_url: str) -> None:
    submission_id = _open(database_url)
    with pytest.raises(IllegalTransition), session_scope(database_url) as session:
        transition(session, submission_id, "draft", "sent", actor="x")
    with session_scope(database_url) as session:
        assert session.get(Submission, submission_id).state == "draft"


def test_audit_log_is_append_only(database_url: str) -> None:
    with session_scope(database_url) as session:
        record_event(session, actor="a", action="test", subject_type="t", subject_id=1)
    with pytest.raises(AuditLogIsAppendOnly), session_scope(database_url) as session:
        event = session.scalars(select(AuditEvent)).one()
        event.actor = "someone else"
        session.flush()
    with pytest.raises(AuditLogIsAppendOnly), session_scope(database_url) as session:
        session.delete(session.scalars(select(AuditEvent)).one())
        session.flush()
    with session_scope(database_url) as session:
        assert session.scalars(select(AuditEvent.actor)).all() == ["a"]


def test_check_constraint_refuses_unknown_state(database_url: str) -> None:
    submission_id = _open(database_url)
    with pytest.raises(Exception, match=r"(?i)check"), session_scope(database_url) as session:
        session.execute(
            text("UPDATE submissions SET state = 'lost' WHERE id = :id"), {"id": submission_id}
        )


def test_a_read_only_session_reads_beside_a_writer_and_cannot_write(database_url: str) -> None:
    from contestflow.db.session import ReadOnlySession

    submission_id = _open(database_url)
    with session_scope(database_url) as writer:
        transition(writer, submission_id, "draft", "collecting", actor="w")
        # The writer holds the lock; a reader still sees the last committed state.
        with session_scope(database_url, read_only=True) as reader:
            assert reader.get(Submission, submission_id).state == "draft"
    with pytest.raises(ReadOnlySession), session_scope(database_url, read_only=True) as reader:
        reader.get(Submission, submission_id).title = "changed"
        reader.flush()
    with session_scope(database_url) as session:
        assert session.get(Submission, submission_id).title == ""


def test_migrations_are_linear_and_match_the_models(database_url: str) -> None:
    """One head, and autogenerate finds nothing to add: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from contestflow.db.base import Base

    assert len(head_revisions()) == 1
    engine = get_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_two_processes_migrating_a_fresh_database_at_once(database_url: str) -> None:
    from contestflow.db.migrate import upgrade_to_head

    engines = [make_engine(database_url) for _ in range(3)]
    errors: list[BaseException] = []

    def migrate(engine) -> None:  # type: ignore[no-untyped-def]
        try:
            upgrade_to_head(engine)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=migrate, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_revisions(engines[0]) == head_revisions()
    for engine in engines:
        engine.dispose()


def test_sqlite_takes_the_write_lock_when_a_transaction_begins(workspace) -> None:
    """A transaction that has only read still holds the write lock (BEGIN IMMEDIATE), so a
    second writer waits at its start instead of failing half-way through its work."""
    import sqlite3

    engine = get_engine()
    with engine.connect() as first:
        first.exec_driver_sql("SELECT 1 FROM submissions").all()  # a reader, in a transaction
        second = engine.raw_connection()
        try:
            cursor = second.cursor()
            cursor.execute("PRAGMA busy_timeout=100")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                cursor.execute("BEGIN IMMEDIATE")
            first.rollback()
            cursor.execute("BEGIN IMMEDIATE")  # once released, the writer goes ahead
            cursor.execute("ROLLBACK")
        finally:
            second.close()
