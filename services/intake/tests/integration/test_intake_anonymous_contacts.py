"""Work not tied to a named person — short queries of at most 20 minutes and information
events — recorded without a name and counted for the coordinating office; the event carries
counts only."""

from __future__ import annotations

import pytest

from intake_helpers import BRAKEL, HOEXTER, days_ago, events
from lotse.intake.v1 import events_pb2
from lotse.kim.v1 import vocabulary_pb2 as kim

pytestmark = pytest.mark.integration


def record(api, token=None, **body):
    return api.post("/anonymous-contacts", token or api.actors.case_manager(), {
        "kind": "short_query", "area_id": HOEXTER, "held_on": days_ago(1),
        "topic_areas": ["residence"], "languages": ["ar"], "duration_minutes": 15, **body})


def test_a_short_query_takes_at_most_20_minutes_and_has_no_name(api):
    # 001 L134: "Kurzanfragen … maximal 20 Minuten"
    short = record(api)
    too_long = record(api, duration_minutes=21)
    with_a_name = record(api, given_name="Amina")

    assert short.status_code == 201, short.get_json()
    assert (too_long.status_code, [e["field"] for e in too_long.get_json()["errors"]]) == (
        422, ["duration_minutes"])
    assert (with_a_name.status_code, [e["field"] for e in with_a_name.get_json()["errors"]]) == (
        422, ["given_name"])


def test_the_office_counts_short_queries_and_information_events_by_topic_and_language(
    api, actors, intake, tenant
):
    # 001 L205: "Diese können personenunabhängig auch in Form von Informationsveranstaltungen
    # erfolgen."
    record(api, topic_areas=["residence", "housing"], languages=["ar", "de"])
    record(api, duration_minutes=20, topic_areas=["residence"], languages=["ti"])
    record(api, actors.case_manager("cm-brakel", areas=(BRAKEL,)), kind="information_event",
           area_id=BRAKEL, duration_minutes=90, people=23, topic_areas=["work_training"],
           languages=["uk"])
    record(api, held_on=days_ago(40))  # before the period

    counts = api.get("/anonymous-contacts/counts", actors.coordinator(),
                     query={"from": days_ago(30), "until": days_ago(0)})
    hers = api.get("/anonymous-contacts/counts", actors.case_manager(),
                   query={"from": days_ago(30), "until": days_ago(0)}).get_json()

    assert counts.status_code == 200
    short, event = counts.get_json()
    assert (short["kind"], short["records"], short["people"], short["minutes"]) == (
        "short_query", 2, 2, 35)
    assert short["by_topic_area"] == {"residence": 2, "housing": 1}
    assert short["by_language"] == {"ar": 1, "de": 1, "ti": 1}
    assert (event["kind"], event["records"], event["people"], event["minutes"]) == (
        "information_event", 1, 23, 90)
    assert [(k["kind"], k["records"]) for k in hers] == [("short_query", 2),
                                                         ("information_event", 0)]
    published = events(intake, tenant, "intake.anonymous_contact.recorded.v1")
    assert len(published) == 4
    information = next(e for e in published if e.people == 23)
    assert (information.kind, list(information.topic_areas), list(information.languages),
            information.duration_minutes, information.area_id) == (
        events_pb2.AnonymousContactRecorded.KIND_INFORMATION_EVENT,
        [kim.TOPIC_AREA_WORK_TRAINING], ["uk"], 90, BRAKEL)
    assert information.recorded_by == "cm-brakel"  # whose 2-week report counts it (reporting)


def test_a_case_manager_records_only_in_her_areas_and_areas_are_checked(api, actors):
    elsewhere = record(api, area_id=BRAKEL)
    unknown = record(api, actors.coordinator(), area_id="area-nowhere")
    future = record(api, held_on=days_ago(-1))

    assert elsewhere.status_code == 403
    assert unknown.status_code == 422
    assert unknown.get_json()["type"] == "urn:lotse:problem:unknown-reference"
    assert [e["field"] for e in future.get_json()["errors"]] == ["held_on"]
