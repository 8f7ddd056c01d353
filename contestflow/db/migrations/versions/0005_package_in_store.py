"""submissions: the package lives in the file store under its sha256, not at a recorded path

An absolute path in the database broke as soon as the workspace moved or a second worker
mounted it elsewhere. The package is now a blob in the content-addressed store, found by
``package_sha256``; its copy for people is exported under a name derived from the submission.
Packages built before this migration are copied into the store first, so an approved package
can still be sent.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from contestflow.store import get_store

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT package_path FROM submissions WHERE package_path IS NOT NULL")
    ).scalars()
    store = get_store()
    for recorded in rows:
        if Path(recorded).is_file():
            store.put_file(Path(recorded))
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("package_path")


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("package_path", sa.Text(), nullable=True))
