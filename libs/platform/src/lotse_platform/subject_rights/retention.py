"""The tenant's retention policy and its sweep (Art. 5(1)(e) GDPR, issue 15 point 2, ADR 0106).

The policy is a period in months per retention class of the data map (ADR 0100) with the legal
basis written next to it; a class without a period (the directory, statistics, the audit
trail's entries) is never erased by a period. A tenant that set nothing has the defaults
(:data:`DEFAULTS`); the data-protection officer reads and sets them through the coordinating
service's API.

The coordinating service declares next to its data map when a person's record ended, per
retention class (``RETENTION_ENDS``, :class:`RecordEnd`); the sweep (daily in the worker,
:mod:`.schedule`; by hand ``lotse-<service> retention sweep``) takes every person whose record
of a class with a period ended more than that period ago — on the tenant's calendar (Europe/Berlin),
against :func:`lotse_platform.clock.today` — and starts her erasure (:mod:`.erasure_handlers`),
once: a person with an erasure started already is not taken again.
"""

from __future__ import annotations

import calendar
import importlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import clock
from ..datamap.check import map_module_name
from ..datamap.vocabulary import RETENTION_CLASSES
from ..db.tables import PlatformTables
from . import erasure_handlers
from .erasure import changed


@dataclass(frozen=True)
class Period:
    """A retention class's period (None: not erased by a period) and its legal basis."""

    record_kind: str
    months: int | None
    legal_basis: str
    updated_by: str | None = None


#: the policy of a tenant that set none: the periods the counties' data-protection officers
#: start from, with their legal basis (to be confirmed by each county before it signs)
DEFAULTS: dict[str, Period] = {p.record_kind: p for p in (
    Period("intake_without_admission", 6,
           "§ 84 Abs. 2 SGB X, Art. 17 Abs. 1 lit. a DSGVO: nach der Entscheidung ohne "
           "Aufnahme nicht mehr erforderlich (6 Monate für Rückfragen und Wiederkehr)"),
    Period("case_record", 36,
           "§ 84 Abs. 2 SGB X, Art. 17 Abs. 1 lit. a DSGVO; Aufbewahrung drei Jahre nach "
           "Fallabschluss (Verjährung, § 195 BGB; Prüfrechte des Zuwendungsgebers)"),
    Period("consent", 36,
           "Art. 7 Abs. 1 DSGVO (Nachweis der Einwilligung), Art. 17 Abs. 1 lit. a, b DSGVO: "
           "solange der Vorgang, zu dem sie gehört"),
    Period("referral", 36,
           "§ 84 Abs. 2 SGB X, Art. 17 Abs. 1 lit. a DSGVO: wie die Fallakte"),
    Period("directory", None,
           "keine Frist: das Verzeichnis hält keine Daten der Klientinnen und bleibt von "
           "Löschungen einzelner Personen unberührt"),
    Period("statistics", None,
           "keine Frist: anonyme Zahlen (Art. 89 DSGVO, ErwGr. 26)"),
    Period("audit", None,
           "keine Frist für die Einträge (Art. 5 Abs. 2, Art. 32 DSGVO): sie enthalten nur "
           "Kennungen und Codes; Notizen mit eigener Frist"),
)}


@dataclass(frozen=True)
class RecordEnd:
    """When a person's record of ``record_kind`` ended: the latest ``ended`` (a date column) of
    ``table``'s rows of her (``person`` holds her intake id) — unless one of her rows has no
    end yet (NULL: a case still open, another open case of hers) or a row of ``unless`` (a
    table and its column of her intake id) shows it went on (admitted: a case record now)."""

    record_kind: str
    table: str
    person: str
    ended: str
    unless: tuple[str, str] | None = None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day where it has fewer)."""
    years, month = divmod(day.month - 1 - months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def load_record_ends(service_module: str) -> tuple[RecordEnd, ...]:
    """The service's ``RETENTION_ENDS`` (beside its data map), or none."""
    module = importlib.import_module(map_module_name(service_module))
    return tuple(getattr(module, "RETENTION_ENDS", ()))


