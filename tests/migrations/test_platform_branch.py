"""The platform's tables are one Alembic branch that every service's history depends on
(ADR 0010): a new database of each service gets them from it, and a database from before the
branch upgrades with the current code, with no manual step.

Until then each service's first migration created outbox, inbox and audit log, and each service
had its own audit-sealing migration. Deployments keep such databases at any of those revisions:
PostgreSQL in production, ``.lotse/<service>.db`` in embedded mode. Each upgrade case builds one
with the frozen migrations of ``legacy/`` (as at fe413d8; the last revision before sealing also
as it was before audit sealing existed), writes rows into the platform's tables, runs the current
migrations as ``Service.migrate()`` does, and checks: the revisions recorded are the current heads
(the service's and the platform's), the schema — tables, columns, indexes and on PostgreSQL
row-level security, policies, the append-only trigger, functions and the application role's
privileges — is exactly the one a new database gets, every row is still there, the start-up
check accepts the database, and the audit chain goes on: a new entry is sealed after the old one
and the chain verifies.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

import lotse_platform
from lotse_platform.audit import GENESIS_HASH, AuditEntry, AuditSealer, AuditTrail, verify_chain
from lotse_platform.audit.chain import entry_hash
from lotse_platform.db import create_engine, is_postgres, platform_tables
from lotse_platform.db.migrations import (
    PLATFORM_VERSIONS,
    alembic_config,
    head_revisions,
    upgrade,
)
from lotse_platform.db.safety import check_database

from .legacy import legacy_platform

pytestmark = pytest.mark.integration

LEGACY = Path(__file__).resolve().parent / "legacy"
SERVICES = {ep.name: ep for ep in entry_points(group="lotse.services")}
TENANT = uuid.UUID("5b0e0b5e-0000-4000-8000-000000000001")
AUDIT_LOG = platform_tables(sa.MetaData()).audit_log

# (service, revision the database is at, built before audit sealing existed)
CASES = [
    *[(service, revision, False) for service, revisions in [
        ("example", ("0001", "0002")),
        ("identity", ("0001", "0002")),
        ("intake", ("0001", "0002")),
        ("casework", ("0001", "0002", "0003", "0004", "0005")),
    ] for revision in revisions],
    # the last revision before each service's audit-sealing migration, as then created
    ("example", "0001", True),
    ("identity", "0001", True),
    ("intake", "0001", True),
    ("casework", "0003", True),
]
_numbers = itertools.count(1)


def case_id(case) -> str:
    service, revision, before_sealing = case
    return f"{service}-{revision}" + ("-before-sealing" if before_sealing else "")


def service_class(name: str):
    return SERVICES[name].load()


SERVICES_WITH_MIGRATIONS = [service_class(name).migrations for name in sorted(SERVICES)]


class Backend:
    """A new, empty database on one backend: the owner's URL for migrating, the application's for
    running, an inspector's (superuser on PostgreSQL) for arranging and checking."""

    def __init__(self, kind: str, databases, tmp_path: Path) -> None:
        number, self.kind = next(_numbers), kind
        if kind == "postgresql":
            database = databases.create(f"legacy{number}")
            self.owner_url, self.app_url = database.owner_url, database.app_url
            self.inspector_url, self.app_role = database.admin_url, "lotse_app"
        else:
            url = f"sqlite:///{tmp_path / f'legacy{number}.db'}"
            self.owner_url = self.app_url = self.inspector_url = url
            self.app_role = None
        self._engines: list[sa.Engine] = []

    def engine(self, url: str) -> sa.Engine:
        engine = create_engine(url, poolclass=sa.pool.NullPool)
        self._engines.append(engine)
        return engine

    def dispose(self) -> None:
        for engine in self._engines:
            engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    databases = request.getfixturevalue("databases") if request.param == "postgresql" else None
    backend = Backend(request.param, databases, tmp_path)
    yield backend
    backend.dispose()


