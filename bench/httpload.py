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


def start_gateway(name: str, service, env: dict[str, str], scratch: Path):
    """The gateway (HAProxy with one thread) in front of ``service`` (a started
    ``lotse_gateway.testing.ServiceProcess``) under ``/api/v1/<name>``, started."""
    from lotse_gateway.testing import GatewayProcess

    gateway = GatewayProcess(ROUTES.format(name=name, port=service.port),
                             {**env, "LOTSE_GATEWAY_THREADS": "1",
                              "LOTSE_GATEWAY_JWKS_POLL_INTERVAL": "60"}, scratch / "gateway")
    gateway.start()
    return gateway


def summarise(rounds: list[dict]) -> dict:
    """The medians of a path's rounds, the errors of all of them, and the rounds themselves."""
    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 2)

    return {"requests_per_second": median("requests_per_second"),
            "p50_ms": median("p50_ms"), "p99_ms": median("p99_ms"),
            "non_2xx": sum(r["non_2xx"] for r in rounds),
            "socket_errors": sum(r["socket_errors"] for r in rounds), "rounds": rounds}


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
