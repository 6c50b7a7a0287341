"""Server-side sessions: the cookie is an opaque id, the table holds only its digest, a session
ends when unused for the idle time."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from flask import Flask, Response, request

from lotse_console.adapters.orm import metadata, sessions
from lotse_console.adapters.sessions import COOKIE, EXPIRES, ServerSideSessions, SessionStore
from lotse_platform.testing import frozen_clock


def store() -> SessionStore:
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine, tables=[sessions, metadata.tables["console_keys"]])
    return SessionStore(engine)


NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_session_is_found_by_its_cookie_until_it_ends():
    kept = store()
    kept.save("cookie-value", {"user": {"subject": "u1"}}, NOW, NOW + timedelta(minutes=30))
    found = kept.load("cookie-value", NOW + timedelta(minutes=29))
    assert found == {"user": {"subject": "u1"}, EXPIRES: (NOW + timedelta(minutes=30)).isoformat()}
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
    assert kept.load("new", NOW + timedelta(minutes=5)) == {
        EXPIRES: (NOW + timedelta(minutes=30)).isoformat()}


def test_the_signing_key_is_made_once_and_shared():
    kept = store()
    assert kept.secret("csrf") == kept.secret("csrf")
    assert len(kept.secret("csrf")) >= 40


def test_a_request_that_changed_nothing_does_not_undo_a_token_refreshed_beside_it():
    """Two requests of one browser at once (a page and its favicon): the one that refreshed the
    token saves it; the other, which loaded the session before and changed nothing, only
    extends the session's end — it does not write the old token back."""
    kept = store()
    interface = ServerSideSessions(kept, idle=timedelta(minutes=30), max_age=timedelta(hours=10),
                                   secure=False)
    app = Flask(__name__)
    kept.save("sid", {"token": "old", "_started": NOW.isoformat()}, NOW,
              NOW + timedelta(minutes=30))
    later = NOW + timedelta(minutes=10)
    with frozen_clock(later):
        with app.test_request_context("/favicon.ico", headers={"Cookie": f"{COOKIE}=sid"}):
            untouched = interface.open_session(app, request)
        with app.test_request_context("/mein-tag", headers={"Cookie": f"{COOKIE}=sid"}):
            refreshing = interface.open_session(app, request)
            refreshing["token"] = "new"
            interface.save_session(app, refreshing, Response())
        with app.test_request_context("/favicon.ico", headers={"Cookie": f"{COOKIE}=sid"}):
            answer = Response()
            interface.save_session(app, untouched, answer)
    assert COOKIE in answer.headers.get("Set-Cookie", "")
    found = kept.load("sid", later)
    assert found is not None and found["token"] == "new"
    assert found[EXPIRES] == (later + timedelta(minutes=30)).isoformat(), "extended"
