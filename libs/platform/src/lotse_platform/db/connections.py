"""PostgreSQL connections that cost fewer round trips (psycopg 3), without losing robustness.

Every round trip to PostgreSQL costs CPU on both sides (the client's driver and syscalls, the
backend's protocol handling) besides latency. A tenant's transaction used to open with three of
them before its first statement: SQLAlchemy's ``pool_pre_ping`` (``;``), psycopg's implicit
``BEGIN``, and ``set_config('lotse.tenant_id', …, true)``. Now it opens with one:

- **Liveness at checkout without a round trip** (:func:`install_checkout_check`). A pooled
  connection is handed out as it is when its socket has nothing to read and it was used less
  than ``PING_AFTER_IDLE`` seconds ago. A server that restarts or terminates the backend sends
  an error and closes the socket, which makes it readable: then, and after a longer idle time
  (a peer that vanished silently), it is pinged as ``pool_pre_ping`` would, and replaced when
  the ping fails (SQLAlchemy retries the checkout with a new connection). A connection that
  breaks while in use fails that request (a 503, as before) and makes SQLAlchemy invalidate the
  pool, so the next request connects anew.
- **BEGIN and the tenant context in one message** (:class:`TenantConnection`). The session's
  ``after_begin`` hook (:mod:`.engine`) hands the ``set_config`` to the connection instead of
  executing it; psycopg's implicit ``BEGIN`` before the transaction's first statement then goes
  out as ``BEGIN; SET LOCAL lotse.tenant_id = '…'`` in one simple-query message. The setting stays
  transaction-local and is set before any statement of the transaction runs. When the first
  statement runs in a pipeline (the unit of work's pending rows, ``executemany``), ``BEGIN`` and
  the setting are queued ahead of it in that pipeline, answered at its one ``Sync`` (psycopg
  would sync after ``BEGIN``: a round trip of its own; ADR 0105). A statement that
  is not consumed (a transaction that ran nothing) is dropped when the connection is returned
  to the pool or begins its next transaction.

``TenantConnection`` overrides one private generator of psycopg (``_start_query``); psycopg is
pinned (``libs/platform/pyproject.toml``) and ``tests/test_db_round_trips.py`` fails if a new
version changes what goes over the wire.
"""

from __future__ import annotations

import select
import time
import uuid
from collections.abc import Generator
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import errors, generators, pq
from sqlalchemy import event

TENANT_SETTING = "lotse.tenant_id"  # the transaction's tenant, compared by row-level security

PING_AFTER_IDLE = 2.0  # s in the pool after which a checkout pings the server first

_IDLE = pq.TransactionStatus.IDLE
_OK = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)


class TenantConnection(psycopg.Connection):
    """psycopg's connection, able to start its next transaction with a statement in the same
    message as ``BEGIN`` (the tenant context)."""

    _lotse_begin: bytes | None = None

    def begin_with(self, statement: bytes | None) -> None:
        """Send ``statement`` together with the next transaction's ``BEGIN`` (None: nothing)."""
        self._lotse_begin = statement

    def _start_query(self) -> Generator[Any, Any, None]:  # psycopg's, begins when needed
        statement = self._lotse_begin
        if statement is None or self._autocommit or self.pgconn.transaction_status != _IDLE:
            return (yield from super()._start_query())
        self._lotse_begin = None
        if self._pipeline:
            # executemany and explicit pipelines: BEGIN and the statement queued ahead of the
            # pipeline's own statements, all answered at the pipeline's Sync: one round trip.
            # (psycopg syncs right after BEGIN, a round trip of its own, to learn the
            # transaction's status; here the caller's statement is sent before this generator
            # is left, and libpq reports the status as active until that Sync, so no later
            # statement of the pipeline begins another transaction.)
            yield from self._exec_command(self._get_tx_start_command())
            yield from self._exec_command(statement)
            return None
        self._check_connection_ok()
        self.pgconn.send_query(self._get_tx_start_command() + b"; " + statement)
        results = yield from generators.execute(self.pgconn)
        for result in results:
            if result.status == pq.ExecStatus.FATAL_ERROR:
                raise errors.error_from_result(result, encoding=self.pgconn._encoding)
            if result.status not in _OK:
                raise errors.InterfaceError(
                    f"unexpected result {pq.ExecStatus(result.status).name} starting a transaction")
        return None


def begin_with_tenant(dbapi_connection: object, tenant: uuid.UUID | None) -> bool:
    """Have the transaction about to begin on ``dbapi_connection`` set ``tenant`` as its context
    in its BEGIN message; False when this connection cannot (then execute the statement)."""
    if (not isinstance(dbapi_connection, TenantConnection)
            or dbapi_connection.pgconn.transaction_status != _IDLE):
        return False
    dbapi_connection.begin_with(tenant_context_statement(tenant))
    return True


def tenant_context_statement(tenant: uuid.UUID | None) -> bytes:
    """``SET LOCAL lotse.tenant_id = '<tenant>'``: what ``set_config(…, true)`` does, as a
    utility statement the server does not plan. The value is a UUID (hex digits and dashes) or
    empty, so the literal needs no quoting beyond its quotes."""
    value = str(uuid.UUID(str(tenant))) if tenant is not None else ""
    return f"SET LOCAL {TENANT_SETTING} = '{value}'".encode()


def install(engine: sa.Engine) -> None:
    """Make ``engine`` (PostgreSQL, psycopg) connect with :class:`TenantConnection` and check
    liveness at checkout as described above."""

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> TenantConnection:
        return TenantConnection.connect(*cargs, **cparams)

    @event.listens_for(engine, "begin")
    def _forget_unsent(connection: sa.Connection) -> None:
        # a statement meant for an earlier transaction that never ran one must not reach this one
        dbapi = connection.connection.dbapi_connection
        if isinstance(dbapi, TenantConnection):
            dbapi.begin_with(None)

    install_checkout_check(engine)


def install_checkout_check(engine: sa.Engine, ping_after_idle: float | None = None) -> None:
    if ping_after_idle is None:
        ping_after_idle = PING_AFTER_IDLE

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is None:  # invalidated
            return
        if isinstance(dbapi_connection, TenantConnection):
            dbapi_connection.begin_with(None)
        record.info["lotse.idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("lotse.idle_since", None)
        if idle_since is None:
            return  # connected just now
        if dbapi_connection.closed or dbapi_connection.broken:
            raise sa.exc.DisconnectionError("connection closed while in the pool")
        if _has_news(dbapi_connection) or time.monotonic() - idle_since > ping_after_idle:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except Exception as error:  # noqa: BLE001 - any failure: use another connection
                raise sa.exc.DisconnectionError("connection failed its ping") from error


def _has_news(dbapi_connection: Any) -> bool:
    """True when the server sent something to an idle connection (an error before closing it,
    end of file, or an asynchronous notice): no round trip, a zero-timeout poll of the socket."""
    try:
        readable, _, _ = select.select([dbapi_connection.pgconn.socket], [], [], 0)
    except (OSError, ValueError, psycopg.OperationalError):
        return True
    return bool(readable)
