"""The HTTP side of every service: app factory, problem documents, request ids, probes, metrics.

Importing this package creates no app, engine or connection; :func:`create_service_app` does
when a service's ``create_app`` calls it. Nor does it import Flask: each name is imported from
its module when first asked for, so that a worker using a plain helper of the HTTP side (e.g.
:mod:`.text`'s checks of free text) does not load Flask and its extensions (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:  # the names as the type checker sees them; at run time from __getattr__
    from .app import LotseApi, accepts, body_limit, create_service_app
    from .blueprint import Blueprint
    from .health import CheckFailed, broker_check, database_check
    from .problems import PROBLEM_MEDIA_TYPE, ProblemSchema, problem_response
    from .request_id import REQUEST_ID_HEADER, current_request_id, current_traceparent

#: each name imported from its module when first asked for (lazy_loader)
__getattr__, __dir__, _ = lazy_loader.attach(__name__, submod_attrs={
    "app": ["LotseApi", "accepts", "body_limit", "create_service_app"],
    "blueprint": ["Blueprint"],
    "health": ["CheckFailed", "broker_check", "database_check"],
    "problems": ["PROBLEM_MEDIA_TYPE", "ProblemSchema", "problem_response"],
    "request_id": ["REQUEST_ID_HEADER", "current_request_id", "current_traceparent"],
})

__all__ = ["Blueprint", "CheckFailed", "LotseApi", "PROBLEM_MEDIA_TYPE", "ProblemSchema",
           "REQUEST_ID_HEADER", "accepts", "body_limit", "broker_check", "create_service_app",
           "current_request_id", "current_traceparent", "database_check", "problem_response"]
