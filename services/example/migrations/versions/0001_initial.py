"""Notes and area tallies. The platform tables come from the platform branch this depends on.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
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
        "notes",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("area_id", sa.String(100), nullable=False),
        sa.Column("author_id", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_notes_tenant_id", "notes", ["tenant_id"])
    enable_tenant_rls(op, "notes")
    op.create_table(
        "area_tallies",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("area_id", sa.String(100), primary_key=True),
        sa.Column("notes", sa.Integer, nullable=False),
    )
    op.create_index("ix_area_tallies_tenant_id", "area_tallies", ["tenant_id"])
    enable_tenant_rls(op, "area_tallies")


def downgrade() -> None:
    op.drop_table("area_tallies")
    op.drop_table("notes")
