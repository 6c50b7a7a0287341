"""The participation forum (forums, sessions, anonymous statements), its invitation list (the one
table of steering with personal data, ADR 0098), information events and the links from themes to
county-level case conferences; every table under row-level security.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forums",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_on", sa.Date, nullable=False),
    )
    op.create_table(
        "forum_sessions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("forum_id", sa.Uuid, sa.ForeignKey("forums.id"), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(500), nullable=False),
        sa.Column("participants", sa.Integer, nullable=True),
    )
    op.create_index("ix_forum_sessions_forum_id", "forum_sessions", ["forum_id"])
    op.create_table(
        "forum_statements",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("session_id", sa.Uuid, sa.ForeignKey("forum_sessions.id"), nullable=False),
        sa.Column("forum_id", sa.Uuid, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("topic_area", sa.String(40), nullable=False),
        sa.Column("recorded_on", sa.Date, nullable=False),
        sa.Column("theme_id", sa.String(100), nullable=True),
    )
    op.create_index("ix_forum_statements_session_id", "forum_statements", ["session_id"])
    op.create_table(
        "forum_invitees",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("forum_id", sa.Uuid, sa.ForeignKey("forums.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("consent_given_on", sa.Date, nullable=False),
        sa.Column("consent_how", sa.String(20), nullable=False),
        sa.Column("consent_purpose", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_forum_invitees_forum_id", "forum_invitees", ["forum_id"])
    op.create_table(
        "information_events",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("topic", sa.String(500), nullable=False),
        sa.Column("audience", sa.String(500), nullable=False),
        sa.Column("speaker_organisation", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attendance", sa.Integer, nullable=True),
        sa.Column("theme_id", sa.Uuid, nullable=True),
        sa.Column("decision_id", sa.Uuid, nullable=True),
    )
    op.create_table(
        "theme_conference_links",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("theme_id", sa.Uuid, primary_key=True),
        sa.Column("conference_id", sa.Uuid, primary_key=True),
        sa.Column("linked_on", sa.Date, nullable=False),
    )
    for table in ("forums", "forum_sessions", "forum_statements", "forum_invitees",
                  "information_events", "theme_conference_links"):
        op.create_index(f"ix_{table}_tenant_id", table, ["tenant_id"])
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in ("theme_conference_links", "information_events", "forum_invitees",
                  "forum_statements", "forum_sessions", "forums"):
        op.drop_table(table)
