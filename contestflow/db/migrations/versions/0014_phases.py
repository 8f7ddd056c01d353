"""phases: a submission sent in phases, each with its package, sending and shortlist

``submissions.phase`` is the phase being prepared (empty: the first or only one); each phase
sent and decided on (the organiser's shortlist) keeps its package and sending in
``submission_phases``.

Revision ID: 0014
Revises: 0012 (re-chained at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "phase", sa.String(length=64), nullable=False, server_default="",
            comment="The phase being prepared; empty: the first (or only)"))
    op.create_table(
        "submission_phases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=64), nullable=False,
                  comment="The edition's phase id"),
        sa.Column("package_sha256", sa.String(length=64), nullable=True,
                  comment="That phase's zip, in the store"),
        sa.Column("package_record_sha256", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("how", sa.String(length=500), nullable=False, comment="How it went out"),
        sa.Column("proof_sha256", sa.String(length=64), nullable=True,
                  comment="The sending's proof, stored"),
        sa.Column("proof_filename", sa.String(length=255), nullable=False),
        sa.Column("shortlisted", sa.Boolean(), nullable=False,
                  comment="The organiser's shortlist decision"),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_submission_phases_submission_id_submissions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_phases")),
        sa.UniqueConstraint("submission_id", "phase",
                            name=op.f("uq_submission_phases_submission_id_phase")),
    )
    op.create_index(op.f("ix_submission_phases_submission_id"), "submission_phases",
                    ["submission_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_submission_phases_submission_id"), table_name="submission_phases")
    op.drop_table("submission_phases")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("phase")
