"""A service's erasure of a person (Art. 17 GDPR, issue 15 point 2, ADR 0106).

The person's rows are found as a subject-access request finds them (ADR 0103): by the keys the
service declares next to its data map (``SUBJECT_KEYS``), derived from her intake id. Then, in
one transaction with the inbox entry of the request:

- the rows of a key's own table (intake's ``intakes``, casework's ``cases``, network's
  ``referrals``) are **anonymised**: they stay, so that counts, the references of other rows and
  the audit trail's entries still point at a record, and the service can still load it; every
  personal or special-category column of the data map is set to NULL, or where it cannot be
  NULL to a fixed marker (:data:`MARKER`, the empty list or object, 1900-01-01, false, 0) —
  except ids (the primary key, a key column, a foreign key), codes of a closed vocabulary (an
  enum) and what the service declares it keeps beside its data map (``ERASURE_KEEPS``: the
  organisations, areas and staff a record belongs to, its codes and dates — never a name, a
  birth date, contact details or free text);
- every other row about her is **deleted**; a row that another row still references (a foreign
  key the erasure did not reach) is anonymised instead;
- of the platform's tables: her subject-access parts, the signed copies attached to her records
  and the notes beside the audit entries about her records are deleted. The audit entries stay:
  they hold codes and ids only, and altering them would break their hash chain (ADR 0008).

Which columns are personal the data map says (ADR 0100); what an anonymised row keeps the
service declares::

    ERASURE_KEEPS = {"cases": ("area_id", "case_manager_id", "phase", "opened_on", "closed_on")}

A service whose tables are pseudonymous statistics that an erasure must leave as they are
(reporting: its figures do not change, Art. 17(3)(d) GDPR; ADR 0108) declares them, and its
rows about the person there are counted as kept, not changed::

    ERASURE_RETAINS = ("case_projection", "event_store", ...)

Rows of a service's table of people known by their contact details (steering's forum
invitation list) that hold the contacts the request names are deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..crypto import EncryptedJSON
from ..datamap.check import map_module
from ..datamap.model import DataMap
from ..datamap.platform_map import PLATFORM_MAP
from ..datamap.vocabulary import DataClass
from ..db.tables import PlatformTables
from .declaration import ContactKeys, SubjectKeys
from .export import chunks, contact_condition, holds, key_values

#: what a personal text column that cannot be NULL holds after the erasure
MARKER = "[gelöscht]"
_EPOCH_DATE = date(1900, 1, 1)
_EPOCH = datetime(1900, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Erased:
    """What a service's erasure did: rows deleted, rows anonymised, and rows kept as they are
    (pseudonymous statistics, ``ERASURE_RETAINS``)."""

    deleted: int
    anonymised: int
    kept: int = 0


#: table -> the personal columns an anonymised row of it keeps (``ERASURE_KEEPS``)
Keeps = Mapping[str, Iterable[str]]


def load_erasure_keeps(service_module: str) -> dict[str, frozenset[str]]:
    """The service's ``ERASURE_KEEPS`` (beside its data map), or none."""
    module = map_module(service_module)
    keeps: Keeps = getattr(module, "ERASURE_KEEPS", {}) if module is not None else {}
    return {table: frozenset(columns) for table, columns in keeps.items()}


def load_erasure_retains(service_module: str) -> frozenset[str]:
    """The tables whose rows an erasure keeps as they are (``ERASURE_RETAINS`` beside the data
    map), or none."""
    module = map_module(service_module)
    return frozenset(getattr(module, "ERASURE_RETAINS", ()) if module is not None else ())


def erase(session: Session, *, metadata: sa.MetaData, data_map: DataMap, keys: SubjectKeys,
          platform: PlatformTables, tenant_id: uuid.UUID, person_id: str,
          keeps: Keeps | None = None, retains: Iterable[str] = (),
          contacts: ContactKeys | None = None) -> Erased:
    """Delete or anonymise every row about the person ``person_id`` (her intake id) of
    ``tenant_id`` in this service, in the session's transaction; count the rows of the tables
    it ``retains`` as kept; delete the rows of its table of people known by their contact
    details that hold the ``contacts`` the request names."""
    values = key_values(session, metadata, keys, tenant_id, person_id)
    own = keys.own_columns()
    record_ids: set[str] = set().union(*values.values())
    by_contacts = contact_condition(session, metadata, keys.contacts, contacts, tenant_id)
    retained = frozenset(retains)
    deleted = anonymised = kept = 0
    # children before their parents: a row is deleted before the row it references
    for table in reversed(metadata.sorted_tables):
        name = table.name
        if name in PLATFORM_MAP.tables or name not in data_map.tables:
            continue
        condition = _about(table, values, own.get(name))
        if by_contacts is not None and keys.contacts and name == keys.contacts.table:
            condition = by_contacts if condition is None else sa.or_(condition, by_contacts)
        if condition is None:
            continue
        if "tenant_id" in table.c:
            condition = sa.and_(condition, table.c.tenant_id == tenant_id)
        if name in retained:
            kept += int(session.execute(sa.select(sa.func.count()).select_from(table)
                                        .where(condition)).scalar_one())
            continue
        if "id" in table.c:
            record_ids.update(str(v) for v in session.execute(
                sa.select(table.c.id).where(condition)).scalars() if v is not None)
        if name not in own:
            try:
                with session.begin_nested():
                    deleted += changed(session, sa.delete(table).where(condition))
                continue
            except IntegrityError:
                pass  # still referenced: anonymised below
        anonymised += _anonymise(session, table, data_map, keys, condition,
                                 frozenset((keeps or {}).get(name, ())))
    deleted += _platform(session, platform, tenant_id, person_id, record_ids)
    return Erased(deleted, anonymised, kept)


