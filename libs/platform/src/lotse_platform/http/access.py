"""One access log line and the request metrics per request, labelled by route template.

The route is the URL rule (``/notes/<uuid:note_id>``), never the path or query string, which may
carry names; a request that matched no rule is ``unmatched``. Tenants, users and ids are never
labels or log fields here.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

from .. import metrics

access_log = logging.getLogger("lotse.access")

_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_label() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def _method_label() -> str:
    # any token is a valid method on the wire; unknown ones must not grow the label set
    return request.method if request.method in _KNOWN_METHODS else "OTHER"


def install_access_instrumentation(app: Flask, service: str) -> None:
    in_flight = metrics.http_in_flight.labels(service)

    @app.before_request
    def start_request_clock() -> None:
        g._lotse_started = time.perf_counter()
        in_flight.inc()
        g._lotse_in_flight = True

    @app.after_request
    def record_request(response: Response) -> Response:
        started = g.pop("_lotse_started", None)
        if started is None:  # already recorded (after_request ran again after an error)
            return response
        elapsed = time.perf_counter() - started
        route, method, status = route_label(), _method_label(), response.status_code
        metrics.http_requests.labels(service, route, method, str(status)).inc()
        metrics.http_latency.labels(service, route, method).observe(elapsed)
        access_log.info("http.request", extra={
            "method": method, "route": route, "status": status,
            "duration_ms": round(elapsed * 1000, 2),
        })
        return response

    @app.teardown_request
    def leave_request(_error: BaseException | None) -> None:
        if g.pop("_lotse_in_flight", False):
            in_flight.dec()
