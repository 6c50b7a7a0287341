"""A unit of work commits its state change, its outbox rows and its audit entries together or
not at all (ARCHITECTURE.md, reliability invariant 1). When the database refuses the outbox row
or the audit entry, the change is not committed either: neither a record written through the
ORM (a new row and an update of an existing one) nor one appended with ``uow.append`` — whether
the handler commits with ``uow.commit()`` or the session is committed directly.

The refusal is the database's own: a trigger that rejects every insert into the outbox (or the
audit log), as a full disk, a broken constraint or a lost connection would at that moment.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_example.domain.model import AreaTally, Note

NOTES = orm.metadata.tables["notes"]
AREA = "area-1"


@contextmanager
def inserts_refused(example, table: str):
    """Every INSERT into ``table`` fails in the database while the block runs."""
    owner = sa.create_engine(example.settings.migration_database_url or example.settings.database_url,
                             poolclass=sa.pool.NullPool)
    postgres = owner.dialect.name == "postgresql"
    create = [
        "CREATE FUNCTION lotse_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the test refuses this row'; END $$",
        f"CREATE TRIGGER lotse_test_refuse BEFORE INSERT ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION lotse_test_refuse()",
    ] if postgres else [
        f"CREATE TRIGGER lotse_test_refuse BEFORE INSERT ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'the test refuses this row'); END",
    ]
    drop = [f"DROP TRIGGER lotse_test_refuse ON {table}", "DROP FUNCTION lotse_test_refuse()"] \
        if postgres else ["DROP TRIGGER lotse_test_refuse"]
    with owner.begin() as connection:
        for statement in create:
            connection.execute(sa.text(statement))
    try:
        yield
    finally:
        with owner.begin() as connection:
            for statement in drop:
                connection.execute(sa.text(statement))
        owner.dispose()


def written(example, tenant: uuid.UUID) -> dict[str, object]:
    """What the tenant has: its notes, the area's tally, outbox rows and audit entries."""
    with example.uow(tenant) as uow:
        def count(table: sa.Table) -> int:
            return uow.session.execute(sa.select(sa.func.count()).select_from(table)
                                       .where(table.c.tenant_id == tenant)).scalar_one()

        tally = uow.session.get(AreaTally, (tenant, AREA))
        return {"notes": count(NOTES), "tally": tally.notes if tally else None,
                "outbox": count(orm.platform.outbox), "audit": count(orm.platform.audit_log)}


def change_through_the_orm(uow) -> uuid.UUID:
    """A new row and an update of an existing one, both flushed by the ORM."""
    note = Note.record(AREA, "user-1", "Erstgespräch")
    uow.session.add(note)
    uow.session.get(AreaTally, (uow.tenant_id, AREA)).count()
    return note.id


def change_appended(uow) -> uuid.UUID:
    note = Note.record(AREA, "user-1", "Erstgespräch")
    uow.add_note(note)  # uow.append(notes, …): written with the outbox row, not by the ORM
    return note.id


CHANGES = {"through the ORM": change_through_the_orm, "appended": change_appended}
COMMITS = {"uow.commit()": lambda uow: uow.commit(),
           "session.commit()": lambda uow: uow.session.commit()}


@pytest.fixture
def tenant_with_a_tally(any_example):
    tenant = uuid.uuid4()
    with any_example.uow(tenant) as uow:
        uow.session.add(AreaTally(area_id=AREA, notes=5))
        uow.commit()
    return tenant


@pytest.mark.parametrize("refused", ["outbox", "audit_log"])
@pytest.mark.parametrize("commit", COMMITS)
@pytest.mark.parametrize("change", CHANGES)
def test_a_refused_outbox_row_or_audit_entry_leaves_the_state_change_uncommitted(
        any_example, tenant_with_a_tally, change, commit, refused):
    tenant = tenant_with_a_tally
    before = written(any_example, tenant)
    assert before == {"notes": 0, "tally": 5, "outbox": 0, "audit": 0}

    with inserts_refused(any_example, refused), pytest.raises(sa.exc.DBAPIError,
                                                              match="the test refuses this row"):
        with any_example.uow(tenant) as uow:
            note_id = CHANGES[change](uow)
            uow.publish(NoteRecorded(note_id=str(note_id), area_id=AREA), aggregate_id=note_id)
            uow.audit("create", "note", note_id)
            COMMITS[commit](uow)

    assert written(any_example, tenant) == before


@pytest.mark.parametrize("change", CHANGES)
def test_without_a_refusal_the_change_its_outbox_row_and_audit_entry_commit_together(
        any_example, tenant_with_a_tally, change):
    tenant = tenant_with_a_tally
    with any_example.uow(tenant) as uow:
        note_id = CHANGES[change](uow)
        uow.publish(NoteRecorded(note_id=str(note_id), area_id=AREA), aggregate_id=note_id)
        uow.audit("create", "note", note_id)
        uow.commit()

    assert written(any_example, tenant) == {
        "notes": 1, "tally": 6 if change == "through the ORM" else 5, "outbox": 1, "audit": 1}
