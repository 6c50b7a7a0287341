"""Every error answer is an RFC 9457 problem document (``application/problem+json``).

    {"type": "urn:lotse:problem:validation", "title": "Unprocessable Content", "status": 422,
     "detail": "The request did not pass validation; see errors.", "instance": "/notes",
     "request_id": "5f0c…", "errors": [{"field": "person.name", "message": "Missing data"}]}

Sources: :class:`~lotse_platform.errors.ProblemError` raised by handlers and auth; werkzeug's
HTTP exceptions (unknown route, method not allowed, body too large, …); webargs validation
errors from flask-smorest schemas; the checks of a request's raw body and text before the view
runs (:mod:`.json_body`, :mod:`.text`: too deep, not UTF-8, a lone surrogate, a control
character); an unreachable database or broker (503 with ``Retry-After``,
never 500); anything else is a 500 that says nothing about its cause. Logs name exception types
only: exception messages may quote personal data.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

import amqp.exceptions
import kombu.exceptions
import marshmallow as ma
import sqlalchemy.exc
from flask import Flask, Response, current_app, has_request_context, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WsgiResponse

from ..errors import ProblemError
from .request_id import current_request_id

log = logging.getLogger("lotse.http")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:lotse:problem:"
DEPENDENCY_RETRY_AFTER_SECONDS = 5

# the same suffixes as the ProblemError classes use
_TYPE_SUFFIX = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 409: "conflict", 413: "content-too-large",
    415: "unsupported-media-type", 422: "validation", 429: "rate-limited", 500: "internal",
    503: "unavailable",
}
# RFC 9110 names where Python's http module still has the older ones
_TITLE = {413: "Content Too Large", 422: "Unprocessable Content"}

DATABASE_ERRORS: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError, sqlalchemy.exc.TimeoutError,
)
BROKER_ERRORS: tuple[type[Exception], ...] = (
    kombu.exceptions.OperationalError, amqp.exceptions.ConnectionError,
)
# a refused or timed-out socket is a dependency that is not there, not a bug
DEPENDENCY_ERRORS = DATABASE_ERRORS + BROKER_ERRORS + (ConnectionError, TimeoutError)

# where webargs found the data; an error about the location as a whole is named like this
_LOCATION_FIELD = {
    "json": "body", "form": "body", "json_or_form": "body", "query": "query",
    "querystring": "query", "headers": "headers", "cookies": "cookies", "files": "files",
    "view_args": "path", "path": "path",
}
_INVALID_JSON = {"json": ["Invalid JSON body."]}


class FieldErrorSchema(ma.Schema):
    field = ma.fields.String(metadata={"description": "Dotted path of the offending field"})
    message = ma.fields.String()


class ProblemSchema(ma.Schema):
    """RFC 9457 problem document, as documented in the OpenAPI description."""

    class Meta:
        unknown = ma.INCLUDE  # RFC 9457 allows extension members (``checks`` of /readyz)

    type = ma.fields.String(metadata={"description": "URI identifying the problem type"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    instance = ma.fields.String(metadata={"description": "Path of the request"})
    request_id = ma.fields.String(metadata={"description": "Quote it when reporting an error"})
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema))


def problem_response(status: int, *, detail: str | None = None, title: str | None = None,
                     type_suffix: str | None = None,
                     errors: list[dict[str, str]] | None = None,
                     headers: dict[str, str] | None = None,
                     extensions: dict[str, Any] | None = None) -> Response:
    """A problem document response; usable from views too (``return problem_response(409, …)``)."""
    title = title or _TITLE.get(status) or _phrase(status)
    suffix = type_suffix or _TYPE_SUFFIX.get(status)
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_PREFIX}{suffix}" if suffix else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path if has_request_context() else None,
        "request_id": current_request_id(),
    }
    if errors:
        body["errors"] = errors
    if extensions:
        body.update({key: value for key, value in extensions.items() if key not in body})
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def flatten_validation_messages(messages: object) -> list[dict[str, str]]:
    """webargs/marshmallow messages → ``[{"field": "person.name", "message": "Missing data"}]``.

    ``messages`` is keyed by location first (``{"json": {"person": {"name": [...]}}}``); the
    location is not part of the field path. Schema-level errors (``_schema``) and errors about
    the location as a whole are named after the location (``body``, ``query``).
    """
    errors: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for location, tree in messages.items():
            _collect(tree, [], _LOCATION_FIELD.get(str(location), str(location)), errors)
    else:
        _collect(messages, [], "body", errors)
    return errors


def _collect(node: object, path: list[str], root: str, out: list[dict[str, str]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _collect(value, path if key == "_schema" else [*path, str(key)], root, out)
    elif isinstance(node, list | tuple):
        for item in node:
            _collect(item, path, root, out)
    else:
        out.append({"field": ".".join(path) or root, "message": str(node)})


def _handle_problem_error(error: ProblemError) -> Response:
    if error.status >= 500:
        log.warning("http.problem", extra={"status": error.status, "route": _route(),
                                           "error_type": type(error).__qualname__,
                                           "reason": error.reason})
    return problem_response(error.status, detail=error.detail, title=error.title,
                            type_suffix=error.type_suffix, errors=error.errors,
                            headers=error.headers, extensions=error.extensions)


def handle_http_exception(error: HTTPException) -> WsgiResponse:
    """werkzeug's exceptions, including flask-smorest/webargs ``abort`` with ``data``."""
    if isinstance(error.response, WsgiResponse):  # abort(response): the view chose the answer
        return error.response
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {name: value for name, value in error.get_headers()
               if name.lower() != "content-type"}
    headers.update(data.get("headers") or {})

    errors = data.get("errors")
    messages = data.get("messages")
    detail = data.get("message")
    if isinstance(errors, list):
        pass  # already [{field, message}]
    elif errors is not None or messages is not None:
        tree = errors if errors is not None else messages
        errors = flatten_validation_messages(tree)
        if detail is None:
            detail = ("The request body is not valid JSON." if tree == _INVALID_JSON
                      else "The request did not pass validation; see errors.")
    if detail is None:
        detail = error.description if status < 500 else None
    return problem_response(status, detail=detail, errors=errors, headers=headers)


