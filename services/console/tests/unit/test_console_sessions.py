"""Server-side sessions: the cookie is an opaque id, the table holds only its digest, a session
ends when unused for the idle time."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lotse_console.adapters.orm import metadata, sessions
from lotse_console.adapters.sessions import SessionStore


def store() -> SessionStore:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine, tables=[sessions, metadata.tables["console_keys"]])
    return SessionStore(engine)


NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_session_is_found_by_its_cookie_until_it_ends():
    kept = store()
    kept.save("cookie-value", {"user": {"subject": "u1"}}, NOW, NOW + timedelta(minutes=30))
    assert kept.load("cookie-value", NOW + timedelta(minutes=29)) == {"user": {"subject": "u1"}}
    assert kept.load("cookie-value", NOW + timedelta(minutes=30)) is None
    assert kept.load("another", NOW) is None


def test_the_table_holds_the_digest_of_the_cookie_never_the_cookie():
    kept = store()
    kept.save("cookie-value", {}, NOW, NOW + timedelta(minutes=30))
    with kept.engine.connect() as connection:
        ids = connection.execute(sa.select(sessions.c.id)).scalars().all()
    assert ids and "cookie-value" not in ids[0] and len(ids[0]) == 64


def test_ended_sessions_are_purged():
    kept = store()
    kept.save("old", {}, NOW, NOW + timedelta(minutes=1))
    kept.save("new", {}, NOW, NOW + timedelta(minutes=30))
    assert kept.purge(NOW + timedelta(minutes=5)) == 1
    assert kept.load("new", NOW + timedelta(minutes=5)) == {}


def test_the_signing_key_is_made_once_and_shared():
    kept = store()
    assert kept.secret("csrf") == kept.secret("csrf")
    assert len(kept.secret("csrf")) >= 40
