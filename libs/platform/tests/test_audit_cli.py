"""``lotse-audit verify``: a line per tenant; exit 0 intact, 1 broken, 2 usage, 3 unreadable.
``lotse-audit seal``: a sealing round on demand, as the application role."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from lotse_platform.audit import AuditEntry, AuditTrail
from lotse_platform.audit.cli import main
from lotse_platform.db import create_engine, platform_tables, session_factory
from lotse_platform.db.migrations import create_platform_tables, grant_app_role
from lotse_platform.testing import PG_HOST

AUDIT_LOG = platform_tables(sa.MetaData()).audit_log
TRAIL = AuditTrail(AUDIT_LOG)


def create_tables(url: str, app_role: str | None = None) -> None:
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        create_platform_tables(Operations(MigrationContext.configure(connection)))
        if app_role:
            connection.execute(sa.text(
                "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
            grant_app_role(connection, app_role)
    engine.dispose()


def append(url: str, tenant: uuid.UUID, count: int) -> None:
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    Session = session_factory(engine)
    for n in range(count):
        with Session() as session:
            session.set_tenant(tenant)
            TRAIL.record(session, tenant, AuditEntry(actor=f"user-{n}", acting_org="org-awo",
                                                     action="read", record_type="case",
                                                     record_id=str(n)))
            session.commit()
    engine.dispose()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    create_tables(url)
    return url


def test_an_intact_chain_exits_0_with_a_summary(capsys, sqlite_url):
    tenant = uuid.uuid4()
    append(sqlite_url, tenant, 3)

    code, out, _ = run(capsys, "verify", "--database-url", sqlite_url, "--tenant", str(tenant))

    assert code == 0
    assert out == f"tenant {tenant}: 3 entries, chain intact\n"


def test_a_broken_chain_exits_1_and_names_the_entry(capsys, sqlite_url):
    tenant = uuid.uuid4()
    append(sqlite_url, tenant, 5)
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_log SET action = 'export' WHERE seq = 2"))
    engine.dispose()

    code, out, _ = run(capsys, "verify", "--database-url", sqlite_url, "--tenant", str(tenant))

    assert code == 1
    assert out == f"tenant {tenant}: chain broken at entry 2: hash mismatch\n"


def test_all_tenants_are_listed_one_line_each(capsys, sqlite_url):
    tenants = sorted([uuid.uuid4(), uuid.uuid4()])
    for count, tenant in enumerate(tenants, start=1):
        append(sqlite_url, tenant, count)

    code, out, _ = run(capsys, "verify", "--database-url", sqlite_url, "--all-tenants")

    assert code == 0
    assert out.splitlines() == [f"tenant {tenants[0]}: 1 entries, chain intact",
                                f"tenant {tenants[1]}: 2 entries, chain intact"]


def test_the_url_can_come_from_the_environment(capsys, sqlite_url, monkeypatch):
    monkeypatch.setenv("LOTSE_AUDIT_DATABASE_URL", sqlite_url)

    code, out, _ = run(capsys, "verify", "--all-tenants")

    assert code == 0 and out == "no audit entries\n"


@pytest.mark.parametrize("argv", [
    [],
    ["verify"],
    ["verify", "--database-url", "sqlite://"],
    ["verify", "--database-url", "sqlite://", "--tenant", "not-a-uuid"],
    ["verify", "--database-url", "sqlite://", "--tenant", str(uuid.uuid4()), "--all-tenants"],
    ["erase", "--all-tenants"],
    ["verify", "--database-url", "nonsense", "--all-tenants"],
])
def test_usage_errors_exit_2(capsys, monkeypatch, argv):
    monkeypatch.delenv("LOTSE_AUDIT_DATABASE_URL", raising=False)

    code, out, err = run(capsys, *argv)

    assert code == 2
    assert out == "" and err


def test_a_missing_url_exits_2(capsys, monkeypatch):
    monkeypatch.delenv("LOTSE_AUDIT_DATABASE_URL", raising=False)

    code, _, err = run(capsys, "verify", "--tenant", str(uuid.uuid4()))

    assert code == 2 and "LOTSE_AUDIT_DATABASE_URL" in err


def test_a_database_without_audit_log_exits_3(capsys, tmp_path):
    code, _, err = run(capsys, "verify", "--database-url", f"sqlite:///{tmp_path / 'empty.db'}",
                       "--tenant", str(uuid.uuid4()))

    assert code == 3 and "cannot read the audit log" in err


# --- PostgreSQL -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pg(databases):
    db = databases.create("audit_cli")
    create_tables(db.owner_url, app_role="lotse_app")
    return db


def seal(capsys, url: str, *tenant: str) -> str:
    code, out, _ = run(capsys, "seal", "--database-url", url, *tenant)
    assert code == 0
    return out


@pytest.mark.integration
def test_the_app_role_verifies_one_tenant_under_row_level_security(capsys, pg):
    tenant = uuid.uuid4()
    append(pg.app_url, tenant, 4)
    assert seal(capsys, pg.app_url, "--tenant", str(tenant)) == f"tenant {tenant}: 4 entries sealed\n"

    code, out, _ = run(capsys, "verify", "--database-url", pg.app_url, "--tenant", str(tenant))

    assert (code, out) == (0, f"tenant {tenant}: 4 entries, chain intact\n")


@pytest.mark.integration
def test_verify_says_how_many_entries_wait_for_the_sealer(capsys, pg):
    tenant = uuid.uuid4()
    append(pg.app_url, tenant, 2)
    seal(capsys, pg.app_url, "--tenant", str(tenant))
    append(pg.app_url, tenant, 3)

    code, out, _ = run(capsys, "verify", "--database-url", pg.app_url, "--tenant", str(tenant))

    assert code == 0
    assert out.startswith(f"tenant {tenant}: 2 entries, chain intact; 3 not sealed yet (oldest ")


@pytest.mark.integration
def test_the_app_role_seals_every_tenant_with_unsealed_entries(capsys, pg):
    county, city = uuid.uuid4(), uuid.uuid4()
    append(pg.app_url, county, 2)
    append(pg.app_url, city, 1)

    out = seal(capsys, pg.app_url).splitlines()

    assert f"tenant {county}: 2 entries sealed" in out and f"tenant {city}: 1 entries sealed" in out
    assert seal(capsys, pg.app_url) == "nothing to seal\n"


@pytest.mark.integration
def test_all_tenants_with_the_app_role_is_refused_rather_than_reporting_nothing(capsys, pg):
    code, out, err = run(capsys, "verify", "--database-url", pg.app_url, "--all-tenants")

    assert code == 2 and out == ""
    assert "bypasses row-level security" in err


@pytest.mark.integration
def test_all_tenants_as_administrator_finds_the_broken_chain(capsys, pg):
    admin_url = f"postgresql+psycopg://postgres@{PG_HOST}/{pg.name}"
    intact, tampered = uuid.uuid4(), uuid.uuid4()
    append(pg.app_url, intact, 2)
    append(pg.app_url, tampered, 3)
    seal(capsys, pg.app_url)
    engine = create_engine(admin_url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(sa.text("DELETE FROM audit_log WHERE tenant_id = :t AND seq = 2"),
                           {"t": tampered})
        connection.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    engine.dispose()

    code, out, _ = run(capsys, "verify", "--database-url", admin_url, "--all-tenants")

    assert code == 1
    assert f"tenant {intact}: 2 entries, chain intact" in out.splitlines()
    assert f"tenant {tampered}: chain broken at entry 2: entry 2 missing" in out.splitlines()
