"""platform_0011 on the real PostgreSQL: the notes beside the audit trail and the kept parts of
subject-access requests — written in clear before it — are encrypted with their tenant's keys
when the migration runs with the service's key store; its downgrade decrypts them (ADR 0104).
On the example service, the template every service's history shares the platform branch with."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from lotse_platform.audit import Purpose
from lotse_platform.db.engine import FIELD_CIPHER
from lotse_platform.db.migrations import alembic_config

NOTE = "Beschwerde von Frau Haddad vom 3. März"
PART = '{"tables":[{"name":"notes","rows":[{"text":"Frau Haddad, Diabetes"}]}]}'


def _migrate(example, step, target: str, cipher) -> None:
    config = alembic_config(example.migrations, example.settings.owner_database_url)
    config.attributes[FIELD_CIPHER] = cipher
    step(config, target)


def _stored(superuser_engine) -> tuple[list[str], list[str]]:
    with superuser_engine.connect() as connection:
        notes = connection.execute(sa.text("SELECT note FROM audit_note")).scalars().all()
        parts = connection.execute(sa.text(
            "SELECT content FROM subject_access_part")).scalars().all()
    return list(notes), list(parts)


def test_existing_notes_and_parts_are_encrypted_and_the_downgrade_decrypts_them(
        pg_example, superuser_engine):
    tenant, request_id = uuid.uuid4(), uuid.uuid4()
    _migrate(pg_example, command.downgrade, "platform_0010", pg_example.field_cipher)
    with superuser_engine.begin() as connection:  # rows as an older release wrote them
        entry = connection.execute(sa.text(
            "INSERT INTO audit_log (tenant_id, at, actor, action, record_type, record_id, reason)"
            " VALUES (:t, :at, 'ks-koch', 'read', 'case_file', 'case-1', :reason) RETURNING id"),
            {"t": tenant, "at": datetime.now(UTC),
             "reason": Purpose.complaint.reason}).scalar_one()
        connection.execute(sa.text(
            "INSERT INTO audit_note (audit_id, tenant_id, written_at, note) "
            "VALUES (:id, :t, :at, :note)"),
            {"id": entry, "t": tenant, "at": datetime.now(UTC), "note": NOTE})
        connection.execute(sa.text(
            "INSERT INTO subject_access_part (request_id, tenant_id, person_id, created_at, "
            "sha256, content) VALUES (:r, :t, 'p-1', :at, :sha, :content)"),
            {"r": request_id, "t": tenant, "at": datetime.now(UTC), "sha": "0" * 64,
             "content": PART})

    _migrate(pg_example, command.upgrade, "heads", pg_example.field_cipher)

    notes, parts = _stored(superuser_engine)
    assert [n.startswith("lotse1$") and "Haddad" not in n for n in notes] == [True]
    assert [p.startswith("lotse1$") and "Haddad" not in p for p in parts] == [True]
    cipher = pg_example.field_cipher
    assert cipher.decrypt(tenant, "audit_note.note", notes[0]) == NOTE
    assert cipher.decrypt(tenant, "subject_access_part.content", parts[0]) == PART
    with pg_example.uow(tenant) as uow:  # and the service reads them as it wrote them
        notes_table, parts_table = pg_example.tables.audit_note, pg_example.tables.subject_access_part
        assert uow.session.execute(sa.select(notes_table.c.note)).scalars().all() == [NOTE]
        assert uow.session.execute(sa.select(parts_table.c.content)).scalars().all() == [PART]

    _migrate(pg_example, command.downgrade, "platform_0010", pg_example.field_cipher)
    assert _stored(superuser_engine) == ([NOTE], [PART])
    _migrate(pg_example, command.upgrade, "heads", pg_example.field_cipher)
