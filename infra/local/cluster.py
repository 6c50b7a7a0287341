"""The local cluster (``make up`` / ``make down`` / ``make status``).

Every installed service runs as two processes against the local PostgreSQL and RabbitMQ: its API
under gunicorn (``lotse-<service> api``) and its worker (``lotse-<service> worker``: outbox relay
and consumers). Each service has its own database ``lotse_<service>`` owned by ``lotse_owner``;
the processes connect as ``lotse_app`` (no owner, no BYPASSRLS: row-level security applies).
The demo county is seeded once. Pids, logs and metrics live under ``.lotse/up/``, and so do the
workers' audit checkpoints (``audit-anchors/``) and the key they are signed with.

    python infra/local/cluster.py start | stop | status

A second cell beside it (the footprint benchmark, ``bench/footprint.py``) is a :class:`Cell`
with its own state directory, ports shifted by an offset, databases of its own prefix and its
own RabbitMQ vhost: ``start(cell)`` / ``stop(cell)``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / ".lotse" / "up"
BIN = Path(sys.executable).parent
PG = os.environ.get("LOTSE_PG_HOST", "127.0.0.1:5432")
BROKER = os.environ.get("LOTSE_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
DEV_ISSUER_PORT = 8100
GATEWAY_PORT = 8080
GATEWAY_METRICS_PORT = 8405
GATEWAY_DOCS_PORT = 8099
IDENTITY_PORT = 8101


@dataclass(frozen=True)
class Cell:
    """Where a cell keeps its state and how it is reached. The defaults are ``make up``'s."""

    state: Path = STATE
    #: added to every port (APIs, workers' metrics, gateway, development issuer)
    port_offset: int = 0
    #: a service's database is ``<prefix><service>``
    database_prefix: str = "lotse_"
    broker_url: str = BROKER
    #: the public base URL of the gateway; None: ``LOTSE_PUBLIC_URL`` or localhost's gateway port
    public_url: str | None = None
    #: gunicorn workers per API (``LOTSE_WORKERS``) and threads in each (``LOTSE_THREADS``);
    #: None: the platform's default. A local cell runs one worker with four threads: the same
    #: four requests at once as the platform's two workers of two threads, without a second
    #: copy of the app in memory (about 100 MB per API; issue 16, ADR 0111 point 7). A county's
    #: cell sets its own (the chart's ``api.gunicornWorkers``).
    api_workers: int | None = 1
    api_threads: int | None = 4
    #: the gateway's route table; None: the shipped one (``gateway/routes.yaml``)
    gateway_routes: Path | None = None

    def port(self, base: int) -> int:
        return base + self.port_offset

    @property
    def anchors(self) -> Path:
        return self.state / "audit-anchors"

    @property
    def anchor_key(self) -> Path:
        return self.state / "audit-anchor.key"

    @property
    def public(self) -> str:
        if self.public_url is not None:
            return self.public_url
        if self.port_offset == 0:
            return os.environ.get("LOTSE_PUBLIC_URL", "http://localhost:8080")
        return f"http://localhost:{self.port(GATEWAY_PORT)}"

    @property
    def gateway_bind(self) -> str:
        if self.port_offset == 0:
            return os.environ.get("LOTSE_GATEWAY_BIND", "127.0.0.1:8080")
        return f"127.0.0.1:{self.port(GATEWAY_PORT)}"

    def database(self, service_name: str) -> str:
        return f"{self.database_prefix}{service_name}"

    def api_url(self, service) -> str:
        return f"http://127.0.0.1:{self.port(service.local_port)}"


MAKE_UP = Cell()


def say(line: str) -> None:
    print(f"[up] {line}", flush=True)


def services():
    sys.path.insert(0, str(ROOT))
    from lotse_platform.service import installed_services

    return installed_services()


