"""pending advances: a submission owed a flow run survives a restart

An acknowledged last upload, an applied review and a review decision used to queue the flow in
the web app's memory only; a server stopped a few seconds later lost it. Each now leaves a row
here in the same transaction, done only once the advance has run.

Revision ID: 0012
Revises: 0009 (re-chained at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_advances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False,
                  comment="material.accepted, review.applied…"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True,
                  comment="Set once an advance that started after this row has run"),
        sa.Column("attempts", sa.Integer(), nullable=False,
                  comment="Advances that failed before"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False,
                  comment="A failed advance is retried from here, later each time"),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name=op.f("fk_pending_advances_submission_id_submissions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_advances")),
    )
    op.create_index("ix_pending_advances_open", "pending_advances", ["done_at", "submission_id"])


def downgrade() -> None:
    op.drop_index("ix_pending_advances_open", table_name="pending_advances")
    op.drop_table("pending_advances")
