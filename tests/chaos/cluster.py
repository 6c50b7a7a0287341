"""The local cluster of ``make up`` on the drill's private PostgreSQL and RabbitMQ, under a
supervisor that starts again whatever dies, as Kubernetes or systemd would.

Per service (intake, casework, example): its database on the private cluster, migrated
(``lotse-<service> migrate``) while the broker boots, the broker topology that ``setup``
declares, its API under gunicorn (``lotse-<service> api``) and its worker loops as separate
processes:

- ``relay`` processes (``worker --only relay --only sealer``): with two or more, one leads
  (holds the service's advisory lock) and the others stand by;
- ``consumer`` processes (``worker --only consumer``) for a service that consumes events.

``make up`` runs one ``worker`` per service with all loops in it; the drills split the loops so
that a kill hits a relay or a consumer, and run a second relay so that a standby exists to take
over. Identity is left out (see :mod:`.tokens`): a development issuer stands in for it, as in
``make up`` without identity. Each worker process has ``PGAPPNAME`` set to its name: the relay holding the advisory lock
is found in ``pg_locks`` by it.

A process that exits is started again after 0.2 s, then with growing pauses up to 2 s while it
keeps failing (a worker refuses to start while the database is away: exit status 4).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from lotse_gateway.testing import BIN, call
from lotse_platform.testing import free_port, poll

from .nodes import PrivatePostgres, PrivateRabbit
from .tokens import TokenServer

log = logging.getLogger("lotse.chaos")

SERVICES = ("intake", "casework", "example")
CONSUMING = ("casework", "example")  # the services with event consumers


@dataclass
class Managed:
    """One supervised process: ``argv`` with ``env``, output to ``log_path``."""

    name: str
    kind: str  # "api", "relay" or "consumer"
    service: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    port: int | None = None  # an API's
    process: subprocess.Popen | None = None
    starts: int = 0
    kills: int = 0
    failures: int = 0  # exits not caused by a kill (a worker refusing to start: exit 4)
    paused: bool = False  # not restarted while set
    started_at: float = 0.0
    restart_at: float | None = None
    pause: float = 0.1  # before the next restart; doubles up to 2 s while it keeps exiting

    def start(self) -> None:
        with open(self.log_path, "ab") as out:
            self.process = subprocess.Popen(self.argv, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1
        self.started_at = time.monotonic()
        self.restart_at = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None and self.process.poll() is None \
            else None

    def alive(self) -> bool:
        return self.pid is not None

    def signal_group(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # ended between poll and kill
                os.killpg(self.process.pid, sig)

    def children(self) -> list[int]:
        """The pids of the process's children (gunicorn's workers for an API)."""
        pid = self.pid
        if pid is None:
            return []
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]


class Supervisor:
    """Starts the processes and starts again each one that exits, until :meth:`close`."""

    def __init__(self) -> None:
        self.processes: dict[str, Managed] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)

    def add(self, managed: Managed) -> None:
        self.processes[managed.name] = managed

    def run(self) -> None:
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            with self._lock:
                for managed in self.processes.values():
                    if not managed.paused and managed.process is not None:
                        self._look_after(managed, time.monotonic())

    @staticmethod
    def _look_after(managed: Managed, now: float) -> None:
        code = managed.process.poll() if managed.process is not None else None
        if code is None:
            if now - managed.started_at > 10:
                managed.pause = 0.1  # it ran a while: the next exit is restarted soon again
            return
        if managed.restart_at is None:
            if code not in (-signal.SIGKILL, -signal.SIGTERM):
                managed.failures += 1
            managed.pause = min(managed.pause * 2, 2.0)
            managed.restart_at = now + managed.pause
        elif now >= managed.restart_at:
            managed.start()

    def kill(self, managed: Managed) -> int | None:
        """``kill -9`` of the process (its whole group); returns the pid, None if not running."""
        with self._lock:
            pid = managed.pid
            if pid is None:
                return None
            managed.signal_group(signal.SIGKILL)
            managed.kills += 1
            managed.process.wait(10)
        return pid

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for managed in self.processes.values():
            managed.paused = True
            managed.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for managed in self.processes.values():
            if managed.process is None:
                continue
            try:
                managed.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                managed.signal_group(signal.SIGKILL)
                managed.process.wait(10)


@dataclass
class DrillPlatform:
    """The cluster, its private dependencies and how to reach them."""

    workdir: Path
    rabbit: PrivateRabbit
    postgres: PrivatePostgres
    supervisor: Supervisor
    tokens: TokenServer
    env: dict[str, dict[str, str]]
    databases: dict[str, tuple[str, str]]  # service -> (app URL, owner URL)
    api_ports: dict[str, int]
    _engines: dict[str, sa.Engine] = field(default_factory=dict)

    def url(self, service: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.api_ports[service]}{path}"

    def processes(self, kind: str | None = None, service: str | None = None) -> list[Managed]:
        return [m for m in self.supervisor.processes.values()
                if (kind is None or m.kind == kind) and (service is None or m.service == service)]

    def engine(self, service: str) -> sa.Engine:
        """The superuser on the service's database (sees past row-level security): for counting
        what the service recorded, never as the code under test."""
        if service not in self._engines:
            database = self.databases[service][0].rsplit("/", 1)[1]
            self._engines[service] = sa.create_engine(
                self.postgres.admin_url(database), poolclass=sa.pool.NullPool,
                connect_args={"connect_timeout": 3})
        return self._engines[service]

    def leading_relay(self, service: str) -> Managed | None:
        """The relay process holding ``service``'s advisory lock (None: none does now)."""
        with self.engine(service).connect() as connection:
            names = connection.execute(sa.text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                "WHERE l.locktype = 'advisory' AND l.granted "
                "AND a.application_name LIKE :prefix"), {"prefix": f"{service}-relay-%"}
            ).scalars().all()
        found = [self.supervisor.processes[n] for n in names if n in self.supervisor.processes]
        return found[0] if found else None

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self.supervisor.close()
        self.tokens.close()
        self.rabbit.close()
        self.postgres.close()


