"""Topics flagged in the case managers' 2-week reports, received from reporting's events (id,
period, topic area, day; no text, no reporter), under row-level security.

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
        "reported_topics",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("candidate_id", sa.String(100), primary_key=True),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("topic_area", sa.String(40), nullable=False),
        sa.Column("flagged_on", sa.Date, nullable=False),
        sa.Column("theme_id", sa.String(100), nullable=True),
    )
    op.create_index("ix_reported_topics_tenant_id", "reported_topics", ["tenant_id"])
    enable_tenant_rls(op, "reported_topics")


def downgrade() -> None:
    op.drop_table("reported_topics")
