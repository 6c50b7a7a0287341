"""The subject-access tables (Art. 15 GDPR, ADR 0103): each service's part of a request
(``subject_access_part``) and the coordinating service's record of requests and answers
(``subject_access_request``, ``subject_access_answer``), under tenant row-level security.

Revision ID: platform_0007
Revises: platform_0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import platform_tables

revision = "platform_0007"
down_revision = "platform_0006"
branch_labels = None
depends_on = None

_TABLES = ("subject_access_part", "subject_access_request", "subject_access_answer")


def upgrade() -> None:
    tables = platform_tables(sa.MetaData())
    for name in _TABLES:
        getattr(tables, name).create(op.get_bind())
        enable_tenant_rls(op, name)


def downgrade() -> None:
    for name in reversed(_TABLES):
        op.drop_table(name)
