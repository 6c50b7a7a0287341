"""The day of each tenant's last scheduled retention sweep (ADR 0109): the coordinating
service's worker sweeps a tenant once a day at the configured hour, and a restart neither
repeats nor skips a day. Under tenant row-level security.

Revision ID: platform_0009
Revises: platform_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import retention_sweep_table

revision = "platform_0009"
down_revision = "platform_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    retention_sweep_table(sa.MetaData()).create(op.get_bind())
    enable_tenant_rls(op, "retention_sweep")


def downgrade() -> None:
    op.drop_table("retention_sweep")
