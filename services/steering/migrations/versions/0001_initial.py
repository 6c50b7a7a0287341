"""The case projection (from casework's events), reconstruction sessions and proposed themes.
The platform tables come from the platform branch this depends on.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = "platform_0001"  # outbox, inbox, audit log (ADR 0010)


def upgrade() -> None:
    op.create_table(
        "case_records",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.String(100), primary_key=True),
        sa.Column("area_id", sa.String(100), nullable=False),
        sa.Column("case_manager_id", sa.String(100), nullable=False),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("legal_areas", sa.JSON, nullable=False),
        sa.Column("opened_on", sa.Date, nullable=True),
        sa.Column("transferred_on", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("phases", sa.JSON, nullable=False),
        sa.Column("goals_set", sa.JSON, nullable=False),
        sa.Column("goals_ended", sa.JSON, nullable=False),
        sa.Column("organisations", sa.JSON, nullable=False),
        sa.Column("contacts", sa.Integer, nullable=False),
        sa.Column("facts_sequence", sa.Integer, nullable=False),
    )
    op.create_index("ix_case_records_tenant_id", "case_records", ["tenant_id"])
    enable_tenant_rls(op, "case_records")
    op.create_table(
        "reconstructions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("moderator_id", sa.String(100), nullable=False),
        sa.Column("cases", sa.JSON, nullable=False),
        sa.Column("theme_ids", sa.JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reconstructions_tenant_id", "reconstructions", ["tenant_id"])
    enable_tenant_rls(op, "reconstructions")
    op.create_table(
        "themes",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("proposed_on", sa.Date, nullable=False),
    )
    op.create_index("ix_themes_tenant_id", "themes", ["tenant_id"])
    enable_tenant_rls(op, "themes")


def downgrade() -> None:
    op.drop_table("themes")
    op.drop_table("reconstructions")
    op.drop_table("case_records")
