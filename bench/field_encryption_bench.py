"""What encrypting the free-text columns costs casework's write path (issue 15 point 4,
ADR 0104): "record a contact" (``POST /cases/<id>/contacts`` with a note) with the columns
encrypted, and the same with a cipher that stores the text as it is — in the same process, on
the same database, in alternating rounds.

    .venv/bin/python bench/field_encryption_bench.py        # prints the figures, writes JSON

In process, through the Flask app (token check, validation, authorisation, the unit of work with
its audit entry and outbox event, PostgreSQL as the app role under row-level security): the
HTTP server, the gateway and the network are left out, so the ratio is an upper bound of what the
full path (``bench/casework_bench.py``) pays. "Plain" is a :class:`FieldCipher` whose
encryption is the identity: the same code path, the text stored as before the columns were
encrypted. Reported: the median time per request of each mode over ``ROUNDS`` rounds of
``REQUESTS`` requests, and their ratio (and that of the fastest rounds); and the cipher alone —
encrypting and decrypting the note, per value — as a share of a request, the figure that the
noise of a shared machine does not blur.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/field_encryption_bench.py` puts bench/ itself first

from lotse_platform import clock  # noqa: E402
from lotse_platform.crypto import FieldCipher  # noqa: E402

CASES = 20
REQUESTS = int(os.environ.get("LOTSE_BENCH_REQUESTS", "150"))
ROUNDS = 30
NOTE = ("Klientin berichtet von Druck der Ausländerbehörde, Schlafstörungen und Sorgen um die "
        "Wohnung; nächster Termin beim Jobcenter vereinbart, Begleitung angeboten. ") * 3


class PlainCipher(FieldCipher):
    """The comparison: values stored as they are (the columns as before ADR 0104)."""

    def encrypt(self, tenant_id: uuid.UUID, place: str, plaintext: str) -> str:
        return plaintext

    def decrypt(self, tenant_id: uuid.UUID, place: str, stored: str) -> str:
        return stored


def run(log=print) -> dict:
    from lotse_casework.bootstrap import CaseworkService
    from lotse_casework.domain.handover import HandoverPackage
    from lotse_casework.domain.model import AwaitingHandover
    from lotse_casework.service_layer.admission import open_case
    from lotse_casework.settings import CaseworkSettings
    from lotse_demo import COUNTY
    from lotse_platform.auth.devtokens import DevIssuer
    from lotse_platform.db import session_factory
    from lotse_platform.testing import TokenCaller, known_directory, put_directory

    from bench.environment import bench_environment

    user = COUNTY.user("cm.hoexter")
    org = str(COUNTY.organisation(user.organisation).id)
    area = str(COUNTY.area(user.areas[0]).id)
    tenant = COUNTY.tenant_id
    with bench_environment() as env, tempfile.TemporaryDirectory(prefix="lotse-keys-") as keys:
        service = CaseworkService(CaseworkSettings(
            database_url=env.app_url, migration_database_url=env.owner_url,
            broker_url=env.broker_url, key_dir=Path(keys)))
        service.migrate()
        issuer = DevIssuer()
        service.trust(issuer.keys(), issuer.issuer)
        put_directory(service, tenant, known_directory(
            organisations=[org], areas=[area], users=[(str(user.id), org, ["case_manager"])]))
        cases = []
        for n in range(CASES):
            intake_id = f"bench-{n}"
            package = HandoverPackage.parse(
                {"person": {"given_name": "Bench", "family_name": str(n)}, "consents": []},
                intake_id)
            admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                         case_manager_id=str(user.id), case_manager_org_id=org,
                                         area_id=area, admitted_on=clock.today(),
                                         topic_areas=["residence", "housing"])
            with service.uow(tenant) as uow:
                cases.append(open_case(uow, admission, package).id)
                uow.commit()
        token = issuer.issue(str(user.id), tenant, org, ["case_manager"], areas=[area],
                             ttl=3600)
        caller = TokenCaller(service.create_app().test_client(), token)
        body = {"type": "phone_call", "occurred_on": clock.today().isoformat(),
                "duration_minutes": 15, "topics": ["housing"], "notes": NOTE}
        ciphers = {"encrypted": service.field_cipher,
                   "plain": PlainCipher(service.field_cipher.keys)}

        cpu: dict[str, list[float]] = {"plain": [], "encrypted": []}

        def one_round(mode: str) -> float:
            service.__dict__["sessions"] = session_factory(service.engine, ciphers[mode])
            started, used = time.perf_counter(), time.process_time()
            for n in range(REQUESTS):
                answer = caller.post(f"/cases/{cases[n % CASES]}/contacts", body)
                if answer.status_code != 201:
                    raise RuntimeError(f"{mode}: {answer.status_code} {answer.get_json()}")
            # this process's CPU per request: what encryption adds, without the waits for
            # PostgreSQL's commits, whose flush time drifts from round to round
            cpu[mode].append((time.process_time() - used) / REQUESTS * 1000)
            return (time.perf_counter() - started) / REQUESTS * 1000

        one_round("plain")  # warm-up: connections, caches, the data key
        one_round("encrypted")
        times: dict[str, list[float]] = {"plain": [], "encrypted": []}
        for n in range(ROUNDS):
            for mode in (("plain", "encrypted") if n % 2 == 0 else ("encrypted", "plain")):
                times[mode].append(one_round(mode))
                log(f"round {n + 1} {mode}: {times[mode][-1]:.2f} ms/request")
        # the cipher alone, per value: what the request pays on top, without the noise of the
        # database and the other processes of the machine
        cipher = service.field_cipher
        stored = cipher.encrypt(tenant, "contacts.notes", NOTE)
        started = time.perf_counter()
        for _ in range(5000):
            cipher.encrypt(tenant, "contacts.notes", NOTE)
        encrypt_us = (time.perf_counter() - started) / 5000 * 1e6
        started = time.perf_counter()
        for _ in range(5000):
            cipher.decrypt(tenant, "contacts.notes", stored)
        decrypt_us = (time.perf_counter() - started) / 5000 * 1e6
        service.engine.dispose()
    plain, encrypted = (statistics.median(times[m]) for m in ("plain", "encrypted"))
    plain_cpu, encrypted_cpu = (statistics.median(cpu[m][1:]) for m in ("plain", "encrypted"))
    fastest = {m: min(times[m]) for m in times}
    return {"bench": "field_encryption", "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "requests_per_round": REQUESTS, "rounds": ROUNDS, "note_chars": len(NOTE),
            "plain_ms_per_request": round(plain, 3),
            "encrypted_ms_per_request": round(encrypted, 3),
            "ratio": round(encrypted / plain, 4),
            "fastest_round_ratio": round(fastest["encrypted"] / fastest["plain"], 4),
            "plain_cpu_ms_per_request": round(plain_cpu, 3),
            "encrypted_cpu_ms_per_request": round(encrypted_cpu, 3),
            "cpu_ratio": round(encrypted_cpu / plain_cpu, 4),
            "encrypt_us_per_value": round(encrypt_us, 2),
            "decrypt_us_per_value": round(decrypt_us, 2),
            "cipher_share_of_plain_request": round(encrypt_us / 1000 / plain, 5),
            "rounds_ms": times}


def main() -> None:
    result = run()
    print(f"record a contact, in process: plain {result['plain_ms_per_request']:.2f} ms, "
          f"encrypted {result['encrypted_ms_per_request']:.2f} ms per request; "
          f"ratio {result['ratio']:.3f} ({(result['ratio'] - 1) * 100:+.1f} %), fastest rounds "
          f"{result['fastest_round_ratio']:.3f}; the cipher alone: encrypt "
          f"{result['encrypt_us_per_value']:.1f} µs, decrypt {result['decrypt_us_per_value']:.1f} µs "
          f"per value ({result['cipher_share_of_plain_request'] * 100:.2f} % of a request); "
          f"this process's CPU per request: plain {result['plain_cpu_ms_per_request']:.2f} ms, "
          f"encrypted {result['encrypted_cpu_ms_per_request']:.2f} ms, ratio "
          f"{result['cpu_ratio']:.3f} ({(result['cpu_ratio'] - 1) * 100:+.1f} %)")
    out = ROOT / "bench" / "results" / f"field-encryption-{datetime.now(UTC).date()}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
