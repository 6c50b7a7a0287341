"""The cost of the consent check at the moment of sharing (ADR 0053) on casework's write path:
"add a partner organisation to a case conference" (``POST /cases/<id>/conferences/<id>/
participants``) with intake asked, and without (the rule on casework's copy alone, as before).

    .venv/bin/python bench/consent_check_bench.py [--calls 300] [--rounds 3] [--json PATH]

What runs, all on 127.0.0.1, in databases and a vhost of the benchmark's own (removed
afterwards), both as the app role under row-level security: intake's API under gunicorn
(``lotse-intake api``, 2 workers of one thread, as deployed) verifying tokens against a JWKS
endpoint; an intake with the person's counselling agreement, data-protection information and a
release for Caritas (health), recorded through that API; casework's app in this process (Flask's
test client: no HTTP in front of casework, so the difference is the check itself) with a case of
that intake and as many planned conferences as calls.

Each call adds Caritas to the next conference: the case row locked, the conference updated, an
audit entry, one transaction. *With the check* the consent client is casework's own
(:class:`~lotse_casework.adapters.intake_client.IntakeConsents`: pooled connection, cached
machine token): one ``GET /intakes/<id>/consents/current`` for the three consents the sharing
rests on, inside the transaction. *Without* the client answers the same state from memory (no
I/O): the rule on the copy, as before ADR 0053. The two alternate in rounds after a warm-up; the
report gives each mode's median, p90 and p99 over all calls, and the check call alone.

Nothing is written unless ``--json`` names a file (results are not committed; the numbers go
into ADR 0053).
"""

from __future__ import annotations

import contextlib
import argparse
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lotse_platform import clock  # noqa: E402

TENANT = uuid.UUID("6c0f8a0e-0000-4000-8000-000000000053")
CM, ORG, AREA, PARTNER = "cm-bench", "org-stadt-hoexter", "area-hoexter", "org-caritas"


@contextmanager
def _environment():
    from lotse_platform.testing import AMQP_HOST, DatabaseFactory, rabbitmqctl

    run_id = f"c{os.getpid()}{secrets.token_hex(2)}"
    factory = DatabaseFactory(run_id)
    vhost = f"lotse_bench_{run_id}"
    try:
        casework_db, intake_db = factory.create("cw"), factory.create("in")
        rabbitmqctl("add_vhost", vhost)
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield casework_db, intake_db, f"amqp://guest:guest@{AMQP_HOST}/{vhost}"
    finally:
        with contextlib.suppress(RuntimeError):  # gone already
            rabbitmqctl("delete_vhost", vhost)
        factory.drop_all()


class Remembered:
    """The consent owner without I/O: answers what intake answered once (the copy's state)."""

    def __init__(self, answer: dict) -> None:
        self.answer = answer

    def current_consents(self, operator_org_id, intake_id, consent_ids):
        return {i: self.answer[i] for i in consent_ids if i in self.answer}

    def close(self) -> None:
        """Holds no connection."""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(values: list[float]) -> dict:
    return {"calls": len(values), "median_ms": round(statistics.median(values) * 1000, 2),
            "p90_ms": round(_percentile(values, 0.90) * 1000, 2),
            "p99_ms": round(_percentile(values, 0.99) * 1000, 2),
            "mean_ms": round(statistics.fmean(values) * 1000, 2)}


