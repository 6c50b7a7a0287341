"""Transfers to another tenant running Lotse: the receiving side's inbound offers, the sending
side's target tenant, and cases handed over.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from tests.migrations.legacy.legacy_platform import enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("transfers") as batch:
        batch.add_column(sa.Column("to_tenant_id", sa.String(100), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("transfers") as batch:
        batch.alter_column("to_tenant_id", server_default=None)
    op.create_table(
        "inbound_transfers",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("from_tenant_id", sa.String(100), nullable=False),
        sa.Column("from_case_id", sa.String(100), nullable=False),
        sa.Column("to_area_id", sa.String(100), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("accepted_by", sa.String(100), nullable=True),
        sa.Column("accepted_case_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_inbound_transfers_tenant_id", "inbound_transfers", ["tenant_id"])
    op.create_index("ix_inbound_transfers_to_area_id", "inbound_transfers", ["to_area_id"])
    enable_tenant_rls(op, "inbound_transfers")


def downgrade() -> None:
    op.drop_table("inbound_transfers")
    with op.batch_alter_table("transfers") as batch:
        batch.drop_column("to_tenant_id")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("handed_over_at")
