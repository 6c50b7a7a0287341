"""No warning at the limit was issue 17's fifth finding: the 29th–31st case of a 0.5 FTE case
manager passed without a word. Now the caseload after a step — an admission about to reach
her, a transfer offered to her, one she accepted — comes with the answer, with a warning once it
is above the guideline (never a refusal: the coordinating office decides), and the office has
the list of case managers above it."""

from __future__ import annotations

import pytest

from lotse_casework.domain.caseload import CaseloadAfter
from lotse_casework.domain.model import CaseManager
from lotse_platform.auth import COORDINATOR, SERVICE

from casework_support import open_test_case

pytestmark = pytest.mark.integration


def test_the_31st_case_of_a_half_post_is_above_the_guideline_of_25_to_30():
    assert CaseloadAfter.of("cm-nina", 0.5, 30).warning is None
    above = CaseloadAfter.of("cm-nina", 0.5, 31)
    assert (above.norm_low, above.norm_high, above.above_guideline) == (25, 30, True)
    assert above.warning["message_de"].startswith("31 offene Fälle nach diesem Schritt, über "
                                                  "dem Richtwert von 25–30 für 0,5 Stellen")
    assert CaseloadAfter.of("cm-new", None, 80).warning is None, "no FTE share: no guideline"


def small_post(casework, tenant, user_id: str, cases: int) -> None:
    """A 0.1 FTE case manager (guideline 5–6: few cases to open) with ``cases`` open cases."""
    with casework.uow(tenant) as uow:
        uow.add(CaseManager(user_id=user_id, organisation_id="org-stadt-hoexter", fte=0.1,
                            areas=["area-hoexter"]))
        uow.commit()
    for _ in range(cases):
        open_test_case(casework, tenant, user_id)


def test_the_case_that_takes_her_above_the_guideline_is_answered_with_a_warning(
        casework, tenant, as_user):
    small_post(casework, tenant, "cm-nina", 5)
    intake = as_user("client-intake", roles=(SERVICE,), org="org-kreis")

    at_5 = intake.get("/caseload/cm-nina?taking=1").get_json()
    assert (at_5["open_cases"], at_5["norm_low"], at_5["norm_high"],
            at_5["above_guideline"], at_5["warning"]) == (6, 5, 6, False, None)

    open_test_case(casework, tenant, "cm-nina")
    at_6 = intake.get("/caseload/cm-nina?taking=1").get_json()
    assert (at_6["open_cases"], at_6["above_guideline"]) == (7, True)
    assert at_6["warning"]["code"] == "caseload_above_guideline"
    assert "7 open cases" in at_6["warning"]["message"]
    assert "5–6" in at_6["warning"]["message_de"]
    assert intake.get("/caseload/cm-nina?taking=11").status_code == 422


def test_a_transfer_answers_the_receivers_caseload_offered_and_accepted(
        casework, tenant, as_user):
    small_post(casework, tenant, "cm-nina", 6)
    lea, nina = as_user("cm-lea"), as_user("cm-nina")
    case_id = open_test_case(casework, tenant, "cm-lea")

    offered = lea.post(f"/cases/{case_id}/transfers", {"to_case_manager_id": "cm-nina"})
    assert offered.status_code == 201, offered.get_json()
    assert offered.get_json()["caseload"]["open_cases"] == 7
    assert offered.get_json()["caseload"]["warning"]["code"] == "caseload_above_guideline"

    accepted = nina.post(f"/transfers/{offered.get_json()['id']}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["id"] == str(case_id), "the case, hers now"
    assert (accepted.get_json()["caseload"]["open_cases"],
            accepted.get_json()["caseload"]["above_guideline"]) == (7, True)


def test_the_office_lists_who_is_above_the_guideline_and_a_case_manager_sees_only_her_own(
        casework, tenant, as_user):
    small_post(casework, tenant, "cm-nina", 7)
    small_post(casework, tenant, "cm-tom", 2)
    office = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")

    above = office.get("/caseload?above_guideline=true").get_json()
    assert [line["case_manager_id"] for line in above["case_managers"]] == ["cm-nina"]
    everyone = office.get("/caseload").get_json()
    assert {"cm-nina", "cm-tom"} <= {line["case_manager_id"]
                                     for line in everyone["case_managers"]}
    (org,) = [o for o in above["organisations"] if o["organisation_id"] == "org-stadt-hoexter"]
    assert (org["above_range"], org["open_cases"]) == (1, 9), "the figures of all its staff"

    tom = as_user("cm-tom")
    assert tom.get("/caseload/cm-tom").get_json()["open_cases"] == 2
    assert tom.get("/caseload/cm-nina").status_code == 404
