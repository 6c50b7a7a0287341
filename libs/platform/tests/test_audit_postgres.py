"""The audit chain on PostgreSQL: entries written unsealed without a lock, sealed into one chain
per tenant exactly once by the sealer, append-only for the application role (it may only seal),
hidden from other tenants by row-level security, and tampering with a sealed entry by a
superuser shows up as the first broken entry."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from lotse_platform.audit import (
    AuditEntry,
    AuditSealer,
    AuditTrail,
    seal_tenant,
    unsealed_tenants,
    verify_chain,
)
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


@pytest.fixture
def sealer(app_engine) -> AuditSealer:
    """The worker's sealer, as the application role."""
    return AuditSealer(app_engine, AUDIT_LOG, batch_size=40)


def entry(n: int = 1) -> AuditEntry:
    return AuditEntry(actor=f"user-{n}", acting_org="org-awo", action="read", record_type="case",
                      record_id=f"case-{n}", request_id=f"req-{n}")


def append(engine, trail, tenant, count: int) -> None:
    Session = session_factory(engine)
    for n in range(count):
        with Session() as session:
            session.set_tenant(tenant)
            trail.record(session, tenant, entry(n))
            session.commit()


def appended_and_sealed(engine, trail, sealer, tenant, count: int) -> None:
    append(engine, trail, tenant, count)
    sealer.seal(tenant)


def verify(engine, tenant):
    with session_factory(engine)() as session:
        session.set_tenant(tenant)
        return verify_chain(session, tenant)


def seqs(engine, tenant) -> list[int | None]:
    with session_factory(engine)() as session:
        session.set_tenant(tenant)
        return session.execute(sa.select(AUDIT_LOG.c.seq).order_by(AUDIT_LOG.c.seq)
                               ).scalars().all()


def tamper(admin_engine, sql: str, **params) -> None:
    with admin_engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(sa.text(sql), params)
        connection.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


# -- writing and sealing ------------------------------------------------------------------------

def test_entries_are_written_unsealed_and_the_sealer_chains_them(app_engine, trail, sealer):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 5)

    waiting = verify(app_engine, tenant)
    assert (waiting.ok, waiting.checked, waiting.unsealed) == (True, 0, 5)
    assert seqs(app_engine, tenant) == [None] * 5

    assert sealer.seal(tenant) == 5

    result = verify(app_engine, tenant)
    assert (result.ok, result.checked, result.unsealed, result.oldest_unsealed) == (
        True, 5, 0, None)
    assert seqs(app_engine, tenant) == [1, 2, 3, 4, 5]


def test_the_unsealed_window_is_visible_with_its_age(app_engine, trail, sealer):
    tenant = uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, tenant, 2)
    before = datetime.now(UTC)
    append(app_engine, trail, tenant, 3)

    result = verify(app_engine, tenant)

    assert (result.ok, result.checked, result.unsealed) == (True, 2, 3)
    assert before <= result.oldest_unsealed <= datetime.now(UTC)
    assert result.unsealed_age(now=result.oldest_unsealed + timedelta(seconds=7)) == 7.0
    assert 0.0 <= result.unsealed_age() < 60


def test_later_entries_continue_the_chain_after_its_head(app_engine, trail, sealer):
    tenant = uuid.uuid4()
    for _ in range(3):
        appended_and_sealed(app_engine, trail, sealer, tenant, 45)  # more than one batch of 40

    assert seqs(app_engine, tenant) == list(range(1, 136))
    assert verify(app_engine, tenant).checked == 135


def test_verify_sets_the_tenant_context_on_a_plain_connection(app_engine, trail, sealer):
    tenant = uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, tenant, 3)

    with app_engine.connect() as connection:
        assert verify_chain(connection, tenant).checked == 3


def test_a_writer_does_not_wait_for_another_writers_commit(app_engine, trail):
    """The old write path held the tenant's lock from the entry to the commit."""
    tenant = uuid.uuid4()
    Session = session_factory(app_engine)
    with Session() as open_transaction:
        open_transaction.set_tenant(tenant)
        trail.record(open_transaction, tenant, entry(1))  # not committed yet

        finished = threading.Event()

        def other_writer() -> None:
            append(app_engine, trail, tenant, 1)
            finished.set()

        threading.Thread(target=other_writer, daemon=True).start()
        assert finished.wait(5), "the second writer waited for the first one's commit"
        open_transaction.commit()
    assert verify(app_engine, tenant).unsealed == 2