def build_legacy(backend: Backend, service: str, revision: str, before_sealing: bool) -> None:
    """What a deployment of that time has: the frozen migrations up to ``revision`` and the
    application role's grants of that time."""
    config = Config()
    config.set_main_option("script_location", str(LEGACY))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(LEGACY / "versions" / service))
    config.attributes["before_sealing"] = before_sealing
    with backend.engine(backend.owner_url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if backend.app_role:
            legacy_platform.grant_app_role(connection, backend.app_role,
                                           before_sealing=before_sealing)


def write_platform_rows(backend: Backend) -> None:
    """An unpublished and a published event, a processed one, a sealed audit entry."""
    tables = platform_tables(sa.MetaData())
    outbox, inbox, audit_log = tables.outbox, tables.inbox, tables.audit_log
    at = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    audit = {"tenant_id": TENANT, "seq": 1, "at": at, "actor": "user-1", "acting_org": "org-awo",
             "action": "read", "record_type": "case", "record_id": "case-1", "reason": None,
             "request_id": "req-1", "prev_hash": GENESIS_HASH}
    audit["hash"] = entry_hash(audit)
    with backend.engine(backend.inspector_url).begin() as connection:
        connection.execute(outbox.insert(), [
            {"event_id": uuid.uuid4(), "event_type": "lotse.example.note.recorded.v1",
             "source": "/lotse/test", "aggregate_id": f"note-{n}", "sequence": n,
             "tenant_id": TENANT, "occurred_at": at, "payload": b"\x0a\x01x",
             "published_at": at if n == 1 else None} for n in (1, 2)])
        connection.execute(inbox.insert(), {"consumer": "test", "event_id": uuid.uuid4(),
                                            "event_type": "lotse.example.note.recorded.v1",
                                            "tenant_id": TENANT, "processed_at": at})
        connection.execute(audit_log.insert(), audit)


def rows(engine, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table but alembic_version (of ``columns``' tables, those columns)."""
    found = {}
    with engine.connect() as connection:
        names = columns or [n for n in sa.inspect(connection).get_table_names()
                            if n != "alembic_version"]
        for name in names:
            table = sa.Table(name, sa.MetaData(), autoload_with=connection)
            selected = [table.c[c] for c in columns[name]] if columns else list(table.columns)
            found[name] = sorted(map(repr, connection.execute(sa.select(*selected))))
    return found


def columns_of(engine) -> dict[str, list[str]]:
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        return {name: [c["name"] for c in inspector.get_columns(name)]
                for name in inspector.get_table_names() if name != "alembic_version"}


def schema(engine) -> dict:
    """What the migrations built, comparable between two databases."""
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        found: dict = {"tables": {
            name: {
                "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
                            for c in inspector.get_columns(name)],
                "primary key": inspector.get_pk_constraint(name)["constrained_columns"],
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]),
                                   sorted((k, str(v)) for k, v in
                                          i.get("dialect_options", {}).items()))
                                  for i in inspector.get_indexes(name)),
                "unique": sorted((u["name"], tuple(u["column_names"]))
                                 for u in inspector.get_unique_constraints(name)),
                "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                                        tuple(f["referred_columns"]))
                                       for f in inspector.get_foreign_keys(name)),
            } for name in inspector.get_table_names()}}
        if is_postgres(connection):
            for key, query in POSTGRES_CATALOGUE.items():
                found[key] = sorted(tuple(map(str, row)) for row in connection.execute(
                    sa.text(query)))
    return found


POSTGRES_CATALOGUE = {
    "row-level security": """
        SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
        WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'""",
    "policies": """
        SELECT tablename, policyname, permissive, roles, cmd, qual, with_check FROM pg_policies
        WHERE schemaname = current_schema()""",
    "triggers": "SELECT tgrelid::regclass, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE NOT tgisinternal",
    "functions": """
        SELECT proname, pg_get_functiondef(oid) FROM pg_proc
        WHERE pronamespace = current_schema()::regnamespace""",
    "privileges": """
        SELECT c.relname, NULL, a.grantee::regrole, a.privilege_type FROM pg_class c,
               aclexplode(c.relacl) a
        WHERE c.relnamespace = current_schema()::regnamespace
        UNION ALL
        SELECT c.relname, t.attname, a.grantee::regrole, a.privilege_type
        FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a
        WHERE c.relnamespace = current_schema()::regnamespace
        UNION ALL
        SELECT p.proname, NULL, a.grantee::regrole, a.privilege_type FROM pg_proc p,
               aclexplode(p.proacl) a
        WHERE p.pronamespace = current_schema()::regnamespace""",
}


@pytest.fixture(scope="module")
def new_database(databases, tmp_path_factory):
    """A new database of each service, migrated by the current code (built once per module)."""
    built: dict[tuple[str, str], Backend] = {}

    def of(service: str, kind: str) -> Backend:
        if (service, kind) not in built:
            backend = Backend(kind, databases, tmp_path_factory.mktemp("new"))
            upgrade(service_class(service).migrations, backend.owner_url, backend.app_role)
            built[service, kind] = backend
        return built[service, kind]

    yield of
    for backend in built.values():
        backend.dispose()


