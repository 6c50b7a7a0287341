"""The steering group (members, quorum rule, meetings), its decision proposals with votes and
outcomes, and the lifecycle of themes (ADR 0095), under row-level security. The project groups
it mandates are 0004's. No personal data: people are user ids.

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

_AT = sa.DateTime(timezone=True)


def _tenant_table(name: str, *columns: sa.Column | sa.UniqueConstraint,
                  indexed: tuple[str, ...] = ()) -> None:
    op.create_table(name, *columns)
    op.create_index(f"ix_{name}_tenant_id", name, ["tenant_id"])
    for column in indexed:
        op.create_index(f"ix_{name}_{column}", name, [column])
    enable_tenant_rls(op, name)


def upgrade() -> None:
    _tenant_table(
        "steering_members",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("organisation_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("voting", sa.Boolean, nullable=False),
        sa.Column("deputy_id", sa.Uuid, nullable=True),
        sa.UniqueConstraint("tenant_id", "user_id", name="uq_steering_members_user"),
    )
    op.create_table(
        "steering_quorum_rules",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("min_participation_percent", sa.Integer, nullable=False),
        sa.Column("majority", sa.String(20), nullable=False),
    )
    enable_tenant_rls(op, "steering_quorum_rules")
    _tenant_table(
        "steering_meetings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("agenda", sa.JSON, nullable=False),
        sa.Column("minutes", sa.Text, nullable=True),
        sa.Column("minutes_recorded_at", _AT, nullable=True),
        sa.Column("minutes_recorded_by", sa.String(100), nullable=True),
    )
    _tenant_table(
        "decision_proposals",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("created_on", sa.Date, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("theme_id", sa.Uuid, nullable=True),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("attachments", sa.JSON, nullable=False),
        sa.Column("mandate", sa.JSON, nullable=True),
        sa.Column("target_group_change", sa.JSON, nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("tally", sa.JSON, nullable=True),
        sa.Column("project_group_id", sa.Uuid, nullable=True),
    )
    _tenant_table(
        "decision_votes",
        sa.Column("proposal_id", sa.Uuid, primary_key=True),
        sa.Column("member_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("vote", sa.String(10), nullable=False),
        sa.Column("cast_by", sa.String(100), nullable=False),
        sa.Column("as_deputy", sa.Boolean, nullable=False),
        sa.Column("cast_at", _AT, nullable=False),
    )
    _tenant_table(
        "theme_transitions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("theme_id", sa.Uuid, nullable=False),
        sa.Column("from_status", sa.String(30), nullable=False),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("changed_on", sa.Date, nullable=False),
        sa.Column("decision_id", sa.Uuid, nullable=True),
        sa.Column("changed_by", sa.String(100), nullable=True),
        sa.Column("write_up", sa.Text, nullable=True),
        indexed=("theme_id",),
    )


def downgrade() -> None:
    for table in ("theme_transitions", "decision_votes", "decision_proposals",
                  "steering_meetings", "steering_quorum_rules", "steering_members"):
        op.drop_table(table)
