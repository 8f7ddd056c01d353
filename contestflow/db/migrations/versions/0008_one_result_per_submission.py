"""results: one per submission

A submission is one entry and has one result; recording again corrects it. Rows recorded
twice before this (the report then counted the entry twice) are merged: the latest row of
each submission stays. Imported history has no submission and is not touched.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    results = sa.table("results", sa.column("id", sa.Integer),
                       sa.column("submission_id", sa.Integer))
    latest = (sa.select(sa.func.max(results.c.id)).where(results.c.submission_id.is_not(None))
              .group_by(results.c.submission_id))
    op.execute(results.delete().where(results.c.submission_id.is_not(None),
                                      results.c.id.not_in(latest)))
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index("ix_results_submission_id")
        batch_op.create_index("ix_results_submission_id", ["submission_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index("ix_results_submission_id")
        batch_op.create_index("ix_results_submission_id", ["submission_id"], unique=False)
