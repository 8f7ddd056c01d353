"""Adding the city's departments (from its identity file) that a database does not have yet.

Run by the migration that creates a database's first departments and by
``contestflow departments sync``; never by a read. Existing rows are never overwritten: the
coordinator may have set a real e-mail address since.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from contestflow.db.models import Department
from contestflow.identity import city


def missing_departments(connection: Connection) -> list[dict[str, object]]:
    existing = set(connection.scalars(select(Department.id)))
    return [
        {**d.model_dump(), "active": True}
        for d in city().departments
        if d.id not in existing
    ]


def seed_departments(connection: Connection) -> int:
    """Insert the city's departments this database lacks; returns how many were added."""
    rows = missing_departments(connection)
    if rows:
        connection.execute(insert(Department), rows)
    return len(rows)
