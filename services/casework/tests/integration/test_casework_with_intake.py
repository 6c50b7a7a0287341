"""End to end with the real intake service: a case manager admits a person at intake, intake's
relay publishes the admission, casework's consumer fetches the handover package from intake's
API (its own gunicorn process) over HTTP with a machine token and opens the case with its own
copy."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_platform.auth import SERVICE
from lotse_platform.testing import JwksServer, Running, days_ago, free_port, poll

from lotse_casework.adapters.intake_client import IntakeClient

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CRITERIA = ("multiple_dimensions", "several_actors", "long_term_need",
            "standard_care_insufficient", "own_resources_insufficient")


@pytest.fixture(scope="module")
def intake(databases, broker_url, issuer):
    from lotse_intake.bootstrap import IntakeService
    from lotse_intake.settings import IntakeSettings

    database = databases.create("cw_intake")
    service = IntakeService(IntakeSettings(database_url=database.app_url,
                                           migration_database_url=database.owner_url,
                                           broker_url=broker_url, relay_poll_interval=0.02),
                            keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    yield service
    service.engine.dispose()


@pytest.fixture(scope="module")
def intake_url(intake, issuer, tmp_path_factory):
    """Intake's API as its own process under gunicorn (``lotse-intake api``), as in the
    cluster: a real HTTP peer verifying tokens against a JWKS URL."""
    jwks = JwksServer(issuer.jwks(), path="/jwks.json")
    port = free_port()
    settings = intake.settings
    env = {**os.environ,
           "LOTSE_INTAKE_DATABASE_URL": settings.database_url,
           "LOTSE_INTAKE_MIGRATION_DATABASE_URL": settings.owner_database_url,
           "LOTSE_BROKER_URL": settings.broker_url, "LOTSE_MODE": "local",
           "LOTSE_JWKS_URL": jwks.url, "LOTSE_TOKEN_ISSUER": issuer.issuer,
           "LOTSE_BIND": f"127.0.0.1:{port}", "LOTSE_WORKERS": "1",
           "LOTSE_LOG_LEVEL": "WARNING",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path_factory.mktemp("intake-metrics"))}
    process = subprocess.Popen([str(Path(sys.executable).parent / "lotse-intake"), "api"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        poll(lambda: process.poll() is not None or _status(f"{url}/healthz") == 200,
             timeout=60, message="intake's API to start")
        assert process.poll() is None, process.stderr.read()[-2000:]
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        jwks.close()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def admit_at_intake(intake_url, issuer, tenant) -> str:
    """The steps a case manager takes at intake, through intake's API over HTTP."""
    token = issuer.issue("cm-lea", tenant, "org-stadt-hoexter", ["case_manager"],
                         areas=["area-hoexter"])

    def call(method, path, body):
        request = urllib.request.Request(
            f"{intake_url}{path}", method=method, data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError((path, error.code, error.read()[:500])) from None

    intake_id = call("POST", "/intakes", {
        "person": {"given_name": "Yusuf", "family_name": "Rahmani-Endtoend",
                   "date_of_birth": "1988-02-03",
                   "contact": {"phone": "+49 5271 555", "email": None, "address": "Höxter"},
                   "languages": ["fa"], "interpreter_needed": True},
        "access_path": "self_referral", "area_id": "area-hoexter",
        "contact_date": days_ago(3)})["id"]
    call("PUT", f"/intakes/{intake_id}/screening", {
        "criteria": [{"criterion": c, "met": True, "note": None} for c in CRITERIA],
        "topic_areas": ["residence", "work_training", "health"], "crisis": False, "facts": {}})
    call("POST", f"/intakes/{intake_id}/decisions", {"depth": "case_management"})
    call("POST", f"/intakes/{intake_id}/consents", {"kind": "data_protection_information",
                                                    "given_on": days_ago(1), "language": "fa"})
    call("POST", f"/intakes/{intake_id}/consents", {"kind": "counselling_agreement",
                                                    "given_on": days_ago(1)})
    call("POST", f"/intakes/{intake_id}/admission",
         {"justification": "Einzelfallentscheidung der KS"})
    return intake_id


def test_an_admission_at_intake_opens_the_case_in_casework_with_the_handover_copy(
        casework, intake, intake_url, issuer, tenant, superuser, as_user):
    tokens = lambda: issuer.issue("casework", tenant, "org-kreis", [SERVICE],  # noqa: E731
                                  client_id="casework")
    casework.__dict__["intake_client"] = IntakeClient(
        lambda operator: intake_url if operator == "" else None, tokens, timeout=5)
    try:
        with Running(intake.relay().run), Running(casework.consumer().run):
            intake_id = admit_at_intake(intake_url, issuer, tenant)

            def opened():
                with superuser.connect() as connection:
                    return connection.execute(sa.text(
                        "SELECT id FROM cases WHERE intake_id = :i"), {"i": intake_id}).all()

            (case_id,), = poll(opened, timeout=30, message="casework to open the admitted case")
    finally:
        casework.close_http_clients()
    case = as_user("cm-lea").get(f"/cases/{case_id}").get_json()
    assert case["person"]["name"] == "Yusuf Rahmani-Endtoend"
    assert case["person"]["languages"] == ["fa"]
    assert set(case["topic_areas"]) == {"residence", "work_training", "health"}
    assert case["legal_areas"] == ["residence_law", "sgb_ii", "sgb_v"]
    assert {c["kind"] for c in case["consents"]} == {"data_protection_information",
                                                     "counselling_agreement"}
    assert case["person"]["counselling_history"][0]["depth"] == "case_management"
