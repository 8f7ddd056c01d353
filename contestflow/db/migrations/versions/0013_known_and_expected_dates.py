"""known and expected dates: the office's overlay on the YAML editions; late entries

A date the coordinator confirms from the organiser's call, and an edition made from the last
one, are kept in ``edition_overlays`` and laid over the YAML definitions whenever the catalog is
read. ``submissions.late_entry`` records that an edition was opened after its deadline on
purpose (a late or historical entry).

Revision ID: 0013
Revises: 0012 (re-chained at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edition_overlays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.String(64), nullable=False),
        sa.Column("key", sa.String(32), nullable=False, comment="Edition name, usually its year"),
        sa.Column("edition", sa.JSON(), nullable=False,
                  comment="The whole edition as schemas.contest.Edition, dates as the office "
                  "knows them"),
        sa.Column("confirmed_phases", sa.JSON(), nullable=False, server_default="[]",
                  comment="Phases the office confirmed: only these replace the YAML's"),
        sa.Column("made_from", sa.String(32), nullable=True,
                  comment="The edition a new one was made from; none for the YAML's own"),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contests.id"],
                                name=op.f("fk_edition_overlays_contest_id_contests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edition_overlays")),
        sa.UniqueConstraint("contest_id", "key", name=op.f("uq_edition_overlays_contest_id_key")),
    )
    op.create_index(op.f("ix_edition_overlays_contest_id"), "edition_overlays", ["contest_id"])
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "late_entry", sa.Boolean(), nullable=False, server_default=sa.false(),
            comment="Opened after the deadline, as the coordinator said: a late or historical "
            "entry"))


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("late_entry")
    op.drop_index(op.f("ix_edition_overlays_contest_id"), table_name="edition_overlays")
    op.drop_table("edition_overlays")
