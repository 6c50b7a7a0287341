"""Sessions of the web console and the key of its CSRF tokens.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = "platform_0001"  # outbox, inbox, audit log (ADR 0010)


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])
    op.create_table(
        "console_keys",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("secret", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("console_keys")
    op.drop_table("console_sessions")
