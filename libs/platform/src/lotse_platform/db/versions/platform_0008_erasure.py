"""The erasure and retention tables (Art. 17, Art. 5(1)(e) GDPR, ADR 0106): each service's
record of the erasures it carried out (``erasure_done``), the coordinating service's record of
erasures and answers (``erasure_request``, ``erasure_answer``) and the tenant's retention policy
(``retention_policy``), under tenant row-level security.

Revision ID: platform_0008
Revises: platform_0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import erasure_tables

revision = "platform_0008"
down_revision = "platform_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name, table in erasure_tables(sa.MetaData()).items():
        table.create(op.get_bind())
        enable_tenant_rls(op, name)


def downgrade() -> None:
    for name in reversed(list(erasure_tables(sa.MetaData()))):
        op.drop_table(name)
