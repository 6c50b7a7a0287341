"""Intakes, screenings, counselling-depth decisions, consents, admissions, target groups and
case proposals, with the platform tables; row-level security on every tenant-owned table.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from tests.migrations.legacy.legacy_platform import create_platform_tables, enable_tenant_rls
from tests.migrations.legacy.legacy_platform import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("case_proposals", "admissions", "consents", "depth_decisions", "screenings",
          "target_groups", "intakes")


def _id(name: str, nullable: bool = False, **kwargs) -> sa.Column:
    return sa.Column(name, sa.String(100), nullable=nullable, **kwargs)


def _enum(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(40), nullable=nullable)


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid, nullable=False)


def _intake_ref(**kwargs) -> sa.Column:
    return sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
                     **kwargs)


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "intakes",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        _id("area_id"),
        _id("operator_org_id", server_default=""),
        _enum("status"),
        _enum("access_path"),
        _id("referring_org_id", nullable=True),
        sa.Column("contact_date", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        _id("recorded_by"),
        _id("responsible_id"),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("given_name", sa.String(200), nullable=False),
        sa.Column("family_name", sa.String(200), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=True),
        sa.Column("phone", sa.String(100), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("interpreter_needed", sa.Boolean, nullable=False),
    )
    op.create_index("ix_intakes_tenant_id", "intakes", ["tenant_id"])
    op.create_index("ix_intakes_area_id", "intakes", ["area_id"])
    op.create_index("ix_intakes_responsible_id", "intakes", ["responsible_id"])

    op.create_table(
        "screenings",
        _intake_ref(primary_key=True),
        _tenant(),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("crisis", sa.Boolean, nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("screened_on", sa.Date, nullable=False),
        _id("screened_by"),
        sa.Column("matching_target_group_ids", sa.JSON, nullable=False),
        sa.Column("target_group_ids", sa.JSON, nullable=False),
        sa.Column("target_group_note", sa.Text, nullable=True),
    )
    op.create_index("ix_screenings_tenant_id", "screenings", ["tenant_id"])

    op.create_table(
        "depth_decisions",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        _intake_ref(nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        _enum("depth"),
        _id("referral_org_id", nullable=True),
        _id("referral_service_id", nullable=True),
        _enum("referral_topic", nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        _id("decided_by"),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("intake_id", "revision", name="uq_depth_decisions_revision"),
    )
    op.create_index("ix_depth_decisions_tenant_id", "depth_decisions", ["tenant_id"])
    op.create_index("ix_depth_decisions_intake_id", "depth_decisions", ["intake_id"])

    op.create_table(
        "consents",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        _intake_ref(nullable=False),
        _enum("kind"),
        sa.Column("given_on", sa.Date, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("language", sa.String(35), nullable=True),
        _id("partner_org_id", nullable=True),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        _id("recorded_by"),
        sa.Column("withdrawn_on", sa.Date, nullable=True),
        sa.Column("withdrawn_at", UtcDateTime(), nullable=True),
        _id("withdrawn_by", nullable=True),
    )
    op.create_index("ix_consents_tenant_id", "consents", ["tenant_id"])
    op.create_index("ix_consents_intake_id", "consents", ["intake_id"])
    op.create_index("ix_consents_valid_until", "consents", ["valid_until"])

    op.create_table(
        "admissions",
        _intake_ref(primary_key=True),
        _tenant(),
        _id("case_manager_id"),
        _id("case_manager_org_id"),
        sa.Column("admitted_on", sa.Date, nullable=False),
        _id("admitted_by"),
        sa.Column("target_group_ids", sa.JSON, nullable=False),
        sa.Column("outside_target_groups", sa.Boolean, nullable=False),
        sa.Column("justification", sa.Text, nullable=True),
    )
    op.create_index("ix_admissions_tenant_id", "admissions", ["tenant_id"])

    op.create_table(
        "target_groups",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("conditions", sa.JSON, nullable=False),
        sa.Column("area_ids", sa.JSON, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("steering_decision_ref", sa.String(200), nullable=True),
        _id("created_by", nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_target_groups_tenant_id", "target_groups", ["tenant_id"])

    op.create_table(
        "case_proposals",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        _intake_ref(nullable=False, unique=True),
        _id("proposing_org_id"),
        _id("proposed_by"),
        _id("area_id"),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        _enum("status"),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=True),
        _id("decided_by", nullable=True),
        _id("case_manager_id", nullable=True),
        _id("case_manager_org_id", nullable=True),
        _id("referral_org_id", nullable=True),
        _enum("referral_topic", nullable=True),
    )
    op.create_index("ix_case_proposals_tenant_id", "case_proposals", ["tenant_id"])
    op.create_index("ix_case_proposals_proposing_org_id", "case_proposals", ["proposing_org_id"])

    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
    for table in ("audit_log", "inbox", "outbox"):
        op.drop_table(table)