def _route() -> str:
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _handle_dependency_error(error: Exception) -> Response:
    is_database = isinstance(error, DATABASE_ERRORS)
    details = {"error_type": type(error).__qualname__, "route": _route()}
    original = getattr(error, "orig", None)  # the DB-API error behind SQLAlchemy's
    if original is not None:
        details["db_error_type"] = type(original).__qualname__
        if getattr(original, "sqlstate", None):
            details["sqlstate"] = original.sqlstate
    log.warning("http.dependency_unavailable", extra=details)
    dependency = "database" if is_database else "message broker"
    return problem_response(
        503, detail=f"The {dependency} is temporarily unavailable; try again shortly.",
        headers={"Retry-After": str(DEPENDENCY_RETRY_AFTER_SECONDS)},
    )


def _handle_statement_error(error: sqlalchemy.exc.StatementError) -> WsgiResponse:
    """A refusal raised while a statement's parameters were prepared (an encrypted column
    written without a key store, ADR 0104) answers as itself."""
    if isinstance(error.orig, ProblemError):
        return _handle_problem_error(error.orig)
    return _handle_unexpected(error)


def _handle_unexpected(error: Exception) -> WsgiResponse:
    if isinstance(error, HTTPException):  # pragma: no cover - Flask routes these to the above
        return handle_http_exception(error)
    # exc_info is formatted without exception messages (lotse_platform.logging)
    log.error("http.unhandled_exception", exc_info=error,
              extra={"error_type": type(error).__qualname__, "route": _route()})
    return problem_response(
        500, detail="An unexpected error occurred. Quote the request id when reporting it."
    )


def register_problem_handlers(app: Flask) -> None:
    """Problem documents for everything that can go wrong in ``app``."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ProblemError, _handle_problem_error)
    app.register_error_handler(sqlalchemy.exc.StatementError, _handle_statement_error)
    for error_class in DEPENDENCY_ERRORS:
        app.register_error_handler(error_class, _handle_dependency_error)
    app.register_error_handler(Exception, _handle_unexpected)
