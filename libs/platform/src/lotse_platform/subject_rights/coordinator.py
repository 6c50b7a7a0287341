"""The coordinating service's side of a subject-access request (ADR 0103): starting it, its
state per service, and the archive.

A request asks the services named when it starts; each is **answered** when its answer event
arrived, **pending** until the deadline, **overdue** after it without an answer. The archive can
be taken when no service is pending: ``<service>.json`` for every service that answered (its part
as that service serves it, checked against the SHA-256 of its answer) and ``summary.pdf``, the
readable German summary, which names the services that did not answer.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lotse.subject_rights.v1.events_pb2 import SubjectAccessRequested

from .. import clock
from ..db.tables import PlatformTables
from .declaration import ContactKeys
from .summary import summary_pdf

PENDING, ANSWERED, OVERDUE = "pending", "answered", "overdue"


class PartUnavailable(RuntimeError):
    """A service's part could not be fetched, or is not what its answer said."""


class PartSource(Protocol):
    """Where the coordinator gets a service's part: over the internal API (``service`` role)."""

    def fetch(self, service: str, tenant_id: uuid.UUID, request_id: uuid.UUID) -> bytes: ...


@dataclass(frozen=True)
class ServiceState:
    service: str
    state: str
    answered_at: datetime | None = None
    tables: int | None = None
    rows: int | None = None
    accesses: int | None = None
    sha256: str | None = None
    late: bool = False


@dataclass(frozen=True)
class RequestState:
    id: uuid.UUID
    person_id: str
    reference: str
    requested_by: str
    requested_at: datetime
    deadline: datetime
    delivered_at: datetime | None
    services: tuple[ServiceState, ...]
    #: which contacts the request names (``phone``, ``email``) while they are kept
    contacts: tuple[str, ...] = ()

    @property
    def state(self) -> str:
        """``complete`` (every service answered), ``pending`` (one may still answer), or
        ``incomplete`` (the deadline passed without every answer)."""
        states = {s.state for s in self.services}
        if PENDING in states:
            return PENDING
        return "incomplete" if OVERDUE in states else "complete"


def start(session: Session, uow: Any, tables: PlatformTables, *, person_id: str,
          reference: str, requested_by: str, services: Sequence[str], answer_hours: int,
          coordinator: str, contacts: ContactKeys | None = None) -> uuid.UUID:
    """Record the request and publish it (in ``uow``'s transaction). The ``contacts`` the
    officer named stay in the request's row; the event says only that there are some."""
    request_id = uuid.uuid4()
    now = clock.now().astimezone(UTC)
    deadline = now + timedelta(hours=answer_hours)
    given = contacts or ContactKeys()
    session.execute(sa.insert(tables.subject_access_request).values({
        "id": request_id, "tenant_id": uow.tenant_id, "person_id": person_id, "reference": reference,
        "requested_by": requested_by, "requested_at": now, "deadline": deadline,
        "services": list(services), "delivered_at": None,
        "contact_phone": given.phone, "contact_email": given.email}))
    uow.publish(SubjectAccessRequested(
        request_id=str(request_id), person_id=person_id,
        requested_at=now.isoformat(timespec="microseconds"),
        deadline=deadline.isoformat(timespec="microseconds"), coordinator=coordinator,
        contacts=bool(given)), aggregate_id=request_id)
    return request_id


def read(session: Session, tables: PlatformTables, tenant_id: uuid.UUID,
         request_id: uuid.UUID) -> RequestState | None:
    """The request of ``tenant_id`` with each service's state now, or None."""
    requests, answers = tables.subject_access_request, tables.subject_access_answer
    row = session.execute(sa.select(requests).where(
        requests.c.id == request_id, requests.c.tenant_id == tenant_id)).mappings().first()
    if row is None:
        return None
    found = {a["service"]: a for a in session.execute(sa.select(answers).where(
        answers.c.request_id == request_id, answers.c.tenant_id == tenant_id)).mappings()}
    now = clock.now()
    states = []
    for service in row["services"]:
        answer = found.get(service)
        if answer is not None:
            states.append(ServiceState(service, ANSWERED, answer["answered_at"], answer["tables"],
                                       answer["rows"], answer["accesses"], answer["sha256"],
                                       late=answer["answered_at"] > row["deadline"]))
        else:
            states.append(ServiceState(service, OVERDUE if now > row["deadline"] else PENDING))
    given = tuple(name for name, column in (("phone", "contact_phone"),
                                            ("email", "contact_email"))
                  if row[column] is not None)
    return RequestState(row["id"], row["person_id"], row["reference"], row["requested_by"],
                        row["requested_at"], row["deadline"], row["delivered_at"],
                        tuple(states), given)



def archive(request: RequestState, source: PartSource, tenant_id: uuid.UUID, *,
            issued_at: datetime) -> bytes:
    """The zip of the request's parts and its German summary; raises :class:`PartUnavailable`
    when a part cannot be fetched or is not the one its service answered with."""
    parts: dict[str, dict[str, Any]] = {}
    entries: list[tuple[str, bytes]] = []
    for state in request.services:
        if state.state != ANSWERED:
            continue
        body = source.fetch(state.service, tenant_id, request.id)
        if hashlib.sha256(body).hexdigest() != state.sha256:
            raise PartUnavailable(f"the part of {state.service} is not the one it answered with")
        parts[state.service] = json.loads(body)
        entries.append((f"{state.service}.json", body))
    entries.append(("summary.pdf", summary_pdf(request, parts, tenant=tenant_id, issued_at=issued_at)))
    buffer = io.BytesIO()
    stamp = issued_at.astimezone(clock.zone(tenant_id)).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive_file:
        for name, content in entries:
            archive_file.writestr(zipfile.ZipInfo(name, date_time=stamp), content,
                                  compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def mark_delivered(uow: Any, tables: PlatformTables, request: RequestState) -> None:
    """The first delivery's time (later downloads are audited, the time stays)."""
    if request.delivered_at is not None:
        return
    requests = tables.subject_access_request
    uow.session.execute(sa.update(requests).where(requests.c.id == request.id).values(
        delivered_at=clock.now().astimezone(UTC)))
