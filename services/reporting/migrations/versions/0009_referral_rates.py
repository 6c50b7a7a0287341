"""The referral rates' read model (issue 12, "Speed"; ADR 0101 amended): one row per referral
with its partner, kind, topic area, the month it was sent, its case manager, area and target
groups and the states it reached, so that the report is one grouped select over these rows
instead of grouping the referral facts per referral on every request. Indexed by the months
the report's period filters on; row-level security as on every tenant's table. Built from
the event store on deployment (``referral_rates`` is a new projection: ``catch_up`` rebuilds
it).

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
        "referral_rate_projection",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("referral_id", sa.String(64), primary_key=True),
        sa.Column("partner_org_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("topic_area", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("case_manager_id", sa.String(64), nullable=False),
        sa.Column("area_id", sa.String(64), nullable=False),
        sa.Column("target_group_ids", sa.Text, nullable=False),
        sa.Column("sent", sa.Boolean, nullable=False),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("arrived", sa.Boolean, nullable=False),
        sa.Column("step", sa.SmallInteger, nullable=False),
    )
    op.create_index("ix_referral_rate_month", "referral_rate_projection",
                    ["tenant_id", "month"])
    enable_tenant_rls(op, "referral_rate_projection")


def downgrade() -> None:
    op.drop_table("referral_rate_projection")
