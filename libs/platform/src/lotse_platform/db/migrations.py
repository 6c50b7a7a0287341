"""Alembic, per service. Each service keeps its own ``migrations/`` folder; the logic of its
``env.py`` and the operations every service needs live here once.

- The platform's own tables (outbox, inbox, audit log) are one Alembic branch, ``platform``, in
  :data:`PLATFORM_VERSIONS`; every service's history depends on its base (ADR 0010), and
  :func:`alembic_config` puts both folders in ``version_locations``.
- :func:`upgrade` runs both to their heads as the table owner, then grants the application role
  what it may do (DML, never ownership; the audit log append-only).
- :func:`enable_tenant_rls` is called from the services' migrations; :func:`create_platform_tables`,
  :func:`enable_audit_sealing` and :func:`enable_audit_notes_and_heads` from the platform's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ..crypto import fields
from ..crypto.fields import FieldCipher
from .engine import FIELD_CIPHER, TENANT_SETTING, create_engine, is_postgres
from .tables import platform_tables

if TYPE_CHECKING:
    from alembic.operations import BatchOperations

TENANT_POLICY = "tenant_isolation"

#: the platform branch's revisions, installed with this package
PLATFORM_VERSIONS = Path(__file__).resolve().with_name("versions")


def alembic_config(migrations_dir: Path, url: str) -> Config:
    """A service's Alembic configuration: its ``env.py``, its own revisions and the platform's."""
    config = Config()
    # ConfigParser interpolation: a literal % (encoded password, odd path) must be doubled.
    config.set_main_option("script_location", str(migrations_dir).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    locations = os.pathsep.join(str(p) for p in (migrations_dir / "versions", PLATFORM_VERSIONS))
    config.set_main_option("version_locations", locations.replace("%", "%%"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def run_env(context: Any, target_metadata: sa.MetaData) -> None:
    """The body of every service's ``migrations/env.py`` (online mode only)."""
    url = context.config.get_main_option("sqlalchemy.url")
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(context, connectable, target_metadata)
        return
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        _run(context, connection, target_metadata)
    engine.dispose()


