"""submissions: the nominating party's contact and confirmation; entries per nomination by rule

Where a third party nominates the city (the Scroll of Honour), the submission keeps who to
write to (``nominator_contact``, ``nominator_email``), the language of the draft letter the
city prepares for them (``nominator_language``) and the day they confirmed that they submitted
(``nominator_confirmed_on``), which counts as the sending.

The unique (edition, nomination) constraint goes: whether a second entry to an edition or a
nomination is allowed is now the contest's rule (one application per government at UCLG,
several practices per nomination at the IAC), and a withdrawn entry no longer blocks a new one.
Opening locks the edition's row, so two openings at once still cannot both pass the check.

Revision ID: 0016
Revises: 0012 (re-chained at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_submissions_edition_id_nomination", type_="unique")
        batch_op.add_column(sa.Column(
            "nominator_contact", sa.String(length=300), nullable=False, server_default="",
            comment="The nominating party's contact person"))
        batch_op.add_column(sa.Column(
            "nominator_email", sa.String(length=320), nullable=False, server_default="",
            comment="Where the draft letter and the nomination go"))
        batch_op.add_column(sa.Column(
            "nominator_language", sa.String(length=8), nullable=False, server_default="",
            comment="The language of the draft letter for the nominating party"))
        batch_op.add_column(sa.Column(
            "nominator_confirmed_on", sa.Date(), nullable=True,
            comment="The day the nominating party confirmed it submitted: the sending"))


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("nominator_confirmed_on")
        batch_op.drop_column("nominator_language")
        batch_op.drop_column("nominator_email")
        batch_op.drop_column("nominator_contact")
        batch_op.create_unique_constraint("uq_submissions_edition_id_nomination",
                                          ["edition_id", "nomination"])
