"""sign_ins and login_links: sessions that can be ended, login links that work once

A signed cookie could not be ended before its twelve hours were up, and the coordinator's
login link could be replayed for as long. Each office session is now a row (logout and
`contestflow users sessions-end` end it), and each login link a row that its first use spends.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_ins",
        sa.Column("id", sa.String(64), nullable=False,
                  comment="sha256 of the key in the cookie, never the key"),
        sa.Column("login", sa.String(64), nullable=False,
                  comment="The account's login; 'coordinator' by link"),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("by_link", sa.Boolean(), nullable=False,
                  comment="Came in by the coordinator's link"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_ins")),
    )
    op.create_index(op.f("ix_sign_ins_login"), "sign_ins", ["login"])
    op.create_table(
        "login_links",
        sa.Column("id", sa.String(64), nullable=False,
                  comment="Random id inside the signed link"),
        sa.Column("purpose", sa.String(32), nullable=False,
                  comment="coordinator (more may follow)"),
        sa.Column("created_by", sa.String(200), nullable=False, comment="Who asked for the link"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_links")),
    )


def downgrade() -> None:
    op.drop_table("login_links")
    op.drop_index(op.f("ix_sign_ins_login"), table_name="sign_ins")
    op.drop_table("sign_ins")
