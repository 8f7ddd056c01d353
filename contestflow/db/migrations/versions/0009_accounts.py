"""accounts: the people who sign in to the office (coordinator, reviewer, read-only)

Until now the coordinator's signed link was the only way in, and every action was logged as
"coordinator". An account gives each person a name in the audit log and a role that limits
what they may do. Passwords are stored as argon2id hashes only.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(64), nullable=False, comment="What the person types"),
        sa.Column("full_name", sa.String(200), nullable=False,
                  comment="As the audit log shows it"),
        sa.Column("role", sa.String(16), nullable=False,
                  comment="coordinator, reviewer or readonly"),
        sa.Column("password_hash", sa.String(255), nullable=False,
                  comment="argon2id, never the password"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("login", name=op.f("uq_accounts_login")),
    )


def downgrade() -> None:
    op.drop_table("accounts")
