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
             "multiple_support_need_established_by": "org-caritas",
             "residence_statuses": ["other_residence_permit"]}

    _, while_valid = screened(api, facts, born="1990-07-01", on="2024-06-03")
    _, after_expiry = screened(api, facts, born="1990-07-01", on="2025-02-03")

    assert while_valid["matching_target_group_ids"] == [mettmann[4]]
    assert after_expiry["matching_target_group_ids"] == []


def test_mettmann_group_5_needs_the_need_established_by_a_named_specialised_service(
    api, mettmann
):
    # 004 L63: "einen multiplen Hilfebedarf aufweisen, der von einer Fachberatungsstelle
    # festgestellt wurde"
    _, not_established = screened(api, {"arrived_in_germany_on": "2022-01-15",
                                        "multiple_support_need_established": False})
    _, by_caritas = screened(api, {"arrived_in_germany_on": "2022-01-15",
                                   "multiple_support_need_established_by": "org-caritas"},
                             born="1990-07-01", on="2024-06-03")
    intake_id = api.record()["id"]
    base = {"arrived_in_germany_on": "2022-01-15", "multiple_support_need_established": True}
    unnamed = api.put(f"/intakes/{intake_id}/screening", api.actors.case_manager(),
                      screening_form(facts=base))
    unknown = api.put(f"/intakes/{intake_id}/screening", api.actors.case_manager(),
                      screening_form(facts={**base, "multiple_support_need_established_by":
                                            "org-nowhere"}))

    assert not_established["matching_target_group_ids"] == []
    assert by_caritas["matching_target_group_ids"] == [mettmann[4]]
    assert by_caritas["facts"]["multiple_support_need_established"] is True
    assert (unnamed.status_code, [e["field"] for e in unnamed.get_json()["errors"]]) == (
        422, ["facts.multiple_support_need_established_by"])
    assert unknown.status_code == 422
    assert unknown.get_json()["type"] == "urn:lotse:problem:unknown-reference"
    assert [e["field"] for e in unknown.get_json()["errors"]] == [
        "facts.multiple_support_need_established_by"]


def test_an_admission_after_the_only_matching_group_expired_needs_a_justification(
    api, mettmann
):
    facts = {"arrived_in_germany_on": "2022-01-15", "multiple_support_need_established": True,
             "multiple_support_need_established_by": "org-caritas"}
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


def test_hoexter_groups_by_arrival_in_the_county_since_2015_and_by_household(api):
    # 002 L211: "die neu zugewanderten Menschen …, die seit 2015 in den Kreis gekommen sind";
    # 002 L217: "Hierzu zählen insbesondere Alleinerziehende, … sowie Familien"
    since_2015, households = define_groups(api, [
        {"name": "seit 2015 in den Kreis gekommen",
         "conditions": {"arrived_in_county_since": "2015-01-01"}, "valid_from": "2021-01-01"},
        {"name": "Alleinerziehende und Familien",
         "conditions": {"households": ["single_parent", "family"]}, "valid_from": "2021-01-01"},
    ])

    _, came_2016 = screened(api, {"arrived_in_county_on": "2016-03-01", "household": "single"})
    _, came_2014 = screened(api, {"arrived_in_county_on": "2014-12-31",
                                  "household": "single_parent"})
    _, unknown = screened(api, {})

    assert came_2016["matching_target_group_ids"] == [since_2015]
    assert came_2014["matching_target_group_ids"] == [households]
    assert unknown["matching_target_group_ids"] == []
    assert came_2014["facts"]["household"] == "single_parent"


def test_the_tiintg_definition_of_an_international_family_history_is_a_condition(api):
    # 001 L117-118: "nach dem 31. Dezember 1995 nach Deutschland einwanderte Personen oder
    # Personen, bei denen mindestens ein Elternteil die Kriterien der Nummer 2 erfüllt"
    (tiintg,) = define_groups(api, [
        {"name": "Menschen mit internationaler Familiengeschichte (§ 4 TIIntG)",
         "conditions": {"international_family_history": True}, "valid_from": "2021-01-01"}])
    german = ["german_citizen"]

    _, immigrated_1996 = screened(api, {"residence_statuses": german, "born_abroad": True,
                                        "arrived_in_germany_on": "1996-01-02"})
    _, immigrated_1995 = screened(api, {"residence_statuses": german, "born_abroad": True,
                                        "arrived_in_germany_on": "1995-12-31"})
    _, parent = screened(api, {"residence_statuses": german, "born_abroad": False,
                               "parent_immigrated_after_1995": True})
    _, not_german = screened(api, {"residence_statuses": ["duldung"]})

    assert immigrated_1996["matching_target_group_ids"] == [tiintg]
    assert immigrated_1995["matching_target_group_ids"] == []
    assert parent["matching_target_group_ids"] == [tiintg]
    assert not_german["matching_target_group_ids"] == [tiintg]


def test_a_target_group_without_conditions_is_defined_with_every_condition_unset(api):
    """Found by the API fuzzing (tests/security): without ``conditions`` the request was a 500."""
    response = api.post("/target-groups", api.actors.coordinator(),
                        {"name": "Alle Zugewanderten", "valid_from": "2024-01-01"})

    assert response.status_code == 201, response.get_json()
    conditions = response.get_json()["conditions"]
    assert (conditions["residence_statuses"], conditions["regions_of_origin"],
            conditions["min_age"], conditions["disadvantaged"]) == ([], [], None, False)
