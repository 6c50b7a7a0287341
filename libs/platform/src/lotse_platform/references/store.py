"""The replica's table, read and written through a unit of work's session (an adapter).

One row per (tenant, kind, id): ``known_reference`` (:func:`lotse_platform.db.tables`), under
row-level security like every tenant-owned table. Writes are upserts that keep the newer
``version`` (identity numbers each change of an organisation, area or user), so a redelivered or
reordered event changes nothing, and the demo seed's rows (version 0) give way to identity's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import Kind, Known

#: what each kind of change sets; every other column keeps its value
ALL_COLUMNS = ("active", "parent_id", "roles", "name")


class SqlReferences:
    def __init__(self, session: Session, table: sa.Table, tenant_id: uuid.UUID | None) -> None:
        self._session = session
        self._table = table
        self._tenant_id = tenant_id

    def known(self, kind: Kind, ids: Iterable[str]) -> Mapping[str, Known]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        t = self._table
        rows = self._session.execute(
            sa.select(t.c.ref_id, t.c.active, t.c.parent_id, t.c.roles, t.c.version, t.c.name)
            # the tenant in the query as well as by row-level security (ARCHITECTURE.md: tenant
            # isolation twice); SQLite, embedded mode's database, has only the query
            .where(t.c.tenant_id == self._tenant_id, t.c.kind == kind.value,
                   t.c.ref_id.in_(wanted))).all()
        return {row.ref_id: Known(kind, row.ref_id, row.active, row.parent_id,
                                  tuple(row.roles or ()), row.version, row.name) for row in rows}

    def put(self, known: Known, *, columns: Iterable[str] = ALL_COLUMNS) -> None:
        """Insert ``known``, or update the ``columns`` of the row kept when ``known`` is newer."""
        if self._tenant_id is None:
            raise ValueError("a reference belongs to a tenant: the unit of work names none")
        values: dict[str, Any] = {
            "tenant_id": self._tenant_id, "kind": known.kind.value, "ref_id": known.id,
            "active": known.active, "parent_id": known.parent_id or None,
            "roles": list(known.roles), "version": known.version, "name": known.name,
            "changed_at": datetime.now(UTC)}
        dialect = self._session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(self._table)
        statement = insert.values(values)
        changed = {name: statement.excluded[name] for name in (*columns, "version", "changed_at")}
        self._session.execute(statement.on_conflict_do_update(
            index_elements=["tenant_id", "kind", "ref_id"], set_=changed,
            where=self._table.c.version < statement.excluded.version))

    def put_all(self, known: Iterable[Known]) -> int:
        count = 0
        for item in known:
            self.put(item)
            count += 1
        return count