def _run_all(commands: list[tuple[str, list[str]]], env: dict[str, dict[str, str]],
             logs: Path) -> None:
    running = []
    for service, args in commands:
        out = open(logs / f"{service}-{args[0]}.log", "ab")  # noqa: SIM115 - closed below
        running.append((service, args, out, subprocess.Popen(
            [str(BIN / f"lotse-{service}"), *args], env=env[service], stdout=out,
            stderr=subprocess.STDOUT)))
    failed = []
    for service, args, out, process in running:
        code = process.wait(180)
        out.close()
        if code != 0:
            tail = Path(out.name).read_text(errors="replace")[-1500:]
            failed.append(f"lotse-{service} {' '.join(args)} exited {code}: {tail}")
    if failed:
        raise RuntimeError("; ".join(failed))


def put_directory(databases: dict[str, tuple[str, str]]) -> None:
    """What identity would have published of the drill's tenant (identity is not part of the
    drills): its areas, its town and its case manager, in the replica intake and casework check
    references against (ADR 0054)."""
    from lotse_platform.service import installed_services
    from lotse_platform.settings import load_settings
    from lotse_platform.testing import known_directory
    from lotse_platform.testing import put_directory as put

    from .load import AREAS
    from .tokens import ORG, TENANT

    known = known_directory(organisations=[ORG], areas=AREAS,
                            users=[("cm-chaos", ORG, ["case_manager"])])
    for cls in installed_services():
        if cls.name in SERVICES and cls.directory_replica:
            service = cls(load_settings(cls.settings_class, database_url=databases[cls.name][0]))
            put(service, TENANT, known)
            service.engine.dispose()


def declare_topology(broker_url: str) -> None:
    """What ``lotse-<service> setup`` declares after migrating: the exchanges and each consuming
    service's queues, before any relay publishes (an event to an unbound exchange is lost)."""
    from kombu import Connection

    from lotse_platform.bus import Topology
    from lotse_platform.service import installed_services

    topology = Topology()
    with Connection(broker_url) as connection:
        connection.ensure_connection(max_retries=3)
        topology.declare_exchanges(connection)
        for service in installed_services():
            if service.name in SERVICES and service.event_handlers:
                topology.declare_service(connection, service.name, list(service.event_handlers))


