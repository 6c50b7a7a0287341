"""The gateway's overhead: one authenticated read through HAProxy and directly, in the same run.

    .venv/bin/python bench/gateway_bench.py          # prints the table row, writes the JSON
    from bench import gateway_bench; gateway_bench.run()   # -> dict (for bench/run.py)

What runs, all on 127.0.0.1, in a database and a vhost of the benchmark's own (removed
afterwards): the example service's API under gunicorn (``lotse-example api``, ``LOTSE_WORKERS``
2) as the app role under row-level security, a JWKS endpoint with a development key, and the
gateway (``lotse-gateway run``: HAProxy with one thread, rate limits set out of the way). The
request is ``GET /tallies`` with a valid bearer token: the gateway checks the token
(``jwt_verify`` and the claims) and forwards it; the service verifies it again, reads its tallies
under row-level security and answers.

Load: ``wrk`` (one thread, ``CONNECTIONS`` connections) for ``SECONDS`` per round, direct and
through the gateway alternating for ``ROUNDS`` rounds after a warm-up, so both see the same
machine; the medians of the rounds are reported. Target: through-gateway requests/s at least
``TARGET_RATIO`` of direct.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/gateway_bench.py` puts bench/ itself first

RESULTS = ROOT / "bench" / "results"
TARGET_RATIO = 0.8
ROUNDS = 3
SECONDS = 8
WARMUP_SECONDS = 3
CONNECTIONS = 8
TENANT = "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11"

ROUTES = """
version: 1
limits:
  per_client: {{requests: 1000000, per: 1s}}
  per_user: {{requests: 1000000, per: 1s}}
routes:
  - name: example
    prefix: /api/v1/example
    upstreams: ["127.0.0.1:{port}"]
"""

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


def wrk(url: str, token: str, seconds: int) -> dict:
    result = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
         "-H", f"Authorization: Bearer {token}", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(result.stdout)


def _median(rounds: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in rounds), 2)


def run(log=print, quiet_patience: float = 60.0) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make services` installs it "
                         "(infra/local/ensure-services.sh), or `apt-get install wrk`")
    from bench import cpu
    from bench.environment import bench_environment
    from lotse_example.bootstrap import bootstrap
    from lotse_example.settings import ExampleSettings
    from lotse_gateway.haproxy import find_binary, version
    from lotse_gateway.testing import GatewayProcess, JwksServer, ServiceProcess, call
    from lotse_platform.auth import CASE_MANAGER
    from lotse_platform.auth.devtokens import DevIssuer

    started = time.monotonic()
    busy = cpu.wait_for_quiet(patience=quiet_patience)
    jwks = JwksServer()
    issuer = DevIssuer(issuer=f"http://127.0.0.1:{jwks.http.server_port}", kid="bench-1")
    jwks.document = issuer.jwks()
    token = issuer.issue("bench-user", TENANT, "org-awo", [CASE_MANAGER], areas=["area-nord"],
                         ttl=3600)
    scratch = Path(tempfile.mkdtemp(prefix="lotse-gateway-bench-"))
    service = gateway = None
    try:
        with bench_environment() as env:
            example = bootstrap(ExampleSettings(database_url=env.app_url,
                                                migration_database_url=env.owner_url,
                                                broker_url=env.broker_url))
            example.migrate()
            example.engine.dispose()
            platform_env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
            platform_env.update({"LOTSE_JWKS_URL": jwks.url, "LOTSE_TOKEN_ISSUER": issuer.issuer,
                                 "LOTSE_BROKER_URL": env.broker_url, "LOTSE_LOG_LEVEL": "WARNING"})
            service = ServiceProcess("example", {
                **platform_env, "LOTSE_EXAMPLE_DATABASE_URL": env.app_url,
                "LOTSE_EXAMPLE_MIGRATION_DATABASE_URL": env.owner_url}, scratch / "example.log")
            service.start()
            gateway = GatewayProcess(ROUTES.format(port=service.port),
                                     {**platform_env, "LOTSE_GATEWAY_THREADS": "1",
                                      "LOTSE_GATEWAY_JWKS_POLL_INTERVAL": "60"},
                                     scratch / "gateway")
            gateway.start()
            direct_url = f"{service.url}/tallies"
            gateway_url = f"{gateway.url}/api/v1/example/tallies"
            for url in (direct_url, gateway_url):
                answer = call("GET", url, headers={"Authorization": f"Bearer {token}"})
                if answer.status != 200:
                    raise RuntimeError(f"{url} answered {answer.status}: {answer.body[:200]!r}")
                wrk(url, token, WARMUP_SECONDS)
            direct, through = [], []
            for number in range(1, ROUNDS + 1):
                direct.append(wrk(direct_url, token, SECONDS))
                through.append(wrk(gateway_url, token, SECONDS))
                log(f"  round {number}: direct {direct[-1]['requests_per_second']:,.0f}/s, "
                    f"through the gateway {through[-1]['requests_per_second']:,.0f}/s")
    finally:
        if gateway is not None:
            gateway.stop()
        if service is not None:
            service.stop()
        jwks.close()
        shutil.rmtree(scratch, ignore_errors=True)

    summary = {
        path: {"requests_per_second": _median(rounds, "requests_per_second"),
               "p50_ms": _median(rounds, "p50_ms"), "p99_ms": _median(rounds, "p99_ms"),
               "non_2xx": sum(r["non_2xx"] for r in rounds),
               "socket_errors": sum(r["socket_errors"] for r in rounds), "rounds": rounds}
        for path, rounds in (("direct", direct), ("gateway", through))
    }
    ratio = summary["gateway"]["requests_per_second"] / summary["direct"]["requests_per_second"]
    haproxy = ".".join(map(str, version(find_binary())))
    return {
        "benchmark": "gateway",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "endpoint": "GET /tallies (example service, bearer token verified by gateway and service)",
        "load": {"tool": "wrk", "threads": 1, "connections": CONNECTIONS, "seconds": SECONDS,
                 "rounds": ROUNDS, "warmup_seconds": WARMUP_SECONDS},
        "setup": {"gunicorn_workers": 2, "haproxy": haproxy, "haproxy_threads": 1},
        "direct": summary["direct"],
        "gateway": summary["gateway"],
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "target_met": ratio >= TARGET_RATIO,
        "busy_cores_before": round(busy, 2),
        "duration_s": round(time.monotonic() - started, 1),
    }


def table_row(result: dict) -> str:
    direct, gateway = result["direct"], result["gateway"]
    return (f"| Authenticated read (`GET /tallies`), direct vs through the gateway "
            f"(HAProxy {result['setup']['haproxy']}) | direct {direct['requests_per_second']:,.0f}/s "
            f"(p50 {direct['p50_ms']:.1f} ms, p99 {direct['p99_ms']:.1f} ms); gateway "
            f"{gateway['requests_per_second']:,.0f}/s (p50 {gateway['p50_ms']:.1f} ms, p99 "
            f"{gateway['p99_ms']:.1f} ms) | {result['ratio']:.2f} × direct "
            f"(target ≥ {result['target_ratio']}: {'met' if result['target_met'] else 'missed'}) |")


def write(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"gateway-{date.today().isoformat()}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


def main() -> int:
    print("gateway overhead: GET /tallies direct and through the gateway "
          f"({ROUNDS} rounds of {SECONDS} s each)", flush=True)
    result = run(log=lambda line: print(line, flush=True))
    path = write(result)
    print(table_row(result))
    print(f"written: {path.relative_to(ROOT)}")
    failed = result["direct"]["non_2xx"] + result["gateway"]["non_2xx"]
    if failed:
        print(f"error: {failed} answers were not 2xx", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
