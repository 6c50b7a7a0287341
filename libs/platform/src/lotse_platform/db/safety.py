"""The start-up check: a service refuses to run on a database without tenant isolation.

On PostgreSQL the role the service connects as must not be a superuser, must not have
``BYPASSRLS`` and must not own the tenant-owned tables, nor be a member of their owner's role;
every table with a ``tenant_id`` column must have row-level security enabled and forced, a
policy, no permissive policy that ignores the tenant and applies to this role (a policy for
another role, such as the owner's for audit sealing, opens nothing to it), and an index leading
with ``tenant_id``;
and the schema must be at the heads of the service's migrations: the service's own and the
platform branch's (ADR 0010). SQLite (embedded mode) has no row-level security: only the
migration heads are checked there.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import sqlalchemy as sa

from .engine import TENANT_SETTING, is_postgres
from .migrations import current_revisions, head_revisions


class UnsafeDatabase(RuntimeError):
    """The database does not isolate tenants as required, or is not migrated."""


def check_database(engine: sa.Engine, metadata: sa.MetaData, migrations_dir: Path | None = None) -> None:
    problems = []
    if migrations_dir is not None:
        current, heads = current_revisions(engine), head_revisions(migrations_dir)
        if current != heads:
            problems.append(f"schema is at {revisions(current)}, expected {revisions(heads)} "
                            "(run the migrations)")
    if is_postgres(engine):
        problems += _isolation_problems(engine, metadata)
    if problems:
        raise UnsafeDatabase("; ".join(problems))


def revisions(names: Collection[str]) -> str:
    """``revision None``, ``revision 0001`` or ``revisions 0002, platform_0003``."""
    if len(names) < 2:
        return f"revision {next(iter(names), None)}"
    return "revisions " + ", ".join(sorted(names))


def _isolation_problems(engine: sa.Engine, metadata: sa.MetaData) -> list[str]:
    tenant_tables = sorted(t.name for t in metadata.tables.values() if "tenant_id" in t.c)
    problems = []
    with engine.connect() as connection:
        role = connection.execute(
            sa.text("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        if role.rolsuper:
            problems.append(f"database role {role.rolname} is a superuser")
        if role.rolbypassrls:
            problems.append(f"database role {role.rolname} has BYPASSRLS")
        rows = connection.execute(
            sa.text(
                """
                SELECT c.relname, pg_get_userbyid(c.relowner) AS owner,
                       pg_has_role(current_user, c.relowner, 'MEMBER') AS owned_by_us,
                       c.relrowsecurity, c.relforcerowsecurity,
                       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid) AS has_policy,
                       ARRAY(
                         SELECT p.polname::text FROM pg_policy p
                         WHERE p.polrelid = c.oid AND p.polpermissive
                           -- only policies that apply to this role (PUBLIC is role 0); the
                           -- owner's own SELECT policy for audit sealing does not
                           AND (0 = ANY(p.polroles) OR EXISTS (
                             SELECT 1 FROM unnest(p.polroles) AS r(oid)
                             WHERE pg_has_role(current_user, r.oid, 'MEMBER')))
                           AND NOT (
                           (p.polqual IS NULL OR position(:setting IN
                             pg_get_expr(p.polqual, p.polrelid)) > 0)
                           AND (p.polwithcheck IS NULL OR position(:setting IN
                             pg_get_expr(p.polwithcheck, p.polrelid)) > 0))
                       ) AS loose_policies,
                       EXISTS (
                         SELECT 1 FROM pg_index i
                         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
                         WHERE i.indrelid = c.oid AND a.attname = 'tenant_id'
                       ) AS has_index
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r'
                  AND c.relname = ANY(:names)
                """
            ),
            {"names": tenant_tables, "setting": TENANT_SETTING},
        ).all()
    found = {row.relname: row for row in rows}
    for name in tenant_tables:
        if name in ("outbox", "inbox"):
            continue  # infrastructure tables without personal data (ADR 0004)
        row = found.get(name)
        if row is None:
            problems.append(f"table {name} is missing")
            continue
        if row.owner == role.rolname:
            problems.append(f"table {name} is owned by the application role {role.rolname}")
        elif row.owned_by_us:
            # a member of the owner role can SET ROLE to it and switch row-level security off
            problems.append(f"table {name} is owned by {row.owner}, "
                            f"a role the application role {role.rolname} is a member of")
        if not row.relrowsecurity:
            problems.append(f"table {name} has no row-level security")
        if not row.relforcerowsecurity:
            problems.append(f"table {name} does not FORCE row-level security")
        if not row.has_policy:
            problems.append(f"table {name} has no row-level security policy")
        for policy in row.loose_policies:
            # permissive policies are OR-ed: one that ignores the tenant opens the table
            problems.append(f"table {name} has policy {policy}, which does not compare "
                            f"tenant_id with {TENANT_SETTING}")
        if not row.has_index:
            problems.append(f"table {name} has no index on tenant_id")
    return problems
