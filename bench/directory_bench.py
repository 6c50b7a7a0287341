"""The referral network's directory search under load (issue 11): a case manager's search in a
conversation, through the gateway, with ``SERVICES`` services in the county's directory and
``CONNECTIONS`` users searching at once. Goal: p99 under ``TARGET_P99_MS``.

    .venv/bin/python bench/directory_bench.py          # prints the table row, writes the JSON
    from bench import directory_bench; directory_bench.run()   # -> dict (for bench/run.py)

What runs, all on 127.0.0.1, in a database and a vhost of the benchmark's own (removed
afterwards): the network API under gunicorn (``lotse-network api``, ``LOTSE_WORKERS`` 2) as the
app role under row-level security, with the demo county's directory and ``SERVICES`` services
added through the use case that maintains it (audited, published, indexed for full-text search);
a JWKS endpoint with a development key; the gateway (``lotse-gateway run``: HAProxy with one
thread, rate limits set out of the way), which checks the token and forwards.

Each request is one of ``QUERIES`` — free text, a topic area, a town, a language, a kind, "open
now", combined as a case manager combines them — round robin (a Lua script). Three loads, each
``ROUNDS`` rounds after a warm-up (the medians of the rounds are reported):

- **20 users in conversation** (the target's reading): ``CONNECTIONS`` connections, each searching
  again after a pause of ``THINK_MS`` ± 50 % (wrk's ``delay``) — one search a second per user, far
  more than a case manager types in a conversation — for ``CONVERSATION_SECONDS`` per round;
- **saturation**: the same connections searching again as soon as they have their answer (a
  closed loop, no pause): the capacity of one network API process pair behind one gateway thread
  on this machine, reported, no target;
- **one user alone**, for comparison.

The database is ANALYZEd after the seeding, as autovacuum would soon do.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/directory_bench.py` puts bench/ itself first

from bench import httpload  # noqa: E402

SERVICES = 5000
CONNECTIONS = 20
TARGET_P99_MS = 50.0
ROUNDS = 3
SECONDS = 10
CONVERSATION_SECONDS = 20
#: a user's pause between two searches in a conversation (milliseconds, ± 50 %)
THINK_MS = 1000
WARMUP_SECONDS = 3
LUA = """
local paths = {%s}
local n = 0
wrk.headers["Authorization"] = "Bearer %s"
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n %% #paths) + 1])
end
"""
#: the pause before each next search of one connection (wrk calls ``delay`` per request)
THINK = """
delay = function()
  return math.random(%d, %d)
