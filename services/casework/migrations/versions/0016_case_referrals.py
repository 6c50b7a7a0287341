"""The referrals of a case as the network service reports them (issue 11: the case file shows
its referrals and their state): ids, partner, mode, topic area, state and days only.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_referrals",
        sa.Column("referral_id", sa.String(100), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("partner_org_id", sa.String(100), nullable=False),
        sa.Column("mode", sa.String(30), nullable=False),
        sa.Column("topic_area", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("arrived_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_case_referrals_tenant_id", "case_referrals", ["tenant_id"])
    op.create_index("ix_case_referrals_case_id", "case_referrals", ["case_id"])
    enable_tenant_rls(op, "case_referrals")


def downgrade() -> None:
    op.drop_table("case_referrals")
