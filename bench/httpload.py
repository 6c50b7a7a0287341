"""What the HTTP benchmarks share: ``wrk`` runs and their parsing, medians over alternating
rounds, the JSON under ``bench/results/`` and the command-line entry of a part run on its own.

Used by :mod:`bench.gateway_bench` (an authenticated read) and :mod:`bench.casework_bench`
(casework's write path); both load with ``wrk`` (one thread, a few connections) and alternate
"through the gateway" and "direct" rounds so that both see the same machine.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from lotse_platform import clock

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(f"not a wrk latency: {text}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p99 (ms), requests, non-2xx and socket errors from ``wrk --latency``."""
    def number(pattern: str, default: float | None = None) -> float:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            if default is None:
                raise ValueError(f"wrk output without {pattern!r}:\n{output}")
            return default
        return float(match.group(1))

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    return {
        "requests_per_second": number(r"^Requests/sec:\s+([\d.]+)"),
        "p50_ms": _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99_ms": _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(number(r"^\s+(\d+) requests in")),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)", 0)),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def wrk(arguments: list[str], url: str, seconds: int, connections: int) -> dict:
    """One ``wrk`` run (one thread) against ``url``; ``arguments`` add headers or a script."""
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *arguments, url],
        capture_output=True, text=True, timeout=seconds + 60, check=True)
    if result.stderr.strip():  # e.g. a broken script makes wrk fall back to GET /, silently
        raise RuntimeError(f"wrk: {result.stderr.strip()[:500]}")
    return parse_wrk(result.stdout)


#: the gateway's route table for one service, rate limits set out of the way
ROUTES = """
version: 1
limits:
  per_client: {{requests: 1000000, per: 1s}}
  per_user: {{requests: 1000000, per: 1s}}
routes:
  - name: {name}
    prefix: /api/v1/{name}
    upstreams: ["127.0.0.1:{port}"]
"""


def platform_env(jwks_url: str, issuer: str, broker_url: str) -> dict[str, str]:
    """What a service process and the gateway of a benchmark run with: this environment without
    its LOTSE_ settings, the development key's JWKS and issuer, the benchmark's broker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update({"LOTSE_JWKS_URL": jwks_url, "LOTSE_TOKEN_ISSUER": issuer,
                "LOTSE_BROKER_URL": broker_url, "LOTSE_LOG_LEVEL": "WARNING"})
    return env


#: HAProxy's threads in the benchmarks: the gateway's default (``LOTSE_GATEWAY_THREADS``)
GATEWAY_THREADS = 1


def start_gateway(name: str, service, env: dict[str, str], scratch: Path, *,
                  threads: int = GATEWAY_THREADS):
    """The gateway (HAProxy with ``threads`` threads) in front of ``service`` (a started
    ``lotse_gateway.testing.ServiceProcess``) under ``/api/v1/<name>``, started."""
    from lotse_gateway.testing import GatewayProcess

    gateway = GatewayProcess(ROUTES.format(name=name, port=service.port),
                             {**env, "LOTSE_GATEWAY_THREADS": str(threads),
                              "LOTSE_GATEWAY_JWKS_POLL_INTERVAL": "60"}, scratch / "gateway")
    gateway.start()
    return gateway


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        try:
            text = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        children = [int(p) for p in text.split()]
        found += children
        queue += children
    return found


def cpu_groups(service, gateway=None) -> dict[str, list[int]]:
    """The processes whose CPU a round counts: the service's gunicorn (master and workers),
    HAProxy (master and worker) and the gateway's control plane (Python)."""
    groups = {"service": [service.process.pid, *_descendants(service.process.pid)]}
    if gateway is not None:
        below = _descendants(gateway.process.pid)
        groups["haproxy"] = [pid for pid in below if _comm(pid) == "haproxy"]
        groups["gateway_control"] = [gateway.process.pid]
    return groups


def gunicorn_workers(groups: dict[str, list[int]]) -> list[int]:
    """The service's gunicorn workers (its group's processes but the master, the first)."""
    return groups["service"][1:]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def cpu_per_request(before, after, requests: int, groups: dict) -> dict[str, float]:
    """CPU ms per request of each group, PostgreSQL (the benchmark database's backends) and the
    rest of the machine (``wrk``, the kernel's network work, anything else running)."""
    from bench import cpu

    per = cpu.per_event_ms(before, after, requests)
    known = sum(per[name] for name in groups) + per.get("postgresql.own", 0.0)
    shown = {name: per[name] for name in groups}
    shown["postgresql"] = per.get("postgresql.own", 0.0)
    shown["rest"] = round(max(0.0, per["machine"] - known), 3)
    shown["machine"] = per["machine"]
    return shown


def summarise(rounds: list[dict]) -> dict:
    """The medians of a path's rounds, the errors of all of them, and the rounds themselves."""
    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 2)

    def cpu_median(name: str) -> float:
        return round(statistics.median(r["cpu_ms_per_request"][name] for r in rounds), 3)

    summary = {"requests_per_second": median("requests_per_second"),
               "requests_per_second_min": min(r["requests_per_second"] for r in rounds),
               "requests_per_second_max": max(r["requests_per_second"] for r in rounds),
               "p50_ms": median("p50_ms"), "p99_ms": median("p99_ms"),
               "non_2xx": sum(r["non_2xx"] for r in rounds),
               "socket_errors": sum(r["socket_errors"] for r in rounds)}
    if all("cpu_ms_per_request" in r for r in rounds):
        summary["cpu_ms_per_request"] = {name: cpu_median(name)
                                         for name in rounds[0]["cpu_ms_per_request"]}
    summary["rounds"] = rounds
    return summary


def write(result: dict, name: str) -> Path:
    """``bench/results/<name>-<date>.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{clock.today().isoformat()}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


def main(title: str, run, table_row, write_result) -> int:
    """A part run on its own: measure, write its JSON, print its table row; 1 when any answer
    was not 2xx (the numbers then measure errors)."""
    print(title, flush=True)
    result = run(log=lambda line: print(line, flush=True))
    path = write_result(result)
    print(table_row(result))
    print(f"written: {path}")
    failed = result["direct"]["non_2xx"] + result["gateway"]["non_2xx"]
    if failed:
        print(f"error: {failed} answers were not 2xx", file=sys.stderr)
    return 1 if failed else 0