end
"""


def queries(county) -> list[dict]:
    """What a case manager types and picks in a conversation (the demo county's towns)."""
    brakel, warburg = str(county.area("brakel").id), str(county.area("warburg").id)
    return [
        {"q": "Sprachkurs"},
        {"q": "Schuldnerberatung", "area_id": brakel},
        {"topic_area": "residence", "language": "ar"},
        {"topic_area": "work_training", "area_id": warburg},
        {"kind": "migration_counselling_adults", "open_now": "true"},
        {"q": "Wohnung", "topic_area": "housing"},
        {"q": "Beratung Aufenthalt", "language": "uk", "limit": "20"},
        {"topic_area": "health", "offset": "20"},
    ]


def _seed(env, county) -> int:
    """The demo county's directory, then copies of its services up to ``SERVICES``, each with
    its own name, through the use case (audit, event, full-text index)."""
    from lotse_network.bootstrap import bootstrap
    from lotse_network.domain.directory import SaveService, ServiceSearch
    from lotse_network.service_layer.directory import save_service
    from lotse_network.settings import NetworkSettings

    network = bootstrap(NetworkSettings(database_url=env.app_url,
                                        migration_database_url=env.owner_url,
                                        broker_url=env.broker_url))
    network.migrate()
    network.seed_demo(county)
    with network.uow(county.tenant_id) as uow:
        demo = uow.search_services(ServiceSearch(limit=100)).items
    made = len(demo)
    towns = ("Höxter", "Brakel", "Warburg", "Bad Driburg", "Beverungen", "Steinheim")
    while made < SERVICES:
        original = demo[made % len(demo)]
        copy = replace(original, id=uuid.uuid4(),
                       name=f"{original.name} – Außensprechstunde {towns[made % len(towns)]} "
                            f"{made}")
        save_service(SaveService(copy), network.uow(county.tenant_id))
        made += 1
    network.engine.dispose()
    # what autovacuum does soon after such a load in production: the planner's statistics
    import sqlalchemy as sa

    owner = sa.create_engine(env.owner_url)
    with owner.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    owner.dispose()
    return made


def run(log=print, quiet_patience: float = 60.0) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make services` installs it "
                         "(infra/local/ensure-services.sh), or `apt-get install wrk`")
    from bench import cpu
    from bench.environment import bench_environment
    from lotse_demo import COUNTY
    from lotse_gateway.haproxy import find_binary, version
    from lotse_gateway.testing import JwksServer, ServiceProcess, call
    from lotse_platform.auth import CASE_MANAGER
    from lotse_platform.auth.devtokens import DevIssuer

    started = time.monotonic()
    jwks = JwksServer()
    issuer = DevIssuer(issuer=f"http://127.0.0.1:{jwks.http.server_port}", kid="bench-1")
    jwks.document = issuer.jwks()
    user = COUNTY.user("cm.hoexter")
    token = issuer.issue(str(user.id), str(COUNTY.tenant_id),
                         str(COUNTY.organisation(user.organisation).id), [CASE_MANAGER],
                         areas=[str(COUNTY.area(a).id) for a in user.areas], ttl=3600)
    scratch = Path(tempfile.mkdtemp(prefix="lotse-directory-bench-"))
    service = gateway = None
    try:
        with bench_environment() as env:
            seeding = time.monotonic()
            services = _seed(env, COUNTY)
            seeded_s = time.monotonic() - seeding
            log(f"  {services:,} services in the directory ({seeded_s:.0f} s to add them)")
            busy = cpu.wait_for_quiet(patience=quiet_patience)
            platform_env = httpload.platform_env(jwks.url, issuer.issuer, env.broker_url)
            service = ServiceProcess("network", {
                **platform_env, "LOTSE_NETWORK_DATABASE_URL": env.app_url,
                "LOTSE_NETWORK_MIGRATION_DATABASE_URL": env.owner_url}, scratch / "network.log")
            service.start()
            gateway = httpload.start_gateway("network", service, platform_env, scratch)
            paths = [f"/api/v1/network/services?{urllib.parse.urlencode(q)}"
                     for q in queries(COUNTY)]
            for path in paths:
                answer = call("GET", gateway.url + path,
                              headers={"Authorization": f"Bearer {token}"})
                if answer.status != 200:
                    raise RuntimeError(f"{path} answered {answer.status}: {answer.body[:200]!r}")
            script, paced = scratch / "search.lua", scratch / "conversation.lua"
            script.write_text(LUA % (", ".join(f'"{p}"' for p in paths), token))
            paced.write_text(script.read_text() + THINK % (THINK_MS // 2, THINK_MS * 3 // 2))

            def load(seconds: int, connections: int = CONNECTIONS, lua: Path = script) -> dict:
                return httpload.wrk(["-s", str(lua)], gateway.url, seconds, connections)

            load(WARMUP_SECONDS)
            rounds, alone, talks = [], [], []
            for number in range(1, ROUNDS + 1):
                talks.append(load(CONVERSATION_SECONDS, lua=paced))
                rounds.append(load(SECONDS))
                alone.append(load(SECONDS, 1))
                log(f"  round {number}: {CONNECTIONS} users in conversation p99 "
                    f"{talks[-1]['p99_ms']:.1f} ms ({talks[-1]['requests_per_second']:,.0f} "
                    f"searches/s); saturated {rounds[-1]['requests_per_second']:,.0f} searches/s,"
                    f" p99 {rounds[-1]['p99_ms']:.1f} ms; one user p99 "
                    f"{alone[-1]['p99_ms']:.1f} ms")
    finally:
        if gateway is not None:
            gateway.stop()
        if service is not None:
            service.stop()
        jwks.close()
        shutil.rmtree(scratch, ignore_errors=True)

    summary = httpload.summarise(rounds)
    conversation = httpload.summarise(talks)
    return {
        "conversation": conversation,
        "one_user": httpload.summarise(alone),
        "benchmark": "directory",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "endpoint": "GET /api/v1/network/services (search) through the gateway",
        "services": services,
        "queries": queries(COUNTY),
        "load": {"tool": "wrk", "threads": 1, "connections": CONNECTIONS, "seconds": SECONDS,
                 "conversation_seconds": CONVERSATION_SECONDS, "think_ms": THINK_MS,
                 "rounds": ROUNDS, "warmup_seconds": WARMUP_SECONDS},
        "setup": {"gunicorn_workers": 2, "haproxy": ".".join(map(str, version(find_binary()))),
                  "haproxy_threads": 1, "database": "PostgreSQL (German full-text, GIN)"},
        "gateway": summary,  # saturation
        "target_p99_ms": TARGET_P99_MS,
        "target_reading": f"{CONNECTIONS} users in conversation (a search every "
                          f"{THINK_MS / 2000:g}–{THINK_MS * 1.5 / 1000:g} s each)",
        "target_met": conversation["p99_ms"] < TARGET_P99_MS,
        "seed_seconds": round(seeded_s, 1),
        "busy_cores_before": round(busy, 2),
        "duration_s": round(time.monotonic() - started, 1),
    }


def table_row(result: dict) -> str:
    through, alone = result["gateway"], result.get("one_user")
    talk = result.get("conversation")
    single = (f"; one user alone: p50 {alone['p50_ms']:.1f} ms, p99 {alone['p99_ms']:.1f} ms"
              if alone else "")
    if talk:  # the target's reading, then the capacity at saturation
        measured = (f"{result['target_reading']}: p50 {talk['p50_ms']:.1f} ms, p99 "
                    f"{talk['p99_ms']:.1f} ms; saturated (no pause): "
                    f"{through['requests_per_second']:,.0f} searches/s, p99 "
                    f"{through['p99_ms']:.1f} ms{single}")
        load = f"{result['load']['connections']} users, through the gateway"
    else:  # a result recorded before the conversation reading
        measured = (f"{through['requests_per_second']:,.0f} searches/s (p50 "
                    f"{through['p50_ms']:.1f} ms, p99 {through['p99_ms']:.1f} ms){single}")
        load = (f"{result['load']['connections']} users searching without pause, through the "
                "gateway")
    return (f"| Directory search (`GET /network/services`), {result['services']:,} services, "
            f"{load} | {measured} | p99 target < {result['target_p99_ms']:.0f} ms: "
            f"{'met' if result['target_met'] else 'missed'} |")


def write(result: dict) -> Path:
    return httpload.write(result, "directory")


def main() -> int:
    print(f"directory search: {SERVICES:,} services, {CONNECTIONS} users, through the gateway "
          f"({ROUNDS} rounds of {SECONDS} s each)", flush=True)
    result = run(log=lambda line: print(line, flush=True))
    path = write(result)
    print(table_row(result))
    print(f"written: {path}")
    failed = result["gateway"]["non_2xx"]
    if failed:
        print(f"error: {failed} answers were not 2xx", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
