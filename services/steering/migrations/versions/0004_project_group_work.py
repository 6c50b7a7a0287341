"""Project groups' work (issue 13 step 4, ADR 0096): the mandated project groups (the same
table the decisions create), their members and meetings, goal systems, service chains and the
presented result, each under row-level security.

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


def _tenant_table(name: str, *columns: sa.Column) -> None:
    op.create_table(name, *columns)
    op.create_index(f"ix_{name}_tenant_id", name, ["tenant_id"])
    enable_tenant_rls(op, name)


def upgrade() -> None:
    _tenant_table(
        "project_groups",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("theme_id", sa.Uuid, nullable=False),
        sa.Column("decision_id", sa.Uuid, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("objective", sa.Text, nullable=False),
        sa.Column("composition", sa.Text, nullable=False),
        sa.Column("working_form", sa.Text, nullable=False),
        sa.Column("expected_result", sa.Text, nullable=False),
        sa.Column("special_requirements", sa.Text, nullable=False),
        sa.Column("mandated_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
    )
    _tenant_table(
        "project_group_members",
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), primary_key=True),
        sa.Column("user_id", sa.String(100), primary_key=True),
        sa.Column("organisation_id", sa.String(100), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    _tenant_table(
        "project_group_meetings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_project_group_meetings_group_id", "project_group_meetings",
                    ["group_id"])
    _tenant_table(
        "goal_systems",
        sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("nodes", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    _tenant_table(
        "service_chains",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("goal_key", sa.String(50), nullable=True),
        sa.Column("steps", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_service_chains_group_id", "service_chains", ["group_id"])
    _tenant_table(
        "project_group_results",
        sa.Column("group_id", sa.Uuid, sa.ForeignKey("project_groups.id"), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("presented_on", sa.Date, nullable=False),
        sa.Column("presented_by", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    for table in ("project_group_results", "service_chains", "goal_systems",
                  "project_group_meetings", "project_group_members", "project_groups"):
        op.drop_table(table)
