"""The replica of identity's directory that references are checked against (ADR 0054):
``known_reference``, one row per organisation, area and user of a tenant, under row-level
security.

Revision ID: platform_0003
Revises: platform_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import platform_tables

revision = "platform_0003"
down_revision = "platform_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    platform_tables(sa.MetaData()).known_reference.create(op.get_bind())
    enable_tenant_rls(op, "known_reference")


def downgrade() -> None:
    op.drop_table("known_reference")
