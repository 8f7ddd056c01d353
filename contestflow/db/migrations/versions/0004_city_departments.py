"""departments: the city's bodies from its identity file, added when the database is created

Before, every read of the contest catalog inserted missing departments, so a read-only session
could fail and a read wrote. Now a new database gets the city's departments here, once, and
``contestflow departments sync`` adds ones listed later.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from contestflow.db.seed import seed_departments

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    seed_departments(op.get_bind())


def downgrade() -> None:
    # The departments may be referenced by requests and results: they stay.
    pass
