"""``uow.append(table, row)``: an append-only record written at commit with the outbox rows and
audit entries — in the unit of work's tenant, with the change or not at all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lotse.example.v1.events_pb2 import NoteRecorded
from lotse_example.adapters import orm
from lotse_platform.db import MissingTenantContext

NOTES = orm.metadata.tables["notes"]


def note_row(**extra) -> dict:
    return {"id": uuid.uuid4(), "area_id": "area-1", "author_id": "user-1", "text": "Termin",
            "recorded_at": datetime.now(UTC), **extra}


def notes_of(example, tenant: uuid.UUID) -> list[str]:
    with example.uow(tenant) as uow:
        return list(uow.session.execute(  # Core: filtered here, not by the session
            sa.select(NOTES.c.text).where(NOTES.c.tenant_id == tenant)).scalars())


def test_appended_rows_commit_in_the_units_tenant(any_example):
    tenant, other = uuid.uuid4(), uuid.uuid4()
    with any_example.uow(tenant) as uow:
        uow.append(NOTES, note_row(text="erste"))
        uow.append(NOTES, note_row(text="zweite"))
        uow.publish(NoteRecorded(note_id="n"), aggregate_id="n")
        uow.commit()

    assert sorted(notes_of(any_example, tenant)) == ["erste", "zweite"]
    assert notes_of(any_example, other) == []


def test_appended_rows_are_dropped_by_a_rollback_and_an_exception(any_example):
    tenant = uuid.uuid4()
    with any_example.uow(tenant) as uow:
        uow.append(NOTES, note_row())
        uow.rollback()
        uow.commit()
    with pytest.raises(RuntimeError), any_example.uow(tenant) as uow:
        uow.append(NOTES, note_row())
        raise RuntimeError("the handler failed before its commit")

    assert notes_of(any_example, tenant) == []


@pytest.mark.integration
def test_a_row_appended_for_another_tenant_is_refused_and_nothing_commits(pg_example):
    tenant = uuid.uuid4()
    with pytest.raises(MissingTenantContext), pg_example.uow(tenant) as uow:
        uow.append(NOTES, note_row(tenant_id=uuid.uuid4()))  # as a bug would
        uow.publish(NoteRecorded(note_id="n"), aggregate_id="n")
        uow.commit()

    with pg_example.uow(tenant) as uow:
        assert uow.session.execute(sa.select(sa.func.count()).select_from(
            orm.platform.outbox)).scalar_one() == 0


def test_rows_of_one_table_name_the_same_columns(any_example):
    with any_example.uow(uuid.uuid4()) as uow:
        uow.append(NOTES, note_row())
        with pytest.raises(ValueError, match="same columns"):
            uow.append(NOTES, {k: v for k, v in note_row().items() if k != "recorded_at"})


def test_a_tenant_owned_row_needs_a_tenant(any_example):
    with any_example.uow(None) as uow, pytest.raises(MissingTenantContext):
        uow.append(NOTES, note_row())
