"""Team case discussions and supervision inside the case-management team (seed 001 L614
"Fallbesprechungen", L363; 002 L262): part of the coordinating office's professional
supervision, distinct from the case conference with partners.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_discussions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("participant_ids", sa.JSON(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("structural_issues", sa.Text(), nullable=True),
    )
    op.create_index("ix_team_discussions_tenant_id", "team_discussions", ["tenant_id"])
    enable_tenant_rls(op, "team_discussions")


def downgrade() -> None:
    op.drop_table("team_discussions")
