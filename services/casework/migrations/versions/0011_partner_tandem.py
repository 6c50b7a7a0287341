"""A tandem with a partner organisation's specialist adviser (seed 000 L201 "Beratung im
Tandem … gemeinsam mit den Fachberater*innen"): the partner and the topics the share covers.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("partner_org_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("topics", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        batch.drop_column("topics")
        batch.drop_column("partner_org_id")
