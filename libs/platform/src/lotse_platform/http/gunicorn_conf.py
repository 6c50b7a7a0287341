"""gunicorn settings for every service API.

    PROMETHEUS_MULTIPROC_DIR=/run/lotse/metrics-example \
    gunicorn -c python:lotse_platform.http.gunicorn_conf 'lotse_example:create_app()'

``LOTSE_BIND`` (default ``127.0.0.1:8000``), ``LOTSE_WORKERS`` (2), ``LOTSE_WORKER_TIMEOUT`` (30 s),
``LOTSE_GRACEFUL_TIMEOUT`` (25 s, below Kubernetes' 30 s grace period). ``PROMETHEUS_MULTIPROC_DIR``
is required: the workers' metrics meet there. gunicorn's own access log is off; the app writes one
line per request with the route template instead of the raw path.

The workers are gunicorn's own ``gthread`` workers with ``LOTSE_THREADS`` threads (2): they keep
connections alive, so the gateway's HAProxy reuses its connections to the API instead of opening
one per request (issue 16, ADR 0111), and a slow request takes one thread, not the worker. An idle connection is closed after ``KEEPALIVE_SECONDS``: longer than the platform's
outgoing clients keep one (4 s, :data:`lotse_platform.outgoing.KEEPALIVE_EXPIRY`) and than HAProxy
normally does (every 5 s, its ``pool-purge-delay``, it closes idle connections to a server down to
what the traffic needs), so it is mostly the client that closes an idle connection and a request
rarely meets one a worker is just closing (HAProxy tries an idempotent one again).
``LOTSE_WORKER_TIMEOUT`` restarts a worker whose process stops answering gunicorn's master
(with gthread a heartbeat of the process, not a limit on one request's time).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise RuntimeError(f"{name} must be a positive integer, not {raw!r}")
    return value


bind = [os.environ.get("LOTSE_BIND", "127.0.0.1:8000")]
workers = _positive_int("LOTSE_WORKERS", 2)
timeout = _positive_int("LOTSE_WORKER_TIMEOUT", 30)
graceful_timeout = _positive_int("LOTSE_GRACEFUL_TIMEOUT", 25)
worker_class = "gthread"
threads = _positive_int("LOTSE_THREADS", 2)
#: seconds an idle connection stays open (see the module's docstring)
KEEPALIVE_SECONDS = 65
keepalive = KEEPALIVE_SECONDS
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOTSE_LOG_LEVEL", "INFO").lower()
# gunicorn >= 25 opens a control socket at one fixed path per user by default: several services on
# one machine would fight over it, and a read-only container cannot create it. Nothing uses it.
control_socket_disable = True
# the heartbeat file of each worker: on tmpfs, a slow disk cannot make gunicorn kill workers
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def multiprocess_directory() -> Path:
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        raise RuntimeError(
            f"{MULTIPROC_ENV} must be set to a directory for the workers' metrics "
            "(it is emptied when gunicorn starts)"
        )
    return Path(path)


def wipe_multiprocess_directory(path: Path) -> None:
    """Remove what earlier runs left, so their counts are not added to this run's.

    Only prometheus_client's ``*.db`` files are removed: a mistaken setting must not empty some
    unrelated directory.
    """
    path.mkdir(parents=True, exist_ok=True)
    for entry in path.glob("*.db"):
        if entry.is_file():
            entry.unlink()


def on_starting(server: Any) -> None:  # gunicorn's Arbiter (gunicorn has no types)
    path = multiprocess_directory()
    wipe_multiprocess_directory(path)
    server.log.info("metrics directory %s emptied", path)


def post_worker_init(worker: Any) -> None:
    """The app is loaded: what it holds for its lifetime leaves the collector's sight
    (:func:`lotse_platform.collector.freeze_loaded`)."""
    from lotse_platform.collector import freeze_loaded

    freeze_loaded()


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
