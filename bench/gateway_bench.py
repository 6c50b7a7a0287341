"""The gateway's overhead: one authenticated read through HAProxy and directly, in the same run.

    .venv/bin/python bench/gateway_bench.py          # prints the table row, writes the JSON
    from bench import gateway_bench; gateway_bench.run()   # -> dict (for bench/run.py)

What runs, all on 127.0.0.1, in a database and a vhost of the benchmark's own (removed
afterwards): the example service's API under gunicorn (``lotse-example api``, one gthread worker
of four threads as in the local cell: ``API_WORKERS``, ``API_THREADS``) as the app role under
row-level security, a JWKS endpoint with a development key, and the
gateway (``lotse-gateway run``: HAProxy with one thread, rate limits set out of the way). The
request is ``GET /tallies`` with a valid bearer token: the gateway checks the token
(``jwt_verify`` and the claims) and forwards it; the service verifies it again, reads its tallies
under row-level security and answers.

Load: ``wrk`` (one thread, ``CONNECTIONS`` connections) for ``SECONDS`` per round, direct and
through the gateway one after the other in each of ``ROUNDS`` rounds after a warm-up (every
other round the gateway first), so both see the same machine; each path's medians are reported
with their spread, and the verdict is the median of the rounds' ratios (gateway ÷ direct of each
pair) with its quartiles and extremes. Where the time goes: the CPU of each participant per request, from
``/proc`` (:mod:`bench.cpu`) around each round — the service's gunicorn processes, HAProxy,
the gateway's control plane, PostgreSQL, and the rest of the machine (``wrk``, the kernel).
Target: through-gateway requests/s at least ``TARGET_RATIO`` of direct.
"""

from __future__ import annotations

import math
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/gateway_bench.py` puts bench/ itself first

from bench import httpload  # noqa: E402

TARGET_RATIO = 0.9
ROUNDS = 12
SECONDS = 4
WARMUP_SECONDS = 3
CONNECTIONS = 8
#: the example API's gunicorn as the local cell runs every API (``infra/local/cluster.py``'s
#: ``Cell``: one gthread worker of four threads, ADR 0111 point 7). With two workers the ratio
#: depends on which worker the kept-alive connections land on (``busiest_worker_share``): a
#: burst of new connections is often accepted by one worker alone, and a round then measures one
#: core against two (``run(api_workers=2, api_threads=2)`` measures it; bench/README.md)
API_WORKERS = 1
API_THREADS = 4
TENANT = "6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11"


def wrk(url: str, token: str, seconds: int) -> dict:
    return httpload.wrk(["-H", f"Authorization: Bearer {token}"], url, seconds, CONNECTIONS)


def measured(url: str, token: str, seconds: int, groups: dict[str, list], database: str) -> dict:
    """One ``wrk`` round and the CPU per request of each group of processes meanwhile."""
    from bench import cpu

    workers = httpload.gunicorn_workers(groups)
    before = cpu.snapshot(groups, database)
    worked = [cpu.process_seconds(pid) for pid in workers]
    result = wrk(url, token, seconds)
    worked = [cpu.process_seconds(pid) - was for pid, was in zip(workers, worked, strict=True)]
    after = cpu.snapshot(groups, database)
    result["cpu_ms_per_request"] = httpload.cpu_per_request(before, after, result["requests"],
                                                            groups)
    # how the round's work fell on the service's gunicorn workers: with kept-alive connections
    # a connection stays with the worker that accepted it, so wrk's 8 may land 8:0 or 4:4
    result["busiest_worker_share"] = (round(max(worked) / sum(worked), 3)
                                      if len(worked) > 1 and sum(worked) > 0 else 1.0)
    return result


def run(log=print, quiet_patience: float = 60.0, *, rounds: int | None = None,
        seconds: int | None = None, threads: int | None = None,
        api_workers: int = API_WORKERS, api_threads: int = API_THREADS) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make services` installs it "
                         "(infra/local/ensure-services.sh), or `apt-get install wrk`")
    from bench import cpu
    from bench.environment import bench_environment
    from lotse_example.bootstrap import bootstrap
    from lotse_example.settings import ExampleSettings
    from lotse_gateway.haproxy import find_binary, version
    from lotse_gateway.testing import JwksServer, ServiceProcess, call
    from lotse_platform.auth import CASE_MANAGER
    from lotse_platform.auth.devtokens import DevIssuer

    rounds, seconds = rounds or ROUNDS, seconds or SECONDS
    threads = threads or httpload.GATEWAY_THREADS
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
            platform_env = httpload.platform_env(jwks.url, issuer.issuer, env.broker_url)
            service = ServiceProcess("example", {
                **platform_env, "LOTSE_EXAMPLE_DATABASE_URL": env.app_url,
                "LOTSE_EXAMPLE_MIGRATION_DATABASE_URL": env.owner_url,
                "LOTSE_THREADS": str(api_threads)}, scratch / "example.log",
                workers=api_workers)
            service.start()
            gateway = httpload.start_gateway("example", service, platform_env, scratch,
                                             threads=threads)
            direct_url = f"{service.url}/tallies"
            gateway_url = f"{gateway.url}/api/v1/example/tallies"
            for url in (direct_url, gateway_url):
                answer = call("GET", url, headers={"Authorization": f"Bearer {token}"})
                if answer.status != 200:
                    raise RuntimeError(f"{url} answered {answer.status}: {answer.body[:200]!r}")
                wrk(url, token, WARMUP_SECONDS)
            groups = httpload.cpu_groups(service, gateway)
            direct, through = [], []
            for number in range(1, rounds + 1):
                # each pair in turn the other way round (direct first, then the gateway first):
                # what drifts during a run falls on both paths alike
                if number % 2:
                    direct.append(measured(direct_url, token, seconds, groups, env.database))
                    through.append(measured(gateway_url, token, seconds, groups, env.database))
                else:
                    through.append(measured(gateway_url, token, seconds, groups, env.database))
                    direct.append(measured(direct_url, token, seconds, groups, env.database))
                log(f"  round {number}: direct {direct[-1]['requests_per_second']:,.0f}/s, "
                    f"through the gateway {through[-1]['requests_per_second']:,.0f}/s "
                    f"(HAProxy {through[-1]['cpu_ms_per_request'].get('haproxy', 0):.3f} ms, "
                    f"service {direct[-1]['cpu_ms_per_request']['service']:.3f} → "
                    f"{through[-1]['cpu_ms_per_request']['service']:.3f} ms per request; the "
                    f"busiest gunicorn worker's share {direct[-1]['busiest_worker_share']:.2f} → "
                    f"{through[-1]['busiest_worker_share']:.2f})")
    finally:
        if gateway is not None:
            gateway.stop()
        if service is not None:
            service.stop()
        jwks.close()
        shutil.rmtree(scratch, ignore_errors=True)

    summary = {"direct": httpload.summarise(direct), "gateway": httpload.summarise(through)}
    of_medians = (summary["gateway"]["requests_per_second"]
                  / summary["direct"]["requests_per_second"])
    pairs = sorted(g["requests_per_second"] / d["requests_per_second"]
                   for d, g in zip(direct, through, strict=True))
    # the verdict: the median of the pairs' ratios — each pair measured within seconds of
    # itself, so the machine's drift from round to round (the same request's CPU moved by
    # ±20 % between rounds on 2026-12-08) cancels within a pair, not across the medians
    ratio = statistics.median(pairs)
    quartiles = statistics.quantiles(pairs, n=4) if len(pairs) > 1 else [ratio, ratio, ratio]
    haproxy = ".".join(map(str, version(find_binary())))
    return {
        "benchmark": "gateway",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "endpoint": "GET /tallies (example service, bearer token verified by gateway and service)",
        "load": {"tool": "wrk", "threads": 1, "connections": CONNECTIONS, "seconds": seconds,
                 "rounds": rounds, "warmup_seconds": WARMUP_SECONDS},
        "setup": {"gunicorn_workers": api_workers, "gunicorn_threads": api_threads,
                  "haproxy": haproxy, "haproxy_threads": threads},
        "direct": summary["direct"],
        "gateway": summary["gateway"],
        "ratio": round(ratio, 4),
        "ratio_of_medians": round(of_medians, 3),
        # each round's pair (direct and through the gateway, one after the other): the spread
        "ratio_of_rounds": {"min": round(pairs[0], 3), "q1": round(quartiles[0], 3),
                            "median": round(ratio, 3), "q3": round(quartiles[2], 3),
                            "max": round(pairs[-1], 3)},
        "target_ratio": TARGET_RATIO,
        "target_met": ratio >= TARGET_RATIO,
        "busy_cores_before": round(busy, 2),
        "duration_s": round(time.monotonic() - started, 1),
    }


