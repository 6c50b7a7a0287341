"""The coordinating office's administration (issue 12): posts per building block, the funding
of each year with its two calls of funds, and the forwarding contracts — each tenant's under
row-level security.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("admin_posts", "admin_funding_years", "admin_fund_calls", "admin_forwarding_contracts")
MONEY = sa.Numeric(14, 2)
FTE = sa.Numeric(7, 2)


def upgrade() -> None:
    op.create_table(
        "admin_posts",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("building_block", sa.String(32), nullable=False),
        sa.Column("function", sa.String(32), nullable=False),
        sa.Column("employer_org_id", sa.String(100), nullable=False),
        sa.Column("area_id", sa.String(100), nullable=True),
        sa.Column("fte", FTE, nullable=False),
        sa.Column("filled_fte", FTE, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("label", sa.String(100), nullable=False),
    )
    op.create_table(
        "admin_funding_years",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("applied_on", sa.Date, nullable=True),
        sa.Column("requested", MONEY, nullable=True),
        sa.Column("notice_on", sa.Date, nullable=True),
        sa.Column("granted", MONEY, nullable=True),
        sa.Column("granted_fte", sa.JSON, nullable=False),
    )
    op.create_table(
        "admin_fund_calls",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("half", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("amount", MONEY, nullable=True),
        sa.Column("called_on", sa.Date, nullable=True),
        sa.Column("received_on", sa.Date, nullable=True),
    )
    op.create_table(
        "admin_forwarding_contracts",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("recipient_org_id", sa.String(100), nullable=False),
        sa.Column("building_block", sa.String(32), nullable=False),
        sa.Column("fte", FTE, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("signed_on", sa.Date, nullable=True),
        sa.Column("transfers", sa.JSON, nullable=False),
    )
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
