"""The local cluster (``make up`` / ``make down`` / ``make status``).

Every installed service runs as two processes against the local PostgreSQL and RabbitMQ: its API
under gunicorn (``lotse-<service> api``) and its worker (``lotse-<service> worker``: outbox relay
and consumers). Each service has its own database ``lotse_<service>`` owned by ``lotse_owner``;
the processes connect as ``lotse_app`` (no owner, no BYPASSRLS: row-level security applies).
The demo county is seeded once. Pids, logs and metrics live under ``.lotse/up/``, and so do the
workers' audit checkpoints (``audit-anchors/``) and the key they are signed with.

    python infra/local/cluster.py start | stop | status
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / ".lotse" / "up"
ANCHORS = STATE / "audit-anchors"
ANCHOR_KEY = STATE / "audit-anchor.key"
BIN = Path(sys.executable).parent
PG = os.environ.get("LOTSE_PG_HOST", "127.0.0.1:5432")
BROKER = os.environ.get("LOTSE_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
DEV_ISSUER_PORT = 8100
PUBLIC_URL = os.environ.get("LOTSE_PUBLIC_URL", "http://localhost:8080")


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


def service_env(service, issuer_url: str, jwks_url: str) -> dict[str, str]:
    prefix = f"LOTSE_{service.name.upper()}_"
    database = f"lotse_{service.name}"
    env = {
        **os.environ,
        f"{prefix}DATABASE_URL": f"postgresql+psycopg://lotse_app@{PG}/{database}",
        f"{prefix}MIGRATION_DATABASE_URL": f"postgresql+psycopg://lotse_owner@{PG}/{database}",
        "LOTSE_MODE": "local",
        "LOTSE_BROKER_URL": BROKER,
        "LOTSE_JWKS_URL": jwks_url,
        "LOTSE_TOKEN_ISSUER": issuer_url,
        "LOTSE_LOG_FORMAT": "json",
        # checkpoints of the audit chains, outside PostgreSQL: files of this user that the
        # database server's OS user cannot write (ADR 0066)
        "LOTSE_AUDIT_ANCHOR_DIR": str(ANCHORS),
        "LOTSE_AUDIT_ANCHOR_KEY_FILE": str(ANCHOR_KEY),
        # the tenants' keys of the service: its encrypted columns and sealed data (ADR 0104,
        # ADR 0082), a directory per service (one service's keys open nothing of another's)
        "LOTSE_KEY_STORE": f"file:{STATE / 'keys' / service.name}",
    }
    if service.name == "casework":
        # the demo's machine client for the handover call to intake (seeded by identity)
        env.setdefault("LOTSE_TOKEN_URL", f"{identity_url()}/oauth/token")
        env.setdefault("LOTSE_CASEWORK_CLIENT_ID", "casework")
        env.setdefault("LOTSE_CASEWORK_CLIENT_SECRET", "lotse-demo-casework-secret")
    if service.name == "intake":
        # the demo's machine client for the caseload call to casework at admission
        env.setdefault("LOTSE_TOKEN_URL", f"{identity_url()}/oauth/token")
        env.setdefault("LOTSE_INTAKE_CLIENT_ID", "intake")
        env.setdefault("LOTSE_INTAKE_CLIENT_SECRET", "lotse-demo-intake-secret")
    if service.name == "network":
        # the demo's machine client for the consent check of referrals at intake (ADR 0084)
        env.setdefault("LOTSE_TOKEN_URL", f"{identity_url()}/oauth/token")
        env.setdefault("LOTSE_NETWORK_CLIENT_ID", "network")
        env.setdefault("LOTSE_NETWORK_CLIENT_SECRET", "lotse-demo-network-secret")
    if service.name == "console":
        # the browser reaches it through the gateway (PUBLIC_URL/console/), and it calls the
        # APIs through the gateway with the user's token, like any other client (ADR 0099)
        env.setdefault("LOTSE_PUBLIC_URL", PUBLIC_URL)
        env.setdefault("LOTSE_CONSOLE_API_URL", "http://127.0.0.1:8080")
    if service.name == "identity":
        env.update({
            "LOTSE_IDENTITY_ISSUER": issuer_url,
            "LOTSE_PUBLIC_URL": PUBLIC_URL,
            "LOTSE_IDENTITY_KEY_ENCRYPTION_KEY_FILE": str(STATE / "identity-kek"),
            # the local demo logs in with the demo users' passwords; never in a real deployment
            "LOTSE_IDENTITY_ALLOW_PASSWORD_GRANT": "true",
        })
    return env


def identity_url() -> str:
    return "http://127.0.0.1:8101"


def spawn(name: str, argv: list[str], env: dict[str, str]) -> int:
    logs = STATE / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{name}.log", "ab") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   cwd=ROOT, start_new_session=True)
    (STATE / f"{name}.pid").write_text(str(process.pid))
    return process.pid


def running(name: str) -> int | None:
    pid_file = STATE / f"{name}.pid"
    if not pid_file.is_file():
        return None
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pid_file.unlink()
        return None
    return pid


def wait_http(url: str, seconds: float, process: str) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if running(process) is None:
            raise SystemExit(f"[up] {process} exited; see {STATE / 'logs' / (process + '.log')}")
        if time.monotonic() > deadline:
            raise SystemExit(f"[up] {url} not ready after {seconds:.0f} s; "
                             f"see {STATE / 'logs' / (process + '.log')}")
        time.sleep(0.3)


def quiet(service, command: str, env: dict[str, str]) -> None:
    """Run ``lotse-<service> <command>``, its output to the service's setup log."""
    logs = STATE / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{service.name}-setup.log", "ab") as log:
        result = subprocess.run([str(BIN / f"lotse-{service.name}"), command], env=env,
                                stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"[up] lotse-{service.name} {command} failed; see "
                         f"{logs / (service.name + '-setup.log')}")
    say(f"{service.name}: {command} done")


