"""The target-group check at screening: Mettmann's five groups (one time-limited) and Höxter's
groups per town, computed from the facts recorded at screening; the case manager may override
with a note; an admission outside every valid group needs a justification."""

from __future__ import annotations

import pytest

from intake_helpers import HOEXTER, define_groups, mettmann_groups, person, screening_form
from lotse_intake.service_layer.seed_target_groups import hoexter_target_groups

pytestmark = pytest.mark.integration

MAIN_TOWNS = {"hoexter": HOEXTER, "brakel": "area-brakel", "bad-driburg": "area-bad-driburg",
              "warburg": "area-warburg"}


def town(key: str) -> str:
    return MAIN_TOWNS.get(key, f"area-{key}")


@pytest.fixture
def mettmann(api):
    return define_groups(api, mettmann_groups())


@pytest.fixture
def hoexter(intake, tenant):
    commands = hoexter_target_groups(town, "admin")
    groups = [intake.bus.handle(command, intake.uow(tenant)) for command in commands]
    return {key: str(g.id) for key, g in zip(
        ("recognised", "tolerated_asylum", "tolerated_hoexter", "eu"), groups)}


def screened(api, facts, born="1985-02-01", on="2024-06-03", area=HOEXTER, **form):
    """Record a person in ``area`` and screen on ``on``; the screening as answered."""
    case_manager = api.actors.case_manager(areas=(area,))
    intake_id = api.record(case_manager, area=area, who=person(born=born),
                           contact_date="2024-06-01" if on < "2025" else "2025-02-01")["id"]
    return intake_id, api.screen(intake_id, case_manager, facts=facts, screened_on=on, **form)


def test_mettmann_group_1_and_3_match_a_tolerated_person_over_27_eligible_under_25b(api, mettmann):
    _, screening = screened(api, {"residence_statuses": ["duldung", "eligible_25b"]})

    assert screening["matching_target_group_ids"] == sorted([mettmann[0], mettmann[2]])
    assert screening["target_group_ids"] == screening["matching_target_group_ids"]


def test_mettmann_group_3_does_not_match_a_tolerated_person_of_27(api, mettmann):
    _, screening = screened(api, {"residence_statuses": ["gestattung"]}, born="1997-01-01")

    assert screening["matching_target_group_ids"] == []


def test_mettmann_groups_2_and_4_match_by_entry_as_unaccompanied_minor_and_by_origin(
    api, mettmann
):
    _, minor = screened(api, {"unaccompanied_minor_at_entry": True,
                              "residence_statuses": ["recognised_refugee"]}, born="2006-03-01")
    _, romania = screened(api, {"region_of_origin": "south_east_europe",
                                "residence_statuses": ["eu_citizen"]})

    assert minor["matching_target_group_ids"] == [mettmann[1]]
    assert romania["matching_target_group_ids"] == [mettmann[3]]


def test_mettmann_group_5_matches_while_valid_and_no_longer_after_2024_12_31(api, mettmann):
    facts = {"arrived_in_germany_on": "2022-01-15", "multiple_support_need_established": True,
             "residence_statuses": ["other_residence_permit"]}

    _, while_valid = screened(api, facts, born="1990-07-01", on="2024-06-03")
    _, after_expiry = screened(api, facts, born="1990-07-01", on="2025-02-03")

    assert while_valid["matching_target_group_ids"] == [mettmann[4]]
    assert after_expiry["matching_target_group_ids"] == []


def test_mettmann_group_5_needs_the_need_established_by_a_specialised_service(api, mettmann):
    _, screening = screened(api, {"arrived_in_germany_on": "2022-01-15",
                                  "multiple_support_need_established": False})

    assert screening["matching_target_group_ids"] == []


def test_an_admission_after_the_only_matching_group_expired_needs_a_justification(
    api, mettmann
):
    facts = {"arrived_in_germany_on": "2022-01-15", "multiple_support_need_established": True}
    intake_id, screening = screened(api, facts, born="1990-07-01", on="2024-06-03")
    assert screening["target_group_ids"] == [mettmann[4]]
    api.decide(intake_id)
    api.consent(intake_id, "data_protection_information")
    api.consent(intake_id, "counselling_agreement")

    refused = api.admit(intake_id)
    admitted = api.admit(intake_id, justification="Hilfebedarf besteht fort (Fallkonferenz)")

    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["justification"]
    assert admitted.status_code == 201
    assert admitted.get_json()["outside_target_groups"] is True
    assert admitted.get_json()["target_group_ids"] == []


def test_a_target_group_keeps_its_validity_and_steering_decision(api, mettmann):
    fifth = api.get(f"/target-groups/{mettmann[4]}", api.actors.case_manager()).get_json()
    valid_now = api.get("/target-groups", api.actors.case_manager(),
                        query={"valid_on": "2025-01-01"}).get_json()

    assert (fifth["valid_from"], fifth["valid_until"]) == ("2023-05-10", "2024-12-31")
    assert fifth["steering_decision_ref"] == "Lenkungsgruppe Kreis Mettmann, Sitzung 10.05.2023"
    assert sorted(g["id"] for g in valid_now) == sorted(mettmann[:4])


