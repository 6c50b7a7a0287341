"""Server-side sessions (*Sitzungen*): the browser holds only an opaque random id in a cookie;
the tokens and everything else of the session stay in the console's database.

The row's key is the SHA-256 of the cookie, so a copy of the table opens no session. A session
ends after ``idle`` without a request or ``max_age`` after it began, whichever comes first;
a new id is handed out at login (:meth:`ServerSession.regenerate`) against session fixation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from lotse_platform import clock

from .orm import keys, sessions

COOKIE = "lotse_console"
#: when the session began and when it ends unless used again (the page's warning reads these)
STARTED, EXPIRES = "_started", "_expires"


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """The session of one browser, loaded from the store (or new)."""

    def __init__(self, initial: dict[str, Any] | None = None, sid: str | None = None) -> None:
        def on_update(this: ServerSession) -> None:
            this.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.previous: str | None = None
        self.modified = False

    def regenerate(self) -> None:
        """A new id for the same data (at login): the old cookie opens nothing any more."""
        self.previous, self.sid = self.sid, None
        self.modified = True

    def end(self) -> None:
        """Forget everything (logout): the row goes, the cookie is cleared."""
        self.clear()
        self.modified = True


class SessionStore:
    """The table of sessions: load, save, end and purge."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def load(self, sid: str, now: datetime) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(sessions.c.data, sessions.c.expires_at)
                .where(sessions.c.id == _digest(sid))).first()
        if row is None or row.expires_at <= now:
            return None
        data: dict[str, Any] = json.loads(row.data)
        # the row's end is the truth: a request that changed nothing extends only that
        data[EXPIRES] = row.expires_at.isoformat()
        return data

    def save(self, sid: str, data: dict[str, Any], now: datetime, expires: datetime) -> None:
        digest, text = _digest(sid), json.dumps(data, default=str)
        with self.engine.begin() as connection:
            updated = connection.execute(
                sessions.update().where(sessions.c.id == digest)
                .values(data=text, expires_at=expires)).rowcount
            if not updated:
                connection.execute(sessions.insert().values(
                    id=digest, data=text, created_at=now, expires_at=expires))

    def extend(self, sid: str, expires: datetime) -> None:
        """Move the session's end, leaving its data as another request may have saved it."""
        with self.engine.begin() as connection:
            connection.execute(sessions.update().where(sessions.c.id == _digest(sid))
                               .values(expires_at=expires))

    def delete(self, sid: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(sessions.delete().where(sessions.c.id == _digest(sid)))

    def purge(self, now: datetime) -> int:
        """Delete the sessions that have ended; how many."""
        with self.engine.begin() as connection:
            return connection.execute(
                sessions.delete().where(sessions.c.expires_at <= now)).rowcount

    def secret(self, name: str) -> str:
        """A random secret made on first use and shared by every worker and replica."""
        with self.engine.begin() as connection:
            found = connection.execute(
                sa.select(keys.c.secret).where(keys.c.name == name)).scalar()
            if found is not None:
                return str(found)
        # another worker may make it at the same moment: then theirs is used
        with contextlib.suppress(sa.exc.IntegrityError), self.engine.begin() as connection:
            connection.execute(keys.insert().values(name=name, secret=secrets.token_urlsafe(48)))
        with self.engine.connect() as connection:
            return str(connection.execute(
                sa.select(keys.c.secret).where(keys.c.name == name)).scalar_one())


class ServerSideSessions(SessionInterface):
    """Flask's session, kept in :class:`SessionStore`; the cookie is HttpOnly, SameSite=Lax,
    Secure where the console is served over TLS."""

    def __init__(self, store: SessionStore, *, idle: timedelta, max_age: timedelta,
                 secure: bool) -> None:
        self.store, self.idle, self.max_age, self.secure = store, idle, max_age, secure

    def expiry(self, session: SessionMixin, now: datetime) -> datetime:
        """When ``session`` ends if this request is its last."""
        started = datetime.fromisoformat(session.get(STARTED) or now.isoformat())
        return min(now + self.idle, started + self.max_age)

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(COOKIE)
        if sid and len(sid) < 200:
            data = self.store.load(sid, clock.now())
            if data is not None:
                return ServerSession(data, sid)
        return ServerSession()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if request.endpoint == "static" and not session.modified:
            return  # a stylesheet or script neither uses nor extends the session
        path = self.get_cookie_path(app)
        if session.previous:
            self.store.delete(session.previous)
        if not session:
            if session.sid:
                self.store.delete(session.sid)
            if session.sid or session.modified:
                response.delete_cookie(COOKIE, path=path, secure=self.secure, httponly=True,
                                       samesite="Lax")
            return
        now = clock.now()
        expires = self.expiry(session, now)
        if not session.modified and session.sid is not None:
            # a request that changed nothing only extends the session (the idle timeout counts
            # from the last request): writing back the data it loaded would undo what a request
            # running beside it saved meanwhile (a refreshed token, ADR 0099)
            self.store.extend(session.sid, expires)
            response.set_cookie(COOKIE, session.sid, path=path, secure=self.secure,
                                httponly=True, samesite="Lax")
            response.vary.add("Cookie")
            return
        # the idle timeout counts from the last request
        session.setdefault(STARTED, now.isoformat())
        session[EXPIRES] = expires.isoformat()
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
        self.store.save(session.sid, dict(session), now, expires)
        response.set_cookie(COOKIE, session.sid, path=path, secure=self.secure, httponly=True,
                            samesite="Lax")
        response.vary.add("Cookie")
