"""The start-up check refuses a database that does not isolate tenants or is not migrated.

Each case migrates the example service onto a fresh database, then breaks one thing with the
owner's or the administrator's connection, as a careless migration or grant would.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from lotse_example.adapters import orm
from lotse_example.bootstrap import MIGRATIONS
from lotse_platform.db import create_engine
from lotse_platform.db.migrations import head_revisions
from lotse_platform.db.safety import UnsafeDatabase, check_database, revisions
from lotse_platform.testing import PG_ADMIN_URL, PG_HOST

pytestmark = pytest.mark.integration

# the example's own head and the platform branch's: "revisions 0003, platform_0004"
HEADS = revisions(head_revisions(MIGRATIONS))
PLATFORM_HEAD = next(r for r in head_revisions(MIGRATIONS) if r.startswith("platform_"))
OWN_HEAD = next(r for r in head_revisions(MIGRATIONS) if not r.startswith("platform_"))


def refusal(engine, migrations=MIGRATIONS) -> str:
    with pytest.raises(UnsafeDatabase) as refused:
        check_database(engine, orm.metadata, migrations)
    return str(refused.value)


def run_sql(url: str, *statements: str) -> None:
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def login_role(run_id):
    """Create a throw-away login role (``CREATE ROLE <name> LOGIN <options>``); dropped after."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    created = []

    def create(suffix: str, options: str = "") -> str:
        name = f"lotse_t_{run_id}_{suffix}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE ROLE "{name}" LOGIN {options}'))
        created.append(name)
        return name

    yield create
    with admin.connect() as connection:
        for name in created:
            connection.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def connect_as(pg_database):
    engines = []

    def connect(role: str):
        engine = create_engine(f"postgresql+psycopg://{role}@{PG_HOST}/{pg_database.name}",
                               poolclass=sa.pool.NullPool)
        engines.append(engine)
        return engine

    yield connect
    for engine in engines:
        engine.dispose()


def test_a_correctly_migrated_database_is_accepted(pg_example):
    check_database(pg_example.engine, orm.metadata, MIGRATIONS)


def test_the_owners_policy_for_audit_sealing_opens_nothing_to_the_app_role(pg_example,
                                                                          pg_database):
    # it exists (the sealer's tenant list needs it) and does not count as a loose policy
    with create_engine(pg_database.admin_url, poolclass=sa.pool.NullPool).connect() as c:
        roles = c.execute(sa.text(
            "SELECT roles FROM pg_policies WHERE policyname = 'audit_log_unsealed_scan'")).scalar()
    assert roles == ["lotse_owner"]
    check_database(pg_example.engine, orm.metadata, MIGRATIONS)


@pytest.mark.parametrize(("breakage", "problem"), [
    ("ALTER TABLE notes DISABLE ROW LEVEL SECURITY", "table notes has no row-level security"),
    ("ALTER TABLE notes NO FORCE ROW LEVEL SECURITY",
     "table notes does not FORCE row-level security"),
    ("DROP POLICY tenant_isolation ON area_tallies",
     "table area_tallies has no row-level security policy"),
    ("CREATE POLICY everyone ON notes USING (true)",
     "table notes has policy everyone, which does not compare tenant_id with lotse.tenant_id"),
    ("CREATE POLICY for_the_app ON audit_log FOR SELECT TO lotse_app USING (seq IS NULL)",
     "table audit_log has policy for_the_app, which does not compare tenant_id with "
     "lotse.tenant_id"),
    ("DROP INDEX ix_notes_tenant_id", "table notes has no index on tenant_id"),
], ids=["without-rls", "without-force", "without-policy", "with-a-policy-for-everyone",
        "with-a-policy-for-the-app-role", "without-tenant-index"])
def test_a_table_without_full_row_level_security_is_refused(pg_example, pg_database, breakage,
                                                            problem):
    run_sql(pg_database.owner_url, breakage)

    assert problem in refusal(pg_example.engine)


def test_an_app_role_that_owns_a_table_is_refused(pg_example, pg_database):
    run_sql(pg_database.admin_url, "ALTER TABLE area_tallies OWNER TO lotse_app")

    assert "table area_tallies is owned by the application role lotse_app" in refusal(
        pg_example.engine)


