"""A WSGI app that tells which worker answered, for the tests of the API's gunicorn worker.

    PROBE_DIR=/tmp/x gunicorn -c <lotse_platform/http/gunicorn_conf.py> 'gunicorn_probe_app:app'

``GET /pid`` answers the worker's process id. ``GET /hold`` writes ``<PROBE_DIR>/held-<pid>``
when it starts and answers only once ``<PROBE_DIR>/release`` exists (at most ``HOLD_LIMIT``
seconds): a request the test keeps busy for as long as it needs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

HOLD_LIMIT = 20.0


def app(environ, start_response):
    probe = Path(os.environ["PROBE_DIR"])
    pid = str(os.getpid())
    if environ["PATH_INFO"] == "/hold":
        (probe / f"held-{pid}").write_text(pid)
        deadline = time.monotonic() + HOLD_LIMIT
        while not (probe / "release").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    body = pid.encode()
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
