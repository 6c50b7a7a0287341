"""Audit notes outside the trail (ADR 0065) and the chain heads the checkpoint writer anchors
outside the database (ADR 0066): the table ``audit_note`` (tenant row-level security) and, on
PostgreSQL, the owner's function ``audit_log_heads()`` with its SELECT-only policy.

A database that ``platform_0001`` created in the current shape has all of it already; this
changes nothing there.

Revision ID: platform_0004
Revises: platform_0003
Create Date: 2026-12-09
"""

from alembic import op

from lotse_platform.db.migrations import enable_audit_notes_and_heads

revision = "platform_0004"
down_revision = "platform_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    enable_audit_notes_and_heads(op)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_heads()")
        op.execute("DROP POLICY IF EXISTS audit_log_heads_scan ON audit_log")
    op.drop_table("audit_note")
