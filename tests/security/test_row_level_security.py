"""Required proof: PostgreSQL row-level security isolates tenants even when the query forgets to.

The service connects as the application role. A session of tenant A gets nothing of tenant B
from raw SQL without a filter, nor from an ORM query that switches the session's own tenant
filter off (``all_tenants``); it cannot insert, update, move or delete B's rows; and a connection
that carries no tenant at all sees no tenant-owned row. Every check first makes sure, as the
superuser, that B's rows exist, so "nothing" means hidden, not absent.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from lotse_example.domain.model import AreaTally, Note

from ..support.pipeline import record_notes

pytestmark = pytest.mark.integration

TENANT_A = uuid.UUID("aaaaaaaa-1111-4000-8000-00000000000a")
TENANT_B = uuid.UUID("bbbbbbbb-2222-4000-8000-00000000000b")


@pytest.fixture
def two_tenants(example, example_superuser_engine):
    notes_a = record_notes(example, TENANT_A, "area-a", 2)
    notes_b = record_notes(example, TENANT_B, "area-b", 3)
    for tenant in (TENANT_A, TENANT_B):
        with example.uow(tenant) as uow:
            uow.tally("area-x").count()
            uow.commit()
    with example_superuser_engine.connect() as connection:
        assert count(connection, "notes", TENANT_B) == 3
        assert count(connection, "area_tallies", TENANT_B) == 1
    return notes_a, notes_b


def count(connection, table: str, tenant: uuid.UUID | None = None) -> int:
    where = " WHERE tenant_id = :tenant" if tenant else ""
    return connection.execute(sa.text(f"SELECT count(*) FROM {table}{where}"),
                              {"tenant": tenant}).scalar_one()


def session_of(example, tenant: uuid.UUID | None):
    session = example.sessions()
    session.set_tenant(tenant)
    return session


def assert_b_untouched(superuser_engine, notes_b: list[uuid.UUID]) -> None:
    with superuser_engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, tenant_id, text FROM notes "
                                          "WHERE tenant_id = :b ORDER BY text"),
                                  {"b": TENANT_B}).all()
    assert sorted(row.id for row in rows) == sorted(notes_b)
    # as recorded: encrypted with the tenant's keys (ADR 0104), no plaintext written over it
    assert all(row.text.startswith("lotse1$") for row in rows)


# -- reading -------------------------------------------------------------------------------------

def test_raw_sql_without_a_tenant_filter_returns_only_the_sessions_tenant(example, two_tenants):
    notes_a, _ = two_tenants
    with session_of(example, TENANT_A) as session:
        rows = session.execute(sa.text("SELECT * FROM notes")).all()
        tallies = session.execute(sa.text("SELECT * FROM area_tallies")).all()

    assert sorted(row.id for row in rows) == sorted(notes_a)
    assert {row.tenant_id for row in rows} == {TENANT_A}
    assert {row.tenant_id for row in tallies} == {TENANT_A}


def test_raw_sql_asking_for_another_tenant_by_name_gets_zero_rows(example, two_tenants):
    with session_of(example, TENANT_A) as session:
        assert count(session, "notes", TENANT_B) == 0
        assert count(session, "area_tallies", TENANT_B) == 0


def test_an_orm_query_with_all_tenants_still_returns_only_the_sessions_tenant(example,
                                                                              two_tenants):
    notes_a, _ = two_tenants
    with session_of(example, TENANT_A) as session:
        notes = session.execute(
            sa.select(Note).execution_options(all_tenants=True)).scalars().all()
        tallies = session.execute(
            sa.select(AreaTally).execution_options(all_tenants=True)).scalars().all()

    assert sorted(n.id for n in notes) == sorted(notes_a)
    assert {t.tenant_id for t in tallies} == {TENANT_A}


def test_a_connection_without_any_tenant_context_sees_nothing(example, two_tenants):
    with example.engine.connect() as connection:
        assert count(connection, "notes") == 0
        assert count(connection, "area_tallies") == 0
        assert count(connection, "audit_log") == 0
    with session_of(example, None) as session:
        assert count(session, "notes") == 0
        assert session.execute(
            sa.select(Note).execution_options(all_tenants=True)).scalars().all() == []


# -- writing -------------------------------------------------------------------------------------

def test_a_session_of_tenant_a_cannot_insert_a_row_for_tenant_b(example, two_tenants,
                                                               example_superuser_engine):
    _, notes_b = two_tenants
    with session_of(example, TENANT_A) as session:
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            session.execute(sa.text(
                "INSERT INTO notes (id, tenant_id, area_id, author_id, text, recorded_at) "
                "VALUES (:id, :b, 'area-b', 'intruder', 'planted', now())"),
                {"id": uuid.uuid4(), "b": TENANT_B})

    assert_b_untouched(example_superuser_engine, notes_b)


def test_a_session_of_tenant_a_cannot_update_or_delete_rows_of_tenant_b(example, two_tenants,
                                                                       example_superuser_engine):
    _, notes_b = two_tenants
    with session_of(example, TENANT_A) as session:
        updated = session.execute(sa.text("UPDATE notes SET text = 'overwritten'"))
        targeted = session.execute(sa.text("UPDATE notes SET text = 'overwritten' "
                                           "WHERE tenant_id = :b"), {"b": TENANT_B})
        deleted = session.execute(sa.text("DELETE FROM notes WHERE tenant_id = :b"),
                                  {"b": TENANT_B})
        session.commit()

    assert updated.rowcount == 2  # A's own notes only
    assert (targeted.rowcount, deleted.rowcount) == (0, 0)
    assert_b_untouched(example_superuser_engine, notes_b)


def test_a_session_of_tenant_a_cannot_move_its_rows_to_tenant_b(example, two_tenants,
                                                               example_superuser_engine):
    with session_of(example, TENANT_A) as session:
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            session.execute(sa.text("UPDATE notes SET tenant_id = :b"), {"b": TENANT_B})

    with example_superuser_engine.connect() as connection:
        assert count(connection, "notes", TENANT_A) == 2
        assert count(connection, "notes", TENANT_B) == 3


def test_a_connection_without_tenant_context_can_neither_write_nor_change_tenant_rows(
    example, two_tenants, example_superuser_engine
):
    _, notes_b = two_tenants
    with example.engine.connect() as connection:
        assert connection.execute(sa.text("UPDATE notes SET text = 'x'")).rowcount == 0
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            connection.execute(sa.text(
                "INSERT INTO notes (id, tenant_id, area_id, author_id, text, recorded_at) "
                "VALUES (:id, :b, 'area-b', 'intruder', 'planted', now())"),
                {"id": uuid.uuid4(), "b": TENANT_B})

    assert_b_untouched(example_superuser_engine, notes_b)
