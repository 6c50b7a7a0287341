"""Transfers between Lotse deployments (ADR 0051): an inbound offer remembers the sending
deployment's casework URL, where its handover package is fetched and its acceptance reported.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_transfers") as batch:
        batch.add_column(sa.Column("source_url", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_transfers") as batch:
        batch.drop_column("source_url")
