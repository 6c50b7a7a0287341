"""The event handlers of a subject-access request (ADR 0103).

Every service that declares how a person is found in its tables (``SUBJECT_KEYS``) answers
``subject_access.requested.v1``: it collects its part (:mod:`.export`), keeps it in
``subject_access_part`` and publishes ``subject_access.answered.v1`` — ids, counts and the
part's SHA-256, never its content — in one transaction with the inbox entry of the request
(exactly once; a worker killed before the commit leaves nothing, the broker redelivers). The
coordinating service records each answer (``subject_access_answer``), once per service.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from lotse.subject_rights.v1.events_pb2 import SubjectAccessAnswered, SubjectAccessRequested

from .. import clock, faults
from ..audit.purposes import Purpose
from ..datamap.model import DataMap
from ..db.tables import PlatformTables
from .contacts import SUBJECT_ACCESS, ContactSource
from .declaration import ContactKeys, SubjectKeys
from .export import collect

REQUESTED = "subject_access.requested.v1"
ANSWERED = "subject_access.answered.v1"
#: the audit trail's record type of a person (her intake id) and of a request
PERSON = "person"
REQUEST = "subject_access_request"


class MalformedRequest(ValueError):
    """An event whose ids are not UUIDs: no service answers it (dead-lettered)."""


@dataclass(frozen=True)
class SubjectAccess:
    """What the handlers need of the service they run in (a dependency, ``subject_access``)."""

    service: str
    metadata: sa.MetaData
    data_map: Callable[[], DataMap]
    keys: SubjectKeys | None
    tables: PlatformTables
    #: where the contacts a request names are fetched (a service that declares ``Contacts``)
    contacts: Callable[[], ContactSource] | None = None


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise MalformedRequest(f"{field} is not a UUID") from None


def requested(event: SubjectAccessRequested, envelope: object, uow: Any,
              subject_access: SubjectAccess) -> None:
    """Collect this service's part and answer (once: a part kept already was answered)."""
    if subject_access.keys is None:
        return
    request_id = _uuid(event.request_id, "request_id")
    person_id = str(_uuid(event.person_id, "person_id"))
    parts = subject_access.tables.subject_access_part
    kept = uow.session.execute(sa.select(parts.c.request_id).where(
        parts.c.request_id == request_id)).first()
    if kept is not None:
        return
    contacts = requested_contacts(subject_access.keys, subject_access.contacts, SUBJECT_ACCESS,
                                  event.contacts, event.coordinator, request_id)
    now = clock.now().astimezone(UTC)
    part = collect(uow.session, service=subject_access.service,
                   metadata=subject_access.metadata, data_map=subject_access.data_map(),
                   keys=subject_access.keys, platform=subject_access.tables,
                   tenant_id=uow.tenant_id, request_id=request_id, person_id=person_id,
                   collected_at=now, contacts=contacts)
    uow.append(parts, {"request_id": request_id, "person_id": person_id, "created_at": now,
                       "sha256": part.sha256, "content": part.content})
    uow.audit("subject_access.collect", PERSON, person_id,
              purpose=Purpose.data_subject_request)
    uow.publish(SubjectAccessAnswered(
        request_id=str(request_id), service=subject_access.service, tables=part.tables,
        rows=part.rows, accesses=part.accesses, sha256=part.sha256,
        answered_at=_instant(now)), aggregate_id=request_id)
    # the fault drills kill the worker here: part collected, nothing committed (tests/faults)
    faults.point("subject_access.collected")


def requested_contacts(keys: SubjectKeys, source: Callable[[], ContactSource] | None,
                       kind: str, given: bool, coordinator: str,
                       request_id: uuid.UUID) -> ContactKeys | None:
    """The contacts the request names, fetched from its coordinator — only by a service that
    knows people by them, and only when the request says some were given."""
    if keys.contacts is None or not given:
        return None
    if source is None:
        raise MalformedRequest("the request names contacts and this service has no way to "
                               "fetch them")
    return source().fetch(kind, coordinator, request_id)


def answered(event: SubjectAccessAnswered, envelope: object, uow: Any,
             subject_access: SubjectAccess) -> None:
    """The coordinating service records a service's answer to one of its requests."""
    request_id = _uuid(event.request_id, "request_id")
    requests = subject_access.tables.subject_access_request
    answers = subject_access.tables.subject_access_answer
    known = uow.session.execute(sa.select(requests.c.id).where(
        requests.c.id == request_id, requests.c.tenant_id == uow.tenant_id)).first()
    if known is None:
        return  # another coordinator's request (or another tenant's): not ours to record
    recorded = uow.session.execute(sa.select(answers.c.service).where(
        answers.c.request_id == request_id, answers.c.service == event.service)).first()
    if recorded is not None:
        return
    # written now, not at the commit: a later answer of the same batch (one transaction) sees
    # it when it checks whether every service answered
    uow.session.execute(sa.insert(answers).values({
        "tenant_id": uow.tenant_id, "request_id": request_id, "service": event.service,
        "answered_at": datetime.fromisoformat(event.answered_at),
        "tables": event.tables, "rows": event.rows, "accesses": event.accesses,
        "sha256": event.sha256}))
    clear_contacts_when_answered(uow.session, requests, answers, request_id, event.service,
                                 key="request_id")


def clear_contacts_when_answered(session: Any, requests: sa.Table, answers: sa.Table,
                                 request_id: uuid.UUID, answering: str, *, key: str) -> None:
    """The contacts a request named leave its row once every service it asked has answered
    (``answering`` is the answer being recorded in this transaction)."""
    asked = session.execute(sa.select(requests.c.services, requests.c.contact_phone,
                                      requests.c.contact_email).where(
        requests.c.id == request_id)).one()
    if asked.contact_phone is None and asked.contact_email is None:
        return
    answered_by = set(session.execute(sa.select(answers.c.service).where(
        answers.c[key] == request_id)).scalars()) | {answering}
    if set(asked.services) <= answered_by:
        session.execute(sa.update(requests).where(requests.c.id == request_id).values(
            contact_phone=None, contact_email=None))


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")
