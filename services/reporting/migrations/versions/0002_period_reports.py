"""The case managers' 2-week reports (ADR 0089): the counts per case manager, period and figure
and the cases' steps (two projections, rebuilt from the event store: their versions are absent,
so ``migrate`` builds them from the past events), and the case managers' own reports. Row-level
security on each.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("period_figure", "period_case_step", "period_report")


def upgrade() -> None:
    op.create_table(
        "period_figure",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_manager_id", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(8), primary_key=True),
        sa.Column("figure", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "period_case_step",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("case_manager_id", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(32), nullable=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_period_case_step_case", "period_case_step", ["tenant_id", "case_id"])
    op.create_index("ix_period_case_step_manager", "period_case_step",
                    ["tenant_id", "case_manager_id"])
    op.create_table(
        "period_report",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_manager_id", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(8), primary_key=True),
        sa.Column("id", sa.Uuid, nullable=False, unique=True),
        sa.Column("corrections", sa.JSON, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("network_minutes", sa.Integer, nullable=False),
        sa.Column("system_minutes", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("figures", sa.JSON, nullable=False),
    )
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
