"""The memory of a county cell: every process ``make up`` starts, idle and under load.

    .venv/bin/python bench/footprint.py              # prints the table, writes the JSON
    from bench import footprint; footprint.run()     # -> dict (for bench/run.py)

The cell is started the way ``make up`` starts it (``infra/local/cluster.py``: every installed
service migrated, its topology declared, the demo county seeded; each service's API under
gunicorn with its workers and its worker process; the gateway with HAProxy), but beside any
running ``make up``: its own state directory, ports shifted by an offset, databases of its own
(``lotse_fp<id>_<service>``) and a RabbitMQ vhost of its own, all removed afterwards.

Per process: RSS (``VmRSS``: every page it has in memory, shared ones included) and PSS
(``Pss`` of ``/proc/<pid>/smaps_rollup``: each shared page divided among the processes sharing
it — the sum of PSS is what the cell really takes, the sum of RSS counts shared pages once per
process). Read three times:

- **idle**: after a warm-up (every API asked once for its OpenAPI description and each route of
  the load once), ``SETTLE_SECONDS`` later;
- **under load**: ``wrk`` through the gateway for ``LOAD_SECONDS``, round robin over a read of
  every API (a case manager's token; the coordinating office's where only the office may read)
  and a write (a note to the example service, so that its relay and consumer work too), with
  the route table's rate limits out of the way; read every ``SAMPLE_SECONDS``, the highest of
  each process kept;
- **after the load**: once more, ``SETTLE_SECONDS`` after it (what stays).

Goals (issue 16): the whole cell ≤ 1.5 GiB idle, each process < 150 MB.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/footprint.py` puts bench/ itself first
sys.path.insert(0, str(ROOT / "infra" / "local"))

import cluster  # noqa: E402

from bench import httpload  # noqa: E402

MB = 1024 * 1024
CELL_GOAL_MB = 1.5 * 1024  # the whole cell, idle (1.5 GiB)
PROCESS_GOAL_MB = 150.0  # each process
SETTLE_SECONDS = 10
LOAD_SECONDS = 20
SAMPLE_SECONDS = 2.0
CONNECTIONS = 8
OFFSETS = (20000, 21000, 22000, 23000)  # the first whose ports are all free is taken
PASSWORD, CLIENT = "lotse-demo", "lotse-console"
#: the demo's users whose tokens the load carries: a case manager and the coordinating office
USERS = {"cm": "cm.hoexter", "office": "ks.koch"}

#: the load, round robin: (method, path under the gateway, JSON body or None, whose token)
LOAD = (
    ("GET", "/api/v1/example/tallies", None, "cm"),
    ("POST", "/api/v1/example/notes",
     '{"area_id": "%(area)s", "text": "Erstgespr\\u00e4ch gef\\u00fchrt"}', "cm"),
    ("GET", "/api/v1/casework/caseload", None, "cm"),
    ("GET", "/api/v1/intake/case-proposals", None, "office"),
    ("GET", "/api/v1/network/services", None, "cm"),
    ("GET", "/api/v1/reporting/cases/by-area-and-phase", None, "office"),
    ("GET", "/api/v1/steering/cycle", None, "office"),
    ("GET", "/api/v1/identity/organisations", None, "cm"),
)

LUA = """
local requests = {%s}
local n = 0
request = function()
  n = n + 1
  local r = requests[(n %% #requests) + 1]
  return wrk.format(r[1], r[2], {["Authorization"] = "Bearer " .. r[4],
                                 ["Content-Type"] = "application/json"}, r[3])
end
"""


# -- reading a process's memory ------------------------------------------------------------------
def _status(pid: int) -> dict[str, int]:
    """``/proc/<pid>/status``'s memory lines in kB."""
    found = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmSwap"):
                found[key] = int(value.split()[0])
    return found


def _pss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def memory(pid: int) -> dict[str, float] | None:
    """RSS, its anonymous part, and PSS of one process in MB; None when it is gone."""
    try:
        status = _status(pid)
    except OSError:
        return None
    pss = _pss_kb(pid)
    return {"rss_mb": round(status.get("VmRSS", 0) / 1024, 1),
            "anon_mb": round(status.get("RssAnon", 0) / 1024, 1),
            "pss_mb": round(pss / 1024, 1) if pss is not None else None}


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def cell_processes(cell: cluster.Cell) -> dict[str, int]:
    """Every process of the cell by a name saying what it is: ``<service>-api master``,
    ``<service>-api worker N`` (gunicorn's), ``<service>-worker``, ``gateway``, ``haproxy
    master``, ``haproxy worker`` (more than one only while a reload drains)."""
    found: dict[str, int] = {}
    for name, pid in cluster.processes(cell).items():
        if name.endswith("-api"):
            found[f"{name} master"] = pid
            for number, child in enumerate(sorted(_children(pid)), start=1):
                found[f"{name} worker {number}"] = child
        elif name == "gateway":
            found["gateway (control plane)"] = pid
            for child in _children(pid):
                if _comm(child) == "haproxy":
                    found["haproxy master"] = child
                    for number, worker in enumerate(sorted(_children(child)), start=1):
                        found[f"haproxy worker{'' if number == 1 else f' {number}'}"] = worker
        else:
            found[name] = pid
    return found


def reading(processes: dict[str, int]) -> dict[str, dict]:
    return {name: found for name, pid in processes.items() if (found := memory(pid))}


def totals(read: dict[str, dict]) -> dict[str, float]:
    return {"processes": len(read),
            "rss_mb": round(sum(r["rss_mb"] for r in read.values()), 1),
            "pss_mb": round(sum(r["pss_mb"] or 0.0 for r in read.values()), 1),
            "largest_rss_mb": max((r["rss_mb"] for r in read.values()), default=0.0)}


# -- the cell ------------------------------------------------------------------------------------
def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports(offset: int, services) -> list[int]:
    bases = [cluster.DEV_ISSUER_PORT, cluster.GATEWAY_PORT, cluster.GATEWAY_METRICS_PORT,
             cluster.GATEWAY_DOCS_PORT]
    for service in services:
        bases += [service.local_port, service.local_port + 100]
    return [base + offset for base in bases]


def _offset(services) -> int:
    for offset in OFFSETS:
        if all(_free(port) for port in _ports(offset, services)):
            return offset
    raise RuntimeError(f"no free block of ports at the offsets {OFFSETS}")


def _token(cell: cluster.Cell, user: str) -> str:
    body = urllib.parse.urlencode({"grant_type": "password", "client_id": CLIENT,
                                   "username": user, "password": PASSWORD}).encode()
    url = f"http://{cell.gateway_bind}/api/v1/identity/oauth/token"
    with urllib.request.urlopen(url, data=body, timeout=30) as answer:
        return json.loads(answer.read())["access_token"]


def _claims(token: str) -> dict:
    import base64

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _lua(tokens: dict[str, str], area: str) -> str:
    entries = []
    for method, path, body, who in LOAD:
        text = "nil" if body is None else json.dumps(body % {"area": area})
        entries.append(f'{{"{method}", "{path}", {text}, "{tokens[who]}"}}')
    return LUA % ", ".join(entries)


def _warm_up(cell: cluster.Cell, tokens: dict[str, str], area: str) -> dict[str, int]:
    """Each API's OpenAPI description (direct) and each request of the load once (through the
    gateway); the status of each, so a broken route shows."""
    base = f"http://{cell.gateway_bind}"
    statuses = {}
    for service in cluster.services():
        if getattr(service, "describes_api", True):
            urllib.request.urlopen(f"{cell.api_url(service)}/openapi.json", timeout=30).read()
    for method, path, body, who in LOAD:
        data = (body % {"area": area}).encode() if body else None
        request = urllib.request.Request(
            f"{base}{path}", data=data, method=method,
            headers={"Authorization": f"Bearer {tokens[who]}",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                statuses[f"{method} {path}"] = answer.status
        except urllib.error.HTTPError as error:
            statuses[f"{method} {path}"] = error.code
    return statuses


def _routes_without_limits(scratch: Path) -> Path:
    """The shipped route table with its rate limits set out of the way: the load comes from one
    address with two users' tokens, and the shipped limits (60 requests/s per client, 30 per
    user) would answer most of it with 429 at the gateway, which measures nothing."""
    from lotse_gateway.settings import DEFAULT_ROUTES

    text = DEFAULT_ROUTES.read_text()
    start = text.index("\nlimits:\n")
    end = text.index("\n\n", start + 1)
    path = scratch / "routes.yaml"
    path.write_text(text[:start] + "\nlimits:\n  per_client: {requests: 1000000, per: 1s}\n"
                    "  per_user: {requests: 1000000, per: 1s}" + text[end:])
    return path


def _drop_databases(cell: cluster.Cell, services) -> None:
    for service in services:
        cluster.psql(f'DROP DATABASE IF EXISTS "{cell.database(service.name)}" WITH (FORCE)')


def run(log=print, quiet_patience: float = 60.0, load_seconds: int = LOAD_SECONDS) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make services` installs it "
                         "(infra/local/ensure-services.sh), or `apt-get install wrk`")
    from bench import cpu
    from lotse_platform.testing import AMQP_HOST, rabbitmqctl

    started = time.monotonic()
    busy = cpu.wait_for_quiet(patience=quiet_patience)
    services = cluster.services()
    run_id = f"fp{os.getpid()}"
    vhost = f"lotse_bench_{run_id}"
    scratch = Path(tempfile.mkdtemp(prefix="lotse-footprint-"))
    cell = cluster.Cell(state=scratch / "up", port_offset=_offset(services),
                        database_prefix=f"lotse_{run_id}_",
                        broker_url=f"amqp://guest:guest@{AMQP_HOST}/{vhost}",
                        gateway_routes=_routes_without_limits(scratch))
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        log(f"  starting the cell (ports +{cell.port_offset}, state {cell.state})")
        starting = time.monotonic()
        cluster.start(cell)
        up_s = time.monotonic() - starting
        tokens = {who: _token(cell, user) for who, user in USERS.items()}
        area = (_claims(tokens["cm"]).get("areas") or ["area"])[0]
        statuses = _warm_up(cell, tokens, area)
        log(f"  cell up in {up_s:.0f} s; warm-up answers: "
            + ", ".join(f"{k.split()[1]} {v}" for k, v in statuses.items()))
        time.sleep(SETTLE_SECONDS)  # idle is what remains once start-up work has settled
        processes = cell_processes(cell)
        idle = reading(processes)
        log(f"  idle: {len(idle)} processes, RSS {totals(idle)['rss_mb']:,.0f} MB, "
            f"PSS {totals(idle)['pss_mb']:,.0f} MB")

        script = scratch / "load.lua"
        script.write_text(_lua(tokens, area))
        peak: dict[str, dict] = {}
        stop = threading.Event()

        def sample() -> None:
            while True:
                for name, now in reading(processes).items():
                    kept = peak.setdefault(name, dict(now))
                    for key in ("rss_mb", "anon_mb", "pss_mb"):
                        if now[key] is not None and (kept[key] is None or now[key] > kept[key]):
                            kept[key] = now[key]
                if stop.wait(SAMPLE_SECONDS):
                    return

        sampler = threading.Thread(target=sample, name="footprint-sampler", daemon=True)
        sampler.start()
        try:
            load = httpload.wrk(["-s", str(script)], f"http://{cell.gateway_bind}",
                                load_seconds, CONNECTIONS)
        finally:
            stop.set()
            sampler.join(timeout=30)
        log(f"  under load: {load['requests_per_second']:,.0f} requests/s "
            f"({load['non_2xx']} not 2xx), peak RSS {totals(peak)['rss_mb']:,.0f} MB, "
            f"PSS {totals(peak)['pss_mb']:,.0f} MB")
        time.sleep(SETTLE_SECONDS)  # what stays after the load
        after = reading(processes)
    finally:
        cluster.stop(cell)
        try:
            _drop_databases(cell, services)
        finally:
            try:
                rabbitmqctl("delete_vhost", vhost)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)

    rows = {name: {"idle": idle.get(name), "load_peak": peak.get(name), "after": after.get(name)}
            for name in processes}
    over = sorted(name for name, row in rows.items()
                  if max(r["rss_mb"] for r in row.values() if r) >= PROCESS_GOAL_MB)
    idle_total = totals(idle)
    return {
        "benchmark": "footprint",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cell": {"services": [s.name for s in services], "api_workers": _api_workers(),
                 "started_in_s": round(up_s, 1)},
        "load": {"tool": "wrk", "threads": 1, "connections": CONNECTIONS,
                 "seconds": load_seconds, "requests": [f"{m} {p}" for m, p, _, _ in LOAD],
                 "warm_up_statuses": statuses, "requests_per_second": load["requests_per_second"],
                 "non_2xx": load["non_2xx"]},
        "processes": rows,
        "totals": {"idle": idle_total, "load_peak": totals(peak), "after": totals(after)},
        "goals": {"cell_idle_mb": CELL_GOAL_MB, "process_mb": PROCESS_GOAL_MB},
        "estimates": shrink_estimates(rows, [s.name for s in services]),
        "cell_goal_met_rss": idle_total["rss_mb"] <= CELL_GOAL_MB,
        "cell_goal_met_pss": idle_total["pss_mb"] <= CELL_GOAL_MB,
        "processes_over_goal": over,
        "busy_cores_before": round(busy, 2),
        "duration_s": round(time.monotonic() - started, 1),
    }


def shrink_estimates(rows: dict[str, dict], services: list[str]) -> dict[str, float]:
    """What the idle cell would take (MB of PSS) with one gunicorn worker per API instead of
    the default: each API's largest worker left out — from this run's readings, not measured."""
    idle = {name: row["idle"] for name, row in rows.items() if row.get("idle")}
    pss = sum(r["pss_mb"] or 0.0 for r in idle.values())
    rss = sum(r["rss_mb"] for r in idle.values())
    saved_pss = saved_rss = 0.0
    for service in services:
        workers = [r for name, r in idle.items() if name.startswith(f"{service}-api worker")]
        if len(workers) > 1:
            largest = max(workers, key=lambda r: r["rss_mb"])
            saved_pss += largest["pss_mb"] or 0.0
            saved_rss += largest["rss_mb"]
    return {"one_api_worker_pss_mb": round(pss - saved_pss, 1),
            "one_api_worker_rss_mb": round(rss - saved_rss, 1)}


def _api_workers() -> int:
    """The gunicorn workers per API of the cell measured: ``make up``'s, else the platform's
    default."""
    if cluster.MAKE_UP.api_workers is not None:
        return cluster.MAKE_UP.api_workers
    from lotse_platform.http import gunicorn_conf

    return int(gunicorn_conf.workers)


def _cell(row: dict | None) -> str:
    if not row:
        return "–"
    idle, peak = row.get("idle"), row.get("load_peak")
    if not idle:
        return "–"
    text = f"{idle['rss_mb']:.0f}"
    if peak:
        text += f" → {peak['rss_mb']:.0f}"
    if idle.get("pss_mb") is not None:
        text += f" ({idle['pss_mb']:.0f})"
    return text


def _largest(rows: dict[str, dict], prefix: str) -> dict | None:
    """Of the processes named ``prefix…`` (a service's gunicorn workers), the one with the
    largest RSS under load."""
    found = [row for name, row in rows.items() if name.startswith(prefix) and row.get("idle")]
    return max(found, key=lambda r: (r.get("load_peak") or r["idle"])["rss_mb"], default=None)


def table_rows(result: dict) -> list[str]:
    """The README's table: per service its API's gunicorn master, its largest gunicorn worker,
    its worker process; the gateway's processes; the totals."""
    rows = result["processes"]
    workers = result["cell"]["api_workers"]
    its_workers = "its gunicorn worker" if workers == 1 else f"largest of its {workers} workers"
    lines = [f"| process: RSS idle → under load, MB (PSS idle) | API: gunicorn master | API: "
             f"{its_workers} | worker (relay, consumers, sealer) |",
             "|---|---:|---:|---:|"]
    for service in result["cell"]["services"]:
        lines.append(f"| {service} | {_cell(rows.get(f'{service}-api master'))} | "
                     f"{_cell(_largest(rows, f'{service}-api worker'))} | "
                     f"{_cell(rows.get(f'{service}-worker'))} |")
    lines.append(f"| gateway: control plane (Python) · HAProxy master · HAProxy worker | "
                 f"{_cell(rows.get('gateway (control plane)'))} | "
                 f"{_cell(rows.get('haproxy master'))} | {_cell(rows.get('haproxy worker'))} |")
    idle, peak = result["totals"]["idle"], result["totals"]["load_peak"]
    goal = result["goals"]
    over = result["processes_over_goal"]
    lines.append(
        f"| **cell: {idle['processes']} processes** | RSS idle {idle['rss_mb']:,.0f} MB "
        f"(goal ≤ {goal['cell_idle_mb']:,.0f}: {'met' if result['cell_goal_met_rss'] else 'missed'}"
        f"), under load {peak['rss_mb']:,.0f} MB | PSS idle {idle['pss_mb']:,.0f} MB "
        f"({'met' if result['cell_goal_met_pss'] else 'missed'}), under load "
        f"{peak['pss_mb']:,.0f} MB | largest process {max(idle['largest_rss_mb'], peak['largest_rss_mb']):.0f} MB "
        f"(goal < {goal['process_mb']:.0f}: "
        f"{'met' if not over else f'missed by {len(over)}'}) |")
    return lines


def write(result: dict) -> Path:
    return httpload.write(result, "footprint")


def main() -> int:
    result = run(log=lambda line: print(line, flush=True))
    path = write(result)
    print("\n".join(table_rows(result)))
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
