"""Households (Bedarfsgemeinschaften, 001 L562; single parents and families, 002 L217): a
household's kind and a note without names, and the intakes linked to it with their relation;
an intake belongs to at most one household. Tenant-owned under row-level security.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls
from lotse_platform.db.tables import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "households",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_on", sa.Date, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_households_tenant_id", "households", ["tenant_id"])
    op.create_table(
        "household_members",
        sa.Column("intake_id", sa.Uuid, sa.ForeignKey("intakes.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("household_id", sa.Uuid, sa.ForeignKey("households.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("relation", sa.String(40), nullable=False),
        sa.Column("linked_by", sa.String(100), nullable=False),
        sa.Column("linked_on", sa.Date, nullable=False),
    )
    op.create_index("ix_household_members_tenant_id", "household_members", ["tenant_id"])
    op.create_index("ix_household_members_household_id", "household_members",
                    ["household_id"])
    enable_tenant_rls(op, "households")
    enable_tenant_rls(op, "household_members")


def downgrade() -> None:
    op.drop_table("household_members")
    op.drop_table("households")
