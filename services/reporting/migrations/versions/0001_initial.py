"""The reporting service's database: the append-only event store, the projections' rows and
their versions, with row-level security on every tenant's table; the platform's tables (outbox,
inbox, audit log) come from the platform branch this depends on.

On PostgreSQL a trigger refuses any UPDATE or DELETE of a stored event (append-only, as the
audit log). ``event_store_tenants()`` (the owner's, SECURITY DEFINER) tells the rebuild which tenants have
events: ids only, as ``audit_log_heads()`` does for the checkpoint writer.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.migrations import enable_tenant_rls, is_postgres

revision = "0001"
down_revision = None
branch_labels = None
depends_on = "platform_0001"  # outbox, inbox, audit log (ADR 0010)

TENANT_TABLES = ("event_store", "case_projection", "referral_projection")

_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION event_store_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'event_store is append-only (a stored event is never changed or deleted)';
END $$
"""

_TENANTS = """
CREATE OR REPLACE FUNCTION event_store_tenants()
RETURNS TABLE (tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
  SELECT DISTINCT e.tenant_id FROM {schema}.event_store e
$$
"""


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer, "sqlite")
    op.create_table(
        "event_store",
        sa.Column("position", big_id, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("sequence", sa.BigInteger, nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_event_store_tenant_position", "event_store", ["tenant_id", "position"])
    op.create_table(
        "case_projection",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("area_id", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(32), nullable=False),
        sa.Column("area_seq", sa.BigInteger, nullable=False),
        sa.Column("phase_seq", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "referral_projection",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("referral_id", sa.String(64), primary_key=True),
        sa.Column("partner_org_id", sa.String(64), nullable=False),
        sa.Column("topic_area", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("arrived", sa.Boolean, nullable=False),
    )
    op.create_table(
        "projection_versions",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)
    bind = op.get_bind()
    if is_postgres(bind):
        schema = bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
        # for the owner only (who runs this migration), never for the application role
        op.execute("CREATE POLICY event_store_tenants_scan ON event_store AS PERMISSIVE "
                   "FOR SELECT TO CURRENT_USER USING (true)")
        op.execute(_TENANTS.format(schema=schema))
        op.execute(_APPEND_ONLY)
        op.execute("CREATE TRIGGER event_store_append_only BEFORE UPDATE OR DELETE ON "
                   "event_store FOR EACH ROW EXECUTE FUNCTION event_store_append_only()")


def downgrade() -> None:
    if is_postgres(op.get_bind()):
        op.execute("DROP TRIGGER IF EXISTS event_store_append_only ON event_store")
        op.execute("DROP FUNCTION IF EXISTS event_store_append_only()")
        op.execute("DROP FUNCTION IF EXISTS event_store_tenants()")
    for table in ("projection_versions", "referral_projection", "case_projection",
                  "event_store"):
        op.drop_table(table)
