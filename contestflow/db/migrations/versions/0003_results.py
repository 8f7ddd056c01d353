"""results: a year the source does not state may stay empty

History entered from press releases has results whose year is not stated (the UN-Habitat
Scroll of Honour; IAC diplomas "in 2013-2018"). Recording them with an invented year would
distort the yearly report, so ``results.year`` becomes nullable; the notes say why.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COMMENT = "Empty when the source does not state the year (say why in notes)"


def upgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.alter_column("year", existing_type=sa.Integer(), nullable=True, comment=COMMENT)


def downgrade() -> None:
    # Refuses (NOT NULL violation) while results without a year exist: decide about them first.
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.alter_column(
            "year",
            existing_type=sa.Integer(),
            nullable=False,
            comment=None,
            existing_comment=COMMENT,
        )
