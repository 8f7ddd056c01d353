"""translation runs: how far a material's translation is while it runs

The office showed a document's progress only once its run was stored: a long report sent to
MT showed nothing for minutes. A run now keeps its figures here (updated at most a few times a
second, never per segment) and removes its row when it ends.

Revision ID: 0018
Revises: 0012 (re-chained at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "translation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("source_lang", sa.String(8), nullable=False),
        sa.Column("target_lang", sa.String(8), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("memory", sa.Integer(), nullable=False,
                  comment="from the glossary or the memory"),
        sa.Column("mt", sa.Integer(), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False, comment="left for a person"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["material_id"], ["materials.id"], ondelete="CASCADE",
                                name=op.f("fk_translation_runs_material_id_materials")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation_runs")),
        sa.UniqueConstraint("material_id", "target_lang",
                            name=op.f("uq_translation_runs_material_id_target_lang")),
    )


def downgrade() -> None:
    op.drop_table("translation_runs")