def _spread(path: dict) -> str:
    low, high = path.get("requests_per_second_min"), path.get("requests_per_second_max")
    return f" ({low:,.0f}–{high:,.0f})" if low is not None else ""


def _down(ratio: float) -> str:
    """The ratio to 3 decimals, rounded down: 0.8997 reads 0.899, not a 0.900 that missed."""
    return f"{math.floor(ratio * 1000) / 1000:.3f}"


def table_row(result: dict) -> str:
    direct, gateway = result["direct"], result["gateway"]
    pairs = result.get("ratio_of_rounds")
    spread = ""
    if pairs and "q1" in pairs:
        spread = (f" (the median of the {result['load']['rounds']} rounds' pairs; middle half "
                  f"{pairs['q1']:.2f}–{pairs['q3']:.2f}, all {pairs['min']:.2f}–{pairs['max']:.2f})")
    elif pairs:
        spread = f"; rounds {pairs['min']:.2f}–{pairs['max']:.2f}"
    return (f"| Authenticated read (`GET /tallies`), direct vs through the gateway "
            f"(HAProxy {result['setup']['haproxy']}), {result['load']['rounds']} rounds: "
            f"median (min–max) | direct {direct['requests_per_second']:,.0f}/s{_spread(direct)} "
            f"(p50 {direct['p50_ms']:.1f} ms, p99 {direct['p99_ms']:.1f} ms); gateway "
            f"{gateway['requests_per_second']:,.0f}/s{_spread(gateway)} (p50 "
            f"{gateway['p50_ms']:.1f} ms, p99 {gateway['p99_ms']:.1f} ms) | "
            f"{_down(result['ratio'])} × direct{spread} (target ≥ {result['target_ratio']}: "
            f"{'met' if result['target_met'] else 'missed'}) |")


def write(result: dict) -> Path:
    return httpload.write(result, "gateway")


def main() -> int:
    return httpload.main("gateway overhead: GET /tallies direct and through the gateway "
                         f"({ROUNDS} rounds of {SECONDS} s each)", run, table_row, write)


if __name__ == "__main__":
    sys.exit(main())