def test_the_steering_group_may_end_a_target_group(api, mettmann):
    response = api.patch(f"/target-groups/{mettmann[3]}", api.actors.coordinator(),
                         {"valid_until": "2024-03-31"})
    _, screening = screened(api, {"region_of_origin": "south_east_europe"})

    assert response.status_code == 200
    assert screening["matching_target_group_ids"] == []


def test_only_the_tenant_admin_and_the_office_define_target_groups(api):
    case_manager = api.post("/target-groups", api.actors.case_manager(), mettmann_groups()[0])
    org_admin = api.post("/target-groups", api.actors.token("admin-awo", "org-awo", ["org_admin"]),
                         mettmann_groups()[0])

    assert case_manager.status_code == 403
    assert org_admin.status_code == 403


def test_a_target_group_with_an_unknown_residence_status_is_refused_naming_it(api):
    response = api.post("/target-groups", api.actors.tenant_admin(), {
        "name": "x", "valid_from": "2024-01-01",
        "conditions": {"residence_statuses": ["duldung", "tolerated"]}})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["conditions.residence_statuses.1"]


def test_hoexter_recognised_refugees_belong_to_a_group_in_bad_driburg_but_not_in_brakel(
    api, hoexter
):
    facts = {"residence_statuses": ["recognised_refugee"]}
    _, in_driburg = screened(api, facts, area=town("bad-driburg"))
    _, in_brakel = screened(api, facts, area=town("brakel"))

    assert in_driburg["matching_target_group_ids"] == [hoexter["recognised"]]
    assert in_brakel["matching_target_group_ids"] == []


def test_hoexter_asylum_seekers_belong_to_a_group_in_brakel_but_not_in_hoexter(api, hoexter):
    facts = {"residence_statuses": ["gestattung"]}
    _, in_brakel = screened(api, facts, area=town("brakel"))
    _, in_hoexter = screened(api, facts, area=town("hoexter"))

    assert in_brakel["matching_target_group_ids"] == [hoexter["tolerated_asylum"]]
    assert in_hoexter["matching_target_group_ids"] == []


def test_hoexter_disadvantaged_eu_citizens_belong_to_a_group_only_in_the_town_of_hoexter(
    api, hoexter
):
    facts = {"residence_statuses": ["eu_citizen"], "disadvantaged": True}
    _, in_hoexter = screened(api, facts, area=town("hoexter"))
    _, in_warburg = screened(api, facts, area=town("warburg"))
    _, not_disadvantaged = screened(api, {"residence_statuses": ["eu_citizen"]},
                                    area=town("hoexter"))

    assert in_hoexter["matching_target_group_ids"] == [hoexter["eu"]]
    assert in_warburg["matching_target_group_ids"] == []
    assert not_disadvantaged["matching_target_group_ids"] == []


def test_the_case_manager_may_override_the_computed_groups_only_with_a_note(api, hoexter):
    case_manager = api.actors.case_manager()
    intake_id = api.record(case_manager)["id"]
    form = {"facts": {"residence_statuses": ["unclear"]}, "target_group_ids": [hoexter["eu"]]}

    refused = api.put(f"/intakes/{intake_id}/screening", case_manager,
                      {**screening_form(), **form})
    accepted = api.put(f"/intakes/{intake_id}/screening", case_manager,
                       {**screening_form(), **form, "target_group_note": "EU-Bürgerin, Status wird geklärt"})

    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["target_group_note"]
    assert accepted.status_code == 200
    assert accepted.get_json()["matching_target_group_ids"] == []
    assert accepted.get_json()["target_group_ids"] == [hoexter["eu"]]


def test_an_override_with_a_group_of_another_town_is_refused(api, hoexter):
    case_manager = api.actors.case_manager()
    intake_id = api.record(case_manager)["id"]

    response = api.put(f"/intakes/{intake_id}/screening", case_manager, {
        **screening_form(), "target_group_ids": [hoexter["tolerated_asylum"]], "target_group_note": "x"})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["target_group_ids"]


def test_a_target_group_without_conditions_is_defined_with_every_condition_unset(api):
    """Found by the API fuzzing (tests/security): without ``conditions`` the request was a 500."""
    response = api.post("/target-groups", api.actors.coordinator(),
                        {"name": "Alle Zugewanderten", "valid_from": "2024-01-01"})

    assert response.status_code == 201, response.get_json()
    conditions = response.get_json()["conditions"]
    assert (conditions["residence_statuses"], conditions["regions_of_origin"],
            conditions["min_age"], conditions["disadvantaged"]) == ([], [], None, False)
