"""What every casework view shares: the roles, the purpose of a supervision read, domain refusals
as problem documents."""

from __future__ import annotations

import logging

from flask import Flask, request

from lotse_platform.auth import CASE_MANAGER, COORDINATOR
from lotse_platform.http.problems import problem_response

from ...adapters.federation_client import PeerUnavailable
from ...domain.errors import CaseworkError, IllegalTransition, Incomplete, NotVisible, Refused
from ...service_layer.access import PurposeRequired, SupervisionReadsOnly
from ...service_layer.transfer_to_peer import NotAPeer

log = logging.getLogger("lotse.casework.api")

READERS = (CASE_MANAGER, COORDINATOR)
WRITERS = (CASE_MANAGER,)


def purpose() -> str | None:
    """The purpose of a supervision read (``?purpose=`` or ``X-Lotse-Purpose``)."""
    return request.args.get("purpose") or request.headers.get("X-Lotse-Purpose")


def _problem(error: CaseworkError):
    if isinstance(error, NotVisible):
        return problem_response(404, detail=error.detail)
    if isinstance(error, SupervisionReadsOnly | PurposeRequired):
        return problem_response(403, detail=error.detail)
    if isinstance(error, Incomplete):
        return problem_response(422, detail=error.detail,
                                errors=[{"field": f, "message": m} for f, m in error.fields.items()])
    if isinstance(error, IllegalTransition):
        return problem_response(409, detail=error.detail, extensions=error.extensions)
    if isinstance(error, Refused):
        return problem_response(409, detail=error.detail, extensions=error.extensions)
    return problem_response(409, detail=error.detail)


def _peer_unavailable(error: PeerUnavailable):
    # the reason (a status, an exception's class name) goes to the log, not to the caller
    log.warning("federation.peer_unavailable", extra={"error": str(error)})
    return problem_response(503, detail="the other county's casework cannot be reached; "
                                        "try again later", headers={"Retry-After": "30"})


def _not_a_peer(error: NotAPeer):
    return problem_response(403, detail=str(error))


def install_problem_handlers(app: Flask) -> None:
    app.register_error_handler(CaseworkError, _problem)
    app.register_error_handler(PeerUnavailable, _peer_unavailable)
    app.register_error_handler(NotAPeer, _not_a_peer)
