"""The lists a case manager works from — my open intakes, intakes waiting for a decision,
consents expiring within 30 days — each listed person audited as a read."""

from __future__ import annotations

import pytest

from intake_helpers import BRAKEL, audit_entries, days_ago, person

pytestmark = pytest.mark.integration


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [row["id"] for row in response.get_json()]


def test_my_open_intakes_are_mine_undecided_or_decided_for_case_management_not_admitted(
    api, actors
):
    recorded = api.record()["id"]
    screened = api.record()["id"]
    api.screen(screened)
    waiting_for_admission = api.record()["id"]
    api.decide(waiting_for_admission, "case_management")
    referred = api.record()["id"]
    api.decide(referred, "referral", referral={"org_id": "org-mbe", "topic": "language"})
    admitted = api.admitted()
    colleagues = api.record(actors.case_manager("cm-2"))["id"]

    mine = ids(api.get("/intakes/mine", actors.case_manager()))

    assert set(mine) == {recorded, screened, waiting_for_admission}
    assert not {referred, admitted, colleagues} & set(mine)


def test_the_open_list_shows_names_status_and_current_depth(api, actors):
    intake_id = api.record(who=person(given="Yonas", family="Tesfaye"))["id"]
    api.decide(intake_id, "case_management")

    (row,) = api.get("/intakes/mine", actors.case_manager()).get_json()

    assert row["id"] == intake_id
    assert row["person"] == {"given_name": "Yonas", "family_name": "Tesfaye"}
    assert (row["status"], row["current_depth"]) == ("decided", "case_management")


def test_intakes_waiting_for_a_decision_are_the_screened_ones_of_my_areas(api, actors):
    waiting = api.record()["id"]
    api.screen(waiting)
    decided = api.record()["id"]
    api.screen(decided)
    api.decide(decided, "information")
    api.record()  # not screened yet
    brakel = actors.case_manager("cm-brakel", areas=(BRAKEL,))
    elsewhere = api.record(brakel, area=BRAKEL)["id"]
    api.screen(elsewhere, brakel)

    assert ids(api.get("/intakes/awaiting-decision", actors.case_manager())) == [waiting]
    assert set(ids(api.get("/intakes/awaiting-decision", actors.coordinator()))) == {
        waiting, elsewhere}


def test_consents_expiring_within_30_days_not_withdrawn_soonest_first(api, actors):
    intake_id = api.record()["id"]
    in_10 = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-abh",
                        topic_areas=["residence"], valid_until=days_ago(-10))["id"]
    in_29 = api.consent(intake_id, "counselling_agreement", valid_until=days_ago(-29))["id"]
    api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-jc",
                topic_areas=["work_training"], valid_until=days_ago(-45))
    api.consent(intake_id, "counselling_agreement")  # open-ended
    gone = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-x",
                       topic_areas=["health"], valid_until=days_ago(-5))["id"]
    api.post(f"/intakes/{intake_id}/consents/{gone}/withdrawal", actors.case_manager())

    rows = api.get("/consents/expiring", actors.case_manager()).get_json()

    assert [r["consent"]["id"] for r in rows] == [in_10, in_29]
    assert rows[0]["intake"]["id"] == intake_id
    assert rows[0]["intake"]["person"]["family_name"] == "Haddad"
    wider = api.get("/consents/expiring", actors.case_manager(), query={"within_days": 60})
    assert len(wider.get_json()) == 3


def test_consents_of_another_area_do_not_appear_in_my_list(api, actors):
    brakel = actors.case_manager("cm-brakel", areas=(BRAKEL,))
    intake_id = api.record(brakel, area=BRAKEL)["id"]
    api.consent(intake_id, "counselling_agreement", brakel, valid_until=days_ago(-3))

    assert api.get("/consents/expiring", actors.case_manager()).get_json() == []
    assert len(api.get("/consents/expiring", actors.coordinator()).get_json()) == 1


def test_every_listed_person_is_audited_as_a_read_of_that_list(api, actors, intake, tenant):
    first = api.record()["id"]
    second = api.record()["id"]
    before = len(audit_entries(intake, tenant))

    api.get("/intakes/mine", actors.case_manager())

    listed = [(e.actor, e.action, e.record_id, e.reason)
              for e in audit_entries(intake, tenant)[before:]]
    assert sorted(listed) == sorted([("cm-hoexter", "read", first, "list:open"),
                                     ("cm-hoexter", "read", second, "list:open")])


def test_an_unknown_query_value_is_refused_naming_it(api, actors):
    response = api.get("/consents/expiring", actors.case_manager(), query={"within_days": 0})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["within_days"]
