"""Households (*Bedarfsgemeinschaft*): the intakes of one family linked, each with the member's
relation, so that the case manager works with the family as a unit (001 L562 "Fachkräfte müssen
mit einer größeren Bedarfsgemeinschaft arbeiten können"; 002 L217 "Alleinerziehende … sowie
Familien"). Only intakes the case manager may work are linked; each consent stays the person's."""

from __future__ import annotations

import pytest

from intake_helpers import audit_entries, events, person

pytestmark = pytest.mark.integration

BRAKEL = "area-brakel"
MEMBERSHIP = "intake.household.membership_changed.v1"


def _family(api) -> tuple[str, str, str]:
    return (api.record(who=person(given="Amina", family="Haddad"))["id"],
            api.record(who=person(given="Omar", family="Haddad", born="1987-02-01"))["id"],
            api.record(who=person(given="Lina", family="Haddad", born="2015-06-30"))["id"])


def test_a_family_of_two_adults_and_a_child_is_founded_at_first_contact(api, actors, intake,
                                                                         tenant):
    """001 L562: the case manager works with the larger household (Bedarfsgemeinschaft)."""
    mother, father, child = _family(api)

    response = api.post("/households", actors.case_manager(), {
        "kind": "family", "note": "gemeinsame Wohnung",
        "members": [{"intake_id": mother, "relation": "applicant"},
                    {"intake_id": father, "relation": "partner"},
                    {"intake_id": child, "relation": "child"}]})

    assert response.status_code == 201, response.get_json()
    household = response.get_json()
    assert household["kind"] == "family"
    assert sorted((m["intake_id"], m["relation"]) for m in household["members"]) == sorted(
        [(mother, "applicant"), (father, "partner"), (child, "child")])
    assert household["other_members"] == 0
    assert api.get(f"/intakes/{child}/household",
                   actors.case_manager()).get_json()["id"] == household["id"]
    published = events(intake, tenant, MEMBERSHIP)
    assert sorted(e.intake_id for e in published) == sorted([mother, father, child])
    assert all(e.linked and e.household_id == household["id"] for e in published)
    assert "gemeinsame" not in repr(published)  # the note stays in intake
    assert {(a.record_id, a.reason) for a in audit_entries(intake, tenant)} >= {
        (mother, "household"), (father, "household"), (child, "household")}


def test_a_single_parent_links_her_child_later_and_unlinks_it_again(api, actors):
    """002 L217: single parents (Alleinerziehende) are part of Höxter's target group."""
    mother = api.record()["id"]
    child = api.record(who=person(given="Sami", born="2016-01-01"))["id"]
    household = api.post("/households", actors.case_manager(), {
        "kind": "single_parent", "members": [{"intake_id": mother, "relation": "applicant"}]
    }).get_json()

    linked = api.post(f"/households/{household['id']}/members", actors.case_manager(),
                      {"intake_id": child, "relation": "child"})
    partner = api.post(f"/households/{household['id']}/members", actors.case_manager(),
                       {"intake_id": api.record()["id"], "relation": "partner"})
    unlinked = api.call("DELETE", f"/households/{household['id']}/members/{child}",
                        actors.case_manager())

    assert linked.status_code == 201, linked.get_json()
    assert len(linked.get_json()["members"]) == 2
    assert partner.status_code == 422
    assert partner.get_json()["errors"][0]["field"] == "relation"
    assert unlinked.status_code == 204
    assert api.get(f"/intakes/{child}/household", actors.case_manager()).status_code == 404


def test_only_people_the_case_manager_may_work_are_linked_and_nothing_is_half_written(
    api, actors
):
    """001 L562 with each person's data her own: an intake of another area is refused."""
    mine = api.record()["id"]
    elsewhere = api.record(actors.case_manager("cm-brakel", areas=(BRAKEL,)), area=BRAKEL)["id"]

    response = api.post("/households", actors.case_manager(), {
        "kind": "partners", "members": [{"intake_id": mine, "relation": "applicant"},
                                        {"intake_id": elsewhere, "relation": "partner"}]})

    assert response.status_code == 403
    assert api.get(f"/intakes/{mine}/household", actors.case_manager()).status_code == 404


def test_members_she_may_not_see_are_a_count_without_ids_or_names(api, actors):
    """001 L562: the household as a unit, each person's data shown only to who may see it."""
    mine = api.record()["id"]
    brakel = actors.case_manager("cm-brakel", areas=(BRAKEL,))
    theirs = api.record(brakel, area=BRAKEL, who=person(given="Verborgen"))["id"]
    office = actors.coordinator()
    household = api.post("/households", office, {
        "kind": "family", "members": [{"intake_id": mine, "relation": "applicant"},
                                      {"intake_id": theirs, "relation": "partner"}]})
    assert household.status_code == 201, household.get_json()

    seen = api.get(f"/households/{household.get_json()['id']}", actors.case_manager())

    assert seen.status_code == 200
    body = seen.get_json()
    assert [m["intake_id"] for m in body["members"]] == [mine]
    assert body["other_members"] == 1
    assert theirs not in seen.get_data(as_text=True)
    assert "Verborgen" not in seen.get_data(as_text=True)
    stranger = actors.case_manager("cm-nieheim", areas=("area-nieheim",))
    assert api.get(f"/households/{body['id']}", stranger).status_code == 404


def test_an_intake_is_in_one_household_at_most(api, actors):
    """002 L217: a family is one household; a person is not counted in two."""
    amina = api.record()["id"]
    first = api.post("/households", actors.case_manager(), {
        "kind": "family", "members": [{"intake_id": amina, "relation": "applicant"}]})
    assert first.status_code == 201

    second = api.post("/households", actors.case_manager(), {
        "kind": "partners", "members": [{"intake_id": amina, "relation": "applicant"}]})

    assert second.status_code == 409
    assert second.get_json()["errors"][0]["field"] == "members.0.intake_id"


def test_the_handover_carries_the_household_and_the_admission_its_id(api, actors, intake,
                                                                    tenant):
    """001 L562: the link travels to casework with the admission."""
    applicant = api.ready_for_admission()
    child = api.record(who=person(given="Lina", born="2015-06-30"))["id"]
    household = api.post("/households", actors.case_manager(), {
        "kind": "family", "members": [{"intake_id": applicant, "relation": "applicant"},
                                      {"intake_id": child, "relation": "child"}]}).get_json()
    assert api.admit(applicant, justification="Einzelfall").status_code == 201

    package = api.get(f"/handovers/{applicant}", actors.casework_client()).get_json()

    assert package["household"] == {"household_id": household["id"], "kind": "family",
                                    "relation": "applicant"}
    admitted = [e for e in events(intake, tenant, "intake.case.admitted.v1")
                if e.intake_id == applicant]
    assert admitted[0].household_id == household["id"]


def test_a_note_and_unknown_values_are_checked_at_the_edge(api, actors):
    amina = api.record()["id"]

    bad_kind = api.post("/households", actors.case_manager(), {
        "kind": "clan", "members": [{"intake_id": amina, "relation": "applicant"}]})
    bad_id = api.post("/households", actors.case_manager(), {
        "kind": "family", "members": [{"intake_id": "amina", "relation": "applicant"}]})
    none = api.post("/households", actors.case_manager(), {"kind": "family", "members": []})

    assert bad_kind.status_code == 422 and "kind" in str(bad_kind.get_json())
    assert bad_id.status_code == 422 and "members" in str(bad_id.get_json())
    assert none.status_code == 422 and "members" in str(none.get_json())
