"""TenantSession: the first of the two tenant guards (ARCHITECTURE.md, Security).

Every ORM query on tenant-owned data gets the session's tenant as a filter, new rows take the
session's tenant, and a session never touches tenant-owned data without a tenant or writes
another tenant's rows. On PostgreSQL the tenant also goes into the transaction-local setting
``lotse.tenant_id`` that row-level security compares with; it must end with the transaction.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from lotse_example.domain.model import AreaTally, Note
from lotse_platform.db import MissingTenantContext, create_engine, session_factory
from lotse_platform.db.engine import TENANT_SETTING

pytestmark = pytest.mark.integration

TENANT_A = uuid.UUID("aaaaaaaa-0000-4000-8000-000000000001")
TENANT_B = uuid.UUID("bbbbbbbb-0000-4000-8000-000000000002")


def add_notes(sessions, tenant: uuid.UUID, *texts: str) -> list[uuid.UUID]:
    with sessions() as session:
        session.set_tenant(tenant)
        notes = [Note.record("area-1", "user-1", text) for text in texts]
        session.add_all(notes)
        session.commit()
    return [note.id for note in notes]


def tenant_session(sessions, tenant: uuid.UUID | None):
    session = sessions()
    session.set_tenant(tenant)
    return session


@pytest.fixture
def two_tenants(any_example):
    """Notes of tenants A and B in the same table."""
    a = add_notes(any_example.sessions, TENANT_A, "a first", "a second")
    b = add_notes(any_example.sessions, TENANT_B, "b only")
    return any_example, a, b


# -- queries -------------------------------------------------------------------------------------

def test_an_orm_query_returns_only_the_sessions_tenant(two_tenants):
    example, a, _ = two_tenants
    with tenant_session(example.sessions, TENANT_A) as session:
        notes = session.execute(sa.select(Note)).scalars().all()
        legacy = session.query(Note).all()

    assert sorted(n.id for n in notes) == sorted(a)
    assert sorted(n.id for n in legacy) == sorted(a)


def test_another_tenants_row_cannot_be_fetched_by_its_key(two_tenants):
    example, _, b = two_tenants
    with tenant_session(example.sessions, TENANT_A) as session:
        assert session.get(Note, b[0]) is None


def test_orm_update_and_delete_do_not_reach_another_tenants_rows(two_tenants):
    example, _, b = two_tenants
    with tenant_session(example.sessions, TENANT_A) as session:
        updated = session.execute(sa.update(Note).where(Note.id == b[0]).values(text="changed"))
        deleted = session.execute(sa.delete(Note).where(Note.id == b[0]))
        session.commit()

    assert (updated.rowcount, deleted.rowcount) == (0, 0)
    with tenant_session(example.sessions, TENANT_B) as session:
        assert session.get(Note, b[0]).text == "b only"


def test_on_postgresql_the_orm_filter_holds_even_for_a_role_that_bypasses_row_level_security(
    pg_example, superuser_engine
):
    # the superuser sees every row, so only the session's own filter can hide tenant B here
    add_notes(pg_example.sessions, TENANT_A, "a")
    add_notes(pg_example.sessions, TENANT_B, "b")
    sessions = session_factory(superuser_engine)

    with tenant_session(sessions, TENANT_A) as session:
        filtered = session.execute(sa.select(Note.tenant_id)).scalars().all()
        unfiltered = session.execute(
            sa.select(Note.tenant_id).execution_options(all_tenants=True)).scalars().all()

    assert filtered == [TENANT_A]
    assert sorted(unfiltered) == sorted([TENANT_A, TENANT_B])


def test_a_query_on_tenant_owned_data_without_a_tenant_is_refused(any_example):
    with tenant_session(any_example.sessions, None) as session:
        with pytest.raises(MissingTenantContext):
            session.execute(sa.select(Note))
        with pytest.raises(MissingTenantContext):
            session.query(AreaTally).all()
        with pytest.raises(MissingTenantContext):
            session.execute(sa.delete(Note))


def test_the_tenant_cannot_change_once_the_transaction_has_begun(any_example):
    with tenant_session(any_example.sessions, TENANT_A) as session:
        session.execute(sa.select(Note))
        with pytest.raises(RuntimeError):
            session.set_tenant(TENANT_B)


# -- writes --------------------------------------------------------------------------------------

def test_a_new_row_is_stamped_with_the_sessions_tenant(any_example):
    [note_id] = add_notes(any_example.sessions, TENANT_A, "stamped")

    with tenant_session(any_example.sessions, TENANT_A) as session:
        assert session.get(Note, note_id).tenant_id == TENANT_A


def test_a_new_row_without_a_tenant_is_refused(any_example):
    with tenant_session(any_example.sessions, None) as session:
        session.add(Note.record("area-1", "user-1", "nobody's"))
        with pytest.raises(MissingTenantContext):
            session.flush()


def test_a_new_row_for_another_tenant_is_refused(any_example):
    with tenant_session(any_example.sessions, TENANT_A) as session:
        note = Note.record("area-1", "user-1", "for B")
        note.tenant_id = TENANT_B
        session.add(note)
        with pytest.raises(MissingTenantContext):
            session.flush()


def test_a_row_cannot_be_moved_to_another_tenant(two_tenants):
    example, a, _ = two_tenants
    with tenant_session(example.sessions, TENANT_A) as session:
        session.get(Note, a[0]).tenant_id = TENANT_B
        with pytest.raises(MissingTenantContext):
            session.flush()

    with tenant_session(example.sessions, TENANT_A) as session:
        assert session.get(Note, a[0]) is not None


def test_a_row_of_another_tenant_read_with_all_tenants_cannot_be_changed_or_deleted(two_tenants):
    example, _, b = two_tenants
    # the text is encrypted with B's keys, which A's session would not open (410, ADR 0104):
    # left unloaded, so that the session's own guard is what refuses the change
    everyone = (sa.select(Note).where(Note.id == b[0]).options(sa.orm.defer(Note.text))
                .execution_options(all_tenants=True))
    with sessions_past_row_level_security(example) as sessions:
        with tenant_session(sessions, TENANT_A) as session:
            session.execute(everyone).scalar_one().text = "overwritten by A"
            with pytest.raises(MissingTenantContext):
                session.flush()
        with tenant_session(sessions, TENANT_A) as session:
            session.delete(session.execute(everyone).scalar_one())
            with pytest.raises(MissingTenantContext):
                session.flush()

    with tenant_session(example.sessions, TENANT_B) as session:
        assert session.get(Note, b[0]).text == "b only"


@contextmanager
def sessions_past_row_level_security(example):
    """On PostgreSQL row-level security would hide tenant B's row from the app role before the
    session's own guard is reached; a superuser's sessions leave only that guard."""
    if example.engine.dialect.name != "postgresql":
        yield example.sessions
        return
    admin_url = example.engine.url.set(username="postgres").render_as_string(hide_password=False)
    engine = create_engine(admin_url, poolclass=sa.pool.NullPool)
    try:
        yield session_factory(engine, example.field_cipher)
    finally:
        engine.dispose()


# -- the transaction-local tenant setting (PostgreSQL) ------------------------------------------

def current_tenant_setting(connection) -> str | None:
    return connection.execute(
        sa.text("SELECT current_setting(:name, true)"), {"name": TENANT_SETTING}).scalar()


def backend_pid(connection) -> int:
    return connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


@pytest.fixture
def one_connection_engine(pg_example):
    """A pool of exactly one connection: every checkout is the same server session."""
    engine = create_engine(pg_example.settings.database_url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def test_the_tenant_setting_is_set_inside_the_sessions_transaction(pg_example,
                                                                    one_connection_engine):
    with tenant_session(session_factory(one_connection_engine), TENANT_A) as session:
        assert current_tenant_setting(session.connection()) == str(TENANT_A)


@pytest.mark.parametrize("ending", ["commit", "rollback", "error"])
def test_the_tenant_setting_does_not_leak_to_the_next_transaction_on_a_pooled_connection(
    pg_example, one_connection_engine, ending
):
    add_notes(pg_example.sessions, TENANT_A, "a")
    sessions = session_factory(one_connection_engine)
    with tenant_session(sessions, TENANT_A) as session:
        first_pid = backend_pid(session.connection())
        assert session.execute(sa.select(sa.func.count()).select_from(Note)).scalar_one() == 1
        if ending == "commit":
            session.commit()
        elif ending == "rollback":
            session.rollback()
        else:
            with pytest.raises(sa.exc.DBAPIError):
                session.execute(sa.text("SELECT 1/0"))

    with one_connection_engine.connect() as connection:
        assert backend_pid(connection) == first_pid, "the pool handed out another connection"
        assert not current_tenant_setting(connection)
        assert connection.execute(sa.text("SELECT count(*) FROM notes")).scalar_one() == 0

    with tenant_session(sessions, TENANT_B) as session:
        assert backend_pid(session.connection()) == first_pid
        assert current_tenant_setting(session.connection()) == str(TENANT_B)
        assert session.execute(
            sa.text("SELECT count(*) FROM notes")).scalar_one() == 0


def test_a_session_reused_after_commit_takes_its_new_tenant_into_the_next_transaction(
    pg_example, one_connection_engine
):
    sessions = session_factory(one_connection_engine)
    with sessions() as session:
        session.set_tenant(TENANT_A)
        assert current_tenant_setting(session.connection()) == str(TENANT_A)
        session.commit()
        session.set_tenant(None)
        assert not current_tenant_setting(session.connection())
