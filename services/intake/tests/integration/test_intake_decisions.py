"""Counselling depth: every depth can be decided, referral counselling names organisation and
topic, a revision keeps the history, and the published decisions reproduce Mettmann's
screening table (DOMAIN.md §7)."""

from __future__ import annotations

import collections
import uuid
from datetime import date

import pytest

from intake_helpers import events
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_intake.domain.commands import DecideCounsellingDepth, RecordContact
from lotse_intake.domain.model import Referral
from lotse_intake.domain.vocabulary import AccessPath, CounsellingDepth, TopicArea
from lotse_intake.service_layer.handlers import decide_counselling_depth

pytestmark = pytest.mark.integration

DECIDED = "intake.counselling_depth.decided.v1"


@pytest.mark.parametrize("depth", ["information", "guidance", "accompaniment",
                                   "crisis_intervention", "case_management", "no_need"])
def test_every_depth_without_a_referral_can_be_decided(api, depth):
    intake_id = api.record()["id"]

    decision = api.decide(intake_id, depth)

    assert (decision["depth"], decision["revision"], decision["referral"]) == (depth, 1, None)


#: a service of the referral network's directory (Open Referral HSDS ids are UUIDs)
MBE_SERVICE = "5b0f4c52-3f0e-4d8a-9a57-6f1d2c3b4a10"


def test_referral_counselling_names_the_organisation_service_and_topic(api, intake, tenant):
    intake_id = api.record()["id"]

    decision = api.decide(intake_id, "referral", referral={
        "org_id": "org-mbe", "topic": "residence", "service_id": MBE_SERVICE})

    assert decision["referral"] == {"org_id": "org-mbe", "topic": "residence",
                                    "service_id": MBE_SERVICE}
    (published,) = events(intake, tenant, DECIDED)
    assert (published.referral_org_id, published.referral_service_id, published.referral_topic) \
        == ("org-mbe", MBE_SERVICE, kim.TOPIC_AREA_RESIDENCE)


def test_a_service_id_that_is_not_a_uuid_is_refused_naming_it_and_publishes_nothing(
        api, intake, tenant):
    """Free text in place of the directory's id would go into the decision's event (issue 18,
    point 5): a name and birth date there are refused like any malformed id."""
    intake_id = api.record()["id"]

    answer = api.post(f"/intakes/{intake_id}/decisions", api.actors.case_manager(), {
        "depth": "referral", "referral": {"org_id": "org-mbe", "topic": "residence",
                                          "service_id": "Amina Haddad 1990-04-12"}})

    assert answer.status_code == 422
    assert [e["field"] for e in answer.get_json()["errors"]] == ["referral.service_id"]
    assert events(intake, tenant, DECIDED) == []


def test_referral_counselling_without_a_referral_is_refused_naming_it(api):
    intake_id = api.record()["id"]

    response = api.post(f"/intakes/{intake_id}/decisions", api.actors.case_manager(),
                        {"depth": "referral"})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["referral"]


def test_a_referral_without_its_topic_is_refused_naming_the_nested_field(api):
    intake_id = api.record()["id"]

    response = api.post(f"/intakes/{intake_id}/decisions", api.actors.case_manager(),
                        {"depth": "referral", "referral": {"org_id": "org-mbe"}})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["referral.topic"]


def test_an_unknown_depth_is_refused_not_defaulted(api):
    intake_id = api.record()["id"]

    response = api.post(f"/intakes/{intake_id}/decisions", api.actors.case_manager(),
                        {"depth": "full_case_management"})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["depth"]


def test_a_revised_decision_keeps_the_earlier_ones_and_publishes_each_revision(
    api, intake, tenant
):
    intake_id = api.record()["id"]
    api.screen(intake_id)
    api.decide(intake_id, "guidance", note="erst Formulare")
    api.decide(intake_id, "case_management", note="mehr Bedarfe als gedacht")

    history = api.get(f"/intakes/{intake_id}", api.actors.case_manager()).get_json()["decisions"]

    assert [(d["revision"], d["depth"], d["note"]) for d in history] == [
        (1, "guidance", "erst Formulare"), (2, "case_management", "mehr Bedarfe als gedacht")]
    published = events(intake, tenant, DECIDED)
    assert [(e.revision, e.depth) for e in published] == [
        (1, kim.COUNSELLING_DEPTH_GUIDANCE), (2, kim.COUNSELLING_DEPTH_CASE_MANAGEMENT)]
    assert list(published[1].topic_areas) == [kim.TOPIC_AREA_RESIDENCE, kim.TOPIC_AREA_HOUSING]