def psql(sql: str, database: str = "postgres") -> str:
    host, port = PG.split(":")
    result = subprocess.run(["psql", "-h", host, "-p", port, "-U", "postgres", "-d", database,
                             "-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"[up] psql failed: {result.stderr.strip()}")
    return result.stdout.strip()


def ensure_database(name: str) -> None:
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        psql(f'CREATE DATABASE "{name}" OWNER lotse_owner')
        say(f"created database {name}")


def _shifted_urls(cell: Cell, by_name: dict) -> dict[str, str]:
    """The services' URLs of each other, where a shifted cell's ports differ from the defaults
    their settings assume (``make up``'s cell sets none of these)."""
    if cell.port_offset == 0:
        return {}
    urls = {name: cell.api_url(service) for name, service in by_name.items()}
    env = {"LOTSE_SUBJECT_ACCESS_URLS": json.dumps(
        {name: f"{url}{service.prefix()}" for (name, url), service
         in zip(urls.items(), by_name.values(), strict=True)})}
    if "intake" in urls:
        env["LOTSE_CASEWORK_INTAKE_URLS"] = json.dumps({"": urls["intake"]})
        env["LOTSE_NETWORK_INTAKE_URLS"] = json.dumps({"": urls["intake"]})
    if "casework" in urls:
        env["LOTSE_INTAKE_CASEWORK_URL"] = urls["casework"]
    return env


def service_env(service, issuer_url: str, jwks_url: str, cell: Cell = MAKE_UP) -> dict[str, str]:
    prefix = f"LOTSE_{service.name.upper()}_"
    database = cell.database(service.name)
    env = {
        **os.environ,
        f"{prefix}DATABASE_URL": f"postgresql+psycopg://lotse_app@{PG}/{database}",
        f"{prefix}MIGRATION_DATABASE_URL": f"postgresql+psycopg://lotse_owner@{PG}/{database}",
        "LOTSE_MODE": "local",
        "LOTSE_BROKER_URL": cell.broker_url,
        "LOTSE_JWKS_URL": jwks_url,
        "LOTSE_TOKEN_ISSUER": issuer_url,
        "LOTSE_LOG_FORMAT": "json",
        # checkpoints of the audit chains, outside PostgreSQL: files of this user that the
        # database server's OS user cannot write (ADR 0066)
        "LOTSE_AUDIT_ANCHOR_DIR": str(cell.anchors),
        "LOTSE_AUDIT_ANCHOR_KEY_FILE": str(cell.anchor_key),
        # the tenants' keys of the service: its encrypted columns and sealed data (ADR 0104,
        # ADR 0082), a directory per service (one service's keys open nothing of another's)
        "LOTSE_KEY_STORE": f"file:{cell.state / 'keys' / service.name}",
    }
    if cell.port_offset:
        env.update(_shifted_urls(cell, {s.name: s for s in services()}))
    if service.name == "casework":
        # the demo's machine client for the handover call to intake (seeded by identity)
        env.setdefault("LOTSE_TOKEN_URL", f"{identity_url(cell)}/oauth/token")
        env.setdefault("LOTSE_CASEWORK_CLIENT_ID", "casework")
        env.setdefault("LOTSE_CASEWORK_CLIENT_SECRET", "lotse-demo-casework-secret")
    if service.name == "intake":
        # the demo's machine client for the caseload call to casework at admission
        env.setdefault("LOTSE_TOKEN_URL", f"{identity_url(cell)}/oauth/token")
        env.setdefault("LOTSE_INTAKE_CLIENT_ID", "intake")
        env.setdefault("LOTSE_INTAKE_CLIENT_SECRET", "lotse-demo-intake-secret")
    if service.name == "network":
        # the demo's machine client for the consent check of referrals at intake (ADR 0084)
        env.setdefault("LOTSE_TOKEN_URL", f"{identity_url(cell)}/oauth/token")
        env.setdefault("LOTSE_NETWORK_CLIENT_ID", "network")
        env.setdefault("LOTSE_NETWORK_CLIENT_SECRET", "lotse-demo-network-secret")
    if service.name == "steering":
        # the demo's machine client for the contacts of a data subject's request (ADR 0108)
        env.setdefault("LOTSE_TOKEN_URL", f"{identity_url(cell)}/oauth/token")
        env.setdefault("LOTSE_STEERING_CLIENT_ID", "steering")
        env.setdefault("LOTSE_STEERING_CLIENT_SECRET", "lotse-demo-steering-secret")
    if service.name == "console":
        # the browser reaches it through the gateway (PUBLIC_URL/console/), and it calls the
        # APIs through the gateway with the user's token, like any other client (ADR 0099)
        env.setdefault("LOTSE_PUBLIC_URL", cell.public)
        env.setdefault("LOTSE_CONSOLE_API_URL", f"http://{cell.gateway_bind}")
    if service.name == "identity":
        env.update({
            "LOTSE_IDENTITY_ISSUER": issuer_url,
            "LOTSE_PUBLIC_URL": cell.public,
            "LOTSE_IDENTITY_KEY_ENCRYPTION_KEY_FILE": str(cell.state / "identity-kek"),
            # the local demo logs in with the demo users' passwords; never in a real deployment
            "LOTSE_IDENTITY_ALLOW_PASSWORD_GRANT": "true",
        })
    return env


def identity_url(cell: Cell = MAKE_UP) -> str:
    return f"http://127.0.0.1:{cell.port(IDENTITY_PORT)}"


def spawn(name: str, argv: list[str], env: dict[str, str], cell: Cell = MAKE_UP) -> int:
    logs = cell.state / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{name}.log", "ab") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   cwd=ROOT, start_new_session=True)
    (cell.state / f"{name}.pid").write_text(str(process.pid))
    return process.pid


def running(name: str, cell: Cell = MAKE_UP) -> int | None:
    pid_file = cell.state / f"{name}.pid"
    if not pid_file.is_file():
        return None
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pid_file.unlink()
        return None
    if _zombie(pid):  # ended, but its parent (a cell started in process) has not reaped it
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        pid_file.unlink()
        return None
    return pid


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return False


def wait_http(url: str, seconds: float, process: str, cell: Cell = MAKE_UP) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if running(process, cell) is None:
            raise SystemExit(f"[up] {process} exited; see {cell.state / 'logs' / (process + '.log')}")
        if time.monotonic() > deadline:
            raise SystemExit(f"[up] {url} not ready after {seconds:.0f} s; "
                             f"see {cell.state / 'logs' / (process + '.log')}")
        time.sleep(0.3)


def quiet(service, command: str, env: dict[str, str], cell: Cell = MAKE_UP) -> None:
    """Run ``lotse-<service> <command>``, its output to the service's setup log."""
    logs = cell.state / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{service.name}-setup.log", "ab") as log:
        result = subprocess.run([str(BIN / f"lotse-{service.name}"), command], env=env,
                                stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"[up] lotse-{service.name} {command} failed; see "
                         f"{logs / (service.name + '-setup.log')}")
    say(f"{service.name}: {command} done")


def ensure_anchor_key(cell: Cell = MAKE_UP) -> None:
    """The key the workers sign their audit checkpoints with, made once (0600)."""
    if not cell.anchor_key.exists():
        from lotse_platform.audit import create_key_file

        create_key_file(cell.anchor_key)
        say(f"created the audit anchor key {cell.anchor_key}")
    cell.anchors.mkdir(mode=0o755, exist_ok=True)


def start(cell: Cell = MAKE_UP) -> int:
    cell.state.mkdir(parents=True, exist_ok=True)
    classes = services()
    ensure_anchor_key(cell)
    identity = next((s for s in classes if s.name == "identity"), None)
    if identity is not None:
        # tokens come from identity; its issuer is its public URL behind the gateway
        issuer_url = f"{cell.public}/api/v1/identity"
        jwks_url = f"{identity_url(cell)}/.well-known/jwks.json"
    else:
        issuer_url = f"http://127.0.0.1:{cell.port(DEV_ISSUER_PORT)}"
        jwks_url = f"{issuer_url}/.well-known/jwks.json"
        if not running("dev-issuer", cell):
            spawn("dev-issuer", [sys.executable, "-m", "lotse_composition.devserver", "--port",
                                 str(cell.port(DEV_ISSUER_PORT)), "--key-file",
                                 str(cell.state / "dev-key.json")],
                  dict(os.environ), cell)
        wait_http(f"{issuer_url}/healthz", 30, "dev-issuer", cell)

    # every queue is bound before any relay publishes, so no first event is routed nowhere
    for service in classes:
        env = service_env(service, issuer_url, jwks_url, cell)
        ensure_database(cell.database(service.name))
        quiet(service, "setup", env, cell)
        quiet(service, "seed-demo", env, cell)
    for service in classes:
        env = service_env(service, issuer_url, jwks_url, cell)
        cli = str(BIN / f"lotse-{service.name}")
        api, worker = f"{service.name}-api", f"{service.name}-worker"
        port = cell.port(service.local_port)
        if not running(api, cell):
            metrics_dir = cell.state / "metrics" / service.name
            api_env = {**env, "LOTSE_BIND": f"127.0.0.1:{port}",
                       "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
            if cell.api_workers is not None:
                api_env["LOTSE_WORKERS"] = str(cell.api_workers)
            if cell.api_threads is not None:
                api_env["LOTSE_THREADS"] = str(cell.api_threads)
            spawn(api, [cli, "api"], api_env, cell)
        if not running(worker, cell):
            spawn(worker, [cli, "worker"], {**env, "LOTSE_WORKER_METRICS_PORT": str(port + 100)},
                  cell)
        wait_http(f"http://127.0.0.1:{port}/readyz", 60, api, cell)
        say(f"{service.name}: API http://127.0.0.1:{port}/ "
            f"(OpenAPI /openapi.json, metrics /metrics), worker metrics "
            f"http://127.0.0.1:{port + 100}/metrics")
    gateway_url = f"http://{cell.gateway_bind}"
    if (BIN / "lotse-gateway").exists() and not running("gateway", cell):
        gateway_env = {
            **os.environ, "LOTSE_JWKS_URL": jwks_url, "LOTSE_TOKEN_ISSUER": issuer_url,
            "LOTSE_GATEWAY_STATE_DIR": str(cell.state / "gateway"),
            "LOTSE_GATEWAY_BIND": cell.gateway_bind,
            # the console calls the APIs through the gateway for all its users from here
            "LOTSE_GATEWAY_TRUSTED_CLIENTS": os.environ.get("LOTSE_GATEWAY_TRUSTED_CLIENTS",
                                                            "127.0.0.1/32"),
            "LOTSE_LOG_FORMAT": "json"}
        if cell.gateway_routes is not None:
            gateway_env["LOTSE_GATEWAY_ROUTES"] = str(cell.gateway_routes)
        if cell.port_offset:
            gateway_env.update({
                "LOTSE_GATEWAY_METRICS_BIND": f"127.0.0.1:{cell.port(GATEWAY_METRICS_PORT)}",
                "LOTSE_GATEWAY_DOCS_BIND": f"127.0.0.1:{cell.port(GATEWAY_DOCS_PORT)}",
                # the route table's upstreams (gateway/routes.yaml: ${LOTSE_<NAME>_UPSTREAM})
                **{f"LOTSE_{s.name.upper()}_UPSTREAM": f"127.0.0.1:{cell.port(s.local_port)}"
                   for s in classes}})
        spawn("gateway", [str(BIN / "lotse-gateway"), "run"], gateway_env, cell)
    if (BIN / "lotse-gateway").exists():
        wait_http(f"{gateway_url}/healthz", 30, "gateway", cell)
        say(f"gateway: {cell.public}/api/v1/<service>/…, API docs {cell.public}/docs/, "
            f"web console {cell.public}/console/")
    say("all services ready. A token for a demo user:")
    if identity is not None:
        say(f"  curl -s {cell.public}/api/v1/identity/oauth/token -d grant_type=password "
            "-d client_id=lotse-console -d username=cm.hoexter -d password=lotse-demo")
    else:
        say(f"  curl -s -X POST {issuer_url}/token -H 'Content-Type: application/json' "
            "-d '{\"username\": \"cm.hoexter\"}'")
    say(f"logs: {cell.state / 'logs'}; stop with `make down`")
    return 0


def stop(cell: Cell = MAKE_UP) -> int:
    names = sorted(p.stem for p in cell.state.glob("*.pid")) if cell.state.is_dir() else []
    pids = {name: pid for name in names if (pid := running(name, cell))}
    for name, pid in pids.items():
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while pids and time.monotonic() < deadline:
        pids = {name: pid for name, pid in pids.items() if running(name, cell)}
        time.sleep(0.2)
    for name, pid in pids.items():
        say(f"{name} did not stop within 30 s: killing it")
        os.killpg(pid, signal.SIGKILL)
    for name in names:
        (cell.state / f"{name}.pid").unlink(missing_ok=True)
    say("stopped" if names else "nothing was running")
    return 0


def processes(cell: Cell = MAKE_UP) -> dict[str, int]:
    """The cell's processes as started (name → pid of the process group's leader)."""
    names = sorted(p.stem for p in cell.state.glob("*.pid")) if cell.state.is_dir() else []
    return {name: pid for name in names if (pid := running(name, cell))}


def status(cell: Cell = MAKE_UP) -> int:
    names = sorted(p.stem for p in cell.state.glob("*.pid")) if cell.state.is_dir() else []
    rows = {name: running(name, cell) for name in names}
    if not any(rows.values()):
        say("nothing is running (start with `make up`)")
        return 0
    for name, pid in rows.items():
        print(f"  {name:<24} {'pid ' + str(pid) if pid else 'stopped'}")
    print(json.dumps({s.name: cell.api_url(s) for s in services()}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="the local Lotse cluster")
    parser.add_argument("command", choices=["start", "stop", "status"])
    command = parser.parse_args().command
    return {"start": start, "stop": stop, "status": status}[command]()


if __name__ == "__main__":
    sys.exit(main())