def test_concurrent_writers_and_two_sealers_make_one_chain_each_entry_sealed_once(
        app_engine, trail):
    tenant = uuid.uuid4()
    errors = []
    writing = threading.Event()

    def writer() -> None:
        try:
            append(app_engine, trail, tenant, 60)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    def sealing() -> None:
        sealer = AuditSealer(app_engine, AUDIT_LOG, batch_size=7)
        try:
            while writing.is_set():
                sealer.seal_all()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    writing.set()
    sealers = [threading.Thread(target=sealing) for _ in range(2)]
    writers = [threading.Thread(target=writer) for _ in range(3)]
    for thread in (*sealers, *writers):
        thread.start()
    for thread in writers:
        thread.join()
    writing.clear()
    for thread in sealers:
        thread.join()
    AuditSealer(app_engine, AUDIT_LOG).seal(tenant)

    assert errors == []
    result = verify(app_engine, tenant)
    assert (result.ok, result.checked, result.unsealed) == (True, 180, 0)
    assert seqs(app_engine, tenant) == list(range(1, 181))


def test_a_sealer_skips_a_tenant_another_sealer_is_sealing(app_engine, trail):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 3)

    with app_engine.begin() as first:
        assert seal_tenant(first, AUDIT_LOG, tenant) == 3
        with app_engine.begin() as second:
            assert seal_tenant(second, AUDIT_LOG, tenant) == 0  # does not wait, does not fork

    assert seqs(app_engine, tenant) == [1, 2, 3]


def test_the_sealer_finds_every_tenants_unsealed_entries_while_rows_stay_hidden(
        app_engine, trail):
    county, city = uuid.uuid4(), uuid.uuid4()
    append(app_engine, trail, county, 2)
    append(app_engine, trail, city, 1)

    with app_engine.connect() as connection:
        waiting = {u.tenant_id: u.entries for u in unsealed_tenants(connection, AUDIT_LOG)}
        visible = connection.execute(sa.select(sa.func.count()).select_from(AUDIT_LOG)).scalar()
    assert (waiting[county], waiting[city]) == (2, 1)
    assert visible == 0, "the app role without a tenant context sees no entry"

    AuditSealer(app_engine, AUDIT_LOG).seal_all()
    assert (verify(app_engine, county).checked, verify(app_engine, city).checked) == (2, 1)


def test_an_entry_rolls_back_with_the_access_it_documents(app_engine, trail):
    tenant = uuid.uuid4()
    with session_factory(app_engine)() as session:
        session.set_tenant(tenant)
        trail.record(session, tenant, entry())
        session.rollback()

    assert verify(app_engine, tenant).unsealed == 0


def test_recording_under_another_tenants_context_is_refused(app_engine, trail):
    with session_factory(app_engine)() as session:
        session.set_tenant(uuid.uuid4())
        with pytest.raises(MissingTenantContext):
            trail.record(session.connection(), uuid.uuid4(), entry())
    with app_engine.connect() as connection:
        with pytest.raises(MissingTenantContext):
            trail.record(connection, uuid.uuid4(), entry())


# -- tampering ----------------------------------------------------------------------------------

def test_an_entry_changed_by_a_superuser_is_the_first_broken_one(app_engine, admin_engine, trail,
                                                                 sealer):
    tenant = uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, tenant, 10)

    tamper(admin_engine, "UPDATE audit_log SET action = 'update' WHERE tenant_id = :t AND seq = 6",
           t=tenant)

    result = verify(app_engine, tenant)
    assert (result.ok, result.first_broken_seq, result.reason) == (False, 6, "hash mismatch")