def run(calls: int = 300, rounds: int = 3, log=print) -> dict:
    from lotse_casework.adapters.intake_client import IntakeConsents
    from lotse_casework.bootstrap import CaseworkService
    from lotse_casework.domain.contacts import Conference
    from lotse_casework.domain.handover import HandoverPackage
    from lotse_casework.domain.model import AwaitingHandover
    from lotse_casework.service_layer.admission import open_case
    from lotse_casework.settings import CaseworkSettings
    from lotse_gateway.testing import JwksServer, ServiceProcess, call
    from lotse_platform.auth import SERVICE
    from lotse_platform.auth.devtokens import DevIssuer

    from bench import cpu

    started = time.monotonic()
    busy = cpu.wait_for_quiet(patience=15)
    jwks = JwksServer()
    issuer = DevIssuer(issuer=f"http://127.0.0.1:{jwks.http.server_port}", kid="bench-consent")
    jwks.document = issuer.jwks()
    scratch = Path(tempfile.mkdtemp(prefix="lotse-consent-bench-"))
    intake = None
    try:
        with _environment() as (casework_db, intake_db, broker_url):
            from lotse_intake.bootstrap import IntakeService
            from lotse_intake.settings import IntakeSettings

            keys = scratch / "keys"  # the tenants' keys (ADR 0104)
            IntakeService(IntakeSettings(database_url=intake_db.app_url,
                                         migration_database_url=intake_db.owner_url,
                                         broker_url=broker_url, key_dir=keys)).migrate()
            base = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
            intake = ServiceProcess("intake", {
                **base, "LOTSE_JWKS_URL": jwks.url, "LOTSE_TOKEN_ISSUER": issuer.issuer,
                "LOTSE_BROKER_URL": broker_url, "LOTSE_LOG_LEVEL": "WARNING",
                "LOTSE_MODE": "local", "LOTSE_INTAKE_DATABASE_URL": intake_db.app_url,
                "LOTSE_INTAKE_MIGRATION_DATABASE_URL": intake_db.owner_url,
                "LOTSE_KEY_STORE": f"file:{keys}"},
                scratch / "intake.log")
            intake.start()
            user = issuer.issue(CM, TENANT, ORG, ["case_manager"], areas=[AREA], ttl=3600)

            def at_intake(path: str, body: dict) -> dict:
                answer = call("POST", f"{intake.url}{path}", body=json.dumps(body).encode(),
                              headers={"Authorization": f"Bearer {user}",
                                       "Content-Type": "application/json"})
                if answer.status >= 300:
                    raise RuntimeError(f"intake {path}: {answer.status} {answer.body[:300]!r}")
                return json.loads(answer.body)

            given = (clock.today() - timedelta(days=1)).isoformat()
            intake_id = at_intake("/intakes", {
                "person": {"given_name": "Bench", "family_name": "Person"},
                "access_path": "self_referral", "area_id": AREA,
                "contact_date": given})["id"]
            consents = [
                at_intake(f"/intakes/{intake_id}/consents", {
                    "kind": "data_protection_information", "given_on": given,
                    "language": "de"}),
                at_intake(f"/intakes/{intake_id}/consents", {
                    "kind": "counselling_agreement", "given_on": given}),
                at_intake(f"/intakes/{intake_id}/consents", {
                    "kind": "release_of_confidentiality", "given_on": given,
                    "partner_org_id": PARTNER, "topic_areas": ["health"]})]

            service = CaseworkService(CaseworkSettings(database_url=casework_db.app_url,
                                                migration_database_url=casework_db.owner_url,
                                                broker_url=broker_url, key_dir=keys))
            service.migrate()
            service.trust(issuer.keys(), issuer.issuer)
            package = HandoverPackage.parse({
                "person": {"given_name": "Bench", "family_name": "Person"},
                "consents": [{"id": c["id"], "kind": c["kind"], "valid_from": c["valid_from"],
                              "partner_org_id": c.get("partner_org_id"),
                              "topic_areas": c.get("topic_areas") or []} for c in consents]},
                intake_id)
            admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                         case_manager_id=CM, case_manager_org_id=ORG,
                                         area_id=AREA, admitted_on=clock.today(),
                                         topic_areas=["health", "housing"])
            total = 2 * (calls * rounds + 20)
            with service.uow(TENANT) as uow:
                case = open_case(uow, admission, package)
                conferences = []
                for _ in range(total):
                    conference = Conference(case_id=case.id, planned_on=clock.today(),
                                            topics=["health"], agenda="Bench", created_by=CM)
                    uow.add(conference)
                    conferences.append(conference.id)
                uow.commit()

            tokens = lambda: issuer.issue("casework", TENANT, "org-kreis",  # noqa: E731
                                          [SERVICE], client_id="casework", ttl=3600)
            checked = IntakeConsents(lambda _operator: intake.url, tokens, timeout=2)
            token = issuer.issue(CM, TENANT, ORG, ["case_manager"], areas=[AREA], ttl=3600)
            client = service.create_app().test_client()
            headers = {"Authorization": f"Bearer {token}"}
            remembered = Remembered(checked.current_consents(
                "", intake_id, [c["id"] for c in consents]))
            modes = {"with_check": checked, "without_check": remembered}
            queue = iter(conferences)

            def add_one() -> float:
                path = f"/cases/{case.id}/conferences/{next(queue)}/participants"
                begun = time.perf_counter()
                answer = client.post(path, headers=headers, json={"organisation_id": PARTNER})
                took = time.perf_counter() - begun
                if answer.status_code != 204:
                    raise RuntimeError(f"{answer.status_code}: {answer.get_json()}")
                return took

            timings: dict[str, list[float]] = {mode: [] for mode in modes}
            for mode, owner in modes.items():  # warm-up: connections, token, caches
                service.__dict__["consent_client"] = owner
                for _ in range(10):
                    add_one()
            for number in range(1, rounds + 1):
                for mode, owner in modes.items():
                    service.__dict__["consent_client"] = owner
                    timings[mode] += [add_one() for _ in range(calls)]
                log(f"  round {number}: with the check "
                    f"{statistics.median(timings['with_check'][-calls:]) * 1000:.2f} ms, "
                    f"without {statistics.median(timings['without_check'][-calls:]) * 1000:.2f}"
                    " ms (medians)")
            check_alone = []
            ids = [c["id"] for c in consents]
            for _ in range(calls):
                begun = time.perf_counter()
                checked.current_consents("", intake_id, ids)
                check_alone.append(time.perf_counter() - begun)
            checked.close()
            service.engine.dispose()
    finally:
        if intake is not None:
            intake.stop()
        jwks.close()
        shutil.rmtree(scratch, ignore_errors=True)

    with_check, without = _summary(timings["with_check"]), _summary(timings["without_check"])
    return {
        "benchmark": "casework.add_participant.consent_check",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "endpoint": "POST /cases/<id>/conferences/<id>/participants (casework in process; "
                    "intake under gunicorn, 2 workers)",
        "calls_per_round": calls, "rounds": rounds,
        "with_check": with_check, "without_check": without,
        "check_call_alone": _summary(check_alone),
        "added_median_ms": round(with_check["median_ms"] - without["median_ms"], 2),
        "busy_cores_before": round(busy, 2),
        "duration_s": round(time.monotonic() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per mode and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the result to this file")
    args = parser.parse_args()
    print("consent check on the write path: add a conference participant, with and without "
          f"({args.rounds} rounds of {args.calls} calls each)", flush=True)
    result = run(args.calls, args.rounds, log=lambda line: print(line, flush=True))
    for mode in ("with_check", "without_check", "check_call_alone"):
        figures = result[mode]
        print(f"{mode:>17}: median {figures['median_ms']:.2f} ms, p90 {figures['p90_ms']:.2f} "
              f"ms, p99 {figures['p99_ms']:.2f} ms ({figures['calls']} calls)")
    print(f"the check adds {result['added_median_ms']:.2f} ms to the median")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
