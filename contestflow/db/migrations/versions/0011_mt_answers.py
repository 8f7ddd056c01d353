"""mt_answers: every machine-translation answer, kept as it arrives

A run that failed half-way (the provider died at request 300 of 685) used to send all 685
texts again on the rerun, and with a paid provider every retry cost the whole document. Each
answer is now stored by provider, language pair and the sha256 of the exact text sent.

Revision ID: 0011
Revises: 0009 (to be rebased onto 0010 at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mt_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False, comment="libre, deepl, ..."),
        sa.Column("source_lang", sa.String(8), nullable=False),
        sa.Column("target_lang", sa.String(8), nullable=False),
        sa.Column("source_key", sa.String(64), nullable=False,
                  comment="sha256 of the text exactly as sent"),
        sa.Column("source_text", sa.Text(), nullable=False,
                  comment="as sent, tags in wire form"),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mt_answers")),
        sa.UniqueConstraint("provider", "source_lang", "target_lang", "source_key",
                            name=op.f("uq_mt_answers_provider_source_lang_target_lang_source_key")),
    )


def downgrade() -> None:
    op.drop_table("mt_answers")
