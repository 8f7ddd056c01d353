"""intake: the e-mail outbox and revocable upload links

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "dedupe_key",
            sa.String(length=200),
            nullable=False,
            comment="One message per key, however often it is queued",
        ),
        sa.Column("to_addr", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "attachments",
            sa.JSON(),
            nullable=False,
            comment="[{filename, sha256, media_type, size}], bytes in the file store",
        ),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column(
            "message_id",
            sa.String(length=255),
            nullable=False,
            comment="RFC 5322 Message-ID, stable across retries",
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'delivered', 'failed')", name=op.f("ck_outbox_messages_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_messages_dedupe_key")),
    )
    op.create_index(op.f("ix_outbox_messages_state"), "outbox_messages", ["state"], unique=False)
    op.create_table(
        "intake_tokens",
        sa.Column("id", sa.String(length=64), nullable=False, comment="Random token id"),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_intake_tokens_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["material_requests.id"],
            name=op.f("fk_intake_tokens_request_id_material_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_tokens")),
    )
    op.create_index(
        op.f("ix_intake_tokens_request_id"), "intake_tokens", ["request_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_intake_tokens_request_id"), table_name="intake_tokens")
    op.drop_table("intake_tokens")
    op.drop_index(op.f("ix_outbox_messages_state"), table_name="outbox_messages")
    op.drop_table("outbox_messages")
