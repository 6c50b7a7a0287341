"""What goes over the wire to PostgreSQL: an audited domain write in one round trip (BEGIN, the
tenant context, the appended record, outbox row and audit entry in one statement, and COMMIT in
one pipeline), three when the record goes through the ORM's flush (BEGIN with the tenant context;
the flush; the rest), no ping
at a checkout unless the connection was idle long or the server closed it, and every failure
still reported as SQLAlchemy reports it. The round trips are counted from libpq's own trace of
the protocol messages: a simple Query or an extended-protocol Sync is one round trip."""

from __future__ import annotations

import select
import time
import types
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from psycopg import pq

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_example.domain.commands import RecordNote
from lotse_example.domain.model import Note
from lotse_example.service_layer.handlers import record_note
from lotse_platform.audit import AuditSealer, verify_chain
from lotse_platform.db import connections, create_engine, session_factory
from lotse_platform.db.engine import TENANT_SETTING
from lotse_platform.testing import poll

pytestmark = pytest.mark.integration

TENANT = uuid.UUID("6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11")


@pytest.fixture
def one_connection(pg_example):
    """The example service on a pool of exactly one connection: every checkout is the same."""
    engine = create_engine(pg_example.settings.database_url, pool_size=1, max_overflow=0)
    pg_example.__dict__["engine"] = engine
    pg_example.__dict__.pop("sessions", None)
    yield pg_example
    engine.dispose()


def pgconn_of(engine):
    """libpq's connection behind the engine's one pooled connection."""
    with engine.connect() as connection:
        return connection.connection.dbapi_connection.pgconn


@contextmanager
def wire(pgconn, tmp_path: Path):
    """The frontend's protocol messages on ``pgconn`` while the block runs."""
    trace = tmp_path / f"wire-{time.monotonic_ns()}.txt"
    messages: list[str] = []
    with trace.open("wb") as file:
        pgconn.trace(file.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield messages
        finally:
            pgconn.untrace()
    messages.extend(line for line in trace.read_text(errors="replace").splitlines()
                    if line.startswith("F\t"))


def round_trips(messages: list[str]) -> int:
    return sum(1 for m in messages if m.split("\t")[2].startswith(("Query", "Sync")))


def count(engine, table: str, tenant: uuid.UUID) -> int:
    with session_factory(engine)() as session:
        session.set_tenant(tenant)
        return session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_an_audited_domain_write_of_an_appended_record_takes_one_round_trip(one_connection,
                                                                           tmp_path):
    example = one_connection
    for _ in range(3):  # the statements are prepared by now, as in a running service
        record_note(RecordNote("area-1", "user-1", "Erstgespräch"), example.uow(TENANT))

    with wire(pgconn_of(example.engine), tmp_path) as messages:
        record_note(RecordNote("area-1", "user-1", "Erstgespräch"), example.uow(TENANT))

    assert round_trips(messages) == 1, "\n".join(messages)
    assert messages[0].endswith('Parse\t "" "BEGIN" 0'), messages[0]
    assert any(f"SET LOCAL {TENANT_SETTING} = '{TENANT}'" in m for m in messages)
    # the note, its event and its audit entry: one statement (data-modifying CTEs), one Execute
    # besides BEGIN, SET LOCAL and COMMIT
    assert sum(1 for m in messages if m.split("\t")[2].startswith("Execute")) == 4
    assert (count(example.engine, "notes", TENANT), count(example.engine, "outbox", TENANT)) == (
        4, 4)
    AuditSealer(example.engine, orm.platform.audit_log).seal_all()
    with example.engine.connect() as connection:
        assert verify_chain(connection, TENANT).checked == 4


def test_an_audited_domain_write_through_the_orm_takes_three_round_trips(one_connection,
                                                                          tmp_path):
    example = one_connection

    def write() -> None:
        with example.uow(TENANT) as uow:
            note = Note.record("area-1", "user-1", "Erstgespräch")
            uow.session.add(note)  # tracked by the ORM: flushed before the pending rows
            uow.publish(NoteRecorded(note_id=str(note.id)), aggregate_id=note.id)
            uow.audit("create", "note", note.id)
            uow.commit()

    for _ in range(3):
        write()
    with wire(pgconn_of(example.engine), tmp_path) as messages:
        write()

    assert round_trips(messages) == 3, "\n".join(messages)
    assert f"Query\t \"BEGIN; SET LOCAL {TENANT_SETTING} = '{TENANT}'\"" in messages[0]
    assert (count(example.engine, "notes", TENANT), count(example.engine, "outbox", TENANT)) == (
        4, 4)


def test_a_checkout_soon_after_the_last_one_sends_nothing_before_the_statement(one_connection,
                                                                               tmp_path):
    engine = one_connection.engine
    pgconn = pgconn_of(engine)

    with wire(pgconn, tmp_path) as messages, engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))

    assert [m.split("\t")[-1] for m in messages] == [' "BEGIN"', ' "SELECT 1"', ' "ROLLBACK"']