def policy(session: Session, tables: PlatformTables, tenant_id: uuid.UUID) -> list[Period]:
    """The tenant's period of every retention class: its own where it set one, else the
    default."""
    table = tables.retention_policy
    own = {row.record_kind: Period(row.record_kind, row.months, row.legal_basis,
                                   row.updated_by)
           for row in session.execute(sa.select(table).where(table.c.tenant_id == tenant_id))}
    return [own.get(kind) or DEFAULTS.get(kind) or Period(kind, None, "")
            for kind in RETENTION_CLASSES if kind in own or kind in DEFAULTS]


def set_period(session: Session, tables: PlatformTables, tenant_id: uuid.UUID, *,
               record_kind: str, months: int | None, legal_basis: str, by: str) -> None:
    table = tables.retention_policy
    values = {"months": months, "legal_basis": legal_basis, "updated_by": by,
              "updated_at": clock.now().astimezone(UTC)}
    if not changed(session, sa.update(table).where(
            table.c.tenant_id == tenant_id, table.c.record_kind == record_kind).values(values)):
        session.execute(sa.insert(table).values(tenant_id=tenant_id, record_kind=record_kind,
                                                **values))


def expired(session: Session, metadata: sa.MetaData, tables: PlatformTables,
            ends: Iterable[RecordEnd], tenant_id: uuid.UUID,
            today: date | None = None) -> list[tuple[str, str]]:
    """(person id, retention class) of every person of the tenant whose record ended more than
    its class's period before ``today`` (the tenant's today by default) and whose erasure has
    not been started; a record of hers that has not ended (a row without an end) keeps her."""
    today = today or clock.today(tenant_id)
    periods = {p.record_kind: p.months for p in policy(session, tables, tenant_id)}
    started = sa.select(tables.erasure_request.c.person_id).where(
        tables.erasure_request.c.tenant_id == tenant_id)
    found: dict[str, str] = {}
    for end in ends:
        months = periods.get(end.record_kind)
        if months is None:
            continue
        cutoff = months_before(today, months)
        table = metadata.tables[end.table]
        person = sa.cast(table.c[end.person], sa.String)
        query: Any = (sa.select(person).where(table.c.tenant_id == tenant_id,
                                              table.c[end.person].is_not(None),
                                              person.not_in(started))
                      .group_by(person)
                      # every row of hers ended (count skips NULL), the last before the cutoff
                      .having(sa.func.count(table.c[end.ended]) == sa.func.count(),
                              sa.func.max(table.c[end.ended]) < cutoff))
        if end.unless is not None:
            other = metadata.tables[end.unless[0]]
            query = query.where(person.not_in(sa.select(
                sa.cast(other.c[end.unless[1]], sa.String)).where(
                    other.c.tenant_id == tenant_id)))
        for person_id in session.execute(query.order_by(person)).scalars():
            found.setdefault(str(person_id), end.record_kind)
    return sorted(found.items())


#: who starts the erasures of the sweep, in the erasure's record and the audit trail
SWEEP_ACTOR = "system:retention"


def sweep(uow: Any, metadata: sa.MetaData, tables: PlatformTables, ends: Iterable[RecordEnd], *,
          services: Sequence[str], coordinator: str,
          today: date | None = None) -> list[uuid.UUID]:
    """Start the erasure of every person of ``uow``'s tenant whose record's period ended (in
    ``uow``'s transaction; the caller commits)."""
    started = []
    for person_id, record_kind in expired(uow.session, metadata, tables, ends, uow.tenant_id,
                                          today):
        started.append(erasure_handlers.start(
            uow, tables, person_id=person_id, trigger=erasure_handlers.RETENTION,
            record_kind=record_kind, reference=f"retention:{record_kind}",
            requested_by=SWEEP_ACTOR, services=services, coordinator=coordinator))
    return started
