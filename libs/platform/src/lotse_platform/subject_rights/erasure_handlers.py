"""The erasure's events and the coordinating service's record of it (Art. 17 GDPR, ADR 0106).

The coordinating service (intake, as for subject access: ADR 0103) records an erasure in
``erasure_request`` and publishes ``erasure.requested.v1`` (ids only) in the same transaction —
on a justified request of the data-protection officer, or from the retention sweep. Every
service that declares how a person is found in its tables (``SUBJECT_KEYS``) answers it: it
erases its rows about her (:mod:`.erasure`), records ``erasure_done`` and publishes
``erasure.completed.v1`` (ids and counts) — all in one transaction with the inbox entry of the
request. A worker killed before the commit leaves nothing done (the broker redelivers, the
erasure runs again from the start); after it, the inbox entry and ``erasure_done`` make a
redelivery do nothing. The coordinating service records each answer once.

A copy handed to another county (a case transferred to another tenant, ADR 0050) is the
recipient's (Art. 17(2), 19 GDPR, ADR 0109): on a request (not at the end of a retention
period, which is the sending county's alone) the service that made the copy tells the receiving
tenant in the same handler (:func:`forward`: an ``erasure.requested.v1`` of that tenant, trigger
``recipient``, under an id derived from the erasure), and the receiving tenant's coordinator
records it as an erasure of its own (:func:`requested`) — its services erase the copy and answer
there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lotse.subject_rights.v1.erasure_pb2 import ErasureCompleted, ErasureRequested

from .. import clock, faults
from ..audit.purposes import Purpose
from ..datamap.model import DataMap
from ..db.tables import PlatformTables
from .contacts import ERASURE as ERASURE_PATH
from .contacts import ContactSource
from .declaration import ContactKeys, SubjectKeys
from .erasure import erase
from .handlers import MalformedRequest, clear_contacts_when_answered, requested_contacts

REQUESTED = "erasure.requested.v1"
COMPLETED = "erasure.completed.v1"
#: the audit trail's record type of a person (her intake id) and of an erasure
PERSON = "person"
ERASURE = "erasure"
REQUEST, RETENTION, RECIPIENT = "request", "retention", "recipient"
#: who starts a recipient's erasure, in its record and the audit trail
RECIPIENT_ACTOR = "system:erasure-recipient"
#: the reference of a recipient's erasure: why it erases (no personal data)
RECIPIENT_REFERENCE = ("Art. 17 Abs. 2, Art. 19 DSGVO: Löschung beim übermittelnden Kreis "
                       "(erasure at the county that transferred the case)")
PENDING, COMPLETE = "pending", "completed"


class MalformedErasure(ValueError):
    """An event whose ids are not UUIDs: no service acts on it (dead-lettered)."""


@dataclass(frozen=True)
class Erasure:
    """What the handlers need of the service they run in (a dependency, ``erasure``)."""

    service: str
    metadata: sa.MetaData
    data_map: Callable[[], DataMap]
    keys: SubjectKeys | None
    tables: PlatformTables
    #: what an anonymised row keeps (``ERASURE_KEEPS`` beside the data map)
    keeps: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: tells the other tenants this service handed a copy of the person to (uow, erasure id,
    #: person id), before it erases; None: it hands none on
    forward: Callable[[Any, uuid.UUID, str], None] | None = None
    #: the coordinating service's services an erasure asks; None: not the coordinator
    services: Callable[[], Sequence[str]] | None = None
    #: the tables whose rows an erasure keeps as they are (``ERASURE_RETAINS``)
    retains: frozenset[str] = frozenset()
    #: where the contacts an erasure names are fetched (a service that declares ``Contacts``)
    contacts: Callable[[], ContactSource] | None = None


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise MalformedErasure(f"{field} is not a UUID") from None


def requested(event: ErasureRequested, envelope: object, uow: Any, erasure: Erasure) -> None:
    """Erase this service's rows about the person and answer (once). The coordinator records
    an erasure a sending county forwarded here as its own first; a service that handed a copy
    of her to another tenant tells it, unless the erasure is a retention period's."""
    if erasure.keys is None:
        return
    erasure_id = _uuid(event.erasure_id, "erasure_id")
    person_id = str(_uuid(event.person_id, "person_id"))
    if erasure.services is not None and event.trigger == RECIPIENT:
        _record_forwarded(uow, erasure, erasure_id, person_id, erasure.services())
    done = erasure.tables.erasure_done
    if uow.session.execute(sa.select(done.c.erasure_id).where(
            done.c.erasure_id == erasure_id)).first() is not None:
        return
    try:
        contacts = requested_contacts(erasure.keys, erasure.contacts, ERASURE_PATH,
                                      event.contacts, event.coordinator, erasure_id)
    except MalformedRequest as error:
        raise MalformedErasure(str(error)) from None
    if erasure.forward is not None and event.trigger in (REQUEST, RECIPIENT):
        erasure.forward(uow, erasure_id, person_id)
    erased = erase(uow.session, metadata=erasure.metadata, data_map=erasure.data_map(),
                   keys=erasure.keys, platform=erasure.tables, tenant_id=uow.tenant_id,
                   person_id=person_id, keeps=erasure.keeps, retains=erasure.retains,
                   contacts=contacts)
    # the fault drills kill the worker here: erased in the open transaction, nothing committed
    faults.point("erasure.erased")
    now = clock.now().astimezone(UTC)
    uow.append(done, {"erasure_id": erasure_id, "completed_at": now,
                      "deleted": erased.deleted, "anonymised": erased.anonymised,
                      "kept": erased.kept})
    uow.audit("erasure.erase", PERSON, person_id, purpose=Purpose.data_subject_request)
    uow.publish(ErasureCompleted(
        erasure_id=str(erasure_id), service=erasure.service, deleted=erased.deleted,
        anonymised=erased.anonymised, kept=erased.kept, completed_at=_instant(now)),
        aggregate_id=erasure_id)


