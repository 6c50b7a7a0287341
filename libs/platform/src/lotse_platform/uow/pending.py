"""Outbox events, audit entries and appended records of a transaction, written when it commits,
in one round trip.

Neither an outbox row nor an audit entry is ever read back by the transaction that writes it; the
unit of work only needs them to commit with the change, or not at all. The same holds for an
append-only record a service adds with ``uow.append(table, row)`` (a note, a log line) instead of
through the ORM. So
:class:`~lotse_platform.uow.SqlAlchemyUnitOfWork` collects them and writes them at
``commit()``: after the ORM's flush (whose statements may need their results, e.g. an UPDATE's
row count), on PostgreSQL with psycopg as one pipeline — the INSERTs and the ``COMMIT`` in one
message, answered together — instead of one round trip each plus one for the ``COMMIT``. When
every table has one row (a record, its event, its audit entry: the usual domain write) the rows
go as one statement with data-modifying CTEs (one Bind/Execute instead of one per table, less CPU
on both sides); a transaction that ran nothing before sends its ``BEGIN`` and tenant context in
the same pipeline (:mod:`lotse_platform.db.connections`), so such a write is one round trip.

Errors surface at the commit: the pipeline's first failing statement is raised as SQLAlchemy
would raise it (``OperationalError`` when the database went away, so consumers retry and the
API answers 503 as before), and nothing of the transaction is committed. Elsewhere (SQLite, or
another driver) the same rows are written with ordinary statements before the commit; on SQLite
the audit entries are sealed there too (ADR 0008).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg
from sqlalchemy.orm import Session

from ..audit.sealing import seal_tenant
from ..audit.trail import AuditTrail
from ..crypto import EncryptedJSON, EncryptedText, fields_of
from ..db.engine import FIELD_CIPHER
from ..db.connections import TenantConnection
from ..db.tables import PlatformTables

_DIALECT = pg_psycopg.dialect()

OUTBOX_COLUMNS = ("event_id", "event_type", "source", "aggregate_id", "sequence", "tenant_id",
                  "subject", "occurred_at", "traceparent", "payload")
AUDIT_COLUMNS = ("tenant_id", "at", "actor", "acting_org", "action", "record_type", "record_id",
                 "reason", "request_id")


@dataclass
class PendingWrites:
    """What a transaction has yet to write: appended records (in the order appended, each table
    before the outbox and the audit log), outbox rows, audit entries."""

    tables: PlatformTables
    outbox: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    appended: dict[sa.Table, list[dict[str, Any]]] = field(default_factory=dict)
    #: audit entries with a note (``audit_note``, keyed by the entry's id): (entry, note)
    noted: list[tuple[dict[str, Any], str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.outbox or self.audit or self.appended or self.noted)

    def clear(self) -> None:
        self.outbox.clear()
        self.audit.clear()
        self.appended.clear()
        self.noted.clear()

    def statements(self) -> list[tuple[sa.Table, tuple[str, ...], list[dict[str, Any]]]]:
        """(table, columns, rows) in the order they are written; rows of one table share the
        columns of its first row (``uow.append`` checks that)."""
        found = [(table, tuple(rows[0]), rows) for table, rows in self.appended.items() if rows]
        if self.outbox:
            found.append((self.tables.outbox, OUTBOX_COLUMNS, self.outbox))
        if self.audit:
            found.append((self.tables.audit_log, AUDIT_COLUMNS, self.audit))
        return found


@lru_cache(maxsize=8)
def _noted_sql(tables: PlatformTables) -> str:
    """One statement for an audit entry and its note: the entry's INSERT returns its id to the
    note's (a data-modifying CTE; the note's foreign key is checked at the statement's end)."""
    audit_log, audit_note = tables.audit_log, tables.audit_note
    entry = (audit_log.insert().values({name: sa.bindparam(name) for name in AUDIT_COLUMNS})
             .returning(audit_log.c.id).cte("entry"))
    statement = audit_note.insert().from_select(
        ["audit_id", "tenant_id", "written_at", "note"],
        sa.select(entry.c.id, sa.bindparam("tenant_id", type_=sa.Uuid),
                  sa.bindparam("at", type_=audit_log.c.at.type), sa.bindparam("note")))
    return str(statement.compile(dialect=_DIALECT))


@lru_cache(maxsize=64)
def _insert_sql(table: sa.Table, columns: tuple[str, ...]) -> str:
    """``INSERT INTO <table> (...) VALUES (%(column)s, ...)`` for psycopg, without RETURNING."""
    statement = table.insert().values({name: sa.bindparam(name) for name in columns}).inline()
    return str(statement.compile(dialect=_DIALECT))


@lru_cache(maxsize=64)
def _combined_sql(shape: tuple[tuple[sa.Table, tuple[str, ...]], ...]) -> str:
    """One row of each table in one statement: ``WITH w0 AS (INSERT …), w1 AS (INSERT …)
    INSERT …``, the parameters of the ``i``-th named ``w<i>_<column>``.

    Every data-modifying CTE runs to completion, and foreign keys are checked at the
    statement's end, so it writes what the statements one by one would, or fails as they would;
    it costs one Bind/Execute instead of one per table, on both sides of the connection."""
    inserts = [table.insert().values({name: sa.bindparam(f"w{i}_{name}") for name in columns})
               .inline() for i, (table, columns) in enumerate(shape)]
    statement = inserts[-1].add_cte(*(insert.cte(f"w{i}") for i, insert in enumerate(inserts[:-1])))
    return str(statement.compile(dialect=_DIALECT))


