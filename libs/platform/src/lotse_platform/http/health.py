"""Liveness (``/healthz``) and readiness (``/readyz``) probes.

``/healthz`` answers while the process lives: restarting it would not fix a missing database.
``/readyz`` runs the service's readiness checks, callables that raise when their dependency is
not usable, side by side and within :data:`READINESS_TIMEOUT` seconds, and answers 503 with a
problem document naming each check that failed, so that traffic goes elsewhere until it recovers.
Neither is part of the OpenAPI description nor needs a token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

import sqlalchemy as sa
from flask import Blueprint, Response, jsonify

from .problems import DEPENDENCY_ERRORS, problem_response
from .views import View

log = logging.getLogger("lotse.health")

ReadinessCheck = Callable[[], None]

READINESS_TIMEOUT = 3.0
BROKER_CHECK_TIMEOUT = 2.0
_NO_STORE = {"Cache-Control": "no-store"}


class CheckFailed(Exception):
    """Raised by a readiness check to say, in a few words, what is wrong (no personal data)."""


def database_check(engine: sa.Engine) -> ReadinessCheck:
    """Ready when ``SELECT 1`` succeeds on a connection from ``engine``'s pool."""

    def check() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    return check


def broker_check(broker_url: str, timeout: float = BROKER_CHECK_TIMEOUT) -> ReadinessCheck:
    """Ready when a connection to the broker can be opened (one attempt, ~``timeout`` s)."""

    def check() -> None:
        from kombu.connection import Connection

        with Connection(broker_url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                         timeout=timeout)

    return check


def run_checks(checks: Mapping[str, ReadinessCheck],
               timeout: float = READINESS_TIMEOUT) -> dict[str, str]:
    """``{name: "ok" | what went wrong}``; a check still running after ``timeout`` failed."""
    results: dict[str, str] = {}
    lock = threading.Lock()

    def run(name: str, check: ReadinessCheck) -> None:
        try:
            check()
            outcome = "ok"
        except CheckFailed as error:
            outcome = str(error) or "failed"
        except DEPENDENCY_ERRORS:
            outcome = "unreachable"
        except Exception:
            outcome = "failed"
        with lock:
            results[name] = outcome

    # daemon threads: a check stuck in a dead TCP connection must not hold up the answer or exit
    threads = [threading.Thread(target=run, args=item, name=f"readiness-{item[0]}", daemon=True)
               for item in checks.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with lock:
        return {name: results.get(name, "timed out") for name in checks}


def _public(view: View) -> View:
    # the marker lotse_platform.auth reads: probes come from the orchestrator, without a token
    setattr(view, "lotse_public", True)
    return view


def health_blueprint(readiness: Mapping[str, ReadinessCheck] | None = None,
                     timeout: float = READINESS_TIMEOUT) -> Blueprint:
    checks = dict(readiness or {})
    blueprint = Blueprint("lotse_health", __name__)

    @blueprint.get("/healthz")
    @_public
    def healthz() -> Response:
        response = jsonify(status="ok")
        response.headers.update(_NO_STORE)
        return response

    @blueprint.get("/readyz")
    @_public
    def readyz() -> Response:
        results = run_checks(checks, timeout)
        failed = {name: outcome for name, outcome in results.items() if outcome != "ok"}
        if not failed:
            response = jsonify(status="ready", checks=results)
            response.headers.update(_NO_STORE)
            return response
        log.warning("readiness.not_ready", extra={"failed_checks": sorted(failed)})
        return problem_response(
            503,
            detail="Not ready: " + ", ".join(sorted(failed)),
            errors=[{"field": name, "message": outcome} for name, outcome in failed.items()],
            headers={"Retry-After": "5", **_NO_STORE},
            extensions={"checks": results},
        )

    return blueprint
