"""Where the coordinating service gets the parts (ADR 0103): its own from its database, every
other service's over that service's internal API (``GET <base>/subject-access-parts/<id>``)
with the coordinator's machine token (role ``service``). The part never travels on the broker."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import sqlalchemy as sa

from ..auth.client import ServiceCaller, ServiceUnreachable
from ..db.tables import PlatformTables
from .coordinator import PartUnavailable

log = logging.getLogger("lotse.subject_access")


def read_part(session: sa.orm.Session, tables: PlatformTables, tenant_id: uuid.UUID,
              request_id: uuid.UUID) -> bytes | None:
    """This service's part of the request as it serves it, or None."""
    parts = tables.subject_access_part
    content = session.execute(sa.select(parts.c.content).where(
        parts.c.request_id == request_id, parts.c.tenant_id == tenant_id)).scalar()
    return None if content is None else str(content).encode()


class ServiceParts:
    """The coordinator's :class:`~.coordinator.PartSource`."""

    def __init__(self, own: str, read_own: Callable[[uuid.UUID, uuid.UUID], bytes | None],
                 url_of: Callable[[str], str | None], caller: ServiceCaller | None) -> None:
        self._own, self._read_own, self._url_of, self._caller = own, read_own, url_of, caller

    def fetch(self, service: str, tenant_id: uuid.UUID, request_id: uuid.UUID) -> bytes:
        if service == self._own:
            content = self._read_own(tenant_id, request_id)
            if content is None:
                raise PartUnavailable(f"{service} keeps no part of this request")
            return content
        base = self._url_of(service)
        if base is None or self._caller is None:
            raise PartUnavailable(f"no internal address or machine credentials for {service}")
        try:
            status, body = self._caller.call("GET", f"{base}/subject-access-parts/{request_id}")
        except ServiceUnreachable as error:
            raise PartUnavailable(f"{service} could not be asked: {error}") from None
        if status != 200:
            log.warning("subject_access.part_refused", extra={"service": service,
                                                               "status": status})
            raise PartUnavailable(f"{service} answered {status}")
        return body

    def close(self) -> None:
        if self._caller is not None:
            self._caller.close()
