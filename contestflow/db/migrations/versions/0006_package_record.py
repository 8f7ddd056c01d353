"""submissions: our own record of a package beside the organiser's zip; nominator; confirmations

The zip the organiser receives now holds only its files and a manifest of them; the sources,
findings and checklist stay in a record of ours (``package_record_sha256``, in the store).
``nominator`` is who nominates where the city may not nominate itself (the Scroll of Honour);
``confirmations`` the eligibility statements the coordinator confirmed.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.alter_column("package_sha256", existing_type=sa.String(length=64),
                              existing_nullable=True,
                              comment="The organiser's zip, in the file store")
        batch_op.add_column(sa.Column(
            "package_record_sha256", sa.String(length=64), nullable=True,
            comment="Our own record of that package (sources, findings, checklist), in the store"))
        batch_op.add_column(sa.Column(
            "nominator", sa.String(length=300), nullable=False, server_default="",
            comment="Who nominates, where the city may not nominate itself"))
        batch_op.add_column(sa.Column(
            "confirmations", sa.JSON(), nullable=False, server_default="[]",
            comment="Eligibility statements the coordinator confirmed, by index"))


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("confirmations")
        batch_op.drop_column("nominator")
        batch_op.drop_column("package_record_sha256")
        batch_op.alter_column("package_sha256", existing_type=sa.String(length=64),
                              existing_nullable=True, comment=None,
                              existing_comment="The organiser's zip, in the file store")