def recorded_revisions(engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(sa.text("SELECT version_num FROM alembic_version"))
                   .scalars())


def test_every_services_history_starts_from_the_platform_branch():
    # installed with lotse_platform (site-packages in an image), wherever the service is
    assert PLATFORM_VERSIONS.is_relative_to(Path(lotse_platform.__file__).parent)
    for migrations in SERVICES_WITH_MIGRATIONS:
        script = ScriptDirectory.from_config(alembic_config(migrations, "sqlite://"))
        revisions = list(script.walk_revisions())
        platform = [r for r in revisions if "platform" in r.branch_labels]
        own = [r for r in revisions if "platform" not in r.branch_labels]

        assert {Path(r.path).parent for r in platform} == {PLATFORM_VERSIONS}
        assert [r.revision for r in platform if r.is_base] == ["platform_0001"]
        assert {Path(r.path).parent for r in own} == {migrations / "versions"}
        assert [r.revision for r in own if r.is_base] == ["0001"]
        assert script.get_revision("0001").dependencies == "platform_0001", migrations


def platform_head(migrations) -> set[str]:
    """The platform branch's one head (its newest revision), as the service's history sees it."""
    heads = {r for r in head_revisions(migrations) if r.startswith("platform_")}
    assert len(heads) == 1, heads
    return heads


@pytest.mark.parametrize("service", ["example", "identity", "intake", "casework"])
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_new_database_is_at_the_heads_of_the_service_and_of_the_platform(service, kind,
                                                                            new_database):
    new = new_database(service, kind)
    migrations, metadata = service_class(service).migrations, service_class(service).metadata

    recorded = recorded_revisions(new.engine(new.inspector_url))
    assert recorded == head_revisions(migrations)
    assert {r for r in recorded if r.startswith("platform_")} == platform_head(migrations)
    assert {"outbox", "inbox", "audit_log", "audit_note", "known_reference"} <= set(
        sa.inspect(new.engine(new.inspector_url)).get_table_names())
    check_database(new.engine(new.app_url), metadata, migrations)  # raises UnsafeDatabase


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_a_database_from_before_the_platform_branch_upgrades_to_the_new_schema_keeping_its_rows(
        case, backend, new_database):
    service, revision, before_sealing = case
    migrations, metadata = service_class(service).migrations, service_class(service).metadata
    build_legacy(backend, service, revision, before_sealing)
    write_platform_rows(backend)
    inspector = backend.engine(backend.inspector_url)
    columns_before, rows_before = columns_of(inspector), rows(inspector)
    assert len(rows_before["outbox"]) == 2 and len(rows_before["audit_log"]) == 1

    upgrade(migrations, backend.owner_url, backend.app_role)  # what Service.migrate() runs

    recorded = recorded_revisions(inspector)
    assert recorded == head_revisions(migrations)
    assert {r for r in recorded if r.startswith("platform_")} == platform_head(migrations)
    new = new_database(service, backend.kind)
    assert schema(inspector) == schema(new.engine(new.inspector_url))
    assert rows(inspector, columns_before) == rows_before
    app = backend.engine(backend.app_url)
    check_database(app, metadata, migrations)  # the start-up check: raises UnsafeDatabase

    # the audit chain goes on after the entry written before the upgrade
    trail = AuditTrail(AUDIT_LOG)
    with app.begin() as connection:
        if backend.app_role:
            connection.execute(sa.text("SELECT set_config('lotse.tenant_id', :t, true)"),
                               {"t": str(TENANT)})
        trail.record(connection, TENANT, AuditEntry(actor="user-2", action="read",
                                                    record_type="case", record_id="case-1"))
    AuditSealer(app, AUDIT_LOG).seal_all()
    with app.begin() as connection:
        result = verify_chain(connection, TENANT)
    assert (result.ok, result.checked, result.unsealed) == (True, 2, 0)
    if backend.app_role:  # a sealed entry stays as it is, for the application too
        with pytest.raises(sa.exc.DBAPIError, match="audit_log is append-only"), \
                app.begin() as connection:
            connection.execute(sa.text("SELECT set_config('lotse.tenant_id', :t, true)"),
                               {"t": str(TENANT)})
            connection.execute(sa.text("UPDATE audit_log SET hash = :h WHERE seq = 1"),
                               {"h": "f" * 64})