def test_events_of_one_intake_carry_their_order(api, intake, tenant):
    intake_id = api.record()["id"]
    api.screen(intake_id)
    api.decide(intake_id, "information")

    from intake_helpers import outbox_rows

    rows = outbox_rows(intake, tenant)
    assert [(r.aggregate_id, r.sequence) for r in rows] == [(intake_id, 1), (intake_id, 2),
                                                             (intake_id, 3)]


# -- Mettmann's screening for §104c, 09/2023 (DOMAIN.md §7) -----------------------------------------
CARITAS_FF = "org-caritas-foerdern-und-fordern"
JMD, MBE, FH_VELBERT = "org-jmd", "org-mbe", "org-fluechtlingshilfe-velbert"
METTMANN_TABLE = {  # Verweis an → Anzahl
    "Fördern und Fordern (Caritas)": 4, "JMD": 0, "MBE": 17, "KIM-CM": 23,
    "Flüchtlingshilfe Velbert e.V.": 1, "Kein Bedarf": 49,
}
ROW_OF_REFERRAL = {CARITAS_FF: "Fördern und Fordern (Caritas)", JMD: "JMD", MBE: "MBE",
                   FH_VELBERT: "Flüchtlingshilfe Velbert e.V."}


def mettmann_decisions():
    """94 screenings at the immigration office as the case managers decided them; three were
    first decided otherwise and revised."""
    plan = ([Referral(CARITAS_FF, TopicArea.RESIDENCE)] * 4 + [Referral(MBE, TopicArea.RESIDENCE)] * 17
            + [Referral(FH_VELBERT, TopicArea.RESIDENCE)] * 1
            + [CounsellingDepth.CASE_MANAGEMENT] * 23 + [CounsellingDepth.NO_NEED] * 49)
    revised_first = {0: CounsellingDepth.NO_NEED, 30: CounsellingDepth.INFORMATION,
                     60: Referral(JMD, TopicArea.EDUCATION)}
    return plan, revised_first


def decide(intake, tenant, intake_id, outcome, day):
    referral = outcome if isinstance(outcome, Referral) else None
    depth = CounsellingDepth.REFERRAL if referral else outcome
    decide_counselling_depth(DecideCounsellingDepth(intake_id, depth, "cm-mettmann", day,
                                                    referral=referral), intake.uow(tenant))


def test_the_mettmann_screening_table_is_reproduced_from_the_published_decisions(intake, tenant):
    plan, revised_first = mettmann_decisions()
    day = date(2023, 9, 1)
    for n, outcome in enumerate(plan):
        intake_id = intake.bus.handle(RecordContact(
            area_id="area-hilden", access_path=AccessPath.IMMIGRATION_OFFICE_SCREENING,
            contact_date=day, person=_person(n), recorded_by="cm-mettmann"),
            intake.uow(tenant)).id
        if n in revised_first:
            decide(intake, tenant, intake_id, revised_first[n], day)
        decide(intake, tenant, intake_id, outcome, day)

    # what reporting will do: the latest revision per intake, counted by referral target / depth
    latest = {}
    for event in events(intake, tenant, DECIDED):
        if event.revision > latest.get(event.intake_id, (0, None))[0]:
            latest[event.intake_id] = (event.revision, event)
    table = collections.Counter()
    for _, event in latest.values():
        if event.depth == kim.COUNSELLING_DEPTH_REFERRAL:
            table[ROW_OF_REFERRAL[event.referral_org_id]] += 1
        elif event.depth == kim.COUNSELLING_DEPTH_CASE_MANAGEMENT:
            table["KIM-CM"] += 1
        elif event.depth == kim.COUNSELLING_DEPTH_NO_NEED:
            table["Kein Bedarf"] += 1
    table["JMD"] += 0

    assert dict(table) == METTMANN_TABLE
    assert sum(table.values()) == 94
    contacts = events(intake, tenant, "intake.contact.recorded.v1")
    assert {c.access_path for c in contacts} == {kim.ACCESS_PATH_IMMIGRATION_OFFICE_SCREENING}


def _person(n: int):
    from lotse_intake.domain.model import Person

    return Person(given_name=f"Person{n}", family_name=f"Screening{uuid.uuid4().hex[:6]}",
                  languages=("de",))