def test_an_app_role_that_is_a_member_of_the_owner_role_is_refused(pg_example, login_role,
                                                                  connect_as):
    member = login_role("member")
    run_sql(PG_ADMIN_URL, f'GRANT lotse_owner TO "{member}"')

    problems = refusal(connect_as(member), migrations=None)

    assert f"table notes is owned by lotse_owner, a role the application role {member}" in problems


def test_a_superuser_is_refused(pg_example, connect_as):
    assert "database role postgres is a superuser" in refusal(connect_as("postgres"))


def test_a_role_with_bypassrls_is_refused(pg_example, login_role, connect_as):
    bypassing = login_role("bypass", "BYPASSRLS")

    # without migrations: the throw-away role has no grant to read alembic_version
    assert f"database role {bypassing} has BYPASSRLS" in refusal(connect_as(bypassing),
                                                                  migrations=None)


def test_a_database_that_was_never_migrated_is_refused(pg_database):
    engine = create_engine(pg_database.app_url, poolclass=sa.pool.NullPool)
    try:
        problems = refusal(engine)
    finally:
        engine.dispose()

    assert f"schema is at revision None, expected {HEADS} (run the migrations)" in problems
    assert "table notes is missing" in problems


def test_a_schema_not_at_the_migration_head_is_refused(pg_example, pg_database):
    run_sql(pg_database.owner_url,
            f"UPDATE alembic_version SET version_num = '0000' WHERE version_num = '{OWN_HEAD}'")

    assert (f"schema is at revisions 0000, {PLATFORM_HEAD}, expected {HEADS}"
            in refusal(pg_example.engine))


def test_a_schema_whose_platform_tables_are_behind_is_refused(pg_example, pg_database):
    # the service's own migrations ran, the platform branch's latest did not
    run_sql(pg_database.owner_url, "UPDATE alembic_version SET version_num = 'platform_0001' "
            f"WHERE version_num = '{PLATFORM_HEAD}'")

    assert (f"schema is at revisions {OWN_HEAD}, platform_0001, expected {HEADS}"
            in refusal(pg_example.engine))


def test_the_first_problem_is_not_the_only_one_reported(pg_example, pg_database):
    run_sql(pg_database.owner_url, "ALTER TABLE notes NO FORCE ROW LEVEL SECURITY",
            "DROP INDEX ix_area_tallies_tenant_id", "DELETE FROM alembic_version")

    problems = refusal(pg_example.engine)

    assert "table notes does not FORCE" in problems
    assert "schema is at revision None" in problems
    # area_tallies keeps its primary key (tenant_id, area_id), an index leading with tenant_id
    assert "area_tallies has no index" not in problems


# -- the command line ----------------------------------------------------------------------------

def check_db(database_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update({"LOTSE_EXAMPLE_DATABASE_URL": database_url, "LOTSE_LOG_FORMAT": "text"})
    return subprocess.run([sys.executable, "-m", "lotse_example.cli", "check-db"],
                          env=env, capture_output=True, text=True, timeout=60)


def test_check_db_accepts_the_migrated_database_with_status_0(pg_example, pg_database):
    result = check_db(pg_database.app_url)

    assert result.returncode == 0, result.stderr
    assert "database ok" in result.stdout


def test_check_db_refuses_an_unsafe_database_with_status_3_and_says_why(pg_example, pg_database):
    run_sql(pg_database.owner_url, "ALTER TABLE notes NO FORCE ROW LEVEL SECURITY")

    result = check_db(pg_database.app_url)

    assert result.returncode == 3
    # (the lines before it are the service's log)
    assert result.stderr.splitlines()[-1] == (
        "refusing to start: table notes does not FORCE row-level security")


def test_check_db_against_a_database_it_cannot_reach_says_so_in_one_line_with_status_4(run_id):
    never_created = f"lotse_t_{run_id}_never_created"
    host, port = PG_HOST.split(":")

    result = check_db(f"postgresql+psycopg://lotse_app:s3cret@{PG_HOST}/{never_created}")

    assert result.returncode == 4
    assert result.stderr.splitlines() == [
        "refusing to start: cannot reach the database: connection failed: connection to server "
        f'at "{host}", port {port} failed: FATAL: database "{never_created}" does not exist']
    assert "s3cret" not in result.stderr
