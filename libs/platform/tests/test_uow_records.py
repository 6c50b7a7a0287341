"""What a unit of work writes besides the change: each audit entry as the caller (or the service
itself) made it — who, what, which record, why, in which request — and each outbox row as the
relay and the consumers need it — event type, source, aggregate and its sequence, subject,
tenant, time, trace context, payload. On SQLite (embedded mode) the audit entries are chained at
the commit already (ADR 0008)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_platform.audit import verify_chain
from lotse_platform.auth import CASE_MANAGER, Principal

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


# the trail keeps a request id only when it is one (a UUID, ADR 0065); the logs keep any
REQUEST_1, REQUEST_2 = "5f0c2b1e-8a4d-4c1e-9e3a-1b2c3d4e5f60", "6a1d3c2f-9b5e-4d2f-8f4b-2c3d4e5f6071"

def rows(example, tenant: uuid.UUID, table: sa.Table) -> list:
    with example.uow(tenant) as uow:
        return uow.session.execute(sa.select(table).where(table.c.tenant_id == tenant)
                                   .order_by(table.c.id)).all()


def test_an_audit_entry_names_the_caller_the_record_the_reason_and_the_request(any_example):
    tenant, record = uuid.uuid4(), uuid.uuid4()
    caller = Principal(subject="cm-lea", tenant=tenant, organisation="org-awo",
                       roles=frozenset({CASE_MANAGER}))
    with any_example.uow(tenant, principal=caller, request_id=REQUEST_1) as uow:
        uow.audit("read", "case_file", record, reason="Fallbesprechung")
        uow.audit("export", "case_file")
        uow.commit()

    entries = rows(any_example, tenant, orm.platform.audit_log)
    assert [(e.actor, e.acting_org, e.action, e.record_type, e.record_id, e.reason,
             e.request_id) for e in entries] == [
        ("cm-lea", "org-awo", "read", "case_file", str(record), "Fallbesprechung", REQUEST_1),
        ("cm-lea", "org-awo", "export", "case_file", None, None, REQUEST_1)]


def test_without_a_caller_the_service_itself_is_the_actor(any_example):
    tenant = uuid.uuid4()
    with any_example.uow(tenant, request_id=REQUEST_2) as uow:
        uow.audit("purge", "note", 42, reason="retention")
        uow.commit()

    [entry] = rows(any_example, tenant, orm.platform.audit_log)
    assert (entry.actor, entry.acting_org, entry.action, entry.record_type, entry.record_id,
            entry.reason, entry.request_id) == (
        f"system:{any_example.source}", None, "purge", "note", "42", "retention", REQUEST_2)


def test_an_outbox_row_carries_what_the_relay_and_the_consumers_need(any_example):
    tenant, aggregate = uuid.uuid4(), uuid.uuid4()
    event = NoteRecorded(note_id=str(aggregate), area_id="area-1", author_id="user-1", length=4)
    before = datetime.now(UTC)
    with any_example.uow(tenant, traceparent=TRACEPARENT) as uow:
        first = uow.publish(event, aggregate_id=aggregate, sequence=7)
        second = uow.publish(event, aggregate_id=aggregate, subject="case-9")
        uow.commit()
    after = datetime.now(UTC)

    assert uow.published == [first, second]
    rows_written = rows(any_example, tenant, orm.platform.outbox)
    assert [(r.event_id, r.event_type, r.source, r.aggregate_id, r.sequence, r.subject,
             r.traceparent) for r in rows_written] == [
        (first, "example.note.recorded.v1", any_example.source, str(aggregate), 7,
         str(aggregate), TRACEPARENT),
        (second, "example.note.recorded.v1", any_example.source, str(aggregate), None,
         "case-9", TRACEPARENT)]
    for row in rows_written:
        assert NoteRecorded.FromString(row.payload) == event
        occurred = row.occurred_at if row.occurred_at.tzinfo else row.occurred_at.replace(
            tzinfo=UTC)
        assert before <= occurred <= after, "taken in the transaction"


def test_on_sqlite_the_audit_entries_are_chained_at_the_commit(sqlite_example):
    tenant = uuid.uuid4()
    with sqlite_example.uow(tenant) as uow:
        uow.audit("create", "note", uuid.uuid4())
        uow.audit("read", "note", uuid.uuid4())
        uow.commit()

    with sqlite_example.engine.connect() as connection:
        chain = verify_chain(connection, tenant)
    assert (chain.checked, chain.unsealed) == (2, 0)