def ensure_anchor_key() -> None:
    """The key the workers sign their audit checkpoints with, made once (0600)."""
    if not ANCHOR_KEY.exists():
        from lotse_platform.audit import create_key_file

        create_key_file(ANCHOR_KEY)
        say(f"created the audit anchor key {ANCHOR_KEY.relative_to(ROOT)}")
    ANCHORS.mkdir(mode=0o755, exist_ok=True)


def start() -> int:
    STATE.mkdir(parents=True, exist_ok=True)
    classes = services()
    ensure_anchor_key()
    identity = next((s for s in classes if s.name == "identity"), None)
    if identity is not None:
        # tokens come from identity; its issuer is its public URL behind the gateway
        issuer_url = f"{PUBLIC_URL}/api/v1/identity"
        jwks_url = f"http://127.0.0.1:{identity.local_port}/.well-known/jwks.json"
    else:
        issuer_url = f"http://127.0.0.1:{DEV_ISSUER_PORT}"
        jwks_url = f"{issuer_url}/.well-known/jwks.json"
        if not running("dev-issuer"):
            spawn("dev-issuer", [sys.executable, "-m", "lotse_composition.devserver", "--port",
                                 str(DEV_ISSUER_PORT), "--key-file", str(STATE / "dev-key.json")],
                  dict(os.environ))
        wait_http(f"{issuer_url}/healthz", 30, "dev-issuer")

    # every queue is bound before any relay publishes, so no first event is routed nowhere
    for service in classes:
        env = service_env(service, issuer_url, jwks_url)
        ensure_database(f"lotse_{service.name}")
        quiet(service, "setup", env)
        quiet(service, "seed-demo", env)
    for service in classes:
        env = service_env(service, issuer_url, jwks_url)
        cli = str(BIN / f"lotse-{service.name}")
        api, worker = f"{service.name}-api", f"{service.name}-worker"
        if not running(api):
            metrics_dir = STATE / "metrics" / service.name
            spawn(api, [cli, "api"], {**env, "LOTSE_BIND": f"127.0.0.1:{service.local_port}",
                                      "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)})
        if not running(worker):
            spawn(worker, [cli, "worker"],
                  {**env, "LOTSE_WORKER_METRICS_PORT": str(service.local_port + 100)})
        wait_http(f"http://127.0.0.1:{service.local_port}/readyz", 60, api)
        say(f"{service.name}: API http://127.0.0.1:{service.local_port}/ "
            f"(OpenAPI /openapi.json, metrics /metrics), worker metrics "
            f"http://127.0.0.1:{service.local_port + 100}/metrics")
    if (BIN / "lotse-gateway").exists() and not running("gateway"):
        spawn("gateway", [str(BIN / "lotse-gateway"), "run"], {
            **os.environ, "LOTSE_JWKS_URL": jwks_url, "LOTSE_TOKEN_ISSUER": issuer_url,
            "LOTSE_GATEWAY_STATE_DIR": str(STATE / "gateway"),
            "LOTSE_GATEWAY_BIND": os.environ.get("LOTSE_GATEWAY_BIND", "127.0.0.1:8080"),
            "LOTSE_LOG_FORMAT": "json"})
    if (BIN / "lotse-gateway").exists():
        wait_http("http://127.0.0.1:8080/healthz", 30, "gateway")
        say(f"gateway: {PUBLIC_URL}/api/v1/<service>/…, API docs {PUBLIC_URL}/docs/, "
            f"web console {PUBLIC_URL}/console/")
    say("all services ready. A token for a demo user:")
    if identity is not None:
        say(f"  curl -s {PUBLIC_URL}/api/v1/identity/oauth/token -d grant_type=password "
            "-d client_id=lotse-console -d username=cm.hoexter -d password=lotse-demo")
    else:
        say(f"  curl -s -X POST {issuer_url}/token -H 'Content-Type: application/json' "
            "-d '{\"username\": \"cm.hoexter\"}'")
    say(f"logs: {STATE / 'logs'}; stop with `make down`")
    return 0


def stop() -> int:
    names = sorted(p.stem for p in STATE.glob("*.pid")) if STATE.is_dir() else []
    pids = {name: pid for name in names if (pid := running(name))}
    for name, pid in pids.items():
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while pids and time.monotonic() < deadline:
        pids = {name: pid for name, pid in pids.items() if running(name)}
        time.sleep(0.2)
    for name, pid in pids.items():
        say(f"{name} did not stop within 30 s: killing it")
        os.killpg(pid, signal.SIGKILL)
    for name in names:
        (STATE / f"{name}.pid").unlink(missing_ok=True)
    say("stopped" if names else "nothing was running")
    return 0


def status() -> int:
    names = sorted(p.stem for p in STATE.glob("*.pid")) if STATE.is_dir() else []
    rows = {name: running(name) for name in names}
    if not any(rows.values()):
        say("nothing is running (start with `make up`)")
        return 0
    for name, pid in rows.items():
        print(f"  {name:<24} {'pid ' + str(pid) if pid else 'stopped'}")
    print(json.dumps({s.name: f"http://127.0.0.1:{s.local_port}" for s in services()}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="the local Lotse cluster")
    parser.add_argument("command", choices=["start", "stop", "status"])
    command = parser.parse_args().command
    return {"start": start, "stop": stop, "status": status}[command]()


if __name__ == "__main__":
    sys.exit(main())
