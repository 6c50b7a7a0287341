"""The standard reports' projections (issue 12, "Standard reports"; ADR 0090): intakes (access
path, latest counselling-depth decision), cases (case manager, target groups, primary goal),
staff (employer, FTE share), the monthly facts of the time series and the phases
each case entered (phase durations); row-level security on
each. Built from the event store on deployment (their versions are new: ``catch_up``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("intake_report_projection", "case_report_projection", "staff_projection",
          "report_fact", "phase_entry")


def upgrade() -> None:
    op.create_table(
        "intake_report_projection",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("intake_id", sa.String(64), primary_key=True),
        sa.Column("area_id", sa.String(64), nullable=False),
        sa.Column("access_path", sa.String(64), nullable=False),
        sa.Column("contact_date", sa.Date, nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("depth", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("referral_org_id", sa.String(64), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("target_group_ids", sa.Text, nullable=False),
    )
    op.create_table(
        "case_report_projection",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("area_id", sa.String(64), nullable=False),
        sa.Column("case_manager_id", sa.String(64), nullable=False),
        sa.Column("target_group_ids", sa.Text, nullable=False),
        sa.Column("primary_topic_area", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(32), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("facts_seq", sa.BigInteger, nullable=False),
        sa.Column("phase_seq", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "staff_projection",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("organisation_id", sa.String(64), nullable=False),
        sa.Column("fte", sa.Float, nullable=True),
        sa.Column("case_manager", sa.Boolean, nullable=False),
        sa.Column("org_version", sa.BigInteger, nullable=False),
        sa.Column("fte_version", sa.BigInteger, nullable=False),
        sa.Column("roles_version", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "report_fact",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("fact_id", sa.String(200), primary_key=True),
        sa.Column("figure", sa.String(32), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("area_id", sa.String(64), nullable=False),
        sa.Column("case_manager_id", sa.String(64), nullable=False),
        sa.Column("target_group_ids", sa.Text, nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
    )
    op.create_table(
        "phase_entry",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("sequence", sa.BigInteger, primary_key=True),
        sa.Column("phase", sa.String(32), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
    )
    op.create_index("ix_report_fact_figure_month", "report_fact",
                    ["tenant_id", "figure", "month"])
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
