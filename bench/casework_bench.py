"""Casework's write path under load: "record a contact" (``POST /cases/<id>/contacts``), through
the gateway and, for comparison, directly — in the same run.

    .venv/bin/python bench/casework_bench.py          # prints the table row, writes the JSON
    from bench import casework_bench; casework_bench.run()   # -> dict (for bench/run.py)

What runs, all on 127.0.0.1, in a database and a vhost of the benchmark's own (removed
afterwards): the casework API under gunicorn (``lotse-casework api``, ``LOTSE_WORKERS`` 2) as the
app role under row-level security; its outbox relay and audit sealer (``lotse-casework worker
--only relay --only sealer``) publishing the ``casework.contact.recorded.v1`` events to RabbitMQ
and sealing the audit entries meanwhile; a JWKS endpoint
with a development key; the gateway (``lotse-gateway run``: HAProxy with one thread, rate limits
set out of the way), which checks the token and forwards to casework, which verifies it again.

Each request records a phone call (15 min, one topic, a note) on one of ``CASES`` cases of one
case manager, round robin: the write locks its case, appends an audit entry and writes its event
to the outbox in one transaction. Load: ``wrk`` (one thread, ``CONNECTIONS`` connections, a Lua
script for the POST) for ``SECONDS`` per round, through the gateway and direct alternating for
``ROUNDS`` rounds after a warm-up; the medians of the rounds are reported.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/casework_bench.py` puts bench/ itself first

from bench import httpload  # noqa: E402
from lotse_platform import clock  # noqa: E402

BIN = Path(sys.executable).parent
CASES = 50
CONNECTIONS = 8
ROUNDS = 3
SECONDS = 8
WARMUP_SECONDS = 3

LUA = """
local paths = {%s}
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
wrk.body = '%s'
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n %% #paths) + 1])
end
"""


def _seed(env, tenant, user, org: str, area: str, keys: Path) -> list[str]:
    """Open ``CASES`` cases of one case manager straight through the service layer."""
    from lotse_casework.bootstrap import CaseworkService
    from lotse_casework.domain.handover import HandoverPackage
    from lotse_casework.domain.model import AwaitingHandover
    from lotse_casework.service_layer.admission import open_case
    from lotse_casework.settings import CaseworkSettings

    service = CaseworkService(CaseworkSettings(database_url=env.app_url,
                                        migration_database_url=env.owner_url,
                                        broker_url=env.broker_url, key_dir=keys))
    service.migrate()
    service.declare_topology()
    ids = []
    for n in range(CASES):
        intake_id = f"bench-{n}"
        package = HandoverPackage.parse({"person": {"given_name": "Bench", "family_name": str(n)},
                                         "consents": []}, intake_id)
        admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                     case_manager_id=str(user.id), case_manager_org_id=org,
                                     area_id=area, admitted_on=clock.today(),
                                     topic_areas=["residence", "housing"])
        with service.uow(tenant) as uow:
            ids.append(str(open_case(uow, admission, package).id))
            uow.commit()
    service.engine.dispose()
    return ids


def wrk(script: Path, base_url: str, seconds: int) -> dict:
    return httpload.wrk(["-s", str(script)], base_url, seconds, CONNECTIONS)


def run(log=print, quiet_patience: float = 60.0) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make services` installs it, or "
                         "`apt-get install wrk`")
    from lotse_demo import COUNTY

    from bench import cpu
    from bench.environment import bench_environment
    from lotse_gateway.haproxy import find_binary, version
    from lotse_gateway.testing import JwksServer, ServiceProcess, call
    from lotse_platform.auth.devtokens import DevIssuer

    started = time.monotonic()
    busy = cpu.wait_for_quiet(patience=quiet_patience)
    jwks = JwksServer()
    issuer = DevIssuer(issuer=f"http://127.0.0.1:{jwks.http.server_port}", kid="bench-cw")
    jwks.document = issuer.jwks()
    user = COUNTY.user("cm.hoexter")
    org = str(COUNTY.organisation(user.organisation).id)
    area = str(COUNTY.area(user.areas[0]).id)
    token = issuer.issue(str(user.id), COUNTY.tenant_id, org, list(user.roles), areas=[area],
                         ttl=3600)
    scratch = Path(tempfile.mkdtemp(prefix="lotse-casework-bench-"))
    service = gateway = relay = None
    try:
        with bench_environment() as env:
            # the tenants' keys (ADR 0104: the contact's note is stored encrypted)
            keys = scratch / "keys"
            cases = _seed(env, COUNTY.tenant_id, user, org, area, keys)
            platform_env = {**httpload.platform_env(jwks.url, issuer.issuer, env.broker_url),
                            "LOTSE_MODE": "local"}
            casework_env = {**platform_env, "LOTSE_CASEWORK_DATABASE_URL": env.app_url,
                            "LOTSE_CASEWORK_MIGRATION_DATABASE_URL": env.owner_url,
                            "LOTSE_KEY_STORE": f"file:{keys}"}
            service = ServiceProcess("casework", casework_env, scratch / "casework.log")
            service.start()
            with open(scratch / "relay.log", "ab") as relay_log:
                relay = subprocess.Popen([str(BIN / "lotse-casework"), "worker", "--only", "relay",
                                          "--only", "sealer"],
                                         env=casework_env, stdout=relay_log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
            gateway = httpload.start_gateway("casework", service, platform_env, scratch)

            body = json.dumps({"type": "phone_call", "occurred_on": clock.today().isoformat(),
                               "duration_minutes": 15, "topics": ["residence"],
                               "notes": "Rückfrage zum Termin"}, ensure_ascii=False)
            scripts = {}
            for path, prefix in (("gateway", "/api/v1/casework"), ("direct", "")):
                paths = ", ".join(f'"{prefix}/cases/{c}/contacts"' for c in cases)
                scripts[path] = scratch / f"{path}.lua"
                scripts[path].write_text(LUA % (paths, token, body))
            bases = {"gateway": gateway.url, "direct": service.url}
            for path, base in bases.items():
                answer = call("POST", f"{base}{'/api/v1/casework' if path == 'gateway' else ''}"
                              f"/cases/{cases[0]}/contacts", body=body.encode(),
                              headers={"Authorization": f"Bearer {token}",
                                       "Content-Type": "application/json"})
                if answer.status != 201:
                    raise RuntimeError(f"{path} answered {answer.status}: {answer.body[:300]!r}")
                wrk(scripts[path], base, WARMUP_SECONDS)
            rounds: dict[str, list[dict]] = {"gateway": [], "direct": []}
            for number in range(1, ROUNDS + 1):
                for path in ("gateway", "direct"):
                    rounds[path].append(wrk(scripts[path], bases[path], SECONDS))
                log(f"  round {number}: through the gateway "
                    f"{rounds['gateway'][-1]['requests_per_second']:,.0f}/s, direct "
                    f"{rounds['direct'][-1]['requests_per_second']:,.0f}/s")
    finally:
        if gateway is not None:
            gateway.stop()
        if relay is not None and relay.poll() is None:
            os.killpg(relay.pid, signal.SIGTERM)
            relay.wait(timeout=30)
        if service is not None:
            service.stop()
        jwks.close()
        shutil.rmtree(scratch, ignore_errors=True)

    summary = {path: httpload.summarise(found) for path, found in rounds.items()}
    return {
        "benchmark": "casework.record_contact",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "endpoint": "POST /api/v1/casework/cases/<id>/contacts (through the gateway; direct: "
                    "POST /cases/<id>/contacts on gunicorn)",
        "load": {"tool": "wrk", "threads": 1, "connections": CONNECTIONS, "seconds": SECONDS,
                 "rounds": ROUNDS, "warmup_seconds": WARMUP_SECONDS, "cases": CASES},
        "setup": {"gunicorn_workers": 2, "relay_running": True, "sealer_running": True,
                  "haproxy": ".".join(map(str, version(find_binary()))), "haproxy_threads": 1},
        "gateway": summary["gateway"],
        "direct": summary["direct"],
        "ratio": round(summary["gateway"]["requests_per_second"]
                       / summary["direct"]["requests_per_second"], 3),
        "busy_cores_before": round(busy, 2),
        "duration_s": round(time.monotonic() - started, 1),
    }


def table_row(result: dict) -> str:
    gateway, direct = result["gateway"], result["direct"]
    return (f"| Record a contact (`POST /cases/<id>/contacts`: audited write + outbox), through "
            f"the gateway | {gateway['requests_per_second']:,.0f}/s (p50 {gateway['p50_ms']:.1f} "
            f"ms, p99 {gateway['p99_ms']:.1f} ms); direct {direct['requests_per_second']:,.0f}/s "
            f"(p99 {direct['p99_ms']:.1f} ms) | {result['ratio']:.2f} × direct |")


def write(result: dict) -> Path:
    return httpload.write(result, "casework")


def main() -> int:
    return httpload.main("casework write path: record a contact, through the gateway and direct "
                         f"({ROUNDS} rounds of {SECONDS} s each)", run, table_row, write)


if __name__ == "__main__":
    sys.exit(main())