def _pipelined_statements(pending: PendingWrites) -> list[tuple[str, list[dict[str, Any]]]]:
    """(SQL, rows) to execute: one statement when every table has one row (the usual domain
    write: its record, its event, its audit entry), else one per table."""
    found = pending.statements()
    if len(found) > 1 and all(len(rows) == 1 for _, _, rows in found):
        shape = tuple((table, columns) for table, columns, _ in found)
        row = {f"w{i}_{name}": rows[0][name]
               for i, (_, columns, rows) in enumerate(found) for name in columns}
        statements = [(_combined_sql(shape), [row])]
    else:
        statements = [(_insert_sql(table, columns), rows) for table, columns, rows in found]
    if pending.noted:
        statements.append((_noted_sql(pending.tables),
                           [{**row, "note": note} for row, note in pending.noted]))
    return statements


def pipelines(session: Session) -> bool:
    """Whether this session's connection can write pending rows and commit in one pipeline."""
    connection = session.connection()
    return isinstance(connection.connection.dbapi_connection, TenantConnection)


def _pipelining_connection(connection: sa.Connection) -> TenantConnection:
    dbapi = connection.connection.dbapi_connection
    if not isinstance(dbapi, TenantConnection):
        raise TypeError("pending rows are pipelined on psycopg connections only (see pipelines())")
    return dbapi


def write_and_commit(session: Session, pending: PendingWrites) -> None:
    """PostgreSQL (psycopg): INSERT the pending rows and COMMIT, one pipeline, one round trip.

    The session's ORM changes must be flushed already. Afterwards the database transaction has
    committed; the caller still calls ``session.commit()``, which then only ends the session's
    transaction (psycopg sends nothing for a connection that is not in a transaction).
    """
    connection = session.connection()
    dbapi = _pipelining_connection(connection)
    statements = _pipelined_statements(_encrypted(session, pending))
    sql: str | None = None
    try:
        with dbapi.pipeline(), dbapi.cursor() as cursor:
            for sql, rows in statements:
                if len(rows) == 1:
                    cursor.execute(sql, rows[0])
                elif rows:
                    cursor.executemany(sql, rows)
            # COMMIT queued like the INSERTs (connection.commit() would add a Sync of its own);
            # leaving the pipeline sends them with one Sync and reads every answer
            sql = "COMMIT"
            cursor.execute(sql)
    except psycopg.Error as error:
        # SQLAlchemy's DB-API protocols fit no real driver: DBAPIModule.Error is a class of its
        # own, DBAPIConnection.cursor takes (*args, **kwargs), psycopg's are typed overloads
        invalidated = connection.dialect.is_disconnect(error, dbapi, None)  # type: ignore[arg-type]
        if invalidated:
            connection.invalidate(error)
        raise sa.exc.DBAPIError.instance(
            sql, None, error, psycopg.Error, connection_invalidated=invalidated,
            dialect=connection.dialect) from error
    pending.clear()


def _encrypted(session: Session, pending: PendingWrites) -> PendingWrites:
    """``pending`` with the values of appended encrypted columns (ADR 0104) encrypted, as their
    column types would encrypt them with the session's cipher and tenant: the pipeline sends the
    rows past the types. Without a key store :class:`~lotse_platform.crypto.NoFieldKeys`."""
    appended: dict[sa.Table, list[dict[str, Any]]] = {}
    dialect = session.get_bind().dialect
    tenant: uuid.UUID | None = getattr(session, "tenant_id", None)
    cipher = session.info.get(FIELD_CIPHER) if tenant is not None else None
    with fields_of(cipher, tenant or uuid.UUID(int=0)):
        for table, rows in pending.appended.items():
            types = {c.name: c.type for c in table.columns
                     if isinstance(c.type, (EncryptedText, EncryptedJSON)) and rows
                     and c.name in rows[0]}
            appended[table] = [{**row, **{name: kind.process_bind_param(row[name], dialect)
                                          for name, kind in types.items()}}
                               for row in rows] if types else rows
        # the notes beside audit entries (audit_note.note, encrypted like the appended columns)
        note = pending.tables.audit_note.c.note.type
        noted = [(entry, str(note.process_bind_param(text, dialect)))
                 for entry, text in pending.noted] if isinstance(note, EncryptedText) \
            else pending.noted
    return replace(pending, appended=appended, noted=noted)


def write(session: Session, pending: PendingWrites) -> None:
    """Any backend: INSERT the pending rows with ordinary statements (no commit); SQLite seals
    the audit entries at once."""
    tables = pending.tables
    for table, rows in pending.appended.items():
        if rows:
            session.execute(table.insert(), rows)
    if pending.outbox:
        session.execute(tables.outbox.insert(), pending.outbox)
    if pending.audit or pending.noted:
        trail = AuditTrail(tables.audit_log)
        connection = session.connection()
        if pending.audit:
            trail.insert(connection, pending.audit)
        if pending.noted:
            trail.insert_noted(connection, pending.noted)
        if connection.dialect.name == "sqlite":
            audited = pending.audit + [row for row, _ in pending.noted]
            for tenant in {row["tenant_id"] for row in audited}:
                seal_tenant(connection, tables.audit_log, tenant)
    pending.clear()
