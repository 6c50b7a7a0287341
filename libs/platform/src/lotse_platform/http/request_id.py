"""Request ids and W3C trace context for every request.

``X-Request-ID`` is taken from the caller (the gateway sets it) when it is a plain token,
otherwise a new one is made; ``traceparent`` likewise when it is valid W3C trace context. Both
are kept in :data:`flask.g`, in context variables (the log formatter and the outbox read them
there, outside Flask too) and echoed in the response headers.
"""

from __future__ import annotations

import re
import secrets
import uuid
from contextvars import ContextVar

from flask import Flask, Response, g, request

from ..logging import request_id_var, service_var

REQUEST_ID_HEADER = "X-Request-ID"
TRACEPARENT_HEADER = "traceparent"

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
# version 00: version-trace_id-parent_id-flags, lower-case hex only
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")

traceparent_var: ContextVar[str | None] = ContextVar("lotse_traceparent", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled, or ``None`` outside a request."""
    return request_id_var.get()


def current_traceparent() -> str | None:
    """The ``traceparent`` of the request being handled, or ``None`` outside a request."""
    return traceparent_var.get()


def is_valid_request_id(value: str | None) -> bool:
    return bool(value) and _REQUEST_ID.fullmatch(value) is not None


def is_valid_traceparent(value: str | None) -> bool:
    match = _TRACEPARENT.fullmatch(value or "")
    if match is None:
        return False
    version, trace_id, parent_id, _flags = match.groups()
    return version != "ff" and trace_id != "0" * 32 and parent_id != "0" * 16


def new_request_id() -> str:
    return uuid.uuid4().hex


def new_traceparent() -> str:
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"


def install_request_context(app: Flask, service: str) -> None:
    """Register the hooks; must come before every other ``before_request`` hook."""

    @app.before_request
    def bind_request_context() -> None:
        given_id = request.headers.get(REQUEST_ID_HEADER)
        given_trace = request.headers.get(TRACEPARENT_HEADER)
        g.request_id = given_id if is_valid_request_id(given_id) else new_request_id()
        g.traceparent = given_trace if is_valid_traceparent(given_trace) else new_traceparent()
        g._lotse_context_tokens = [
            (request_id_var, request_id_var.set(g.request_id)),
            (traceparent_var, traceparent_var.set(g.traceparent)),
            (service_var, service_var.set(service)),
        ]

    @app.after_request
    def echo_request_context(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
            response.headers[TRACEPARENT_HEADER] = g.traceparent
        return response

    @app.teardown_request
    def unbind_request_context(_error: BaseException | None) -> None:
        # a sync worker serves the next request in the same thread: nothing may leak into it
        for var, token in reversed(g.pop("_lotse_context_tokens", [])):
            try:
                var.reset(token)
            except ValueError:  # torn down in another context than it was bound in
                var.set(None)
