"""Referrals with their lifecycle (issue 11, ADR 0084): the referral, each of its steps with
who and when, the copy of intake's consents a referral's check starts from and the copy of
casework's cases (their intake and case manager) — ids, codes and dates only. Tenant-owned, with row-level security.

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


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("intake_id", sa.String(100), nullable=False),
        sa.Column("operator_org_id", sa.String(100), nullable=False),
        sa.Column("case_manager_id", sa.String(100), nullable=False),
        sa.Column("case_manager_org_id", sa.String(100), nullable=False),
        sa.Column("partner_org_id", sa.String(100), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=True),
        sa.Column("mode", sa.String(30), nullable=False),
        sa.Column("topic_area", sa.String(30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(10), nullable=False),
        sa.Column("shared", sa.JSON(), nullable=False),
        sa.Column("consent_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("appointment_on", sa.Date(), nullable=True),
        sa.Column("arrived_on", sa.Date(), nullable=True),
        sa.Column("last_feedback_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("shared_hidden_on", sa.Date(), nullable=True),
    )
    for column in ("tenant_id", "case_id", "intake_id", "case_manager_id", "partner_org_id"):
        op.create_index(f"ix_referrals_{column}", "referrals", [column])
    enable_tenant_rls(op, "referrals")

    op.create_table(
        "referral_steps",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("by_org", sa.String(100), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("appointment_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_referral_steps_tenant_id", "referral_steps", ["tenant_id"])
    op.create_index("ix_referral_steps_referral_id", "referral_steps", ["referral_id"])
    enable_tenant_rls(op, "referral_steps")

    op.create_table(
        "referral_consents",
        sa.Column("consent_id", sa.String(100), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("intake_id", sa.String(100), nullable=False),
        sa.Column("operator_org_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("partner_org_id", sa.String(100), nullable=False),
        sa.Column("topic_areas", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_referral_consents_tenant_id", "referral_consents", ["tenant_id"])
    op.create_index("ix_referral_consents_intake_id", "referral_consents", ["intake_id"])
    enable_tenant_rls(op, "referral_consents")

    op.create_table(
        "referral_cases",
        sa.Column("case_id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("intake_id", sa.String(100), nullable=False),
        sa.Column("operator_org_id", sa.String(100), nullable=False),
        sa.Column("case_manager_id", sa.String(100), nullable=False),
    )
    op.create_index("ix_referral_cases_tenant_id", "referral_cases", ["tenant_id"])
    enable_tenant_rls(op, "referral_cases")


def downgrade() -> None:
    op.drop_table("referral_cases")
    op.drop_table("referral_consents")
    op.drop_table("referral_steps")
    op.drop_table("referrals")
