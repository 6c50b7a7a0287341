"""End to end with the real intake service: a case manager admits a person at intake, intake's
relay publishes the admission, casework's consumer fetches the handover package from intake's
API (its own gunicorn process) over HTTP with a machine token and opens the case with its own
copy."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lotse_platform.auth import SERVICE
from lotse_platform.testing import Running, poll

from intake_process import AtIntake, intake_api, intake_service
from lotse_casework.adapters.intake_client import IntakeClient

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def intake(databases, broker_url, issuer):
    with intake_service(databases, broker_url, issuer, "cw_intake") as service:
        yield service


@pytest.fixture(scope="module")
def intake_url(intake, issuer, tmp_path_factory):
    """Intake's API as its own process under gunicorn (``lotse-intake api``), as in the
    cluster: a real HTTP peer verifying tokens against a JWKS URL."""
    with intake_api(intake, issuer, tmp_path_factory.mktemp("intake-metrics")) as url:
        yield url


def test_an_admission_at_intake_opens_the_case_in_casework_with_the_handover_copy(
        casework, intake, intake_url, issuer, tenant, superuser, as_user):
    tokens = lambda: issuer.issue("casework", tenant, "org-kreis", [SERVICE],  # noqa: E731
                                  client_id="casework")
    casework.__dict__["intake_client"] = IntakeClient(
        lambda operator: intake_url if operator == "" else None, tokens, timeout=5)
    try:
        with Running(intake.relay().run), Running(casework.consumer().run):
            intake_id = AtIntake(intake, intake_url, issuer, tenant).admit()

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