def _run(context: Any, connection: sa.Connection, target_metadata: sa.MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def upgrade(migrations_dir: Path, owner_url: str, app_role: str | None = "lotse_app", *,
            field_cipher: FieldCipher | None = None) -> None:
    """Migrate to the heads (the service's and the platform's) as the owner; then grant
    ``app_role`` its privileges (PostgreSQL). ``field_cipher``: what a migration that encrypts
    columns encrypts existing values with (:func:`encrypt_columns`)."""
    # alembic's commands (and the templates and highlighting they bring) only where migrations
    # run: every API and worker imports this module for its start-up check (issue 16)
    from alembic import command

    config = alembic_config(migrations_dir, owner_url)
    config.attributes[FIELD_CIPHER] = field_cipher
    command.upgrade(config, "heads")
    engine = create_engine(owner_url, poolclass=sa.pool.NullPool)
    try:
        if is_postgres(engine) and app_role:
            with engine.begin() as connection:
                grant_app_role(connection, app_role)
    finally:
        engine.dispose()


def current_revisions(engine: sa.Engine) -> frozenset[str]:
    """The revisions recorded in the database (one per branch); empty if never migrated."""
    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def head_revisions(migrations_dir: Path) -> frozenset[str]:
    """The heads a migrated database is at: the service's and the platform branch's."""
    script = ScriptDirectory.from_config(alembic_config(migrations_dir, "sqlite://"))
    return frozenset(script.get_heads())


def grant_app_role(connection: sa.Connection, app_role: str) -> None:
    role = sa.sql.quoted_name(app_role, quote=True)
    statements = [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
    ]
    if _has_table(connection, "audit_log"):
        statements += _audit_grants(connection, role)
    for statement in statements:
        connection.execute(sa.text(statement))


def _has_table(connection: sa.Connection, name: str) -> bool:
    return bool(connection.execute(sa.text("SELECT to_regclass(:name) IS NOT NULL"),
                                   {"name": name}).scalar_one())


def _audit_grants(connection: sa.Connection, role: str) -> list[str]:
    """The audit trail is append-only for the application (ADR 0007, 0008): it inserts entries
    without their chain columns, and it may set those columns, once, only as the sealer does.

    Column privileges: INSERT of every column except ``seq``, ``prev_hash``, ``hash`` (a new
    entry cannot arrive sealed), UPDATE of just those three (the trigger allows it only from
    NULL to values), no DELETE or TRUNCATE. EXECUTE on ``audit_log_unsealed()``, which tells the
    sealer which tenants have entries waiting, and on ``audit_log_heads()``, which tells the
    checkpoint writer each tenant's head (row-level security hides them otherwise). The notes
    (``audit_note``) keep the ordinary DML grants: they are erasable by design."""
    columns = [c for c in connection.execute(sa.text(
        "SELECT attname FROM pg_attribute WHERE attrelid = 'audit_log'::regclass "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")).scalars()
        if c not in (*SEAL_COLUMNS, "id")]
    inserted = ", ".join(f'"{c}"' for c in columns)
    sealed = ", ".join(f'"{c}"' for c in SEAL_COLUMNS)
    grants = [
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log FROM "{role}"',
        f'GRANT INSERT ({inserted}) ON audit_log TO "{role}"',
        f'GRANT UPDATE ({sealed}) ON audit_log TO "{role}"',
    ]
    for function in ("audit_log_unsealed()", "audit_log_heads()"):
        if connection.execute(sa.text("SELECT to_regprocedure(:f) IS NOT NULL"),
                              {"f": function}).scalar_one():
            grants += [f'REVOKE ALL ON FUNCTION {function} FROM PUBLIC',
                       f'GRANT EXECUTE ON FUNCTION {function} TO "{role}"']
    return grants


class MigrationOperations(Protocol):
    """What the helpers below use of Alembic's operations: ``alembic.op`` in a migration (a module
    that proxies the running migration's ``Operations``), or an ``Operations`` object (tests)."""

    def get_bind(self) -> sa.Connection: ...

    def execute(self, sqltext: str) -> None: ...

    def batch_alter_table(self, table_name: str) -> AbstractContextManager[BatchOperations]: ...


def create_platform_tables(op: MigrationOperations) -> None:
    """Create outbox, inbox and audit log (the platform branch's first revision).

    The tables take their current shape (:mod:`.tables`), audit sealing, notes and chain heads
    included; a database whose tables were created before sealing existed gets them from the
    branch's later revisions, which call :func:`enable_audit_sealing` and
    :func:`enable_audit_notes_and_heads` and do nothing that is already done.
    """
    bind = op.get_bind()
    tables = platform_tables(sa.MetaData())
    for table in (tables.outbox, tables.inbox, tables.audit_log):
        table.create(bind)
    enable_tenant_rls(op, "audit_log")
    enable_audit_sealing(op)
    enable_audit_notes_and_heads(op)


SEAL_COLUMNS = ("seq", "prev_hash", "hash")

# Append-only, except for sealing: an UPDATE may only set the chain columns of an unsealed entry
# from NULL to values and must leave every other column as it was (compared as JSON, so a column
# added later is covered without touching this function). No DELETE at all.
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

# Which tenants have unsealed entries, how many and since when: ids and counts only. Runs as the
# table owner (SECURITY DEFINER, search path pinned), who sees unsealed rows of every tenant
# through the SELECT-only policy ``audit_log_unsealed_scan``; the application role may call it
# but still sees no row of a tenant other than its transaction's.
_UNSEALED = """
CREATE OR REPLACE FUNCTION audit_log_unsealed()
RETURNS TABLE (tenant_id uuid, entries bigint, oldest timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
  SELECT a.tenant_id, count(*), min(a.at) FROM {schema}.audit_log a
  WHERE a.seq IS NULL GROUP BY a.tenant_id
$$
"""


def enable_audit_sealing(op: MigrationOperations) -> None:
    """Audit entries written unsealed, chained by the sealer afterwards (ADR 0008). Idempotent.

    PostgreSQL: chain columns nullable, the partial index of unsealed entries (and no separate
    index on ``tenant_id``, which both unique and partial index lead with), the append-only
    trigger that allows sealing (once), the owner's policy and function that let the sealer find
    the tenants with unsealed entries. SQLite (embedded mode) seals in the writing transaction;
    there only the columns and the index change.
    """
    bind = op.get_bind()
    columns = {c["name"]: c for c in sa.inspect(bind).get_columns("audit_log")}
    if any(not columns[name]["nullable"] for name in SEAL_COLUMNS):
        with op.batch_alter_table("audit_log") as batch:
            for name in SEAL_COLUMNS:
                batch.alter_column(name, existing_type=columns[name]["type"], nullable=True)
    op.execute("CREATE INDEX IF NOT EXISTS ix_audit_log_unsealed ON audit_log (tenant_id, id) "
               "WHERE seq IS NULL")
    # redundant beside (tenant_id, seq) and the index above, and one more to write per entry
    # and per sealing
    op.execute("DROP INDEX IF EXISTS ix_audit_log_tenant_id")
    if not is_postgres(bind):
        return
    schema = bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    op.execute(_APPEND_ONLY)
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    op.execute("DROP POLICY IF EXISTS audit_log_unsealed_scan ON audit_log")
    # for the owner only (who runs this migration), never for the application role
    op.execute("CREATE POLICY audit_log_unsealed_scan ON audit_log AS PERMISSIVE FOR SELECT "
               "TO CURRENT_USER USING (seq IS NULL)")
    op.execute(_UNSEALED.format(schema=schema))
    op.execute("REVOKE ALL ON FUNCTION audit_log_unsealed() FROM PUBLIC")


# Each tenant's chain head (its last sealed entry): ids, counts and hashes only. Like
# ``audit_log_unsealed()`` it runs as the table owner, who sees the sealed rows through the
# SELECT-only policy ``audit_log_heads_scan``; it serves the checkpoint writer (ADR 0066).
_HEADS = """
CREATE OR REPLACE FUNCTION audit_log_heads()
RETURNS TABLE (tenant_id uuid, seq bigint, hash varchar)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
  SELECT DISTINCT ON (a.tenant_id) a.tenant_id, a.seq, a.hash FROM {schema}.audit_log a
  WHERE a.seq IS NOT NULL ORDER BY a.tenant_id, a.seq DESC
$$
"""


def enable_audit_notes_and_heads(op: MigrationOperations) -> None:
    """The erasable notes beside the trail (ADR 0065) and the chain heads the checkpoint writer
    anchors outside the database (ADR 0066). Idempotent.

    ``audit_note`` with tenant row-level security; on PostgreSQL also the owner's function
    ``audit_log_heads()`` and its SELECT-only policy on sealed entries.
    """
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("audit_note"):
        platform_tables(sa.MetaData()).audit_note.create(bind)
        enable_tenant_rls(op, "audit_note")
    if not is_postgres(bind):
        return
    schema = bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    op.execute("DROP POLICY IF EXISTS audit_log_heads_scan ON audit_log")
    # for the owner only (who runs this migration), never for the application role
    op.execute("CREATE POLICY audit_log_heads_scan ON audit_log AS PERMISSIVE FOR SELECT "
               "TO CURRENT_USER USING (seq IS NOT NULL)")
    op.execute(_HEADS.format(schema=schema))
    op.execute("REVOKE ALL ON FUNCTION audit_log_heads() FROM PUBLIC")


def enable_tenant_rls(op: MigrationOperations, table: str) -> None:
    """Row-level security on a tenant-owned table, forced also for its owner (PostgreSQL)."""
    if not is_postgres(op.get_bind()):
        return
    current = f"NULLIF(current_setting('{TENANT_SETTING}', true), '')::uuid"
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY {TENANT_POLICY} ON "{table}" '
        f"USING (tenant_id = {current}) WITH CHECK (tenant_id = {current})"
    )


def encrypt_columns(op: Any, table: str, columns: Sequence[str], *, key: str = "id",
                    batch_size: int = 500) -> None:
    """In a migration: store ``columns`` of ``table`` encrypted (ADR 0104). On PostgreSQL each
    column becomes ``text`` (JSON kept as its text); SQLite keeps its declared type (it stores
    text either way). Existing values are encrypted with their row's tenant's keys when the
    migration runs with a field cipher (the service's key store); without one they stay as they
    are — readable, and encrypted later by ``lotse-<service> keys re-encrypt``."""
    bind = op.get_bind()
    if is_postgres(bind):
        for name in columns:
            op.execute(sa.text(f'ALTER TABLE "{table}" ALTER COLUMN "{name}" TYPE text '
                               f'USING "{name}"::text'))
    cipher: FieldCipher | None = op.get_context().config.attributes.get(FIELD_CIPHER)
    if cipher is None:
        return

    def encrypt(tenant: Any, name: str, value: str) -> str | None:
        if fields.is_encrypted(value):
            return None
        return cipher.encrypt(tenant, f"{table}.{name}", value)

    _rewrite_rows(op, table, columns, key, batch_size, encrypt)


def decrypt_columns(op: Any, table: str, columns: Mapping[str, str], *, key: str = "id",
                    batch_size: int = 500) -> None:
    """The downgrade of :func:`encrypt_columns`: decrypt ``columns`` (name -> the SQL type it
    had, e.g. ``json``) and give them their type back (PostgreSQL). Needs the field cipher when
    an encrypted value is left."""
    cipher: FieldCipher | None = op.get_context().config.attributes.get(FIELD_CIPHER)

    def decrypt(tenant: Any, name: str, value: str) -> str | None:
        if not fields.is_encrypted(value):
            return None
        if cipher is None:
            raise RuntimeError(f"{table}.{name} holds encrypted values: downgrade with the "
                               "service's key store (LOTSE_KEY_STORE)")
        try:
            return cipher.decrypt(tenant, f"{table}.{name}", value)
        except fields.FieldUnreadable:
            raise RuntimeError(f"{table}.{name} holds values of tenant {tenant} that do not "
                               "decrypt (its keys destroyed?): erase its rows before "
                               "downgrading") from None

    _rewrite_rows(op, table, list(columns), key, batch_size, decrypt)
    if is_postgres(op.get_bind()):
        for name, sql_type in columns.items():
            op.execute(sa.text(f'ALTER TABLE "{table}" ALTER COLUMN "{name}" TYPE {sql_type} '
                               f'USING "{name}"::{sql_type}'))


def _rewrite_rows(op: Any, table: str, columns: Sequence[str], key: str, batch_size: int,
                  change: Callable[[Any, str, str], str | None]) -> None:
    """Every row of ``table`` (all tenants), ``change(tenant, column, value)`` applied to each
    value of ``columns`` that is not NULL (None: keep it), in batches by ``key``."""
    bind = op.get_bind()
    if is_postgres(bind):
        # the owner reads every tenant's rows for this transaction only (it holds the table's
        # lock since the ALTER); forced again before the migration commits
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    rows = sa.table(table, sa.column(key), sa.column("tenant_id", sa.Uuid),
                    *(sa.column(name, sa.Text) for name in columns))
    last: Any = None
    while True:
        query = sa.select(rows).order_by(rows.c[key]).limit(batch_size)
        if last is not None:
            query = query.where(rows.c[key] > last)
        batch = bind.execute(query).mappings().all()
        for row in batch:
            changes = {}
            for name in columns:
                value = row[name]
                if value is None:
                    continue
                if not isinstance(value, str):  # JSON a driver handed back parsed
                    value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                new = change(row["tenant_id"], name, value)
                if new is not None:
                    changes[name] = new
            if changes:
                bind.execute(rows.update().where(rows.c[key] == row[key]).values(**changes))
        if len(batch) < batch_size:
            break
        last = batch[-1][key]
    if is_postgres(bind):
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
