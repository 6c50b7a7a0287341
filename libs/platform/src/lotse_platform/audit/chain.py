"""The hash chain of the audit trail: the canonical form of an entry, its hash, and the
per-tenant lock the sealers take. Written to (:mod:`.trail`), sealed (:mod:`.sealing`) and
verified (:mod:`.verify`) with the same definitions."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..db.engine import TENANT_SETTING, MissingTenantContext

GENESIS_HASH = "0" * 64

# Fields of the canonical form, in the order of the table (the JSON itself sorts its keys).
HASHED_FIELDS = ("tenant_id", "seq", "at", "actor", "acting_org", "action", "record_type",
                 "record_id", "reason", "request_id", "prev_hash")

# The first of the two advisory-lock keys: "audit" in the two-int key space, which never meets
# the single-bigint keys used elsewhere (relay leadership). Taken by sealers, never by writers.
LOCK_CLASS = 0x4C415544  # "LAUD"


def canonical_time(at: datetime) -> str:
    """ISO 8601 in UTC with microseconds. A naive value (SQLite drops the zone) is UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_form(values: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: JSON with sorted keys, no spaces, UTF-8.

    For these value types (strings, integers, null) this equals RFC 8785 (JCS), so the chain can
    be checked with any JSON library that canonicalises.
    """
    document = {name: values[name] for name in HASHED_FIELDS}
    document["tenant_id"] = str(uuid.UUID(str(document["tenant_id"])))
    document["seq"] = int(document["seq"])
    document["at"] = canonical_time(document["at"])
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def entry_hash(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_form(values)).hexdigest()


def tenant_lock_key(tenant_id: uuid.UUID) -> int:
    """The tenant's half of the advisory-lock key (a signed 32-bit integer)."""
    return int.from_bytes(hashlib.sha256(tenant_id.bytes).digest()[:4], "big", signed=True)


def connection_of(bind: Session | Connection) -> Connection:
    """The connection of a session's current transaction (beginning it), or ``bind`` itself."""
    return bind.connection() if isinstance(bind, Session) else bind


def enter_tenant(connection: Connection, tenant: uuid.UUID) -> None:
    """PostgreSQL: give a transaction without tenant context ``tenant``'s; refuse another's."""
    current = connection.execute(
        sa.text("SELECT current_setting(:setting, true)"), {"setting": TENANT_SETTING}
    ).scalar()
    if not current:
        connection.execute(sa.text("SELECT set_config(:setting, :tenant, true)"),
                           {"setting": TENANT_SETTING, "tenant": str(tenant)})
    elif current != str(tenant):
        raise MissingTenantContext("the transaction's tenant context is another tenant")
