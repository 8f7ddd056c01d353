"""Alembic, driven from code: the database upgrades itself on first use."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


MIGRATION_LOCK = 7_031_771  # any constant: PostgreSQL advisory lock key for migrations


def upgrade_to_head(engine: Engine) -> None:
    """Bring ``engine``'s database to the newest schema; cheap when it is already there.

    Two processes starting on a fresh database would both migrate; a lock makes the second
    wait and then find nothing to do: PostgreSQL's advisory lock, or a lock file beside a
    SQLite database (whose first connection also switches it to WAL, which needs it alone).
    """
    if engine.dialect.name == "sqlite":
        with _sqlite_migration_lock(engine):
            if current_revisions(engine) != head_revisions():
                command.upgrade(alembic_config(engine), "heads")
        return
    if current_revisions(engine) == head_revisions():
        return
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            if current_revisions(engine) != head_revisions():
                command.upgrade(alembic_config(engine), "heads")
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            lock.commit()


def downgrade_to_base(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "base")


@contextmanager
def _sqlite_migration_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