def test_a_connection_idle_past_the_threshold_is_pinged_first(pg_example, monkeypatch,
                                                             tmp_path):
    monkeypatch.setattr(connections, "PING_AFTER_IDLE", 0.05)
    engine = create_engine(pg_example.settings.database_url, pool_size=1, max_overflow=0)
    try:
        pgconn = pgconn_of(engine)
        # the pool's clock, a second on: the connection has been idle past the threshold
        later = time.monotonic() + 1.0
        monkeypatch.setattr(connections, "time", types.SimpleNamespace(monotonic=lambda: later))
        with wire(pgconn, tmp_path) as messages, engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    finally:
        engine.dispose()

    assert [m.split("\t")[-1] for m in messages] == [' ";"', ' "BEGIN"', ' "SELECT 1"',
                                                       ' "ROLLBACK"']


def test_a_connection_the_server_terminated_is_replaced_at_checkout(one_connection,
                                                                    superuser_engine):
    engine = one_connection.engine
    with engine.connect() as connection:
        first = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        socket = connection.connection.dbapi_connection.pgconn.socket
    with superuser_engine.connect() as admin:
        assert admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
    poll(lambda: select.select([socket], [], [], 0)[0], timeout=10,
         message="the server's goodbye on the idle connection's socket")

    with engine.connect() as connection:  # no error: replaced before it is handed out
        second = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    assert second != first


def test_a_tenant_context_meant_for_a_transaction_that_ran_nothing_reaches_no_other(
        one_connection):
    engine = one_connection.engine
    with session_factory(engine)() as session:
        session.set_tenant(TENANT)
        session.connection()  # begins: the context waits to go out with the first statement
        session.rollback()

    with engine.connect() as connection:
        assert not connection.execute(
            sa.text("SELECT current_setting(:s, true)"), {"s": TENANT_SETTING}).scalar()


def test_executemany_as_a_transactions_first_statement_runs_in_its_tenant_context(pg_example):
    notes = orm.metadata.tables["notes"]
    rows = [{"id": uuid.uuid4(), "tenant_id": TENANT, "area_id": "a", "author_id": "u",
             "text": "t", "recorded_at": datetime.now(UTC)} for _ in range(3)]
    with session_factory(pg_example.engine, pg_example.field_cipher)() as session:
        session.set_tenant(TENANT)
        session.execute(notes.insert(), rows)  # psycopg's executemany: a pipeline
        session.commit()

    assert count(pg_example.engine, "notes", TENANT) == 3


def test_a_failing_pending_write_commits_nothing_and_is_an_sqlalchemy_error(pg_example):
    tenant = uuid.uuid4()
    with pytest.raises(sa.exc.DataError), pg_example.uow(tenant) as uow:
        note = Note.record("area-1", "user-1", "text")
        uow.add_note(note)
        uow.publish(NoteRecorded(note_id=str(note.id)), aggregate_id=note.id,
                    subject="x" * 300)  # longer than the outbox's subject column
        uow.audit("create", "note", note.id)
        uow.commit()

    assert [count(pg_example.engine, t, tenant) for t in ("notes", "outbox", "audit_log")] == [
        0, 0, 0]


def test_the_pending_rows_are_written_when_the_session_is_committed_directly(any_example):
    tenant = uuid.uuid4()
    with any_example.uow(tenant) as uow:
        note = Note.record("area-1", "user-1", "text")
        uow.add_note(note)
        uow.publish(NoteRecorded(note_id=str(note.id)), aggregate_id=note.id)
        uow.audit("create", "note", note.id)
        uow.session.commit()

    with any_example.uow(tenant) as uow:
        outbox = uow.session.execute(sa.select(sa.func.count()).select_from(
            orm.platform.outbox).where(orm.platform.outbox.c.tenant_id == tenant)).scalar_one()
        audited = verify_chain(uow.session, tenant)
    assert outbox == 1
    assert audited.checked + audited.unsealed == 1


def test_nothing_pending_is_written_after_a_rollback(any_example):
    tenant = uuid.uuid4()
    with any_example.uow(tenant) as uow:
        uow.publish(NoteRecorded(note_id="n"), aggregate_id="n")
        uow.audit("read", "note", "n")
        uow.rollback()
        uow.commit()

    with any_example.uow(tenant) as uow:
        assert verify_chain(uow.session, tenant).unsealed == 0
        assert uow.session.execute(sa.select(sa.func.count()).select_from(orm.platform.outbox)
                                   .where(orm.platform.outbox.c.tenant_id == tenant)).scalar() == 0


def test_an_audit_entry_row_level_security_refuses_is_missing_tenant_context_at_commit(
        pg_example):
    from lotse_platform.db import MissingTenantContext

    tenant = uuid.uuid4()
    with pytest.raises(MissingTenantContext), pg_example.uow(tenant) as uow:
        uow.add_note(Note.record("area-1", "user-1", "text"))
        uow.audit("create", "note", "n")
        uow._pending.audit[0]["tenant_id"] = uuid.uuid4()  # as a bug elsewhere would
        uow.commit()

    assert count(pg_example.engine, "notes", tenant) == 0
