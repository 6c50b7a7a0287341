"""A WSGI app that tells which worker answered, for the tests of the API's gunicorn worker.

    PROBE_DIR=/tmp/x gunicorn -c <lotse_platform/http/gunicorn_conf.py> 'gunicorn_probe_app:app'

``GET /pid`` answers the worker's process id. ``GET /hold`` writes ``<PROBE_DIR>/held-<pid>``
once it waits, and answers when the test releases it (:func:`release`: a write to the FIFO
``<PROBE_DIR>/release``), at the latest after ``HOLD_LIMIT`` seconds: a request the test keeps
busy for as long as it needs, waited on with ``select`` — no polling.
"""

from __future__ import annotations

import errno
import os
import select
from pathlib import Path

HOLD_LIMIT = 20.0
RELEASE = "release"


def make_release(probe: Path) -> None:
    """The FIFO a held request waits on (made by the test before gunicorn starts)."""
    os.mkfifo(probe / RELEASE)


def release(probe: Path) -> None:
    """Let every held request answer; nothing to do when none waits."""
    try:
        fd = os.open(probe / RELEASE, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:  # no reader: no request held
            return
        raise
    try:
        os.write(fd, b"go")
    finally:
        os.close(fd)


def app(environ, start_response):
    probe = Path(os.environ["PROBE_DIR"])
    pid = str(os.getpid())
    if environ["PATH_INFO"] == "/hold":
        # the reader's end first, so that a release right after the marker reaches it
        fd = os.open(probe / RELEASE, os.O_RDONLY | os.O_NONBLOCK)
        try:
            (probe / f"held-{pid}").write_text(pid)
            select.select([fd], [], [], HOLD_LIMIT)
        finally:
            os.close(fd)
    body = pid.encode()
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
