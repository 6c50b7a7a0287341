"""What every casework view shares: the roles, the purpose of a supervision read, and what the
container provides the handlers for the reads that need it. Refusals are the platform's problem
classes (domain/errors.py) and need no handler here."""

from __future__ import annotations

from typing import Any

from flask import request

from lotse_platform.auth import CASE_MANAGER, COORDINATOR
from lotse_platform.http import PROBLEM_MEDIA_TYPE, ProblemSchema
from lotse_platform.http.text import check_text
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


def purpose() -> str | None:
    """The purpose of a supervision read (``?purpose=`` or ``X-Lotse-Purpose``); it goes into
    the audit trail, so it is held to the rule of single-line text (ADR 0060) like a field."""
    given = request.args.get("purpose") or request.headers.get("X-Lotse-Purpose")
    return check_text("purpose", given) if given else given


def provided(name: str) -> Any:
    """What this service's container provides its handlers under ``name`` (``units``,
    ``peers``, ``settings``, ``consent_owner``: ``Casework.dependencies()``), for a read that needs more than the
    request's unit of work; writes go through :func:`lotse_platform.service.handle`."""
    return current_service().dependencies()[name]()
