"""Engine and sessions with a tenant context.

Tenant isolation is enforced twice (ARCHITECTURE.md):

1. in queries: every ORM SELECT/UPDATE/DELETE touching a :class:`TenantOwned` entity gets
   ``tenant_id = <session tenant>`` added, and new rows take the session's tenant;
2. in PostgreSQL: each transaction starts with the transaction-local setting ``lotse.tenant_id``
   (``BEGIN; SET LOCAL lotse.tenant_id = '…'`` in one message, :mod:`.connections`) and
   row-level security policies compare against it (see :mod:`.migrations`). SQLite (embedded
   mode) has only the first.

Connections to PostgreSQL are checked for liveness at checkout without a round trip
(:mod:`.connections`); SQLAlchemy's ``pool_pre_ping`` is used for other drivers only.

A session without a tenant can still work on tables that are not tenant-owned (outbox, inbox);
touching a tenant-owned entity without a tenant raises :class:`MissingTenantContext`.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import (
    Mapped,
    Mapper,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    mapped_column,
    sessionmaker,
    with_loader_criteria,
)
from sqlalchemy.pool import ConnectionPoolEntry

from ..crypto import fields
from ..crypto.fields import FieldCipher
from . import connections
from .connections import TENANT_SETTING, begin_with_tenant

__all__ = ["TENANT_SETTING", "MissingTenantContext", "TenantOwned", "TenantSession",
           "create_engine", "is_postgres", "refused_by_row_level_security", "session_factory"]


class MissingTenantContext(RuntimeError):
    """A tenant-owned table was touched by a session that has no tenant."""


class TenantOwned:
    """Mixin for every tenant-owned entity: an indexed, non-null ``tenant_id``."""

    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, nullable=False, index=True)


def is_postgres(bind: sa.Engine | sa.Connection) -> bool:
    return bind.dialect.name == "postgresql"


def refused_by_row_level_security(error: BaseException) -> bool:
    """True for PostgreSQL's refusal of a row outside the transaction's tenant context."""
    orig = getattr(error, "orig", error)
    return getattr(orig, "sqlstate", None) == "42501" and "row-level security" in str(orig)


def create_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the defaults Lotse needs for each backend."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: DBAPIConnection,
                            _record: ConnectionPoolEntry) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 10)
    psycopg = sa.engine.make_url(url).get_driver_name() == "psycopg"
    if not psycopg:
        kwargs.setdefault("pool_pre_ping", True)  # another driver: a ping at every checkout
    engine = sa.create_engine(url, **kwargs)
    if psycopg:
        # liveness checked at checkout without a round trip; BEGIN and the tenant context in one
        connections.install(engine)
    return engine


class TenantSession(Session):
    """A session that knows its tenant (``session.tenant_id``)."""

    @property
    def tenant_id(self) -> uuid.UUID | None:
        tenant: uuid.UUID | None = self.info.get("tenant_id")
        return tenant

    def set_tenant(self, tenant_id: uuid.UUID | str | None) -> None:
        if self.in_transaction():
            raise RuntimeError("the tenant of a session is fixed once its transaction has begun")
        self.info["tenant_id"] = uuid.UUID(str(tenant_id)) if tenant_id is not None else None


def session_factory(engine: Engine, field_cipher: FieldCipher | None = None
                    ) -> sessionmaker[TenantSession]:
    """Sessions on ``engine``; with ``field_cipher`` their transactions encrypt and decrypt the
    encrypted columns with their tenant's keys (:mod:`lotse_platform.crypto`, ADR 0104)."""
    return sessionmaker(bind=engine, class_=TenantSession, expire_on_commit=False,
                        info={FIELD_CIPHER: field_cipher} if field_cipher else None)


#: the key of a session's ``info`` holding its field cipher
FIELD_CIPHER = "field_cipher"
_FIELD_CONTEXT = "_field_context"


def _activate_field_keys(session: Session) -> None:
    """Make the session's cipher and tenant the thread's (ADR 0104). Called whenever the session
    begins, executes or flushes, so that of two sessions in one thread (a transfer between
    tenants) the one at work is always the current one."""
    cipher = session.info.get(FIELD_CIPHER)
    tenant = session.tenant_id if isinstance(session, TenantSession) else None
    if cipher is None or tenant is None:
        context = None
    else:
        context = session.info.get(_FIELD_CONTEXT)
        if context is None or context.tenant_id != tenant or context.cipher is not cipher:
            context = session.info[_FIELD_CONTEXT] = fields.FieldContext(cipher, tenant)
    fields.make_current(context)


