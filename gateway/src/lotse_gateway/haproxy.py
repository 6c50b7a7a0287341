"""Running HAProxy in master-worker mode, and talking to its master.

``haproxy -W -S <state>/master.sock -f <state>/haproxy.cfg``: the master parses the
configuration, forks a worker, and on ``reload`` (master CLI) parses it again and forks a new
worker, which takes the listening sockets over from the old one (``expose-fd listeners``), so no
connection is refused. The old worker finishes what it is serving and exits (at the latest after
``hard-stop-after``). :meth:`HAProxy.reload` waits until the new worker runs; :meth:`workers`
says whether old ones are still draining.

A configuration is checked with ``haproxy -c`` before it replaces the running one: a reload with
a broken file would leave the master without a worker.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("lotse.gateway.haproxy")

INSTALL_HINT = ("HAProxy 2.6 or newer is needed: `make services` installs it "
                "(infra/local/ensure-services.sh), or `apt-get install haproxy`")


class HAProxyError(RuntimeError):
    """HAProxy is missing, refused a configuration, or did not start."""


@dataclass(frozen=True)
class Workers:
    current: tuple[int, ...]
    old: tuple[int, ...]
    reloads: int
    failed_reloads: int


def find_binary(name: str = "haproxy") -> str:
    path = shutil.which(name)
    if path is None:
        raise HAProxyError(f"{name} not found. {INSTALL_HINT}")
    return path


def version(binary: str) -> tuple[int, int]:
    result = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10)
    match = re.search(r"version (\d+)\.(\d+)", result.stdout)
    if match is None:
        raise HAProxyError(f"cannot tell the version of {binary}")
    found = (int(match.group(1)), int(match.group(2)))
    if found < (2, 6):
        raise HAProxyError(f"HAProxy {found[0]}.{found[1]} is too old (jwt_verify, "
                           f"jwt_payload_query). {INSTALL_HINT}")
    return found


def check_config(binary: str, config: Path) -> None:
    """``haproxy -c``; raises :class:`HAProxyError` with HAProxy's complaint."""
    result = subprocess.run([binary, "-c", "-f", str(config)], capture_output=True,
                            text=True, timeout=30)
    if result.returncode != 0:
        complaint = " ".join(line.strip() for line in result.stderr.splitlines()
                             if "[ALERT]" in line)
        raise HAProxyError(f"HAProxy refused {config}: {complaint or result.stderr.strip()}")


class HAProxy:
    """One HAProxy master and its workers."""

    def __init__(self, binary: str, config: Path, state_dir: Path) -> None:
        self.binary = binary
        self.config = config
        self.master_socket = state_dir / "master.sock"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15.0) -> None:
        self.master_socket.unlink(missing_ok=True)
        argv = [self.binary, "-W", "-S", f"{self.master_socket},mode,600", "-f",
                str(self.config)]
        # stdout carries the access log (one JSON line per request); it goes where ours goes
        self.process = subprocess.Popen(argv)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise HAProxyError(f"haproxy exited with status {self.process.returncode} "
                                   "at start")
            try:
                if self.workers().current:
                    log.info("gateway.haproxy_started", extra={"pid": self.process.pid})
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise HAProxyError(f"haproxy did not start within {timeout:.0f} s")
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self, line: str, timeout: float = 5.0) -> str:
        """One command on the master CLI (``show proc``, ``reload``, ``@1 show info``)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(str(self.master_socket))
            connection.sendall(line.encode() + b"\n")
            connection.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def workers(self) -> Workers:
        current: list[int] = []
        old: list[int] = []
        reloads = failed = 0
        section = None
        for line in self.command("show proc").splitlines():
            if line.startswith("# workers"):
                section = current
            elif line.startswith("# old workers"):
                section = old
            elif line.startswith("#"):
                section = None
            else:
                fields = line.split()
                if len(fields) >= 3 and fields[1] == "master":
                    reloads = int(fields[2])
                    match = re.search(r"failed: (\d+)", line)
                    failed = int(match.group(1)) if match else 0
                elif len(fields) >= 2 and fields[1] == "worker" and section is not None:
                    section.append(int(fields[0]))
        return Workers(tuple(current), tuple(old), reloads, failed)

    def reload(self, timeout: float = 15.0) -> Workers:
        """Reload the (already checked) configuration; returns once a new worker runs."""
        before = self.workers()
        try:
            self.command("reload")
        except OSError:
            pass  # the master re-executes itself and may close the CLI before answering
        deadline = time.monotonic() + timeout
        while True:
            try:
                now = self.workers()
                if now.failed_reloads > before.failed_reloads:
                    raise HAProxyError("haproxy could not load the new configuration")
                if now.reloads > before.reloads and set(now.current) - set(before.current):
                    log.info("gateway.haproxy_reloaded",
                             extra={"reloads": now.reloads, "draining": len(now.old)})
                    return now
            except OSError:
                pass
            if not self.running:
                raise HAProxyError("haproxy exited during a reload")
            if time.monotonic() > deadline:
                raise HAProxyError(f"no new haproxy worker within {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self, timeout: float = 20.0) -> None:
        """Soft stop (finish what is being served), then harder if it takes too long."""
        if not self.running:
            return
        assert self.process is not None
        for sig, wait in ((signal.SIGUSR1, timeout), (signal.SIGTERM, 5.0),
                          (signal.SIGKILL, 5.0)):
            try:
                os.kill(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.master_socket.unlink(missing_ok=True)
