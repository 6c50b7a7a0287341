"""The audit chain on PostgreSQL: append-only for the application role, hidden from other
tenants by row-level security, serialised per tenant by an advisory lock, and tampering by a
superuser shows up as the first broken entry."""

from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from lotse_platform.audit import AuditEntry, AuditTrail, verify_chain
from lotse_platform.db import MissingTenantContext, create_engine, platform_tables, session_factory
from lotse_platform.db.migrations import create_platform_tables, grant_app_role
from lotse_platform.testing import PG_HOST

pytestmark = pytest.mark.integration

AUDIT_LOG = platform_tables(sa.MetaData()).audit_log


@pytest.fixture(scope="module")
def database(databases):
    db = databases.create("audit")
    owner = create_engine(db.owner_url, poolclass=sa.pool.NullPool)
    with owner.begin() as connection:
        create_platform_tables(Operations(MigrationContext.configure(connection)))
        # grant_app_role also locks alembic_version, which a real migration run creates
        connection.execute(sa.text(
            "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        grant_app_role(connection, "lotse_app")
    owner.dispose()
    return db


@pytest.fixture(scope="module")
def app_engine(database):
    engine = create_engine(database.app_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def admin_engine(database):
    """A superuser: bypasses row-level security, may switch the append-only trigger off."""
    engine = create_engine(f"postgresql+psycopg://postgres@{PG_HOST}/{database.name}",
                           poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def trail() -> AuditTrail:
    return AuditTrail(AUDIT_LOG)


def entry(n: int = 1) -> AuditEntry:
    return AuditEntry(actor=f"user-{n}", acting_org="org-awo", action="read", record_type="case",
                      record_id=f"case-{n}", request_id=f"req-{n}")


def append(engine, trail, tenant, count: int) -> list[int]:
    Session = session_factory(engine)
    seqs = []
    for n in range(count):
        with Session() as session:
            session.set_tenant(tenant)
            seqs.append(trail.record(session, tenant, entry(n)))
            session.commit()
    return seqs


def verify(engine, tenant):
    with session_factory(engine)() as session:
        session.set_tenant(tenant)
        return verify_chain(session, tenant)


def tamper(admin_engine, sql: str, **params) -> None:
    with admin_engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(sa.text(sql), params)
        connection.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


def test_appended_entries_verify_for_the_app_role(app_engine, trail):
    tenant = uuid.uuid4()

    assert append(app_engine, trail, tenant, 5) == [1, 2, 3, 4, 5]

    result = verify(app_engine, tenant)
    assert (result.ok, result.checked) == (True, 5)


def test_verify_sets_the_tenant_context_on_a_plain_connection(app_engine, trail):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 3)

    with app_engine.connect() as connection:
        assert verify_chain(connection, tenant).checked == 3


def test_two_concurrent_writers_keep_one_unbroken_chain(app_engine, trail):
    tenant = uuid.uuid4()
    errors = []

    def writer() -> None:
        try:
            append(app_engine, trail, tenant, 50)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    result = verify(app_engine, tenant)
    assert result.ok and result.checked == 100
    with session_factory(app_engine)() as session:
        session.set_tenant(tenant)
        seqs = session.execute(sa.select(AUDIT_LOG.c.seq).order_by(AUDIT_LOG.c.seq)).scalars().all()
    assert seqs == list(range(1, 101))


def test_recording_under_another_tenants_context_is_refused(app_engine, trail):
    with session_factory(app_engine)() as session:
        session.set_tenant(uuid.uuid4())
        with pytest.raises(MissingTenantContext):
            trail.record(session.connection(), uuid.uuid4(), entry())
    with app_engine.connect() as connection:
        with pytest.raises(MissingTenantContext):
            trail.record(connection, uuid.uuid4(), entry())


def test_an_entry_changed_by_a_superuser_is_the_first_broken_one(app_engine, admin_engine, trail):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 10)

    tamper(admin_engine, "UPDATE audit_log SET action = 'update' WHERE tenant_id = :t AND seq = 6",
           t=tenant)

    result = verify(app_engine, tenant)
    assert (result.ok, result.first_broken_seq, result.reason) == (False, 6, "hash mismatch")


def test_an_entry_deleted_by_a_superuser_is_reported_missing(app_engine, admin_engine, trail):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 10)

    tamper(admin_engine, "DELETE FROM audit_log WHERE tenant_id = :t AND seq = 4", t=tenant)

    result = verify(app_engine, tenant)
    assert (result.ok, result.first_broken_seq, result.reason) == (False, 4, "entry 4 missing")


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET action = 'update' WHERE seq = 1",
    "DELETE FROM audit_log WHERE seq = 1",
    "TRUNCATE audit_log",
])
def test_the_app_role_cannot_change_or_remove_audit_entries(app_engine, trail, statement):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 2)

    with session_factory(app_engine)() as session:
        session.set_tenant(tenant)
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            session.execute(sa.text(statement))

    assert verify(app_engine, tenant).checked == 2


def test_the_trigger_stops_even_a_role_allowed_to_update(admin_engine, app_engine, trail):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 1)

    with admin_engine.begin() as connection:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            connection.execute(sa.text("UPDATE audit_log SET reason = 'x' WHERE tenant_id = :t"),
                               {"t": tenant})


def test_a_tenant_sees_no_audit_entries_of_another(app_engine, trail):
    county, city = uuid.uuid4(), uuid.uuid4()
    append(app_engine, trail, county, 3)
    append(app_engine, trail, city, 2)

    with session_factory(app_engine)() as session:
        session.set_tenant(county)
        visible = session.execute(sa.select(AUDIT_LOG.c.tenant_id)).scalars().all()
        of_city = session.execute(
            sa.select(sa.func.count()).select_from(AUDIT_LOG).where(AUDIT_LOG.c.tenant_id == city)
        ).scalar_one()
    assert set(visible) == {county}
    assert of_city == 0


def test_chains_of_two_tenants_are_independent(app_engine, admin_engine, trail):
    county, city = uuid.uuid4(), uuid.uuid4()
    for _ in range(4):
        append(app_engine, trail, county, 1)
        append(app_engine, trail, city, 1)

    tamper(admin_engine, "UPDATE audit_log SET actor = 'x' WHERE tenant_id = :t AND seq = 3",
           t=county)

    assert verify(app_engine, county).first_broken_seq == 3
    city_result = verify(app_engine, city)
    assert city_result.ok and city_result.checked == 4
