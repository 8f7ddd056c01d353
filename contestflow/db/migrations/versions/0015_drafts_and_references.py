"""last edition's material offered as a draft; each ledger row's reference

A request for an item that rarely changes (the city's description, the mayor's details) points
at the last edition's request whose approved material is offered to the department; a material
the department confirmed points at the one it repeats (the same stored file). A result keeps
where it is stated: the city's account, an organiser's page.

Revision ID: 0015
Revises: 0012 (re-chained at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("material_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "draft_from_id", sa.Integer(), nullable=True,
            comment="The last edition's request whose approved material is offered as a draft"))
        batch_op.create_foreign_key(
            batch_op.f("fk_material_requests_draft_from_id_material_requests"),
            "material_requests", ["draft_from_id"], ["id"])
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "reused_from_id", sa.Integer(), nullable=True,
            comment="The last edition's material the department confirmed (the same stored "
                    "file)"))
        batch_op.create_foreign_key(
            batch_op.f("fk_materials_reused_from_id_materials"), "materials",
            ["reused_from_id"], ["id"])
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "reference", sa.Text(), nullable=False, server_default="",
            comment="Where the result is stated: the city's account, an organiser's page "
                    "(address)"))


def downgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_column("reference")
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_materials_reused_from_id_materials"),
                                 type_="foreignkey")
        batch_op.drop_column("reused_from_id")
    with op.batch_alter_table("material_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_material_requests_draft_from_id_material_requests"),
            type_="foreignkey")
        batch_op.drop_column("draft_from_id")