@event.listens_for(TenantSession, "after_begin")
def _field_keys_at_begin(session: TenantSession, _transaction: SessionTransaction,
                         _connection: sa.Connection) -> None:
    _activate_field_keys(session)


@event.listens_for(TenantSession, "do_orm_execute")
def _field_keys_at_execute(state: ORMExecuteState) -> None:
    _activate_field_keys(state.session)


@event.listens_for(TenantSession, "before_flush")
def _field_keys_at_flush(session: TenantSession, _flush: UOWTransaction,
                         _instances: object) -> None:
    _activate_field_keys(session)


@event.listens_for(TenantSession, "after_transaction_end")
def _field_keys_at_end(session: TenantSession, transaction: SessionTransaction) -> None:
    """When the session's transaction ends, its keys stop being current (unless another
    session's are current by now)."""
    if transaction.parent is None:
        context = session.info.get(_FIELD_CONTEXT)
        if context is not None and fields.current_fields() is context:
            fields.make_current(None)


@event.listens_for(TenantSession, "after_begin")
def _set_transaction_tenant(session: TenantSession, _transaction: SessionTransaction,
                            connection: sa.Connection) -> None:
    if not is_postgres(connection):
        return
    tenant = session.tenant_id
    # is_local=true: the setting ends with the transaction, so a pooled connection never
    # carries one tenant's context into another's request.
    if begin_with_tenant(connection.connection.dbapi_connection, tenant):
        return  # goes out together with the transaction's BEGIN
    connection.execute(
        sa.text("SELECT set_config(:name, :value, true)"),
        {"name": TENANT_SETTING, "value": str(tenant) if tenant else ""},
    )


def is_tenant_owned(mapper: Mapper[Any]) -> bool:
    """A mapped class is tenant-owned when its table has a ``tenant_id`` column (however mapped)."""
    table: sa.FromClause | None = getattr(mapper, "local_table", None)
    return table is not None and "tenant_id" in table.c


@event.listens_for(TenantSession, "do_orm_execute")
def _filter_by_tenant(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get("all_tenants"):
        return
    owned = [m for m in state.all_mappers if is_tenant_owned(m)]
    if not owned:
        return
    session = state.session  # a TenantSession: the listener is registered for that class
    tenant = session.tenant_id if isinstance(session, TenantSession) else None
    if tenant is None:
        raise MissingTenantContext("query on tenant-owned data without a tenant context")
    state.statement = state.statement.options(
        *(
            with_loader_criteria(m.class_, lambda cls: cls.tenant_id == tenant, include_aliases=True)
            for m in owned
        )
    )


def _tenant_attribute(mapper: Mapper[Any]) -> str | None:
    """The attribute the ``tenant_id`` column is mapped to (usually ``tenant_id``); None for a
    mapper that is not tenant-owned. Looked up once per mapper: every flush asks."""
    try:
        return _TENANT_ATTRIBUTES[mapper]
    except KeyError:
        key = (mapper.get_property_by_column(mapper.local_table.c.tenant_id).key
               if is_tenant_owned(mapper) else None)
        _TENANT_ATTRIBUTES[mapper] = key
        return key


_TENANT_ATTRIBUTES: dict[Mapper[Any], str | None] = {}


@event.listens_for(TenantSession, "before_flush")
def _guard_tenant_writes(session: TenantSession, _context: UOWTransaction,
                         _instances: object) -> None:
    """New rows take the session's tenant; no row of another tenant is written or deleted.

    Changed and deleted rows are checked too: a row read with ``all_tenants`` or moved by
    assigning another ``tenant_id`` would otherwise be written across tenants, and SQLite has
    no row-level security behind this check.
    """
    tenant = session.tenant_id
    for obj in session.new:
        key = _tenant_attribute(sa.inspect(obj).mapper)
        if key is None:
            continue
        if tenant is None:
            raise MissingTenantContext(f"new {type(obj).__name__} without a tenant context")
        owner = getattr(obj, key)
        if owner is None:
            setattr(obj, key, tenant)
        elif owner != tenant:
            raise MissingTenantContext(f"new {type(obj).__name__} belongs to another tenant")
    for what, objects in (("changed", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            state = sa.inspect(obj)
            key = _tenant_attribute(state.mapper)
            if key is None:
                continue
            if tenant is None:
                raise MissingTenantContext(f"{what} {type(obj).__name__} without a tenant context")
            history = state.attrs[key].history
            # an expired attribute has no history; loading it goes through the tenant filter
            owners = {*history.added, *history.unchanged, *history.deleted} or {getattr(obj, key)}
            if owners - {tenant}:
                raise MissingTenantContext(f"{what} {type(obj).__name__} belongs to another tenant")