def completed(event: ErasureCompleted, envelope: object, uow: Any, erasure: Erasure) -> None:
    """The coordinating service records a service's answer to one of its erasures (once)."""
    erasure_id = _uuid(event.erasure_id, "erasure_id")
    requests, answers = erasure.tables.erasure_request, erasure.tables.erasure_answer
    if uow.session.execute(sa.select(requests.c.id).where(
            requests.c.id == erasure_id, requests.c.tenant_id == uow.tenant_id)).first() is None:
        return  # another coordinator's erasure (or another tenant's): not ours to record
    if uow.session.execute(sa.select(answers.c.service).where(
            answers.c.erasure_id == erasure_id,
            answers.c.service == event.service)).first() is not None:
        return
    # written now, not at the commit: a later answer of the same batch (one transaction) sees
    # it when it checks whether every service answered
    uow.session.execute(sa.insert(answers).values({
        "tenant_id": uow.tenant_id, "erasure_id": erasure_id, "service": event.service,
        "completed_at": datetime.fromisoformat(event.completed_at), "deleted": event.deleted,
        "anonymised": event.anonymised, "kept": event.kept}))
    clear_contacts_when_answered(uow.session, requests, answers, erasure_id, event.service,
                                 key="erasure_id")


def _record_forwarded(uow: Any, erasure: Erasure, erasure_id: uuid.UUID, person_id: str,
                      services: Sequence[str]) -> None:
    """The receiving tenant's record of an erasure a sending county forwarded (once), so that
    its services' answers are recorded and its data-protection officer sees it."""
    requests = erasure.tables.erasure_request
    if uow.session.execute(sa.select(requests.c.id).where(
            requests.c.id == erasure_id)).first() is not None:
        return
    uow.session.execute(sa.insert(requests).values({
        "id": erasure_id, "tenant_id": uow.tenant_id, "person_id": person_id,
        "trigger": RECIPIENT, "record_kind": None, "reference": RECIPIENT_REFERENCE,
        "requested_by": RECIPIENT_ACTOR, "requested_at": clock.now().astimezone(UTC),
        "services": list(services)}))
    uow.audit("create", ERASURE, erasure_id, purpose=Purpose.data_subject_request)


