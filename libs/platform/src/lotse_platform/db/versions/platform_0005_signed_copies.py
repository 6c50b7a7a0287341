"""Signed copies of forms, sealed with the tenant's key (ADR 0082): the table ``signed_copy``
under tenant row-level security.

Revision ID: platform_0005
Revises: platform_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import platform_tables

revision = "platform_0005"
down_revision = "platform_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    platform_tables(sa.MetaData()).signed_copy.create(op.get_bind())
    enable_tenant_rls(op, "signed_copy")


def downgrade() -> None:
    op.drop_table("signed_copy")
