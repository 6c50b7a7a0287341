"""Case conferences on the town and the county level (seed 002 L347–L348), the coordinating
office's review round over every active case with the immigration office's liaison (Borken, 003
L35), and persons taking part without an organisation (001 L622)."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from lotse_platform.auth import AUTHORITY_LIAISON, COORDINATOR, PROVIDER_STAFF
from lotse_platform.testing import days_ago, days_ahead, known_directory, put_directory

from lotse.casework.v1 import events_pb2 as ev

from casework_steps import ok
from casework_support import PERSON_NAME, ConsentsAsKept, open_test_case

pytestmark = pytest.mark.integration

ABH_RELEASE = {"partner_org_id": "org-abh", "topic_areas": ["residence"]}


@pytest.fixture
def office(as_user):
    """The coordinating office (Koordinierende Stelle) of the county."""
    return as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis", areas=())


@pytest.fixture
def liaison(as_user):
    """The immigration office's Integrationslotsin (KIM building block 3)."""
    return as_user("abh-lotsin", roles=(AUTHORITY_LIAISON,), org="org-abh", areas=())


def test_the_coordinating_office_convenes_a_county_conference_which_the_case_manager_is_told_of(
        casework, tenant, as_user, office, superuser):
    # 002 L348: "Auf Kreisebene: alle involvierten Akteur*innen werden durch die KS eingeladen"
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[ABH_RELEASE])
    plan = {"planned_on": days_ahead(7), "topics": ["residence"],
            "agenda": "Klärung Aufenthalt mit der ABH",
            "participants": [{"organisation_id": "org-abh", "role": "Integrationslotsin"}],
            "persons": [{"role": "teacher", "name": "Frau Berg", "client_agreed": True}]}
    county = ok(office.post(f"/cases/{case_id}/conferences", plan), 201)["id"]
    town = ok(lea.post(f"/cases/{case_id}/conferences", {**plan, "persons": []}), 201)["id"]

    listed = {c["id"]: c for c in lea.get(f"/cases/{case_id}").get_json()["conferences"]}
    assert (listed[county]["level"], listed[town]["level"]) == ("county", "town")
    assert listed[county]["persons"] == [{"role": "teacher", "name": "Frau Berg"}]
    notices = lea.get("/my-day").get_json()["notices"]
    assert [(n["kind"], n["reference"]) for n in notices
            if n["kind"] == "conference_convened"] == [("conference_convened", county)]

    # the office runs the county conference it convened, not the town's, and writes nothing else
    town_held = office.post(f"/cases/{case_id}/conferences/{town}/held",
                            {"held_on": days_ago(0), "minutes": "x"})
    assert town_held.status_code == 403
    assert office.post(f"/cases/{case_id}/contacts", {
        "type": "phone_call", "occurred_on": days_ago(0), "duration_minutes": 10,
        "topics": ["residence"]}).status_code == 403
    ok(office.post(f"/cases/{case_id}/conferences/{county}/held", {
        "held_on": days_ago(0), "minutes": "Frau Berg berichtet vom Schulbesuch",
        "duration_minutes": 90}))
    with superuser.connect() as connection:
        payload = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.case_conference.held.v1' "
            "AND aggregate_id = :a"), {"a": str(case_id)}).scalar_one()
        audited = connection.execute(sa.text(
            "SELECT actor, action, reason FROM audit_log WHERE record_id = :c "
            "AND record_type = 'conference' ORDER BY at"), {"c": county}).all()
    held = ev.CaseConferenceHeld.FromString(payload)
    assert (held.level, held.persons_without_organisation) == (ev.CONFERENCE_LEVEL_COUNTY, 1)
    assert b"Frau Berg" not in payload, "persons are counted in events, never named"
    assert [tuple(row) for row in audited] == [
        ("ks-koch", "create", "coordinating office"),
        ("ks-koch", "update", "held, coordinating office")]


def test_a_person_without_an_organisation_takes_part_only_with_the_clients_agreement(
        casework, tenant, as_user):
    # 001 L622: "Beteiligte: … Lehrende, … Ehrenamtliche u.a." — no release covers them
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    plan = {"planned_on": days_ahead(3), "topics": ["education"], "agenda": "Schule",
            "persons": [{"role": "volunteer", "name": "Herr Aydin", "client_agreed": False}]}
    refused = lea.post(f"/cases/{case_id}/conferences", plan)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["persons.0.client_agreed"]
    unknown_role = lea.post(f"/cases/{case_id}/conferences", {
        **plan, "persons": [{"role": "neighbour", "client_agreed": True}]})
    assert unknown_role.status_code == 422
    assert "persons" in unknown_role.get_json()["errors"][0]["field"]

    conference = ok(lea.post(f"/cases/{case_id}/conferences", {**plan, "persons": []}),
                    201)["id"]
    ok(lea.post(f"/cases/{case_id}/conferences/{conference}/persons",
                {"role": "volunteer", "name": "Herr Aydin", "client_agreed": True}))
    [listed] = lea.get(f"/cases/{case_id}").get_json()["conferences"]
    assert listed["persons"] == [{"role": "volunteer", "name": "Herr Aydin"}]


