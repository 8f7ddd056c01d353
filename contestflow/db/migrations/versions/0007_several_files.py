"""materials: several files per item (slot), files a department removed, each file's details

An item may take several files (the photographs, the drawings, the press pieces). Each file
has a slot; uploading adds a slot, replacing one adds a version in its slot, removing marks
the slot's versions removed. Nothing is deleted: every version stays for the record.
``details`` holds what an item records of each file (a press piece's outlet and date).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "slot", sa.Integer(), nullable=False, server_default="1",
            comment="Which of the item's files this is; a new version keeps the slot"))
        batch_op.add_column(sa.Column(
            "removed", sa.Boolean(), nullable=False, server_default=sa.false(),
            comment="The department removed this file (kept, never deleted)"))
        batch_op.add_column(sa.Column(
            "details", sa.JSON(), nullable=False, server_default="{}",
            comment="What the item records of each file (a piece's outlet, date)"))


def downgrade() -> None:
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.drop_column("details")
        batch_op.drop_column("removed")
        batch_op.drop_column("slot")
