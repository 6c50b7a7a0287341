"""Casework's write path under load: "record a contact" (``POST /cases/<id>/contacts``).

    .venv/bin/python bench/casework_bench.py          # prints and writes the JSON
    from bench import casework_bench; casework_bench.run()   # -> dict (for bench/run.py)

What runs, all on this machine, in a database and a vhost of the benchmark's own (removed
afterwards): the casework API under gunicorn (``lotse-casework api``, ``LOTSE_WORKERS`` 2) as the
app role under row-level security, its outbox relay (``lotse-casework worker --only relay``)
publishing the ``casework.contact.recorded.v1`` events to RabbitMQ meanwhile, and the
development token server for the JWKS. The gateway is not in the path: ``gateway/`` has no
runnable gateway yet, so requests go straight to gunicorn (``"path"`` in the result says so).

Load: ``CLIENTS`` keep-alive HTTP connections in two client processes, each request a contact on
one of ``CASES`` cases of one case manager (each write locks its case, audits, and writes its
event to the outbox in one transaction), for ``SECONDS`` after ``WARMUP``. Reported: requests
per second, p50/p90/p99 latency, errors.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
CASES = 50
CLIENTS = 8
PROCESSES = 2
WARMUP = 3.0
SECONDS = 20.0
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {seconds:.0f} s")


def _client(port: int, token: str, cases: list[str], stop_at: float, measure_from: float,
            threads: int, out) -> None:
    """One client process: ``threads`` keep-alive connections posting contacts."""
    body = json.dumps({"type": "phone_call", "occurred_on": date.today().isoformat(),
                       "duration_minutes": 15, "topics": ["residence"],
                       "notes": "Rückfrage zum Termin bei der Ausländerbehörde"}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def loop(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = offset
        mine, failed = [], 0
        while time.time() < stop_at:
            path = f"/cases/{cases[n % len(cases)]}/contacts"
            n += threads
            started = time.time()
            try:
                connection.request("POST", path, body, headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 201
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if started >= measure_from:
                if ok:
                    mine.append(time.time() - started)
                else:
                    failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put((latencies, errors[0]))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _seed(settings_env: dict, tenant, user, org: str, area: str) -> list[str]:
    """Open ``CASES`` cases of one case manager straight through the service layer."""
    from lotse_casework.bootstrap import Casework
    from lotse_casework.domain.handover import HandoverPackage
    from lotse_casework.domain.model import AwaitingHandover
    from lotse_casework.service_layer.admission import open_case
    from lotse_casework.settings import CaseworkSettings

    service = Casework(CaseworkSettings(
        database_url=settings_env["LOTSE_CASEWORK_DATABASE_URL"],
        migration_database_url=settings_env["LOTSE_CASEWORK_MIGRATION_DATABASE_URL"],
        broker_url=settings_env["LOTSE_BROKER_URL"]))
    ids = []
    for n in range(CASES):
        intake_id = f"bench-{n}"
        package = HandoverPackage.parse({"person": {"given_name": "Bench", "family_name": f"{n}"},
                                         "consents": []}, intake_id)
        admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                     case_manager_id=str(user.id), case_manager_org_id=org,
                                     area_id=area, admitted_on=date.today(),
                                     topic_areas=["residence", "housing"])
        with service.uow(tenant) as uow:
            ids.append(str(open_case(uow, admission, package).id))
            uow.commit()
    service.engine.dispose()
    return ids


def run(seconds: float = SECONDS) -> dict:
    from lotse_demo import COUNTY
    from lotse_platform.testing import AMQP_HOST, DatabaseFactory, rabbitmqctl

    run_id = f"cw{os.getpid()}{secrets.token_hex(2)}"
    factory = DatabaseFactory(run_id)
    vhost = f"lotse_bench_{run_id}"
    processes: list[subprocess.Popen] = []
    tmp = Path(tempfile.mkdtemp(prefix="lotse-cw-bench-"))
    try:
        database = factory.create("casework")
        rabbitmqctl("add_vhost", vhost)
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        issuer_port, api_port = _free_port(), _free_port()
        issuer_url = f"http://127.0.0.1:{issuer_port}"
        env = {**os.environ,
               "LOTSE_CASEWORK_DATABASE_URL": database.app_url,
               "LOTSE_CASEWORK_MIGRATION_DATABASE_URL": database.owner_url,
               "LOTSE_BROKER_URL": f"amqp://guest:guest@{AMQP_HOST}/{vhost}",
               "LOTSE_MODE": "local", "LOTSE_JWKS_URL": f"{issuer_url}/.well-known/jwks.json",
               "LOTSE_TOKEN_ISSUER": issuer_url, "LOTSE_LOG_LEVEL": "WARNING",
               "LOTSE_LOG_FORMAT": "json", "LOTSE_BIND": f"127.0.0.1:{api_port}",
               "LOTSE_WORKERS": str(WORKERS), "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics")}
        (tmp / "metrics").mkdir()
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([str(BIN / "lotse-casework"), "setup"], env=env, check=True, **quiet)

        issuer = subprocess.Popen([sys.executable, "-m", "lotse_platform.auth.devserver", "--port",
                                   str(issuer_port), "--key-file", str(tmp / "key.json")],
                                  start_new_session=True, **quiet)
        processes.append(issuer)
        _wait(f"{issuer_url}/healthz", 30, issuer)
        request = urllib.request.Request(f"{issuer_url}/token", method="POST",
                                         data=json.dumps({"username": "cm.hoexter"}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            token = json.loads(response.read())["access_token"]

        user = COUNTY.user("cm.hoexter")
        cases = _seed(env, COUNTY.tenant_id, user,
                      str(COUNTY.organisation(user.organisation).id),
                      str(COUNTY.area(user.areas[0]).id))
        api = subprocess.Popen([str(BIN / "lotse-casework"), "api"], env=env,
                               start_new_session=True, **quiet)
        relay = subprocess.Popen([str(BIN / "lotse-casework"), "worker", "--only", "relay"],
                                 env=env, start_new_session=True, **quiet)
        processes += [api, relay]
        _wait(f"http://127.0.0.1:{api_port}/readyz", 60, api)

        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        measure_from = time.time() + WARMUP
        stop_at = measure_from + seconds
        clients = [context.Process(target=_client, args=(
            api_port, token, cases[i::PROCESSES], stop_at, measure_from, CLIENTS // PROCESSES,
            results)) for i in range(PROCESSES)]
        for client in clients:
            client.start()
        latencies, errors = [], 0
        for _ in clients:
            found, failed = results.get(timeout=seconds + WARMUP + 120)
            latencies += found
            errors += failed
        for client in clients:
            client.join(timeout=30)

        result = {
            "benchmark": "casework.record_contact",
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "path": "direct: casework API under gunicorn (no gateway: gateway/ has no runnable "
                    "gateway yet)",
            "request": "POST /cases/<id>/contacts (phone call, 15 min, one topic, a note)",
            "gunicorn_workers": WORKERS, "clients": CLIENTS, "client_processes": PROCESSES,
            "cases": CASES, "relay_running": True, "seconds": seconds,
            "requests": len(latencies), "errors": errors,
            "requests_per_second": round(len(latencies) / seconds, 1),
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p90_ms": round(_percentile(latencies, 0.90) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "cores": os.cpu_count(),
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        target = RESULTS / f"casework-{date.today().isoformat()}.json"
        target.write_text(json.dumps(result, indent=2) + "\n")
        result["file"] = str(target.relative_to(ROOT))
        return result
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        try:
            rabbitmqctl("delete_vhost", vhost)
        except RuntimeError:
            pass
        factory.drop_all()


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
