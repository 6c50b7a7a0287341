"""A service's part of a subject-access request (Art. 15 GDPR, ADR 0103): every row of its own
mapped tables about the person, the signed copies attached to her records (without their
content), and the audit entries about those records — who accessed them, when, and for which
purpose.

The rows are found by the keys the service declares (:mod:`.declaration`); which tables there
are and what each holds for which purpose on which legal basis the data map says (ADR 0100).
The part is JSON text, the same bytes every time it is served (its SHA-256 goes into the answer
event), in this shape::

    {"service": "casework", "request_id": "…", "person_id": "…", "collected_at": "…",
     "keys": {"intake_id": [...], "case_id": [...]},
     "tables": [{"name": "cases", "purpose_de": "…", "purpose_en": "…", "legal_basis": "…",
                 "retention": "…", "columns": {"phase": "personal", …}, "rows": [{…}]}],
     "accesses": [{"at": "…", "actor": "<user id>", "acting_org": "…", "action": "read",
                   "record_type": "case", "record_id": "…", "purpose": "task",
                   "purpose_label": "…"}]}
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..audit.purposes import purpose_of
from ..datamap.model import DataMap
from ..datamap.platform_map import PLATFORM_MAP
from ..db.tables import PlatformTables
from .declaration import PERSON_KEY, ContactKeys, Contacts, Found, SubjectKeys

#: the purpose of an access that states none: the service's own task (counselling, case work)
TASK = "task"
TASK_LABEL = "Aufgabe der Stelle (Beratung, Fallführung), ohne gesonderten Zweck"
_CHUNK = 500


@dataclass(frozen=True)
class Part:
    """A part as stored and served: its JSON text, SHA-256 and what it counts."""

    content: str
    sha256: str
    tables: int
    rows: int
    accesses: int


def collect(session: Session, *, service: str, metadata: sa.MetaData, data_map: DataMap,
            keys: SubjectKeys, platform: PlatformTables, tenant_id: uuid.UUID,
            request_id: uuid.UUID, person_id: str, collected_at: datetime,
            contacts: ContactKeys | None = None) -> Part:
    """The service's part for the person ``person_id`` (her intake id) of ``tenant_id``, and
    where the request names her ``contacts``, the rows of the service's table of people known
    by them."""
    values = key_values(session, metadata, keys, tenant_id, person_id)
    own = keys.own_columns()
    tables: list[dict[str, Any]] = []
    record_ids: set[str] = set().union(*values.values())
    by_contacts = contact_condition(session, metadata, keys.contacts, contacts, tenant_id)
    for name in sorted(data_map.tables):
        if name in PLATFORM_MAP.tables or name not in metadata.tables:
            continue
        table = metadata.tables[name]
        extra = by_contacts if keys.contacts and name == keys.contacts.table else None
        rows = _rows_about(session, table, values, own.get(name), tenant_id, extra)
        if not rows:
            continue
        if name in keys.readable:
            rows = [{**row, **keys.readable[name](row)} for row in rows]
        mapped = data_map.tables[name]
        if "id" in table.c:
            record_ids.update(str(row["id"]) for row in rows if row.get("id") is not None)
        tables.append({
            "name": name, "purpose_de": mapped.purpose_de, "purpose_en": mapped.purpose_en,
            "legal_basis": mapped.legal_basis, "retention": mapped.retention,
            "columns": {c.name: c.kind or c.data_class.value for c in mapped.classified()},
            "rows": rows})
    copies = _signed_copies(session, platform.signed_copy, record_ids, tenant_id)
    if copies:
        tables.append({
            "name": "signed_copy", "purpose_de": "Unterschriebene Formulare (Inhalt verschlüsselt, "
            "auf Anfrage einzeln)", "purpose_en": "signed forms (content encrypted, on request "
            "one by one)", "legal_basis": "consent", "retention": "consent",
            "columns": {}, "rows": copies})
    accesses = _accesses(session, platform.audit_log, record_ids, tenant_id)
    document = {
        "service": service, "request_id": str(request_id), "person_id": person_id,
        "collected_at": collected_at.isoformat(),
        "keys": {name: sorted(found) for name, found in values.items()},
        "tables": tables, "accesses": accesses}
    content = json.dumps(document, ensure_ascii=False, sort_keys=True, default=_as_text)
    return Part(content, hashlib.sha256(content.encode()).hexdigest(), len(tables),
                sum(len(t["rows"]) for t in tables), len(accesses))


def key_values(session: Session, metadata: sa.MetaData, keys: SubjectKeys,
                tenant_id: uuid.UUID, person_id: str) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {PERSON_KEY: {person_id}}
    for rule in keys.derived:
        if isinstance(rule, Found):
            values.setdefault(rule.key, set()).update(
                str(v) for v in rule.find(session, tenant_id, values) if v)
            continue
        table = metadata.tables[rule.table]
        found: set[str] = set()
        for chunk in chunks(values[rule.by]):
            query = sa.select(table.c[rule.column]).where(holds(table.c[rule.by], chunk))
            if "tenant_id" in table.c:
                query = query.where(table.c.tenant_id == tenant_id)
            found.update(str(v) for v in session.execute(query).scalars() if v is not None)
        values.setdefault(rule.key, set()).update(found)
    return values


def contact_condition(session: Session, metadata: sa.MetaData, declared: Contacts | None,
                      given: ContactKeys | None,
                      tenant_id: uuid.UUID) -> sa.ColumnElement[bool] | None:
    """The rows of the declared table of people known by their contact details that hold the
    phone number (E.164, as stored) or the e-mail address (in any case) the request names —
    by their keys. The contact details are encrypted (ADR 0104), so SQL cannot compare them:
    the tenant's rows are read (decrypted by their column types, as the service reads them)
    and compared here; the table is a short list (the forum's invitations)."""
    if declared is None or not given:
        return None
    table = metadata.tables[declared.table]
    phone = table.c[declared.phone] if declared.phone and given.phone else None
    email = table.c[declared.email] if declared.email and given.email else None
    if phone is None and email is None:
        return None
    keys = list(table.primary_key.columns)
    wanted_email = (given.email or "").strip().casefold()
    query = sa.select(*keys, *(c for c in (phone, email) if c is not None))
    if "tenant_id" in table.c:
        query = query.where(table.c.tenant_id == tenant_id)
    matching = []
    for row in session.execute(query).mappings():
        if ((phone is not None and row[phone.name] == given.phone)
                or (email is not None
                    and (row[email.name] or "").strip().casefold() == wanted_email)):
            matching.append(tuple(row[k.name] for k in keys))
    if not matching:
        return sa.false()
    return sa.tuple_(*keys).in_(matching)


def _rows_about(session: Session, table: sa.Table, values: dict[str, set[str]],
                own: tuple[str, str] | None, tenant_id: uuid.UUID,
                extra: sa.ColumnElement[bool] | None = None) -> list[dict[str, Any]]:
    conditions = [holds(column, values[column.name])
                  for column in table.columns if values.get(column.name)]
    if own is not None and values.get(own[1]):
        conditions.append(holds(table.c[own[0]], values[own[1]]))
    if extra is not None:
        conditions.append(extra)
    if not conditions:
        return []
    query = sa.select(table).where(sa.or_(*conditions))
    if "tenant_id" in table.c:
        query = query.where(table.c.tenant_id == tenant_id)
    query = query.order_by(*(list(table.primary_key.columns) or list(table.columns)))
    return [{k: _plain(v) for k, v in row.items()}
            for row in session.execute(query).mappings()]


def _signed_copies(session: Session, table: sa.Table, record_ids: set[str],
                   tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    shown = [c for c in table.columns if c.name != "ciphertext"]
    found: list[dict[str, Any]] = []
    for chunk in chunks(record_ids):
        query = (sa.select(*shown).where(table.c.tenant_id == tenant_id,
                                         table.c.record_id.in_(chunk)))
        found += [{k: _plain(v) for k, v in row.items()}
                  for row in session.execute(query).mappings()]
    return sorted(found, key=lambda row: (row["uploaded_at"], row["id"]))


def _accesses(session: Session, audit_log: sa.Table, record_ids: set[str],
              tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    found: list[tuple[Any, int, dict[str, Any]]] = []
    for chunk in chunks(record_ids):
        query = sa.select(audit_log).where(audit_log.c.tenant_id == tenant_id,
                                           audit_log.c.record_id.in_(chunk))
        for row in session.execute(query).mappings():
            purpose = purpose_of(row["reason"])
            found.append((row["at"], row["id"], {
                "at": row["at"].isoformat(), "actor": row["actor"],
                "acting_org": row["acting_org"], "action": row["action"],
                "record_type": row["record_type"], "record_id": row["record_id"],
                "purpose": purpose.value if purpose else TASK,
                "purpose_label": purpose.label if purpose else TASK_LABEL}))
    return [entry for _, _, entry in sorted(found, key=lambda f: (f[0], f[1]))]


def holds(column: sa.ColumnElement[Any], values: Iterable[str]) -> sa.ColumnElement[bool]:
    """``column`` holds one of ``values`` (ids as text): compared as the column's own type,
    a UUID column with UUIDs (SQLite keeps them as hex without dashes), a text column as text."""
    wanted = sorted(set(values))
    if isinstance(column.type, sa.Uuid):
        return column.in_([uuid.UUID(v) for v in wanted if _a_uuid(v)])
    if isinstance(column.type, sa.String):
        return column.in_(wanted)
    return sa.cast(column, sa.String).in_(wanted)


def _a_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def chunks(values: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def _as_text(value: Any) -> Any:
    """What JSON cannot hold otherwise: plain, or its text (never the value itself again)."""
    plain = _plain(value)
    return str(value) if plain is value else plain


def _plain(value: Any) -> Any:
    """A column's value as JSON: ids and dates as text, bytes in base64, a value object as its
    fields, an enumeration as its value."""
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # a value object a service's column type maps (intake's screening facts)
        return _plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, (set, frozenset, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
