"""Short queries and information events without a person (001 L134, L205): counted by topic
area, language, duration and number of people; tenant-owned under row-level security.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "anonymous_contacts",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("area_id", sa.String(100), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("people", sa.Integer, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_anonymous_contacts_tenant_id", "anonymous_contacts", ["tenant_id"])
    enable_tenant_rls(op, "anonymous_contacts")


def downgrade() -> None:
    op.drop_table("anonymous_contacts")
