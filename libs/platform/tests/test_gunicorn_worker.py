"""The API's gunicorn workers (gunicorn's gthread, ``LOTSE_THREADS``) under a real gunicorn with
the platform's settings: connections kept alive for the gateway, and a slow request takes a
thread, not the worker — new requests are answered meanwhile."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from gunicorn_probe_app import make_release, release
from lotse_platform.http import gunicorn_conf
from lotse_platform.testing import free_port, poll

pytestmark = pytest.mark.slow

TESTS_DIR = Path(__file__).resolve().parent


@dataclass
class Server:
    port: int
    probe: Path
    log: Path

    def connection(self, timeout: float = 5.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def held_by(self) -> int:
        """The pid of the worker that took ``/hold`` (waits until one has)."""
        held = poll(lambda: list(self.probe.glob("held-*")), timeout=10,
                    message="a worker to take /hold")
        return int(held[0].read_text())


@contextmanager
def gunicorn(tmp_path: Path, workers: int, **settings: str) -> Iterator[Server]:
    """gunicorn with the platform's settings file (as ``lotse-<service> api`` starts it)."""
    port = free_port()
    probe = tmp_path / "probe"
    probe.mkdir()
    make_release(probe)
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
           "LOTSE_BIND": f"127.0.0.1:{port}", "LOTSE_WORKERS": str(workers),
           "PROBE_DIR": str(probe), **settings,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS_DIR),
                                                       os.environ.get("PYTHONPATH")]))}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", gunicorn_conf.__file__,
             "gunicorn_probe_app:app"],
            cwd=TESTS_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = Server(port, probe, log)
    try:
        def booted() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited {process.returncode}:\n{log.read_text()}")
            return log.read_text().count("Booting worker") >= workers

        poll(booted, timeout=30, message="gunicorn's workers to boot")
        poll(lambda: _answers(server), timeout=30, message="gunicorn to answer")
        yield server
    finally:
        release(probe)
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(server: Server) -> bool:
    try:
        get(server.connection(timeout=2), "/pid")
        return True
    except OSError:
        return False


def get(connection: http.client.HTTPConnection, path: str) -> int:
    """One GET on ``connection``; the answering worker's pid."""
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200
    return int(body)


def hold(server: Server) -> tuple[threading.Thread, list]:
    """``GET /hold`` on a connection of its own, in a thread; its outcome lands in the list:
    the status and body of the answer, or the error of a connection closed without one."""
    outcome: list = []

    def run() -> None:
        connection = server.connection(timeout=30)
        try:
            connection.request("GET", "/hold")
            response = connection.getresponse()
            outcome.append((response.status, response.read()))
        except (OSError, http.client.HTTPException) as error:
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_a_worker_keeps_the_connection_open_for_the_next_request(tmp_path):
    """The gateway sends its next request over the same upstream connection (http-reuse)."""
    with gunicorn(tmp_path, workers=1) as server:
        connection = server.connection()
        try:
            ends = set()
            for _ in range(5):
                connection.request("GET", "/pid")
                response = connection.getresponse()
                response.read()
                assert response.status == 200
                assert response.getheader("Connection", "").lower() != "close"
                assert not response.will_close
                ends.add(connection.sock.getsockname())
            assert len(ends) == 1  # one TCP connection for all five
        finally:
            connection.close()


def test_a_slow_request_takes_a_thread_and_new_requests_are_answered_meanwhile(tmp_path):
    """One worker: while one request is held, requests on new connections and on a kept one are
    answered by the same worker's other thread, and the held one is answered once released."""
    with gunicorn(tmp_path, workers=1) as server:
        thread, outcome = hold(server)
        busy = server.held_by()
        kept = server.connection(timeout=3)
        try:
            for _ in range(4):
                connection = server.connection(timeout=3)
                try:
                    assert get(connection, "/pid") == busy
                finally:
                    connection.close()
                assert get(kept, "/pid") == busy
        finally:
            kept.close()
        assert not outcome, "the held request was answered before its release"
        release(server.probe)
        thread.join(timeout=10)
        assert outcome == [(200, str(busy).encode())]


def test_the_settings_name_gunicorns_own_threaded_worker(tmp_path):
    """No worker class of our own: gunicorn's gthread, its threads from LOTSE_THREADS."""
    with gunicorn(tmp_path, workers=1, LOTSE_THREADS="3") as server:
        assert get(server.connection(), "/pid") > 0
        log = server.log.read_text()
    assert "Using worker: gthread" in log, log
