"""``lotse-<service> keys re-encrypt``: a tenant's encrypted columns rewritten under its newest
key, in batches, while the service runs (ADR 0104).

A value is rewritten when it is plaintext (written before its column was encrypted) or its data
key was wrapped by an older key. Each batch is its own short transaction; a row is updated only
if it still holds the value that was read (compare and set), so a write of the running service
in between is never overwritten — it was made under the newest key anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .fields import PREFIX, FieldCipher, encrypted_columns


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def re_encrypt(sessions: Callable[[], Session], metadata: sa.MetaData, cipher: FieldCipher,
               tenant_id: uuid.UUID, *, batch_size: int = 500) -> dict[str, int]:
    """Rewrite the tenant's values not under its newest key; returns rows rewritten per table.
    ``sessions`` makes sessions of the tenant (``lambda: service.uow(tenant).session`` …)."""
    cipher.forget(tenant_id)
    newest = f"{PREFIX}{_escaped(cipher.current_key_id(tenant_id))}$%"
    by_table: dict[str, list[sa.Column[Any]]] = {}
    for column in encrypted_columns(metadata):
        by_table.setdefault(column.table.name, []).append(column)
    done: dict[str, int] = {}
    for name, columns in by_table.items():
        table = metadata.tables[name]
        key = list(table.primary_key.columns)
        raw = [sa.type_coerce(column, sa.Text).label(column.name) for column in columns]
        stale = sa.or_(*(sa.and_(column.is_not(None),
                                 sa.type_coerce(column, sa.Text).not_like(newest, escape="\\"))
                         for column in columns))
        query = (sa.select(*key, *raw).where(table.c.tenant_id == tenant_id, stale)
                 .order_by(*key).limit(batch_size))
        done[name] = 0
        last: tuple[Any, ...] | None = None
        while True:
            with sessions() as session, session.begin():
                page = query if last is None else query.where(sa.tuple_(*key) > sa.tuple_(*last))
                rows = session.execute(page).all()
                for row in rows:
                    done[name] += _rewrite(session, table, key, columns, cipher, tenant_id, row)
            if len(rows) < batch_size:
                break
            last = tuple(row[index] for index in range(len(key)))
    return done


def _rewrite(session: Session, table: sa.Table, key: list[sa.Column[Any]],
             columns: list[sa.Column[Any]], cipher: FieldCipher, tenant_id: uuid.UUID,
             row: sa.Row[Any]) -> int:
    values: dict[Any, Any] = {}
    same: list[sa.ColumnElement[bool]] = [column == row[index] for index, column in enumerate(key)]
    for column in columns:
        stored = row._mapping[column.name]
        if stored is None:
            same.append(column.is_(None))
            continue
        place = f"{table.name}.{column.name}"
        plain = cipher.decrypt(tenant_id, place, stored)
        values[column.name] = sa.literal(cipher.encrypt(tenant_id, place, plain), sa.Text)
        same.append(sa.type_coerce(column, sa.Text) == stored)
    result = session.execute(sa.update(table).where(table.c.tenant_id == tenant_id, *same)
                             .values(values))
    return 1 if result.rowcount else 0  # type: ignore[attr-defined]