def test_an_entry_deleted_by_a_superuser_is_reported_missing(app_engine, admin_engine, trail,
                                                             sealer):
    tenant = uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, tenant, 10)

    tamper(admin_engine, "DELETE FROM audit_log WHERE tenant_id = :t AND seq = 4", t=tenant)

    result = verify(app_engine, tenant)
    assert (result.ok, result.first_broken_seq, result.reason) == (False, 4, "entry 4 missing")


def test_a_sealed_entry_made_unsealed_again_by_a_superuser_is_reported_missing(
        app_engine, admin_engine, trail, sealer):
    tenant = uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, tenant, 5)

    tamper(admin_engine, "UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL "
           "WHERE tenant_id = :t AND seq = 3", t=tenant)

    result = verify(app_engine, tenant)
    assert (result.ok, result.first_broken_seq, result.reason, result.unsealed) == (
        False, 3, "entry 3 missing", 1)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET action = 'update' WHERE seq = 1",
    "DELETE FROM audit_log WHERE seq = 1",
    "TRUNCATE audit_log",
    "INSERT INTO audit_log (tenant_id, seq, at, actor, action, record_type, prev_hash, hash) "
    "VALUES (current_setting('lotse.tenant_id')::uuid, 99, now(), 'x', 'read', 'case', 'x', 'y')",
])
def test_the_app_role_cannot_change_remove_or_forge_audit_entries(app_engine, trail, sealer,
                                                                   statement):
    tenant = uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, tenant, 2)

    with session_factory(app_engine)() as session:
        session.set_tenant(tenant)
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            session.execute(sa.text(statement))

    assert verify(app_engine, tenant).checked == 2


def test_the_app_role_cannot_seal_an_entry_a_second_time(app_engine, trail, sealer):
    tenant = uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, tenant, 2)

    with session_factory(app_engine)() as session:
        session.set_tenant(tenant)
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            session.execute(sa.text("UPDATE audit_log SET seq = 7, hash = 'forged' WHERE seq = 2"))

    assert verify(app_engine, tenant).checked == 2


def test_the_trigger_stops_even_a_role_allowed_to_update(admin_engine, app_engine, trail, sealer):
    tenant = uuid.uuid4()
    append(app_engine, trail, tenant, 1)

    with admin_engine.begin() as connection:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            connection.execute(sa.text("UPDATE audit_log SET reason = 'x' WHERE tenant_id = :t"),
                               {"t": tenant})
    with admin_engine.begin() as connection:  # sealing that changes the content is no sealing
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            connection.execute(sa.text(
                "UPDATE audit_log SET seq = 1, prev_hash = 'p', hash = 'h', actor = 'forged' "
                "WHERE tenant_id = :t"), {"t": tenant})
    sealer.seal(tenant)
    with admin_engine.begin() as connection:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            connection.execute(sa.text("UPDATE audit_log SET hash = 'h' WHERE tenant_id = :t"),
                               {"t": tenant})
    assert verify(app_engine, tenant).checked == 1


def test_a_tenant_sees_no_audit_entries_of_another(app_engine, trail, sealer):
    county, city = uuid.uuid4(), uuid.uuid4()
    appended_and_sealed(app_engine, trail, sealer, county, 3)
    append(app_engine, trail, city, 2)

    with session_factory(app_engine)() as session:
        session.set_tenant(county)
        visible = session.execute(sa.select(AUDIT_LOG.c.tenant_id)).scalars().all()
        of_city = session.execute(
            sa.select(sa.func.count()).select_from(AUDIT_LOG).where(AUDIT_LOG.c.tenant_id == city)
        ).scalar_one()
    assert set(visible) == {county}
    assert of_city == 0


def test_chains_of_two_tenants_are_independent(app_engine, admin_engine, trail, sealer):
    county, city = uuid.uuid4(), uuid.uuid4()
    for _ in range(4):
        append(app_engine, trail, county, 1)
        append(app_engine, trail, city, 1)
        sealer.seal_all()

    tamper(admin_engine, "UPDATE audit_log SET actor = 'x' WHERE tenant_id = :t AND seq = 3",
           t=county)

    assert verify(app_engine, county).first_broken_seq == 3
    city_result = verify(app_engine, city)
    assert city_result.ok and city_result.checked == 4
