"""Outbox, inbox, audit log and audit notes in their current shape: row-level security on the
audit log and the notes, audit sealing (ADR 0008) and the chain heads (ADR 0066) included. The
base of the platform branch; every service's first migration depends on it.

A database whose service created these tables in its own first migration, before this branch
existed, has that migration recorded, and Alembic counts a revision the recorded ones depend on
as applied: this one never runs there (ADR 0010).

Revision ID: platform_0001
Revises:
Create Date: 2026-12-01
"""

from alembic import op

from lotse_platform.db.migrations import create_platform_tables

revision = "platform_0001"
down_revision = None
branch_labels = ("platform",)
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)


def downgrade() -> None:
    for table in ("audit_note", "audit_log", "inbox", "outbox"):
        op.drop_table(table)