def start_platform(workdir: Path, *, relays: dict[str, int] | int = 2, consumers: int = 2,
                   api_workers: int = 2) -> DrillPlatform:
    """Start the private nodes and the cluster on them; the caller closes it. ``relays``: how
    many relay processes per service (a number for all, or per service name; default 1)."""
    if isinstance(relays, int):
        relays = dict.fromkeys(SERVICES, relays)
    workdir.mkdir(parents=True, exist_ok=True)
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    rabbit = PrivateRabbit(workdir / "rabbitmq")
    postgres = PrivatePostgres()
    supervisor = Supervisor()
    tokens = TokenServer()
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "PG"))}
        base.update({
            "LOTSE_MODE": "local", "LOTSE_BROKER_URL": rabbit.url,
            "LOTSE_JWKS_URL": tokens.jwks_url, "LOTSE_TOKEN_ISSUER": tokens.issuer.issuer,
            "LOTSE_LOG_FORMAT": "json", "LOTSE_LOG_LEVEL": "WARNING",
        })
        # the broker boots (seconds) while the databases are made and migrated
        with ThreadPoolExecutor(1) as pool:
            booting = pool.submit(rabbit.start)
            postgres.start()
            postgres.bootstrap()
            databases = {name: postgres.create_database(f"lotse_{name}") for name in SERVICES}
            env: dict[str, dict[str, str]] = {}
            for name in SERVICES:
                prefix = f"LOTSE_{name.upper()}_"
                env[name] = {**base, f"{prefix}DATABASE_URL": databases[name][0],
                             f"{prefix}MIGRATION_DATABASE_URL": databases[name][1],
                             # the tenants' keys of the service (ADR 0082, ADR 0104)
                             "LOTSE_KEY_STORE": f"file:{workdir / 'keys' / name}"}
            env["casework"].update({
                # casework's machine client for the handover call and the consent check
                "LOTSE_TOKEN_URL": tokens.token_url,
                "LOTSE_CASEWORK_CLIENT_ID": "casework",
                "LOTSE_CASEWORK_CLIENT_SECRET": "chaos-drill-casework-secret",
            })
            _run_all([(name, ["migrate"]) for name in SERVICES], env, logs)
            put_directory(databases)
            booting.result()
        declare_topology(rabbit.url)
        # the APIs' ports are taken once the nodes run (their own listeners and the Erlang
        # distribution's take ports too), right before the APIs bind them
        ports = {name: free_port() for name in SERVICES}
        env["casework"]["LOTSE_CASEWORK_INTAKE_URLS"] = json.dumps(
            {"": f"http://127.0.0.1:{ports['intake']}"})

        for name in SERVICES:
            cli = str(BIN / f"lotse-{name}")
            supervisor.add(Managed(
                f"{name}-api", "api", name, [cli, "api"],
                {**env[name], "LOTSE_BIND": f"127.0.0.1:{ports[name]}",
                 "LOTSE_WORKERS": str(api_workers),
                 "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics" / name)},
                logs / f"{name}-api.log", port=ports[name]))
            (workdir / "metrics" / name).mkdir(parents=True, exist_ok=True)
            for n in range(1, relays.get(name, 1) + 1):
                supervisor.add(Managed(
                    f"{name}-relay-{n}", "relay", name,
                    [cli, "worker", "--only", "relay", "--only", "sealer"],
                    {**env[name], "PGAPPNAME": f"{name}-relay-{n}"},
                    logs / f"{name}-relay-{n}.log"))
            if name in CONSUMING:
                for n in range(1, consumers + 1):
                    supervisor.add(Managed(
                        f"{name}-consumer-{n}", "consumer", name,
                        [cli, "worker", "--only", "consumer"],
                        {**env[name], "PGAPPNAME": f"{name}-consumer-{n}"},
                        logs / f"{name}-consumer-{n}.log"))
        for managed in supervisor.processes.values():
            managed.start()
        supervisor.run()
        platform = DrillPlatform(workdir, rabbit, postgres, supervisor, tokens, env, databases,
                                 ports)
        for name in SERVICES:
            poll(lambda name=name: _ready(platform, name), timeout=120, interval=0.2,
                 message=f"{name}'s API to be ready")
        for name in SERVICES:
            poll(lambda name=name: platform.leading_relay(name) is not None, timeout=60,
                 message=f"a relay of {name} to lead")
        return platform
    except BaseException:
        tokens.close()
        supervisor.close()
        rabbit.close()
        postgres.close()
        raise


def _ready(platform: DrillPlatform, service: str) -> bool:
    try:
        return call("GET", platform.url(service, "/readyz"), timeout=3).status == 200
    except OSError:
        return False

