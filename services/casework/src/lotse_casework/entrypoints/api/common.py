"""What every casework view shares: the roles, and what the container provides the handlers for
the reads that need it. The stated purpose of a supervision read is the platform's
(:class:`lotse_platform.audit.api.PurposeArgsSchema`). Refusals are the platform's problem
classes (domain/errors.py) and need no handler here."""

from __future__ import annotations

from typing import Any

from lotse_platform.auth import CASE_MANAGER, COORDINATOR
from lotse_platform.http import PROBLEM_MEDIA_TYPE, ProblemSchema
from lotse_platform.service import current_service


READERS = (CASE_MANAGER, COORDINATOR)
WRITERS = (CASE_MANAGER,)

#: the documented 503 of a view that shares a case (ADR 0053): ``@blp.alt_response(503,
#: **CONSENT_UNCONFIRMED)``
CONSENT_UNCONFIRMED: dict[str, Any] = {
    "schema": ProblemSchema, "content_type": PROBLEM_MEDIA_TYPE,
    "description": "intake, which keeps the person's consents, cannot confirm the consents this "
                   "sharing rests on now (down, too slow, an error): nothing was shared "
                   "(ADR 0053)",
    "headers": {"Retry-After": {"description": "seconds to wait before trying again",
                                "schema": {"type": "integer"}}},
}


def provided(name: str) -> Any:
    """What this service's container provides its handlers under ``name`` (``units``,
    ``peers``, ``settings``, ``consent_owner``: ``Casework.dependencies()``), for a read that needs more than the
    request's unit of work; writes go through :func:`lotse_platform.service.handle`."""
    return current_service().dependencies()[name]()