def forwarded_id(erasure_id: uuid.UUID, tenant_id: object, person_id: str) -> uuid.UUID:
    """The id of an erasure forwarded to ``tenant_id`` (the person known there as
    ``person_id``): the same however often the sending side forwards it."""
    return uuid.uuid5(erasure_id, f"{tenant_id}:{person_id}")


def forward(receiving: Any, *, erasure_id: uuid.UUID, person_id: str,
            coordinator: str) -> uuid.UUID:
    """Tell the tenant of ``receiving`` (a unit of work of the tenant that received a copy of
    the person, known there as ``person_id``) to erase it: ``erasure.requested.v1`` with trigger
    ``recipient`` in that tenant's outbox; audited there. The caller commits."""
    forwarded = forwarded_id(erasure_id, receiving.tenant_id, person_id)
    receiving.publish(ErasureRequested(
        erasure_id=str(forwarded), person_id=person_id,
        requested_at=_instant(clock.now()), trigger=RECIPIENT, record_kind="",
        coordinator=coordinator), aggregate_id=forwarded)
    receiving.audit("erasure.forward", PERSON, person_id, purpose=Purpose.data_subject_request)
    return forwarded


def start(uow: Any, tables: PlatformTables, *, person_id: str, trigger: str,
          record_kind: str | None, reference: str, requested_by: str, services: Sequence[str],
          coordinator: str, contacts: ContactKeys | None = None) -> uuid.UUID:
    """Record an erasure and publish it, in ``uow``'s transaction; audited. The ``contacts``
    the officer named stay in the erasure's row (the event says only that there are some)."""
    erasure_id = uuid.uuid4()
    now = clock.now().astimezone(UTC)
    given = contacts or ContactKeys()
    uow.session.execute(sa.insert(tables.erasure_request).values({
        "id": erasure_id, "tenant_id": uow.tenant_id, "person_id": person_id,
        "trigger": trigger, "record_kind": record_kind, "reference": reference,
        "requested_by": requested_by, "requested_at": now, "services": list(services),
        "contact_phone": given.phone, "contact_email": given.email}))
    uow.publish(ErasureRequested(
        erasure_id=str(erasure_id), person_id=person_id, requested_at=_instant(now),
        trigger=trigger, record_kind=record_kind or "", coordinator=coordinator,
        contacts=bool(given)), aggregate_id=erasure_id)
    uow.audit("create", ERASURE, erasure_id, purpose=Purpose.data_subject_request)
    uow.audit("erasure.request", PERSON, person_id, purpose=Purpose.data_subject_request)
    return erasure_id


def read(session: Session, tables: PlatformTables, tenant_id: uuid.UUID,
         erasure_id: uuid.UUID) -> dict[str, Any] | None:
    """The erasure with each service's state (pending or completed, with its counts)."""
    requests, answers = tables.erasure_request, tables.erasure_answer
    row = session.execute(sa.select(requests).where(
        requests.c.id == erasure_id, requests.c.tenant_id == tenant_id)).mappings().first()
    if row is None:
        return None
    found = {a["service"]: a for a in session.execute(sa.select(answers).where(
        answers.c.erasure_id == erasure_id, answers.c.tenant_id == tenant_id)).mappings()}
    services = []
    for service in row["services"]:
        answer = found.get(service)
        services.append({"service": service, "state": COMPLETE if answer else PENDING,
                         "completed_at": answer["completed_at"] if answer else None,
                         "deleted": answer["deleted"] if answer else None,
                         "anonymised": answer["anonymised"] if answer else None,
                         "kept": answer["kept"] if answer else None})
    return {"id": row["id"], "person_id": row["person_id"], "trigger": row["trigger"],
            "record_kind": row["record_kind"], "reference": row["reference"],
            "requested_by": row["requested_by"], "requested_at": row["requested_at"],
            "state": PENDING if any(s["state"] == PENDING for s in services) else COMPLETE,
            "contacts": _given(row), "services": services}


def _given(row: Any) -> list[str]:
    """Which contacts the erasure named (while they are kept: until every service answered)."""
    return [name for name, column in (("phone", "contact_phone"), ("email", "contact_email"))
            if row[column] is not None]



def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")
