"""A stated purpose goes into the audit trail as a code of the vocabulary; the caller's note goes
beside the entry into ``audit_note`` — never into the unerasable, hash-chained trail — and is
erased on request or when its retention ends (ADR 0065). On SQLite and PostgreSQL (where the
unit of work writes entry and note in its commit's single round trip)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_platform import clock
from lotse_platform.audit import (
    AuditEntry,
    NoteRetention,
    Purpose,
    StatedPurpose,
    erase_notes,
    verify_chain,
)
from lotse_platform.testing import frozen_clock

NAME = "Frau Haddad"


def trail_and_notes(example, tenant: uuid.UUID) -> tuple[list[tuple], list[tuple]]:
    log, notes = example.tables.audit_log, example.tables.audit_note
    with example.uow(tenant) as uow:
        entries = uow.session.execute(
            sa.select(log.c.id, log.c.record_id, log.c.reason)
            .where(log.c.tenant_id == tenant).order_by(log.c.id)).all()
        kept = uow.session.execute(
            sa.select(notes.c.audit_id, notes.c.note)
            .where(notes.c.tenant_id == tenant).order_by(notes.c.audit_id)).all()
    return [tuple(e) for e in entries], [tuple(n) for n in kept]


def read_with(example, tenant: uuid.UUID, record: str, purpose: Purpose | None = None,
              note: str | None = None) -> None:
    with example.uow(tenant) as uow:
        uow.audit("read", "case_file", record, purpose=purpose, note=note)
        uow.commit()


def test_the_purpose_is_a_code_in_the_trail_and_the_note_is_kept_beside_it(any_example):
    tenant = uuid.uuid4()
    read_with(any_example, tenant, "case-1")
    read_with(any_example, tenant, "case-2", Purpose.complaint, f"Beschwerde von {NAME}")
    read_with(any_example, tenant, "case-3", Purpose.supervision)

    entries, notes = trail_and_notes(any_example, tenant)

    assert [(record, reason) for _, record, reason in entries] == [
        ("case-1", None), ("case-2", "purpose:complaint"), ("case-3", "purpose:supervision")]
    assert notes == [(entries[1][0], f"Beschwerde von {NAME}")]
    # the note itself is stored encrypted with the tenant's keys (ADR 0104), on both paths
    # (PostgreSQL's pipelined commit, SQLite's statements): its words are nowhere in clear
    with any_example.uow(tenant) as uow:
        stored = uow.session.execute(sa.text("SELECT note FROM audit_note")).scalars().all()
    any_example.sealer().seal(tenant)
    with any_example.engine.begin() as connection:
        assert NAME not in str(connection.execute(sa.select(any_example.tables.audit_log)).all())
        assert verify_chain(connection, tenant, table=any_example.tables.audit_log).checked == 3
    assert len(stored) == 1 and stored[0].startswith("lotse1$") and NAME not in stored[0]


def test_notes_are_erased_by_entry_or_by_record_and_the_entries_stay(any_example):
    tenant = uuid.uuid4()
    for record in ("case-1", "case-1", "case-2"):
        read_with(any_example, tenant, record, Purpose.data_subject_request, "Auskunft Art. 15")
    entries, _ = trail_and_notes(any_example, tenant)
    log = any_example.tables.audit_log

    with any_example.uow(tenant) as uow:
        assert erase_notes(uow.session, log, tenant, entry_id=entries[2][0]) == 1
        assert erase_notes(uow.session, log, tenant, record_id="case-1",
                           record_type="intake") == 0, "only entries about that record type"
        assert erase_notes(uow.session, log, tenant, record_id="case-1") == 2
        uow.commit()

    assert trail_and_notes(any_example, tenant) == (entries, [])


def test_notes_older_than_their_retention_are_erased_by_the_worker_loop(any_example):
    tenant, other = uuid.uuid4(), uuid.uuid4()
    with frozen_clock(clock.now() - timedelta(days=400)):
        read_with(any_example, tenant, "old", Purpose.audit, "Prüfung 2025")
        read_with(any_example, other, "old", Purpose.audit, "Prüfung 2025")
    read_with(any_example, tenant, "new", Purpose.audit, "Prüfung 2026")
    any_example.sealer().seal_all()

    erased = NoteRetention(any_example.engine, any_example.tables.audit_log,
                           retention_days=365).erase_expired()

    assert erased == 2
    for each in (tenant, other):
        entries, notes = trail_and_notes(any_example, each)
        assert [note for _, note in notes] == (["Prüfung 2026"] if each == tenant else [])
        assert len(entries) == (2 if each == tenant else 1), "the entries stay"


def test_an_entry_states_a_purpose_or_a_reason_and_a_note_has_a_limit():
    with pytest.raises(ValueError, match="purpose or a reason"):
        AuditEntry(actor="u", action="read", record_type="case", reason="x",
                   purpose=Purpose.audit)
    with pytest.raises(ValueError, match="1 to 2000"):
        AuditEntry(actor="u", action="read", record_type="case", purpose=Purpose.audit,
                   note=" ")
    with pytest.raises(ValueError):
        StatedPurpose(Purpose.audit, "x" * 1001)
    assert StatedPurpose(Purpose.audit, "  ").note is None
    assert Purpose("quality_assurance").label == "Qualitätssicherung"
