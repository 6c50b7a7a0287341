"""Private dependency nodes for the fault drills: a RabbitMQ node and a PostgreSQL cluster of the
drill's own, which a drill may stop gracefully, crash and start again without touching the
machine's shared servers (5672, 5432) that other test runs use.

- :class:`PrivateRabbit`: ``rabbitmq-server`` with its own ``RABBITMQ_NODENAME``, AMQP port,
  distribution port, mnesia and log directories, Erlang cookie and (empty) plugin list, bound to
  127.0.0.1. Its default user ``guest`` may connect from loopback only. A restart keeps its data
  directory: durable exchanges, quorum queues and their persistent messages survive it, as on a
  real node.
- :class:`PrivatePostgres`: ``initdb`` into a temporary directory and ``pg_ctl`` on a port of its
  own (as tests/deploy does), with Lotse's two roles; ``crash()`` is ``pg_ctl -m immediate stop``
  (no checkpoint, crash recovery at the next start).

Every process is started in a session of its own and ended by its pid (its process group).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

from lotse_platform.testing import ROLES_SQL, free_port, poll

PG_BIN = Path(os.environ.get("LOTSE_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
RABBIT_BIN = Path(os.environ.get("LOTSE_TEST_RABBITMQ_BIN", "/usr/lib/rabbitmq/bin"))


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _end_group(process: subprocess.Popen | None, sig: int) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):  # ended already
        os.killpg(process.pid, sig)


class PrivateRabbit:
    """A RabbitMQ node of the drill's own on 127.0.0.1:``port``."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = free_port()
        self.dist_port = free_port()
        self.node = f"lotse-chaos-{os.getpid()}-{secrets.token_hex(2)}@localhost"
        self.process: subprocess.Popen | None = None
        (base / "home").mkdir(parents=True)
        cookie = base / "home" / ".erlang.cookie"
        cookie.write_text(secrets.token_hex(16).upper())
        cookie.chmod(0o400)
        (base / "rabbitmq-env.conf").write_text("")  # not the machine's /etc/rabbitmq one
        (base / "enabled_plugins").write_text("[].\n")
        (base / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{self.port}\n"
            "loopback_users.guest = true\n"
            # a drill's node is small and lives for minutes: never block publishers on a
            # machine whose disk other runs fill
            "disk_free_limit.absolute = 10MB\n")

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def _env(self) -> dict[str, str]:
        base = self.base
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(base / "home"),
            "LANG": "C.UTF-8",
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            # two schedulers that sleep when idle: the machine has two cores and much else to do
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": (
                "-kernel inet_dist_use_interface {127,0,0,1} "
                "+S 2:2 +sbwt none +sbwtdcpu none +sbwtdio none"),
        }

    def start(self, timeout: float = 90.0) -> None:
        if not (RABBIT_BIN / "rabbitmq-server").is_file():
            raise RuntimeError(f"rabbitmq-server not found in {RABBIT_BIN} (make services "
                               "installs it; LOTSE_TEST_RABBITMQ_BIN points elsewhere)")
        with open(self.base / "server.out", "ab") as out:
            self.process = subprocess.Popen([str(RABBIT_BIN / "rabbitmq-server")],
                                            env=self._env(), stdout=out,
                                            stderr=subprocess.STDOUT, cwd=self.base,
                                            start_new_session=True)
        poll(self._accepts, timeout=timeout, interval=0.1,
             message=f"the private RabbitMQ on port {self.port}")

    def _accepts(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"the private RabbitMQ exited; see {self.base / 'log'}")
        if not port_open(self.port):
            return False
        from kombu import Connection

        try:
            with Connection(self.url, connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1)
                return True
        except Exception:  # noqa: BLE001 - still booting
            return False

    def stop(self, timeout: float = 60.0) -> None:
        """Graceful: SIGTERM, the node closes its connections and queues, then exits."""
        _end_group(self.process, signal.SIGTERM)
        self._wait_gone(timeout)

    def kill(self) -> None:
        """``kill -9`` of the whole node: no connection is closed, nothing is flushed."""
        _end_group(self.process, signal.SIGKILL)
        self._wait_gone(30)

    def _wait_gone(self, timeout: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            _end_group(self.process, signal.SIGKILL)
            self.process.wait(10)
        # the beam's children (erl_child_setup, inet_gethost) are in its process group
        _end_group(self.process, signal.SIGKILL)
        poll(lambda: not port_open(self.port), timeout=10, message="the AMQP port to close")

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.base, ignore_errors=True)


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb and the server refuse to run as root; the machine's postgres user runs them then
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class PrivatePostgres:
    """A PostgreSQL cluster of the drill's own on 127.0.0.1:``port``, with Lotse's roles."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").is_file():
            raise RuntimeError(f"PostgreSQL server binaries not found in {PG_BIN} (make "
                               "services installs them; LOTSE_TEST_PG_BIN points elsewhere)")
        # directly under /tmp: pytest's own tmp directories are private to root, closed to postgres
        self.base = Path(tempfile.mkdtemp(prefix="lotse-chaos-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
        self.data = self.base / "data"
        self.port = free_port()
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U",
                                     "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@{self.host}/{database}"

    def _ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]),
                       check=check, capture_output=True, timeout=120)

    def start(self) -> None:
        # enough connections for every API worker's and worker's pool, the drill's own readers
        self._ctl("-w", "-t", "90", "-l", str(self.base / "log"), "-o",
                  f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
                  "-c max_connections=300 -c shared_buffers=64MB", "start")

    def crash(self) -> None:
        """``pg_ctl -m immediate stop``: every backend ends at once, no shutdown checkpoint."""
        self._ctl("-m", "immediate", "stop", check=False)

    def bootstrap(self) -> None:
        engine = sa.create_engine(self.admin_url(), isolation_level="AUTOCOMMIT",
                                  poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            connection.execute(sa.text(ROLES_SQL))
        engine.dispose()

    def create_database(self, name: str) -> tuple[str, str]:
        """A database owned by ``lotse_owner``; returns (app URL, owner URL)."""
        engine = sa.create_engine(self.admin_url(), isolation_level="AUTOCOMMIT",
                                  poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}" OWNER lotse_owner'))
        engine.dispose()
        return (f"postgresql+psycopg://lotse_app@{self.host}/{name}",
                f"postgresql+psycopg://lotse_owner@{self.host}/{name}")

    def close(self) -> None:
        self.crash()
        shutil.rmtree(self.base, ignore_errors=True)


