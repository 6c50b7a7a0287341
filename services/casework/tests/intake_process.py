"""The real intake service for casework's end-to-end tests: migrated on a database of its own,
its API as its own gunicorn process (``lotse-intake api``) verifying tokens against a JWKS URL,
as in the cluster, and a case manager's calls to it over HTTP."""

from __future__ import annotations

import tempfile
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lotse_platform.testing import (
    JwksServer,
    days_ago,
    free_port,
    known_directory,
    poll,
    put_directory,
)

from casework_support import published_directory

CRITERIA = ("multiple_dimensions", "several_actors", "long_term_need",
            "standard_care_insufficient", "own_resources_insufficient")


@contextmanager
def intake_service(databases, broker_url, issuer, name: str):
    """Intake's container on its own database (its relay runs in the test's threads)."""
    from lotse_intake.bootstrap import IntakeService
    from lotse_intake.settings import IntakeSettings

    database = databases.create(name)
    service = IntakeService(IntakeSettings(database_url=database.app_url,
                                           migration_database_url=database.owner_url,
                                           broker_url=broker_url, relay_poll_interval=0.02,
                                           key_dir=tempfile.mkdtemp(prefix="lotse-keys-")),
                            keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    try:
        yield service
    finally:
        service.engine.dispose()


@contextmanager
def intake_api(service, issuer, metrics_dir: Path, workers: int = 1) -> Iterator[str]:
    """Intake's API under gunicorn (the platform's workers) on a free port; yields its base
    URL."""
    jwks = JwksServer(issuer.jwks(), path="/jwks.json")
    port = free_port()
    settings = service.settings
    env = {**os.environ,
           "LOTSE_INTAKE_DATABASE_URL": settings.database_url,
           "LOTSE_INTAKE_MIGRATION_DATABASE_URL": settings.owner_database_url,
           "LOTSE_BROKER_URL": settings.broker_url, "LOTSE_MODE": "local",
           "LOTSE_KEY_DIR": str(settings.key_directory),
           "LOTSE_JWKS_URL": jwks.url, "LOTSE_TOKEN_ISSUER": issuer.issuer,
           "LOTSE_BIND": f"127.0.0.1:{port}", "LOTSE_WORKERS": str(workers),
           "LOTSE_LOG_LEVEL": "WARNING", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    process = subprocess.Popen([str(Path(sys.executable).parent / "lotse-intake"), "api"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        poll(lambda: process.poll() is not None or status_of(f"{url}/healthz") == 200,
             timeout=60, message="intake's API to start")
        assert process.poll() is None, process.stderr.read()[-2000:]
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        jwks.close()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class AtIntake:
    """A case manager's calls to intake's API over HTTP (a development token)."""

    def __init__(self, service, intake_url: str, issuer, tenant, subject: str = "cm-lea",
                 org: str = "org-stadt-hoexter", area: str = "area-hoexter") -> None:
        # what identity published of the tenant, in the intake's replica (ADR 0054)
        put_directory(service, tenant, [*published_directory(), *known_directory(
            areas=[area], users=[(subject, org, ["case_manager"])])])
        self.url = intake_url
        self.token = issuer.issue(subject, tenant, org, ["case_manager"], areas=[area])
        self.consents: dict[str, dict[str, str]] = {}  # intake id → kind → consent id

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def ok(self, method: str, path: str, body: dict | None = None) -> dict:
        status, answer = self.call(method, path, body)
        assert 200 <= status < 300, (path, status, answer)
        return answer

    def admit(self, family_name: str = "Rahmani-Endtoend",
              before_admission: Callable[[str], object] | None = None) -> str:
        """The steps a case manager takes at intake up to the admission; the intake's id.
        ``before_admission(intake_id)``: a step of hers right before she admits."""
        intake_id = self.ok("POST", "/intakes", {
            "person": {"given_name": "Yusuf", "family_name": family_name,
                       "date_of_birth": "1988-02-03",
                       "contact": {"phone": "+49 5271 555", "email": None, "address": "Höxter"},
                       "languages": ["fa"], "interpreter_needed": True},
            "access_path": "self_referral", "area_id": "area-hoexter",
            "contact_date": days_ago(3)})["id"]
        self.ok("PUT", f"/intakes/{intake_id}/screening", {
            "criteria": [{"criterion": c, "met": True, "note": None} for c in CRITERIA],
            "topic_areas": ["residence", "work_training", "health"], "crisis": False,
            "facts": {}})
        self.ok("POST", f"/intakes/{intake_id}/decisions", {"depth": "case_management"})
        self.consent(intake_id, "data_protection_information", language="fa")
        self.consent(intake_id, "counselling_agreement")
        if before_admission is not None:
            before_admission(intake_id)
        self.ok("POST", f"/intakes/{intake_id}/admission",
                {"justification": "Einzelfallentscheidung der KS"})
        return intake_id

    def consent(self, intake_id: str, kind: str, **extra) -> dict:
        given = self.ok("POST", f"/intakes/{intake_id}/consents",
                        {"kind": kind, "given_on": days_ago(1), **extra})
        self.consents.setdefault(intake_id, {})[kind] = given["id"]
        return given

    def withdraw(self, intake_id: str, consent_id: str) -> tuple[int, dict]:
        return self.call("POST", f"/intakes/{intake_id}/consents/{consent_id}/withdrawal")
