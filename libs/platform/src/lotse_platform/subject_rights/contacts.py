"""The contacts a data subject's request may name beside her intake id (ADR 0108).

Steering knows people only by their phone number and e-mail address (the forum's invitation
list, ADR 0098), never by an intake id. So the data-protection officer may add the person's
phone number and e-mail address to a subject-access or erasure request; the coordinating
service keeps them in the request's row (``contact_phone``, ``contact_email``), never in the
event or the audit trail. The request event says only *that* contacts were given
(``contacts``); a service that declares a table of people known by them (``Contacts`` in its
``SUBJECT_KEYS``) fetches them from the coordinator's internal API —
``GET <coordinator>/subject-access-requests/{id}/contacts`` or
``GET <coordinator>/erasure-requests/{id}/contacts``, role ``service``, its own machine client —
in the handler of the request, before it collects or erases. A coordinator that cannot be asked
fails the handler: nothing is committed and the broker redelivers the request. Once every
service answered, the coordinator clears the contacts from the request's row.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..auth.client import ServiceCaller, ServiceUnreachable
from .declaration import ContactKeys

log = logging.getLogger("lotse.subject_access")

#: the coordinator's paths of a request's contacts, by the kind of request
SUBJECT_ACCESS, ERASURE = "subject-access-requests", "erasure-requests"


def contacts_of(session: Session, requests: sa.Table, tenant_id: uuid.UUID,
                request_id: uuid.UUID) -> ContactKeys | None:
    """The contacts a request of ``tenant_id`` names (None: no such request) — a subject-access
    request's or an erasure's, by the table of them (``subject_access_request``,
    ``erasure_request``)."""
    row = session.execute(sa.select(requests.c.contact_phone, requests.c.contact_email).where(
        requests.c.id == request_id, requests.c.tenant_id == tenant_id)).first()
    return None if row is None else ContactKeys(row.contact_phone, row.contact_email)


class ContactsUnavailable(RuntimeError):
    """The coordinator could not be asked for a request's contacts (the handler fails and the
    broker redelivers the request)."""


class ContactSource(Protocol):
    """Where a service gets the contacts a request names (the coordinator's internal API)."""

    def fetch(self, kind: str, coordinator: str, request_id: uuid.UUID) -> ContactKeys: ...


class CoordinatorContacts:
    """A participating service's :class:`ContactSource`: the coordinator's internal API with the
    service's machine token."""

    def __init__(self, url_of: Callable[[str], str | None],
                 caller: ServiceCaller | None) -> None:
        self._url_of, self._caller = url_of, caller

    def fetch(self, kind: str, coordinator: str, request_id: uuid.UUID) -> ContactKeys:
        # a provider's own intake coordinates under its instance's name (intake-<suffix>)
        base = self._url_of(coordinator) or self._url_of(coordinator.split("-", 1)[0])
        if base is None or self._caller is None:
            raise ContactsUnavailable(f"no internal address or machine credentials for "
                                      f"{coordinator}")
        try:
            status, body = self._caller.call("GET", f"{base}/{kind}/{request_id}/contacts")
        except ServiceUnreachable as error:
            raise ContactsUnavailable(f"{coordinator} could not be asked: {error}") from None
        if status != 200:
            log.warning("subject_access.contacts_refused", extra={"service": coordinator,
                                                                   "status": status})
            raise ContactsUnavailable(f"{coordinator} answered {status}")
        found = json.loads(body)
        return ContactKeys(phone=found.get("phone") or None, email=found.get("email") or None)

    def close(self) -> None:
        if self._caller is not None:
            self._caller.close()
