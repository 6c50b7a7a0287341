"""``/metrics`` in the Prometheus text format.

Under gunicorn every worker writes its values to ``PROMETHEUS_MULTIPROC_DIR`` and a scrape, served
by whichever worker, adds them up through a fresh registry with the multiprocess collector. Without
that variable (embedded mode, tests) the process's default registry is served.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_mode() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def metrics_blueprint() -> Blueprint:
    blueprint = Blueprint("lotse_metrics", __name__)

    @blueprint.get("/metrics")
    def metrics() -> Response:
        if multiprocess_mode():
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST,
                                                            "Cache-Control": "no-store"})

    # scraped without a token (lotse_platform.auth reads the marker)
    setattr(metrics, "lotse_public", True)
    return blueprint