def _about(table: sa.Table, values: dict[str, set[str]],
           own: tuple[str, str] | None) -> sa.ColumnElement[bool] | None:
    conditions = [holds(column, values[column.name])
                  for column in table.columns if values.get(column.name)]
    if own is not None and values.get(own[1]):
        conditions.append(holds(table.c[own[0]], values[own[1]]))
    return sa.or_(*conditions) if conditions else None


def personal_columns(table: sa.Table, data_map: DataMap, keys: SubjectKeys,
                     keep: Iterable[str] = ()) -> list[sa.Column[Any]]:
    """The columns an anonymisation clears: personal or special category in the data map, and
    neither an id (primary key, key, foreign key), a code of a closed vocabulary nor kept."""
    classes = {c.name: c.data_class for c in data_map.tables[table.name].classified()}
    kept = set(keys.names) | set(keep)
    found = []
    for column in table.columns:
        if classes.get(column.name, DataClass.not_personal) is DataClass.not_personal:
            continue
        if column.primary_key or column.foreign_keys or column.name in kept:
            continue
        if isinstance(_base(column.type), sa.Enum):
            continue
        found.append(column)
    return found


def _anonymise(session: Session, table: sa.Table, data_map: DataMap, keys: SubjectKeys,
               condition: sa.ColumnElement[bool], keep: frozenset[str]) -> int:
    columns = personal_columns(table, data_map, keys, keep)
    if not columns:
        return int(session.execute(sa.select(sa.func.count()).select_from(table)
                                   .where(condition)).scalar_one())
    # a JSON column that cannot be NULL keeps its shape: an empty list or an empty object (an
    # encrypted one too, ADR 0104: its value is read and written through its type)
    shaped = [c for c in columns if not c.nullable and _is_json(c)]
    cleared = {column.name: _cleared(column) for column in columns if column not in shaped}
    if not shaped:
        return changed(session, sa.update(table).where(condition).values(cleared))
    key = list(table.primary_key.columns)
    rows = session.execute(sa.select(*key, *shaped).where(condition)).all()
    for row in rows:
        values = dict(cleared)
        values.update({c.name: [] if isinstance(row[len(key) + i], list) else {}
                       for i, c in enumerate(shaped)})
        session.execute(sa.update(table).where(*(k == row[i] for i, k in enumerate(key)))
                        .values(values))
    return len(rows)


def _cleared(column: sa.Column[Any]) -> Any:
    """NULL, or where the column cannot be NULL the fixed marker of its type."""
    if column.nullable:
        return None
    kind = _base(column.type)
    if isinstance(kind, sa.ARRAY):
        return []
    if isinstance(kind, sa.String):
        length = getattr(kind, "length", None)
        return MARKER[:length] if length else MARKER
    if isinstance(kind, sa.DateTime):
        return _EPOCH
    if isinstance(kind, sa.Date):
        return _EPOCH_DATE
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, (sa.Integer, sa.Numeric, sa.Float)):
        return 0
    if isinstance(kind, sa.Uuid):
        return uuid.UUID(int=0)
    if isinstance(kind, sa.LargeBinary):
        return b""
    raise TypeError(f"{column.table.name}.{column.name}: no marker for {kind!r}")


def _is_json(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, EncryptedJSON) or isinstance(_base(column.type), sa.JSON)


def _base(kind: Any) -> Any:
    while isinstance(kind, sa.TypeDecorator):
        kind = kind.impl_instance
    return kind


def _platform(session: Session, platform: PlatformTables, tenant_id: uuid.UUID,
              person_id: str, record_ids: set[str]) -> int:
    """Her subject-access parts, the signed copies of her records and the notes beside the
    audit entries about them; the entries stay."""
    deleted = 0
    # the contacts her subject-access requests named, where the coordinator still keeps them
    requests = platform.subject_access_request
    session.execute(sa.update(requests).where(
        requests.c.tenant_id == tenant_id, requests.c.person_id == person_id,
        sa.or_(requests.c.contact_phone.is_not(None), requests.c.contact_email.is_not(None)))
        .values(contact_phone=None, contact_email=None))
    parts = platform.subject_access_part
    deleted += changed(session, sa.delete(parts).where(
        parts.c.tenant_id == tenant_id, parts.c.person_id == person_id))
    copies, notes, log = platform.signed_copy, platform.audit_note, platform.audit_log
    for chunk in chunks(record_ids):
        deleted += changed(session, sa.delete(copies).where(
            copies.c.tenant_id == tenant_id, copies.c.record_id.in_(chunk)))
        entries = sa.select(log.c.id).where(log.c.tenant_id == tenant_id,
                                            log.c.record_id.in_(chunk))
        deleted += changed(session, sa.delete(notes).where(
            notes.c.tenant_id == tenant_id, notes.c.audit_id.in_(entries)))
    return deleted


def changed(session: Session, statement: sa.Executable) -> int:
    """The rows an UPDATE or DELETE changed."""
    return int(cast("sa.CursorResult[Any]", session.execute(statement)).rowcount)
