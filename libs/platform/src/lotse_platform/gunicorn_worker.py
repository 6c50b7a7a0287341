"""The gunicorn worker of every service API: gthread's kept-alive connections, with the sync
worker's two guarantees kept (issue 16, ADR 0111).

gunicorn's sync worker answers every request with ``Connection: close``: the gateway (HAProxy)
opens a new TCP connection to the upstream for every request it forwards. gthread keeps a
connection open for the next request, so HAProxy's ``http-reuse`` reuses it. With one thread it
serves one request at a time, as the sync worker did, but two things differ, which this class
takes back:

1. **It listens only while a thread is free.** gthread accepts a new connection while its thread
   is busy and queues it behind the request in hand, even while another worker is idle. This
   worker stops listening while all its threads serve a request, so a new connection goes to an
   idle worker, as with sync workers. (A request on a connection it keeps alive is still its
   own.)
2. **A request that runs past ``timeout`` gets the worker restarted.** gthread's heartbeat comes
   from its main loop, which goes on while a request hangs in the thread. This worker stops its
   heartbeat once a request has run longer than ``timeout``: the master aborts it then, as it
   aborts a sync worker that hangs.

It lives outside :mod:`lotse_platform.http` on purpose: gunicorn's master imports the worker
class, and that package would import Flask and the platform into a process that only
supervises.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from gunicorn.workers import gthread


class ThreadWorker(gthread.ThreadWorker):  # type: ignore[misc]  # gunicorn has no types
    """gthread, listening only while a thread is free, restarted when a request hangs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: requests submitted to the thread pool and not finished (main thread only)
        self.in_flight = 0
        #: when each busy thread took its request (monotonic), by thread id
        self.started: dict[int, float] = {}

    # -- listening only while a thread is free -------------------------------------------------

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled and self.in_flight < self.cfg.threads)

    def accept(self, listener: Any) -> None:
        # the listener may be readable in the same round of the poller as a kept-alive
        # connection that just took the last free thread: the new connection is left to an
        # idle worker, or to this one once its thread is free
        if self.in_flight < self.cfg.threads:
            super().accept(listener)

    def enqueue_req(self, conn: Any) -> None:
        self.in_flight += 1
        if self.in_flight >= self.cfg.threads:
            self.set_accept_enabled(False)
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        # the main loop listens again on its next turn (right after this callback) if it may
        self.in_flight -= 1
        super().finish_request(conn, fs)

    # -- a hanging request stops the heartbeat -------------------------------------------------

    def handle(self, conn: Any) -> Any:
        thread = threading.get_ident()
        self.started[thread] = time.monotonic()
        try:
            return super().handle(conn)
        finally:
            self.started.pop(thread, None)

    def overdue(self) -> bool:
        """Whether a request has run longer than ``timeout``."""
        limit = time.monotonic() - self.cfg.timeout
        return any(started < limit for started in list(self.started.values()))

    def notify(self) -> None:
        if not self.overdue():
            super().notify()
