"""The HTTP side of every service: app factory, problem documents, request ids, probes, metrics.

Importing this package creates no app, engine or connection; :func:`create_service_app` does
when a service's ``create_app`` calls it.
"""

from .app import LotseApi, accepts, body_limit, create_service_app
from .blueprint import Blueprint
from .health import CheckFailed, broker_check, database_check
from .problems import PROBLEM_MEDIA_TYPE, ProblemSchema, problem_response
from .request_id import REQUEST_ID_HEADER, current_request_id, current_traceparent

__all__ = [
    "Blueprint",
    "PROBLEM_MEDIA_TYPE",
    "REQUEST_ID_HEADER",
    "CheckFailed",
    "LotseApi",
    "ProblemSchema",
    "accepts",
    "body_limit",
    "broker_check",
    "create_service_app",
    "current_request_id",
    "current_traceparent",
    "database_check",
    "problem_response",
]
