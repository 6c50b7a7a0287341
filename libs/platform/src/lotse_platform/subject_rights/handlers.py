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
from .declaration import SubjectKeys
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
    now = clock.now().astimezone(UTC)
    part = collect(uow.session, service=subject_access.service,
                   metadata=subject_access.metadata, data_map=subject_access.data_map(),
                   keys=subject_access.keys, platform=subject_access.tables,
                   tenant_id=uow.tenant_id, request_id=request_id, person_id=person_id,
                   collected_at=now)
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
    uow.append(answers, {
        "request_id": request_id, "service": event.service,
        "answered_at": datetime.fromisoformat(event.answered_at),
        "tables": event.tables, "rows": event.rows, "accesses": event.accesses,
        "sha256": event.sha256})


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")
