"""Alembic, per service. Each service keeps its own ``migrations/`` folder; the logic of its
``env.py`` and the operations every service needs live here once.

- :func:`upgrade` runs a service's migrations to head as the table owner, then grants the
  application role what it may do (DML, never ownership; the audit log append-only).
- :func:`create_platform_tables` and :func:`enable_tenant_rls` are called from migrations.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .engine import TENANT_SETTING, create_engine, is_postgres
from .tables import platform_tables

TENANT_POLICY = "tenant_isolation"


def alembic_config(migrations_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    # ConfigParser interpolation: a literal % in a URL (encoded password) must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def run_env(context, target_metadata: sa.MetaData) -> None:
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


def _run(context, connection, target_metadata) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def upgrade(migrations_dir: Path, owner_url: str, app_role: str | None = "lotse_app") -> None:
    """Migrate to head as the owner; then grant ``app_role`` its privileges (PostgreSQL)."""
    command.upgrade(alembic_config(migrations_dir, owner_url), "head")
    engine = create_engine(owner_url, poolclass=sa.pool.NullPool)
    try:
        if is_postgres(engine) and app_role:
            with engine.begin() as connection:
                grant_app_role(connection, app_role)
    finally:
        engine.dispose()


def current_revision(engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(migrations_dir: Path) -> str | None:
    return ScriptDirectory.from_config(alembic_config(migrations_dir, "sqlite://")).get_current_head()


def grant_app_role(connection, app_role: str) -> None:
    role = sa.sql.quoted_name(app_role, quote=True)
    statements = [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        # the audit trail is append-only for the application
        f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
    ]
    for statement in statements:
        connection.execute(sa.text(statement))


def create_platform_tables(op) -> None:
    """Create outbox, inbox and audit log (call from a service's first migration)."""
    bind = op.get_bind()
    tables = platform_tables(sa.MetaData())
    for table in (tables.outbox, tables.inbox, tables.audit_log):
        table.create(bind)
    enable_tenant_rls(op, "audit_log")
    if is_postgres(bind):
        # Append-only even for a role that was granted too much: changes to history fail.
        op.execute(
            """
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit_log is append-only';
            END $$;
            """
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def enable_tenant_rls(op, table: str) -> None:
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
