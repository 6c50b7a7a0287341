"""The worker process of a service: outbox relay, event consumers and the audit trail's loops
(sealer, checkpoint writer, notes' retention) — in the coordinating service also the daily
retention sweep (ADR 0109) —, each in a thread.

SIGTERM or SIGINT stops it cleanly: loops finish the message in hand (an unacked message is
redelivered anyway), connections close, the process exits 0. Worker metrics are served on
``LOTSE_WORKER_METRICS_PORT`` when set.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable

from .collector import freeze_loaded

log = logging.getLogger("lotse.worker")

Loop = Callable[[threading.Event], None]


def run_loops(loops: dict[str, Loop], stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    port = os.environ.get("LOTSE_WORKER_METRICS_PORT")
    if port:
        from prometheus_client import start_http_server

        start_http_server(int(port), addr=os.environ.get("LOTSE_WORKER_METRICS_ADDR", "127.0.0.1"))
    freeze_loaded()  # the service is loaded: its lifetime's objects leave the collector's sight
    threads = [
        threading.Thread(target=_guard(name, loop, stop), name=name, daemon=True)
        for name, loop in loops.items()
    ]
    for thread in threads:
        thread.start()
    log.info("worker.start", extra={"loops": sorted(loops)})
    stop.wait()
    for thread in threads:
        thread.join(timeout=15)
    log.info("worker.stop")


def _guard(name: str, loop: Loop, stop: threading.Event) -> Callable[[], None]:
    def target() -> None:
        try:
            loop(stop)
        except Exception:  # a loop that dies takes the worker down: the supervisor restarts it
            log.exception("worker.loop_crashed", extra={"loop": name})
            stop.set()

    return target
