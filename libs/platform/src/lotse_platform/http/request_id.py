"""Request ids for every request, and the request's trace context in its answer.

``X-Request-ID`` is taken from the caller (the gateway sets it) when it is a plain token,
otherwise a new one is made. It is kept in :data:`flask.g` and a context variable (the log
formatter reads it there, outside Flask too) and echoed in the response headers: it is the
handle support asks for.

The W3C ``traceparent`` is OpenTelemetry's (:mod:`lotse_platform.tracing`): its Flask
instrumentation takes the caller's, when valid, or starts a new trace, and runs the request in a
span; :func:`current_traceparent` is that span's, and the answer carries it back (the caller's
trace id, this request's span id).
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request

from ..logging import request_id_var, service_var
from ..tracing import TRACEPARENT, current_traceparent

REQUEST_ID_HEADER = "X-Request-ID"
TRACEPARENT_HEADER = TRACEPARENT

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")

__all__ = ["REQUEST_ID_HEADER", "TRACEPARENT_HEADER", "current_request_id",
           "current_traceparent", "install_request_context", "is_valid_request_id",
           "new_request_id"]


def current_request_id() -> str | None:
    """The id of the request being handled, or ``None`` outside a request."""
    return request_id_var.get()


def is_valid_request_id(value: str | None) -> bool:
    return value is not None and _REQUEST_ID.fullmatch(value) is not None


def new_request_id() -> str:
    return uuid.uuid4().hex


def install_request_context(app: Flask, service: str) -> None:
    """Register the hooks; must come before every other ``before_request`` hook but the trace
    instrumentation's."""

    @app.before_request
    def bind_request_context() -> None:
        given_id = request.headers.get(REQUEST_ID_HEADER)
        g.request_id = given_id if is_valid_request_id(given_id) else new_request_id()
        g._lotse_context_tokens = [
            (request_id_var, request_id_var.set(g.request_id)),
            (service_var, service_var.set(service)),
        ]

    @app.after_request
    def echo_request_context(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
            traceparent = current_traceparent()
            if traceparent is not None:
                response.headers[TRACEPARENT_HEADER] = traceparent
        return response

    @app.teardown_request
    def unbind_request_context(_error: BaseException | None) -> None:
        # a worker serves the next request in the same thread: nothing may leak into it
        for var, token in reversed(g.pop("_lotse_context_tokens", [])):
            try:
                var.reset(token)
            except ValueError:  # torn down in another context than it was bound in
                var.set(None)
