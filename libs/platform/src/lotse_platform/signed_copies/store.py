"""The ``signed_copy`` table read and written through a unit of work's session (an adapter).

Tenant-owned, under row-level security; every query also names the tenant (ARCHITECTURE.md:
tenant isolation twice; SQLite, embedded mode's database, has only the query). Lists never
load the ciphertext.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..sealing import Sealed
from . import SignedCopy

_META = ("id", "record_type", "record_id", "form", "content_type", "size", "sha256",
         "uploaded_by", "uploaded_at", "key_id")


class SqlSignedCopies:
    def __init__(self, session: Session, table: sa.Table, tenant_id: uuid.UUID | None) -> None:
        self._session = session
        self._table = table
        self._tenant_id = tenant_id

    def _tenant(self) -> uuid.UUID:
        if self._tenant_id is None:
            raise ValueError("a signed copy belongs to a tenant: the unit of work names none")
        return self._tenant_id

    def add(self, copy: SignedCopy, sealed: Sealed) -> None:
        values: dict[str, Any] = {name: getattr(copy, name) for name in _META}
        values.update(tenant_id=self._tenant(), ciphertext=sealed.to_bytes())
        self._session.execute(sa.insert(self._table).values(values))

    def of_record(self, record_type: str, record_id: str) -> list[SignedCopy]:
        t = self._table
        rows = self._session.execute(
            sa.select(*(t.c[name] for name in _META))
            .where(t.c.tenant_id == self._tenant(), t.c.record_type == record_type,
                   t.c.record_id == record_id)
            .order_by(t.c.uploaded_at, t.c.id)).all()
        return [SignedCopy(**row._asdict()) for row in rows]

    def get(self, record_type: str, record_id: str,
            copy_id: uuid.UUID) -> tuple[SignedCopy, Sealed] | None:
        t = self._table
        row = self._session.execute(
            sa.select(*(t.c[name] for name in _META), t.c.ciphertext)
            .where(t.c.tenant_id == self._tenant(), t.c.record_type == record_type,
                   t.c.record_id == record_id, t.c.id == copy_id)).one_or_none()
        if row is None:
            return None
        values = row._asdict()
        blob = values.pop("ciphertext")
        return SignedCopy(**values), Sealed.from_bytes(values["key_id"], bytes(blob))
