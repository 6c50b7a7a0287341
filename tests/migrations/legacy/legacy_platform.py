"""The platform helpers the frozen migrations of ``versions/`` called, frozen with them.

``lotse_platform.db.migrations`` and ``.tables`` as they were at fe413d8 (and stayed until the
platform's tables became the platform branch, ADR 0010); the frozen migrations import from
here instead, so a database they build stays one that the code of that time built, whatever the
platform's helpers become. With the Alembic config attribute ``before_sealing`` (and
:func:`grant_app_role`'s argument) they build what a service's first migration built before
audit sealing existed (f00c06f^): chain columns NOT NULL, an index on ``tenant_id``, no index of
unsealed entries, a trigger that refuses every UPDATE and DELETE, INSERT of whole rows granted.

Never edit this to follow the platform: it is the past that the platform's migrations must
upgrade from.
"""

from __future__ import annotations

import sqlalchemy as sa

TENANT_SETTING = "lotse.tenant_id"
SEAL_COLUMNS = ("seq", "prev_hash", "hash")

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def UtcDateTime() -> sa.DateTime:  # noqa: N802 - the name the frozen migrations import
    """The DDL of ``lotse_platform.db.tables.UtcDateTime`` (a decorator over this type)."""
    return sa.DateTime(timezone=True)


def _before_sealing(op) -> bool:
    config = op.get_context().config
    return bool(config is not None and config.attributes.get("before_sealing"))


def platform_tables(metadata: sa.MetaData, *, before_sealing: bool = False) -> list[sa.Table]:
    timestamp = sa.DateTime(timezone=True)
    outbox = sa.Table(
        "outbox", metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("aggregate_id", sa.String(100), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=True),
        sa.Column("tenant_id", sa.Uuid, nullable=True),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("occurred_at", timestamp, nullable=False),
        sa.Column("traceparent", sa.String(55), nullable=True),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("published_at", timestamp, nullable=True),
        sa.Index("ix_outbox_unpublished", "id", postgresql_where=sa.text("published_at IS NULL"),
                 sqlite_where=sa.text("published_at IS NULL")),
    )
    inbox = sa.Table(
        "inbox", metadata,
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("tenant_id", sa.Uuid, nullable=True),
        sa.Column("processed_at", timestamp, nullable=False),
    )
    sealed_later = not before_sealing  # chain columns NULL until sealed
    audit_log = sa.Table(
        "audit_log", metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=before_sealing),
        sa.Column("seq", sa.BigInteger, nullable=sealed_later),
        sa.Column("at", timestamp, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("acting_org", sa.String(200), nullable=True),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("record_type", sa.String(100), nullable=False),
        sa.Column("record_id", sa.String(100), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("request_id", sa.String(100), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=sealed_later),
        sa.Column("hash", sa.String(64), nullable=sealed_later),
        sa.UniqueConstraint("tenant_id", "seq", name="uq_audit_log_tenant_seq"),
    )
    if sealed_later:
        sa.Index("ix_audit_log_unsealed", audit_log.c.tenant_id, audit_log.c.id,
                 postgresql_where=sa.text("seq IS NULL"), sqlite_where=sa.text("seq IS NULL"))
    return [outbox, inbox, audit_log]


def _is_postgres(bind) -> bool:
    return bind.dialect.name == "postgresql"


def create_platform_tables(op) -> None:
    bind = op.get_bind()
    before_sealing = _before_sealing(op)
    for table in platform_tables(sa.MetaData(), before_sealing=before_sealing):
        table.create(bind)
    enable_tenant_rls(op, "audit_log")
    if not before_sealing:
        enable_audit_sealing(op)
    elif _is_postgres(bind):
        op.execute("""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit_log is append-only';
            END $$;
            """)
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")


def enable_tenant_rls(op, table: str) -> None:
    if not _is_postgres(op.get_bind()):
        return
    current = f"NULLIF(current_setting('{TENANT_SETTING}', true), '')::uuid"
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY tenant_isolation ON "{table}" '
               f"USING (tenant_id = {current}) WITH CHECK (tenant_id = {current})")


_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
     AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
     AND (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash'])
         = (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'])
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (an unsealed entry may be sealed once, nothing else '
                  'may change)';
END $$
"""

_UNSEALED = """
CREATE OR REPLACE FUNCTION audit_log_unsealed()
RETURNS TABLE (tenant_id uuid, entries bigint, oldest timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
  SELECT a.tenant_id, count(*), min(a.at) FROM {schema}.audit_log a
  WHERE a.seq IS NULL GROUP BY a.tenant_id
$$
"""


def enable_audit_sealing(op) -> None:
    bind = op.get_bind()
    columns = {c["name"]: c for c in sa.inspect(bind).get_columns("audit_log")}
    if any(not columns[name]["nullable"] for name in SEAL_COLUMNS):
        with op.batch_alter_table("audit_log") as batch:
            for name in SEAL_COLUMNS:
                batch.alter_column(name, existing_type=columns[name]["type"], nullable=True)
    op.execute("CREATE INDEX IF NOT EXISTS ix_audit_log_unsealed ON audit_log (tenant_id, id) "
               "WHERE seq IS NULL")
    op.execute("DROP INDEX IF EXISTS ix_audit_log_tenant_id")
    if not _is_postgres(bind):
        return
    schema = bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    op.execute(_APPEND_ONLY)
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    op.execute("DROP POLICY IF EXISTS audit_log_unsealed_scan ON audit_log")
    op.execute("CREATE POLICY audit_log_unsealed_scan ON audit_log AS PERMISSIVE FOR SELECT "
               "TO CURRENT_USER USING (seq IS NULL)")
    op.execute(_UNSEALED.format(schema=schema))
    op.execute("REVOKE ALL ON FUNCTION audit_log_unsealed() FROM PUBLIC")


def grant_app_role(connection, role: str, *, before_sealing: bool = False) -> None:
    """What ``upgrade()`` granted the application role after migrating (PostgreSQL)."""
    statements = [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
    ]
    if before_sealing:
        statements.append(f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM "{role}"')
    else:
        columns = [c for c in connection.execute(sa.text(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'audit_log'::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")).scalars()
            if c not in (*SEAL_COLUMNS, "id")]
        inserted = ", ".join(f'"{c}"' for c in columns)
        sealed = ", ".join(f'"{c}"' for c in SEAL_COLUMNS)
        statements += [
            f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log FROM "{role}"',
            f'GRANT INSERT ({inserted}) ON audit_log TO "{role}"',
            f'GRANT UPDATE ({sealed}) ON audit_log TO "{role}"',
            'REVOKE ALL ON FUNCTION audit_log_unsealed() FROM PUBLIC',
            f'GRANT EXECUTE ON FUNCTION audit_log_unsealed() TO "{role}"',
        ]
    for statement in statements:
        connection.execute(sa.text(statement))
