"""End to end with the real intake service: the household a case manager links at intake
reaches casework — with the handover package when linked before the admission, with
``intake.household.membership_changed.v1`` when linked after it — and she works with the family
as a unit there (001 L562 "mit einer größeren Bedarfsgemeinschaft arbeiten"; 002 L217
"Alleinerziehende … sowie Familien")."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lotse_platform.auth import SERVICE
from lotse_platform.testing import Running, days_ago, poll

from intake_process import AtIntake, intake_api, intake_service
from lotse_casework.adapters.intake_client import IntakeClient

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def intake(databases, broker_url, issuer):
    with intake_service(databases, broker_url, issuer, "cw_intake_households") as service:
        yield service


@pytest.fixture(scope="module")
def intake_url(intake, issuer, tmp_path_factory):
    with intake_api(intake, issuer, tmp_path_factory.mktemp("intake-metrics")) as url:
        yield url


def test_a_family_linked_at_intake_is_worked_as_a_unit_in_casework(
        casework, intake, intake_url, issuer, tenant, superuser, as_user):
    """001 L562 / 002 L217: the household travels with the admission and after it."""
    tokens = lambda: issuer.issue("casework", tenant, "org-kreis", [SERVICE],  # noqa: E731
                                  client_id="casework")
    casework.__dict__["intake_client"] = IntakeClient(
        lambda operator: intake_url if operator == "" else None, tokens, timeout=5)
    at_intake = AtIntake(intake, intake_url, issuer, tenant)

    def households() -> dict:
        with superuser.connect() as connection:
            return {row.intake_id: (row.id, row.household_id, row.household_relation)
                    for row in connection.execute(sa.text(
                        "SELECT id, intake_id, household_id, household_relation FROM cases "
                        "WHERE tenant_id = :t"), {"t": tenant})}

    try:
        with Running(intake.relay().run), Running(casework.consumer().run):
            father = at_intake.admit("Haddad-Vater")
            household = at_intake.ok("POST", "/households", {
                "kind": "family", "members": [{"intake_id": father, "relation": "partner"}]})
            mother = at_intake.admit("Haddad-Mutter", before_admission=lambda intake_id:
                                     at_intake.ok("POST", f"/households/{household['id']}/members",
                                                  {"intake_id": intake_id,
                                                   "relation": "applicant"}))

            def both_linked():
                cases = households()
                linked = [cases.get(i) for i in (father, mother)]
                return linked if all(c and c[1] == household["id"] for c in linked) else None

            (father_case, _, father_relation), (mother_case, _, mother_relation) = poll(
                both_linked, timeout=30, message="casework to know both cases' household")
    finally:
        casework.close_http_clients()
    assert (father_relation, mother_relation) == ("partner", "applicant")

    lea = as_user("cm-lea")
    seen = lea.get(f"/cases/{mother_case}/household")
    assert seen.status_code == 200, seen.get_json()
    assert seen.get_json()["kind"] == "family"
    assert [(m["case_id"], m["relation"], m["name"]) for m in seen.get_json()["members"]] == [
        (str(father_case), "partner", "Yusuf Haddad-Vater")]
    assert seen.get_json()["other_members"] == 0

    joint = lea.post("/household-contacts", {
        "members": [{"case_id": str(mother_case)}, {"case_id": str(father_case)}],
        "type": "appointment", "occurred_on": days_ago(0), "duration_minutes": 90,
        "topics": ["residence"], "purpose": "counselling", "notes": "Familiengespräch"})
    assert joint.status_code == 201, joint.get_json()
    assert [c["case_id"] for c in joint.get_json()["contacts"]] == [str(mother_case),
                                                                    str(father_case)]
    for case_id in (mother_case, father_case):
        contacts = lea.get(f"/cases/{case_id}/contacts").get_json()
        assert any(c.get("notes") == "Familiengespräch" for c in contacts["contacts"])

    twice = lea.post("/household-contacts", {
        "members": [{"case_id": str(mother_case)}, {"case_id": "not-a-case"}],
        "type": "appointment", "occurred_on": days_ago(0), "duration_minutes": 30})
    assert twice.status_code == 422
    assert "members" in str(twice.get_json()["errors"])
