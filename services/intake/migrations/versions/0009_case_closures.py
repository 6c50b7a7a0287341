"""When casework closed the case opened from an intake (ADR 0109): the case's id, its intake
reference and its closure date, from casework's events, for the retention sweep of closed case
records. Tenant-owned under row-level security.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_closures",
        sa.Column("case_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("intake_id", sa.String(100), nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
    )
    op.create_index("ix_case_closures_tenant_id", "case_closures", ["tenant_id"])
    op.create_index("ix_case_closures_intake_id", "case_closures", ["intake_id"])
    enable_tenant_rls(op, "case_closures")


def downgrade() -> None:
    op.drop_table("case_closures")
