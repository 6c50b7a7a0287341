"""The audit chain on SQLite (embedded mode): appended in the caller's transaction and sealed in
it (SQLite has one writer at a time, so sealing at once costs no concurrency), verified by
recomputing every hash, and any change, removal or reordering shows as the first broken entry."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from lotse_platform.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditSealer,
    AuditTrail,
    entry_hash,
    verify_chain,
)
from lotse_platform.auth import CASE_MANAGER, Principal
from lotse_platform.db import MissingTenantContext, create_engine, platform_tables, session_factory
from lotse_platform.db.migrations import create_platform_tables

AUDIT_LOG = platform_tables(sa.MetaData()).audit_log


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    with engine.begin() as connection:
        create_platform_tables(Operations(MigrationContext.configure(connection)))
    yield engine
    engine.dispose()


@pytest.fixture
def trail() -> AuditTrail:
    return AuditTrail(AUDIT_LOG)


def entry(n: int = 1, action: str = "read") -> AuditEntry:
    return AuditEntry(actor=f"user-{n}", acting_org="org-awo", action=action, record_type="case",
                      record_id=f"case-{n}", reason="Fallbesprechung", request_id=f"req-{n}")


def last_seq(connection, tenant) -> int | None:
    return connection.execute(sa.select(sa.func.max(AUDIT_LOG.c.seq))
                              .where(AUDIT_LOG.c.tenant_id == tenant)).scalar()


def append(engine, trail, tenant, count: int, start: int = 1) -> list[int]:
    """Record ``count`` entries, a transaction each; the seq each was sealed with."""
    seqs = []
    for n in range(start, start + count):
        with engine.begin() as connection:
            trail.record(connection, tenant, entry(n))
            seqs.append(last_seq(connection, tenant))
    return seqs


def tamper(engine, sql: str, **params) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text(sql), params)


def test_appended_entries_form_a_chain_that_verifies(engine, trail):
    tenant = uuid.uuid4()

    assert append(engine, trail, tenant, 5) == [1, 2, 3, 4, 5]

    with engine.connect() as connection:
        result = verify_chain(connection, tenant)
        rows = connection.execute(sa.select(AUDIT_LOG).order_by(AUDIT_LOG.c.seq)).all()
    assert (result.ok, result.checked, result.first_broken_seq, result.reason) == (
        True, 5, None, None)
    assert rows[0].prev_hash == GENESIS_HASH
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    assert result.last_hash == rows[-1].hash


def test_an_empty_log_verifies_with_nothing_checked(engine):
    with engine.connect() as connection:
        result = verify_chain(connection, uuid.uuid4())

    assert result.ok and result.checked == 0 and result.last_hash is None


def test_the_hash_is_sha256_of_the_documented_canonical_json(engine):
    tenant = uuid.UUID("6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11")
    at = datetime(2025, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
    trail = AuditTrail(AUDIT_LOG, clock=lambda: at)

    with engine.begin() as connection:
        trail.record(connection, tenant, AuditEntry(actor="user-1", action="read",
                                                    record_type="case", record_id="c-1"))
        stored = connection.execute(sa.select(AUDIT_LOG.c.hash)).scalar_one()

    expected = hashlib.sha256(json.dumps({
        "acting_org": None, "action": "read", "actor": "user-1",
        "at": "2025-03-01T09:30:00.123456+00:00", "prev_hash": "0" * 64, "reason": None,
        "record_id": "c-1", "record_type": "case", "request_id": None, "seq": 1,
        "tenant_id": "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11",
    }, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert stored == expected


def test_an_entry_rolls_back_with_the_access_it_documents(engine, trail):
    tenant = uuid.uuid4()
    Session = session_factory(engine)

    with Session() as session:
        session.set_tenant(tenant)
        trail.record(session, tenant, entry())
        session.rollback()
    with Session() as session:
        session.set_tenant(tenant)
        trail.record(session, tenant, entry())
        assert last_seq(session.connection(), tenant) == 1
        session.commit()

    with engine.connect() as connection:
        assert verify_chain(connection, tenant).checked == 1


def test_a_session_cannot_record_for_another_tenant(engine, trail):
    with session_factory(engine)() as session:
        session.set_tenant(uuid.uuid4())
        with pytest.raises(MissingTenantContext):
            trail.record(session, uuid.uuid4(), entry())


def test_an_entry_made_for_a_principal_carries_its_ids(engine, trail):
    tenant = uuid.uuid4()
    principal = Principal(subject="user-17", tenant=tenant, organisation="org-awo",
                          roles=frozenset({CASE_MANAGER}))
    record_id = uuid.uuid4()

    with engine.begin() as connection:
        trail.record(connection, tenant, AuditEntry.by(principal, "export", "case", record_id,
                                                       reason="Auskunftsersuchen"))
        row = connection.execute(sa.select(AUDIT_LOG)).one()

    assert (row.actor, row.acting_org, row.action, row.record_id) == (
        "user-17", "org-awo", "export", str(record_id))


@pytest.mark.parametrize("fields", [
    {"action": "Read the file of Erika M."},
    {"action": ""},
    {"actor": ""},
    {"reason": "x" * 501},
    {"record_type": "case" * 30},
])
def test_malformed_entries_are_refused(fields):
    values = {"actor": "user-1", "action": "read", "record_type": "case"} | fields
    with pytest.raises(ValueError):
        AuditEntry(**values)


def test_changing_an_entry_breaks_the_chain_exactly_there(engine, trail):
    tenant = uuid.uuid4()
    append(engine, trail, tenant, 10)

    tamper(engine, "UPDATE audit_log SET action = 'update' WHERE seq = 7")

    with engine.connect() as connection:
        result = verify_chain(connection, tenant)
    assert (result.ok, result.first_broken_seq, result.reason, result.checked) == (
        False, 7, "hash mismatch", 6)


def test_rehashing_a_changed_entry_breaks_the_link_of_the_next(engine, trail):
    tenant = uuid.uuid4()
    append(engine, trail, tenant, 10)

    with engine.begin() as connection:
        row = connection.execute(sa.select(AUDIT_LOG).where(AUDIT_LOG.c.seq == 4)).one()
        forged = dict(row._mapping) | {"action": "delete"}
        connection.execute(AUDIT_LOG.update().where(AUDIT_LOG.c.seq == 4)
                           .values(action="delete", hash=entry_hash(forged)))

    with engine.connect() as connection:
        result = verify_chain(connection, tenant)
    assert (result.first_broken_seq, result.reason) == (
        5, "prev_hash does not match the hash of entry 4")


def test_a_deleted_entry_is_reported_missing(engine, trail):
    tenant = uuid.uuid4()
    append(engine, trail, tenant, 10)

    tamper(engine, "DELETE FROM audit_log WHERE seq = 3")

    with engine.connect() as connection:
        result = verify_chain(connection, tenant)
    assert (result.ok, result.first_broken_seq, result.reason) == (False, 3, "entry 3 missing")


def test_a_missing_first_entry_is_reported(engine, trail):
    tenant = uuid.uuid4()
    append(engine, trail, tenant, 3)

    tamper(engine, "DELETE FROM audit_log WHERE seq = 1")

    with engine.connect() as connection:
        assert verify_chain(connection, tenant).reason == "entry 1 missing"


def test_the_first_of_several_breaks_is_reported(engine, trail):
    tenant = uuid.uuid4()
    append(engine, trail, tenant, 10)

    tamper(engine, "UPDATE audit_log SET actor = 'someone' WHERE seq IN (5, 8)")
    tamper(engine, "DELETE FROM audit_log WHERE seq = 9")

    with engine.connect() as connection:
        assert verify_chain(connection, tenant).first_broken_seq == 5


def test_chains_of_two_tenants_are_independent(engine, trail):
    county, city = uuid.uuid4(), uuid.uuid4()
    for n in range(1, 6):
        with engine.begin() as connection:
            trail.record(connection, county, entry(n))
            trail.record(connection, city, entry(n))
            assert (last_seq(connection, county), last_seq(connection, city)) == (n, n)

    tamper(engine, "UPDATE audit_log SET reason = NULL WHERE seq = 2 AND tenant_id = :tenant",
           tenant=county.hex)

    with engine.connect() as connection:
        assert verify_chain(connection, county).first_broken_seq == 2
        assert verify_chain(connection, city).ok


def test_concurrent_writers_do_not_fork_the_chain(engine, trail):
    tenant = uuid.uuid4()
    errors = []

    def writer(offset: int) -> None:
        try:
            append(engine, trail, tenant, 25, start=offset)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(offset,)) for offset in (1, 101)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with engine.connect() as connection:
        result = verify_chain(connection, tenant)
        seqs = connection.execute(
            sa.select(AUDIT_LOG.c.seq).order_by(AUDIT_LOG.c.seq)).scalars().all()
    assert result.ok and result.checked == 50
    assert seqs == list(range(1, 51))


def test_the_sealer_finds_nothing_to_do_on_sqlite_and_seals_what_was_left_unsealed(engine, trail):
    tenant = uuid.uuid4()
    append(engine, trail, tenant, 2)
    sealer = AuditSealer(engine, AUDIT_LOG)
    assert sealer.pending() == [] and sealer.seal_all() == 0

    with engine.begin() as connection:  # an entry written without its seal (not by record())
        trail.insert(connection, [trail.row(tenant, entry(3))])
    with engine.connect() as connection:
        assert verify_chain(connection, tenant).unsealed == 1

    assert [(u.tenant_id, u.entries) for u in sealer.pending()] == [(tenant, 1)]
    assert sealer.seal_all() == 1
    with engine.connect() as connection:
        result = verify_chain(connection, tenant)
    assert (result.ok, result.checked, result.unsealed) == (True, 3, 0)
