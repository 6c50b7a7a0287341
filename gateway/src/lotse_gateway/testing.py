"""Real processes on 127.0.0.1 for the gateway's tests and benchmark — NOT FOR PRODUCTION.

- :class:`JwksServer` (from :mod:`lotse_platform.testing`): an issuer's JWKS endpoint whose
  document a test can swap (key rotation);
- :class:`ServiceProcess`: a Lotse service's API under gunicorn (``lotse-<service> api``),
  killed and started again at will, with its request counter read from its ``/metrics``;
- :class:`GatewayProcess`: ``lotse-gateway run`` with a route table written for the test;
- :func:`call`: one HTTP request with :mod:`http.client` (no library between test and wire).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lotse_platform.testing import JwksServer, free_port, poll

__all__ = ["GatewayProcess", "JwksServer", "ServiceProcess", "call", "free_port"]

BIN = Path(sys.executable).parent


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float

    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def call(method: str, url: str, *, headers: Mapping[str, str] | None = None,
         body: bytes | None = None, timeout: float = 10.0,
         source_address: str | None = None) -> Response:
    """One request on a fresh connection; never raises for an HTTP status."""
    match = re.fullmatch(r"http://([^/:]+):(\d+)(/.*)?", url)
    if match is None:
        raise ValueError(f"not an http URL: {url}")
    host, port, target = match.group(1), int(match.group(2)), match.group(3) or "/"
    connection = http.client.HTTPConnection(
        host, port, timeout=timeout,
        source_address=(source_address, 0) if source_address else None)
    started = time.monotonic()
    try:
        connection.request(method, target, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        payload = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()},
                        payload, time.monotonic() - started)
    finally:
        connection.close()


def _stop_group(process: subprocess.Popen | None, sig: int = signal.SIGTERM,
                timeout: float = 20.0) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@dataclass
class ServiceProcess:
    """``lotse-<service> api`` (gunicorn) on a port of its own, with ``env`` for its settings."""

    service: str
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    workers: int = 2
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        metrics = self.log_path.parent / f"metrics-{self.service}-{self.port}"
        env = {**self.env, "LOTSE_BIND": f"127.0.0.1:{self.port}",
               "LOTSE_WORKERS": str(self.workers), "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([str(BIN / f"lotse-{self.service}"), "api"],
                                            env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        poll(self._healthy, timeout=timeout, message=f"{self.service} on port {self.port}")

    def _healthy(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"{self.service} exited; see {self.log_path}")
        try:
            return call("GET", f"{self.url}/healthz", timeout=2).status == 200
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL to gunicorn and its workers: the port closes at once."""
        _stop_group(self.process, signal.SIGKILL)

    def stop(self) -> None:
        _stop_group(self.process)

    def requests_answered(self, route: str) -> float:
        """How many requests the service answered on ``route`` (its own counter)."""
        text = call("GET", f"{self.url}/metrics").body.decode()
        total = 0.0
        for line in text.splitlines():
            if line.startswith("lotse_http_requests_total{") and f'route="{route}"' in line:
                total += float(line.rsplit(" ", 1)[1])
        return total


@dataclass
class GatewayProcess:
    """``lotse-gateway run`` with ``routes`` (YAML text) and ``env`` on free ports."""

    routes: str
    env: dict[str, str]
    state_dir: Path
    port: int = field(default_factory=free_port)
    metrics_port: int = field(default_factory=free_port)
    docs_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    @property
    def log_path(self) -> Path:
        return self.state_dir / "gateway.log"

    def start(self, timeout: float = 30.0) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        routes = self.state_dir / "routes.yaml"
        routes.write_text(self.routes)
        env = {**self.env,
               "LOTSE_GATEWAY_ROUTES": str(routes),
               "LOTSE_GATEWAY_STATE_DIR": str(self.state_dir),
               "LOTSE_GATEWAY_BIND": f"127.0.0.1:{self.port}",
               "LOTSE_GATEWAY_METRICS_BIND": f"127.0.0.1:{self.metrics_port}",
               "LOTSE_GATEWAY_DOCS_BIND": f"127.0.0.1:{self.docs_port}"}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([str(BIN / "lotse-gateway"), "run"], env=env,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        poll(self._ready, timeout=timeout, message=f"the gateway on port {self.port}")

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"the gateway exited; see {self.log_path}")
        try:
            return (call("GET", f"{self.url}/healthz", timeout=2).status == 200
                    and (self.state_dir / "status.json").is_file())
        except OSError:
            return False

    def status(self) -> dict:
        return json.loads((self.state_dir / "status.json").read_text())

    def kids(self, issuer: str | None = None) -> set[str]:
        """The key ids loaded now (of one issuer, or of all)."""
        issuers = self.status()["issuers"]
        return {key["kid"] for name, entry in issuers.items() if issuer in (None, name)
                for key in entry["keys"]}

    def access_log(self) -> list[dict]:
        """HAProxy's access log lines (JSON), in order."""
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith('{"ts":'):
                lines.append(json.loads(line))
        return lines

    def stop(self) -> None:
        _stop_group(self.process)
