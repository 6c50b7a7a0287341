"""Each tenant's chain head (its last sealed entry), for the checkpoint writer and the notes'
retention, which work tenant by tenant.

Row-level security hides other tenants' entries from the application role: on PostgreSQL the heads
come from ``audit_log_heads()``, the table owner's ``SECURITY DEFINER`` function (ids, ``seq`` and
hashes only; EXECUTE for the application role), as the sealer's ``audit_log_unsealed()`` does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..db.engine import is_postgres


@dataclass(frozen=True)
class Head:
    """The last sealed entry of a tenant's chain."""

    tenant_id: uuid.UUID
    seq: int
    hash: str


def chain_heads(connection: Connection, table: sa.Table) -> list[Head]:
    """Every tenant's head (PostgreSQL: through ``audit_log_heads()``), by tenant id."""
    if is_postgres(connection):
        rows = connection.execute(sa.text(
            "SELECT tenant_id, seq, hash FROM audit_log_heads() ORDER BY tenant_id")).all()
    else:
        last = (sa.select(table.c.tenant_id, sa.func.max(table.c.seq).label("seq"))
                .where(table.c.seq.is_not(None)).group_by(table.c.tenant_id).subquery())
        rows = connection.execute(
            sa.select(table.c.tenant_id, table.c.seq, table.c.hash)
            .join(last, sa.and_(table.c.tenant_id == last.c.tenant_id,
                                table.c.seq == last.c.seq))
            .order_by(table.c.tenant_id)).all()
    return [Head(uuid.UUID(str(tenant)), seq, hash_) for tenant, seq, hash_ in rows]


def tenants_with_entries(connection: Connection, table: sa.Table) -> list[uuid.UUID]:
    """The tenants whose chain has a sealed entry."""
    return [head.tenant_id for head in chain_heads(connection, table)]
