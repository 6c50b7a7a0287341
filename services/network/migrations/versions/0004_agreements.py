"""Cooperation agreements, bodies and their meetings, the knowledge base with its versions
(ADR 0085). Organisational data only; every table tenant-owned with row-level security.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from lotse_platform.db.migrations import enable_tenant_rls

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("party_org_ids", sa.JSON, nullable=False),
        sa.Column("other_parties", sa.JSON, nullable=False),
        sa.Column("target_group_ids", sa.JSON, nullable=False),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("area_ids", sa.JSON, nullable=False),
        sa.Column("cases_taken", sa.Text, nullable=False),
        sa.Column("data_handling", sa.Text, nullable=False),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("basis", sa.String(300)),
        sa.Column("signed_on", sa.Date),
        sa.Column("document_ref", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_agreements_tenant_id", "agreements", ["tenant_id"])
    enable_tenant_rls(op, "agreements")
    op.create_table(
        "bodies",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("member_org_ids", sa.JSON, nullable=False),
        sa.Column("area_id", sa.String(100)),
        sa.Column("rhythm", sa.String(20), nullable=False),
        sa.Column("weekday", sa.SmallInteger),
        sa.Column("nth", sa.SmallInteger),
        sa.Column("starts_at", sa.Time),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_bodies_tenant_id", "bodies", ["tenant_id"])
    enable_tenant_rls(op, "bodies")
    op.create_table(
        "body_meetings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("body_id", sa.Uuid, sa.ForeignKey("bodies.id"), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("participant_org_ids", sa.JSON, nullable=False),
        sa.Column("contributions", sa.JSON, nullable=False),
        sa.Column("minutes", sa.Text, nullable=False),
        sa.Column("follow_ups", sa.JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_body_meetings_tenant_id", "body_meetings", ["tenant_id"])
    op.create_index("ix_body_meetings_body_id", "body_meetings", ["body_id"])
    enable_tenant_rls(op, "body_meetings")
    op.create_table(
        "knowledge_articles",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("entry_ids", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_knowledge_articles_tenant_id", "knowledge_articles", ["tenant_id"])
    enable_tenant_rls(op, "knowledge_articles")
    op.create_table(
        "knowledge_article_versions",
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("article_id", sa.Uuid, sa.ForeignKey("knowledge_articles.id"),
                  primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("topic_areas", sa.JSON, nullable=False),
        sa.Column("entry_ids", sa.JSON, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_knowledge_article_versions_tenant_id", "knowledge_article_versions",
                    ["tenant_id"])
    enable_tenant_rls(op, "knowledge_article_versions")
    _search_index()


def _search_index() -> None:
    """Full-text search of the articles in embedded mode: an FTS5 table kept by triggers
    (SQLite has no German stemmer: words match by prefix). PostgreSQL computes the ``german``
    ``to_tsvector`` per query (tens of articles; ADR 0085)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE knowledge_articles_fts USING fts5(title, body, "
                   "content='knowledge_articles', content_rowid='rowid', "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER knowledge_articles_fts_insert AFTER INSERT ON "
                   "knowledge_articles BEGIN INSERT INTO knowledge_articles_fts(rowid, title, "
                   "body) VALUES (new.rowid, new.title, new.body); END")
        op.execute("CREATE TRIGGER knowledge_articles_fts_delete AFTER DELETE ON "
                   "knowledge_articles BEGIN INSERT INTO knowledge_articles_fts("
                   "knowledge_articles_fts, rowid, title, body) VALUES ('delete', old.rowid, "
                   "old.title, old.body); END")
        op.execute("CREATE TRIGGER knowledge_articles_fts_update AFTER UPDATE ON "
                   "knowledge_articles BEGIN INSERT INTO knowledge_articles_fts("
                   "knowledge_articles_fts, rowid, title, body) VALUES ('delete', old.rowid, "
                   "old.title, old.body); INSERT INTO knowledge_articles_fts(rowid, title, body) "
                   "VALUES (new.rowid, new.title, new.body); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS knowledge_articles_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS knowledge_articles_fts")
    op.drop_table("knowledge_article_versions")
    op.drop_table("knowledge_articles")
    op.drop_table("body_meetings")
    op.drop_table("bodies")
    op.drop_table("agreements")
