"""The Flask application every service starts from.

    def create_app(settings=None):
        settings = settings or load_settings(ExampleSettings)
        engine = create_engine(settings.database_url)
        app, api = create_service_app("example", settings,
                                      readiness={"database": database_check(engine)})
        api.register_blueprint(notes_blueprint)
        return app

It brings problem documents for every error, request ids, a span per request (W3C trace context
in and out, :mod:`.trace_context`), the checks of a request's body and text before any view
(:func:`check_request_body`, :func:`check_request_text`; ADR 0060), one access log line per
request, request metrics,
``/healthz``, ``/readyz``, ``/metrics`` and the OpenAPI 3 description at ``/openapi.json``
(flask-smorest, from the marshmallow schemas).
"""

from __future__ import annotations

import http
import io
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any

from flask import Flask, Request, Response, current_app, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response as WsgiResponse

from ..logging import configure_logging, logging_configured
from ..tracing import configure_tracing
from .access import install_access_instrumentation
from .health import health_blueprint
from .json_body import refuse_malformed_json
from .metrics_view import metrics_blueprint
from .problems import (
    PROBLEM_MEDIA_TYPE,
    ProblemSchema,
    handle_http_exception,
    problem_response,
    register_problem_handlers,
)
from .request_id import install_request_context
from .text import refused_character
from .trace_context import install_trace_context
from .views import View, current_view_attribute

if TYPE_CHECKING:
    from ..settings import ServiceSettings

OPENAPI_VERSION = "3.0.3"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_ACCEPT_HEADER = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}


class LotseRequest(Request):
    """Flask's request, with the file parts of a multipart body kept in memory: werkzeug spools
    a part over 500 KB to a temporary file, and a scan of a signed consent must not lie on a
    disk unencrypted, not even for the length of a request (ADR 0082). The body limit bounds
    the memory (``@body_limit``; every other view ``LOTSE_MAX_BODY_BYTES``)."""

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> IO[bytes]:
        return io.BytesIO()


class LotseApi(Api):
    """flask-smorest's Api, with errors answered and documented as problem documents."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException) -> WsgiResponse:
        return handle_http_exception(error)

    def _register_responses(self) -> None:
        # as flask-smorest does, with the media type error responses really have
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def accepts(*media_types: str) -> Callable[[View], View]:
    """Let a view take a body other than JSON (``@accepts("application/x-www-form-urlencoded")``).

    Without it, a POST/PUT/PATCH with a body that is not ``application/json`` (or
    ``application/*+json``) is refused with 415 before the view runs.
    """

    def mark(view: View) -> View:
        setattr(view, "lotse_accepts", frozenset(media_types))  # read by check_request_body
        return view

    return mark


def body_limit(limit: Callable[[], int]) -> Callable[[View], View]:
    """Let a view take a body larger than ``LOTSE_MAX_BODY_BYTES``: at most ``limit()`` bytes
    (an upload of a signed copy, whose own limit is a setting, plus the multipart framing)."""

    def mark(view: View) -> View:
        setattr(view, "lotse_body_limit", limit)  # read by check_request_body
        return view

    return mark


def _accepted_media_types() -> frozenset[str] | None:
    accepted: frozenset[str] | None = current_view_attribute("lotse_accepts")
    return accepted


def check_request_body() -> Response | None:
    """413 for a declared length over the limit, 415 for a body that is not what the view takes,
    400 for a JSON body that nests too deeply, is not UTF-8 or holds a lone surrogate
    (:mod:`.json_body`): all decided on the raw body, before a parser or the view sees it."""
    if request.routing_exception is not None or request.method not in _BODY_METHODS:
        return None
    length = request.content_length
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if not length and not chunked:
        return None
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    own_limit: Callable[[], int] | None = current_view_attribute("lotse_body_limit")
    if own_limit is not None:
        limit = own_limit()
        request.max_content_length = limit  # also for a chunked body, read by the parser
    if limit is not None and length is not None and length > limit:
        raise RequestEntityTooLarge(f"The request body may be at most {limit} bytes.")
    accepted = _accepted_media_types()
    if accepted is None:
        if request.is_json:
            return refuse_malformed_json(request.get_data(cache=True))
        accepted = frozenset({"application/json"})
    elif request.mimetype in accepted:
        return refuse_malformed_json(request.get_data(cache=True)) if request.is_json else None
    listed = ", ".join(sorted(accepted))
    headers = {_ACCEPT_HEADER[request.method]: listed} if request.method in _ACCEPT_HEADER else {}
    return problem_response(
        415, detail=f"Send the request body as {listed}.",
        errors=[{"field": "Content-Type", "message": f"must be {listed}"}], headers=headers,
    )


_FORM_MEDIA_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def check_request_text() -> Response | None:
    """422 for a path parameter, query parameter or form field holding a character that its
    text may not hold (:mod:`.text`), as a view may read them without a schema (a login form, a
    purpose in the query): a path or query parameter is one line; a form field may be several
    (a browser's textarea sends line breaks and tabs), every other control character is
    refused there too. What a form field must be — one line, a name — the service that takes
    the value checks by its schema."""
    if request.routing_exception is not None:
        return None
    given: list[tuple[str, str, bool]] = [
        (name, value, False) for name, value in (request.view_args or {}).items()
        if isinstance(value, str)]
    given.extend((name, value, False) for name, value in request.args.items(multi=True))
    if request.method in _BODY_METHODS and request.mimetype in _FORM_MEDIA_TYPES:
        given.extend((name, value, True) for name, value in request.form.items(multi=True))
    errors = [{"field": name, "message": problem} for name, value, multiline in given
              if (problem := refused_character(value, multiline=multiline)) is not None]
    if not errors:
        return None
    return problem_response(422, detail="The request did not pass validation; see errors.",
                            errors=errors)


def create_service_app(name: str, settings: ServiceSettings, *,
                       readiness: Mapping[str, Callable[[], None]] | None = None,
                       title: str | None = None, version: str = "v1") -> tuple[Flask, LotseApi]:
    """A Flask app for service ``name`` and the flask-smorest ``Api`` to register blueprints on.

    ``settings`` needs ``max_body_bytes``, ``log_level`` and ``log_format`` (a
    :class:`~lotse_platform.settings.ServiceSettings`). ``readiness`` maps check names to
    callables that raise when the dependency is unusable (:func:`database_check`,
    :func:`broker_check`). Logging and tracing are configured here unless the process has done
    it already.
    """
    if not logging_configured():
        configure_logging(name, level=settings.log_level, fmt=settings.log_format)
    configure_tracing(name, settings)

    app = Flask(f"lotse_{name}")
    app.request_class = LotseRequest
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE=title or f"Lotse {name}",
        API_VERSION=version,
        OPENAPI_VERSION=OPENAPI_VERSION,
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
    )
    # order matters: the request's span first (it takes the caller's trace context), then the
    # request id, before anything can fail or log
    install_trace_context(app)
    install_request_context(app, name)
    install_access_instrumentation(app, name)
    app.before_request(check_request_body)
    app.before_request(check_request_text)

    api = LotseApi(app)
    register_problem_handlers(app)
    app.register_blueprint(health_blueprint(readiness))
    app.register_blueprint(metrics_blueprint())

    app.extensions["lotse"] = {"service": name}
    return app, api