def test_the_office_reviews_every_active_case_of_a_case_manager_with_the_immigration_office(
        casework, tenant, as_user, office, liaison, superuser):
    # 003 L35: "Einmal im Quartal … lädt die koordinierende Stelle die jeweilige Case Managerin
    # … und die Integrationslotsin aus der Ausländerbehörde ein. Zu jedem aktiven Fall gibt es
    # dann eine individuelle Fallbesprechung."
    put_directory(casework, tenant, known_directory(users=[("cm-lea", "org-caritas",
                                                            ["case_manager"])]))
    lea = as_user("cm-lea", org="org-caritas")
    released = open_test_case(casework, tenant, "cm-lea", org="org-caritas",
                              releases=[ABH_RELEASE])
    unreleased = open_test_case(casework, tenant, "cm-lea", org="org-caritas")
    open_test_case(casework, tenant, "cm-tobias")  # another case manager's: not in the round

    answer = ok(office.post("/conference-rounds", {
        "case_manager_id": "cm-lea", "planned_on": days_ahead(14), "topics": ["residence"],
        "agenda": "Quartalsbesprechung KIM", "organisation_ids": ["org-abh"]}), 201)
    without = {c["case_id"]: c["organisations_without_release"] for c in answer["conferences"]}
    assert without == {str(released): [], str(unreleased): ["org-abh"]}

    # the liaison sees the conference her office takes part in — and only that one
    [seen] = ok(liaison.get("/conferences"), 200)
    assert (seen["case_id"], seen["level"], seen["round_id"]) == (
        str(released), "county", answer["round_id"])
    assert seen["client_name"] == PERSON_NAME, "she has to know whom the review is about"
    assert liaison.get(f"/cases/{released}").status_code in (403, 404), \
        "the case file stays closed to her"
    both = ok(lea.get(f"/conferences?round_id={answer['round_id']}"), 200)
    assert sorted(c["case_id"] for c in both) == sorted([str(released), str(unreleased)])
    assert len(ok(office.get("/conferences?level=county"), 200)) == 2
    assert ok(as_user("fb-caritas", roles=(PROVIDER_STAFF,), org="org-jobcenter").get(
        "/conferences"), 200) == []
    with superuser.connect() as connection:
        read = connection.execute(sa.text(
            "SELECT reason FROM audit_log WHERE actor = 'abh-lotsin' AND action = 'read' "
            "AND record_type = 'conference'")).scalars().all()
    assert read == ["participant"]

    # the case manager records the review of her case (she takes part in the county's too)
    ok(lea.post(f"/cases/{released}/conferences/{seen['id']}/held",
                {"held_on": days_ago(0), "minutes": "Verlängerung beantragt"}))
    assert ok(liaison.get("/conferences"), 200)[0]["minutes"] == "Verlängerung beantragt"


def test_a_round_is_refused_for_an_unknown_case_manager_or_one_without_active_cases(
        casework, tenant, as_user, office):
    body = {"case_manager_id": "cm-nobody", "planned_on": days_ahead(14),
            "topics": ["residence"], "agenda": "Quartal", "organisation_ids": ["org-abh"]}
    unknown = office.post("/conference-rounds", body)
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["case_manager_id"]
    assert office.post("/conference-rounds", {**body, "case_manager_id": "cm-2"}).status_code \
        == 409, "no active case to review"
    assert as_user("cm-tobias").post("/conference-rounds", {
        **body, "case_manager_id": "cm-2"}).status_code == 403, "the office convenes rounds"
    backwards = office.get(f"/conferences?from={days_ahead(5)}&to={days_ago(5)}")
    assert backwards.status_code == 422 and backwards.get_json()["errors"][0]["field"] == "to"


class IntakeWithdrew(ConsentsAsKept):
    """Intake has the release withdrawn; casework's copy does not know yet (its event is on
    the way)."""

    def current_consents(self, operator_org_id, intake_id, consent_ids):
        current = super().current_consents(operator_org_id, intake_id, consent_ids)
        return {cid: dataclasses.replace(c, withdrawn=True, withdrawn_on=c.valid_from)
                if c.kind == "release_of_confidentiality" else c
                for cid, c in current.items()}


def test_the_liaison_no_longer_sees_the_conference_once_intake_has_the_release_withdrawn(
        casework, tenant, as_user, office, liaison, superuser):
    # ADR 0053: a withdrawn consent stops sharing at once, not after the event arrives
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[ABH_RELEASE])
    ok(office.post(f"/cases/{case_id}/conferences", {
        "planned_on": days_ahead(7), "topics": ["residence"], "agenda": "Aufenthalt",
        "participants": [{"organisation_id": "org-abh"}]}), 201)
    assert len(ok(liaison.get("/conferences"), 200)) == 1
    casework.__dict__["consent_client"] = IntakeWithdrew(superuser)
    assert ok(liaison.get("/conferences"), 200) == []
