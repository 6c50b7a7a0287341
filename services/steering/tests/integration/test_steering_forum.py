"""The participation forum on the real database (issue 13, "Also"): sessions and anonymous
statements that become evidence for a theme; information events; links to county-level case
conferences; who may read what."""

from __future__ import annotations

import uuid

import pytest
from test_steering_candidates_api import session

from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.testing import (
    TokenCaller,
    days_ago,
    days_ahead,
    known_directory,
    put_directory,
)

pytestmark = pytest.mark.integration


def a_theme(steering, tenant, office, count: int = 1) -> list[str]:
    put_directory(steering, tenant, known_directory(
        users=[("cm-lea", "org-awo", ["case_manager"])]))
    body = session([str(uuid.uuid4()) for _ in range(4)])
    body["themes"] = [{**body["themes"][0], "title": f"Thema {n}"} for n in range(count)]
    made = office.post("/reconstructions", json=body)
    assert made.status_code == 201, made.get_json()
    return made.get_json()["theme_ids"]


def a_forum(office) -> str:
    made = office.post("/forums", {"name": "Beteiligungsforum Nordkreis",
                                   "description": "zugewanderte Menschen gestalten KIM mit"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def fields(answer) -> list[str]:
    return [e["field"] for e in answer.get_json()["errors"]]


def test_statements_of_a_held_session_become_evidence_of_a_theme(steering, tenant, as_user):
    office = as_user("ks-koch")
    member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    forum_id = a_forum(office)
    held = office.post(f"/forums/{forum_id}/sessions", {
        "held_on": days_ago(20), "place": "Bürgerhaus Hilden",
        "topic": "Erfahrungen mit Behörden", "participants": 9})
    assert held.status_code == 201, held.get_json()
    coming = office.post(f"/forums/{forum_id}/sessions", {
        "held_on": days_ahead(30), "place": "Villa B Velbert", "topic": "Wohnen"})
    assert coming.status_code == 201 and coming.get_json()["participants"] is None
    counted_early = office.post(f"/forums/{forum_id}/sessions", {
        "held_on": days_ahead(30), "place": "Villa B Velbert", "participants": 12})
    assert counted_early.status_code == 422 and fields(counted_early) == ["participants"]

    too_early = office.post(f"/forum-sessions/{coming.get_json()['id']}/statements", {
        "text": "Termine bei der Ausländerbehörde dauern Monate", "topic_area": "residence"})
    assert too_early.status_code == 409 and fields(too_early) == ["session_id"]
    wrong_area = office.post(f"/forum-sessions/{held.get_json()['id']}/statements", {
        "text": "Die Wohnungssuche dauert Jahre", "topic_area": "wohnen"})
    assert wrong_area.status_code == 422 and "topic_area" in fields(wrong_area)
    said = [office.post(f"/forum-sessions/{held.get_json()['id']}/statements", {
        "text": text, "topic_area": area}) for text, area in (
        ("Termine bei der Ausländerbehörde dauern Monate", "residence"),
        ("Für große Familien gibt es keine Wohnungen", "housing"))]
    assert [s.status_code for s in said] == [201, 201]
    statement_ids = [s.get_json()["id"] for s in said]
    assert set(said[0].get_json()) == {"id", "session_id", "forum_id", "text", "topic_area",
                                       "recorded_on", "theme_id"}, "no author"

    # the steering group reads the forum; case managers nothing of it
    assert [f["name"] for f in member.get("/forums").get_json()] == ["Beteiligungsforum Nordkreis"]
    assert [s["place"] for s in member.get(f"/forums/{forum_id}/sessions").get_json()] == [
        "Villa B Velbert", "Bürgerhaus Hilden"], "newest first"
    assert len(member.get(f"/forum-sessions/{held.get_json()['id']}/statements").get_json()) == 2
    assert member.post("/forums", {"name": "Zweites Forum"}).status_code == 403
    assert member.post(f"/forum-sessions/{held.get_json()['id']}/statements", {
        "text": "x", "topic_area": "other"}).status_code == 403
    for path in ("/forums", f"/forums/{forum_id}", f"/forums/{forum_id}/sessions",
                 f"/forum-sessions/{held.get_json()['id']}/statements"):
        assert lea.get(path).status_code == 403, path

    first, second = a_theme(steering, tenant, office, count=2)
    unknown = office.post(f"/themes/{first}/forum-statements",
                          {"statement_ids": [statement_ids[0], str(uuid.uuid4())]})
    assert unknown.status_code == 422 and fields(unknown) == ["statement_ids.1"]
    not_an_id = office.post(f"/themes/{first}/forum-statements", {"statement_ids": ["Amina"]})
    assert not_an_id.status_code == 422
    attached = office.post(f"/themes/{first}/forum-statements",
                           {"statement_ids": statement_ids + statement_ids[:1]})
    assert attached.status_code == 200, attached.get_json()
    assert [s["statement_id"] for s in attached.get_json()["forum_statements"]] == statement_ids
    again = office.post(f"/themes/{first}/forum-statements", {"statement_ids": statement_ids})
    assert len(again.get_json()["forum_statements"]) == 2, "attached once"
    elsewhere = office.post(f"/themes/{second}/forum-statements",
                            {"statement_ids": statement_ids[1:]})
    assert elsewhere.status_code == 409 and fields(elsewhere) == ["statement_ids.0"]
    shown = {t["id"]: t for t in member.get("/themes").get_json()}
    assert len(shown[first]["forum_statements"]) == 2 and shown[second]["forum_statements"] == []
    assert {s["theme_id"] for s in member.get(
        f"/forum-sessions/{held.get_json()['id']}/statements").get_json()} == {first}
    assert member.post(f"/themes/{first}/forum-statements",
                       {"statement_ids": statement_ids}).status_code == 403
    assert office.post(f"/themes/{uuid.uuid4()}/forum-statements",
                       {"statement_ids": statement_ids}).status_code == 404


def test_another_tenant_sees_nothing_of_the_forum(steering, tenant, as_user, app, issuer):
    office = as_user("ks-koch")
    forum_id = a_forum(office)
    held = office.post(f"/forums/{forum_id}/sessions", {
        "held_on": days_ago(3), "place": "Bürgerhaus Hilden", "participants": 4}).get_json()
    stranger = TokenCaller(app.test_client(), issuer.issue(
        "ks-other", uuid.uuid4(), "org-other", ["coordinator"], areas=[]))
    assert stranger.get("/forums").get_json() == []
    assert stranger.get(f"/forums/{forum_id}").status_code == 404
    assert stranger.get(f"/forums/{forum_id}/sessions").status_code == 404
    assert stranger.get(f"/forum-sessions/{held['id']}/statements").status_code == 404
    assert stranger.post(f"/forums/{forum_id}/sessions", {
        "held_on": days_ago(3), "place": "Bürgerhaus Hilden"}).status_code == 404
    assert stranger.get(f"/forums/{forum_id}/invitations").status_code == 404


def test_information_events_are_planned_held_with_their_attendance(steering, tenant, as_user):
    office = as_user("ks-koch")
    member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    (theme_id,) = a_theme(steering, tenant, office)
    decision_id = str(uuid.uuid4())
    planned = office.post("/information-events", {
        "held_on": days_ahead(14), "topic": "Aufenthaltssicherung durch Ausbildung",
        "audience": "Beratungsakteure", "speaker_organisation": "Ausländerbehörde",
        "theme_id": theme_id, "decision_id": decision_id})
    assert planned.status_code == 201, planned.get_json()
    event = planned.get_json()
    assert (event["status"], event["status_de"], event["attendance"], event["decision_id"]) == (
        "planned", "geplant", None, decision_id)

    future_held = office.patch(f"/information-events/{event['id']}",
                               {"status": "held", "attendance": 20})
    assert future_held.status_code == 422 and fields(future_held) == ["held_on"]
    uncounted = office.patch(f"/information-events/{event['id']}",
                             {"status": "held", "held_on": days_ago(1)})
    assert uncounted.status_code == 422 and fields(uncounted) == ["attendance"]
    counted_early = office.post("/information-events", {
        "held_on": days_ahead(3), "topic": "Anerkennung", "attendance": 5})
    assert counted_early.status_code == 422 and fields(counted_early) == ["attendance"]
    no_theme = office.post("/information-events", {
        "held_on": days_ahead(3), "topic": "Anerkennung", "theme_id": str(uuid.uuid4())})
    assert no_theme.status_code == 422 and fields(no_theme) == ["theme_id"]
    not_an_id = office.post("/information-events", {
        "held_on": days_ahead(3), "topic": "Anerkennung", "decision_id": "LG-2023-05"})
    assert not_an_id.status_code == 422 and "decision_id" in fields(not_an_id)

    held = office.patch(f"/information-events/{event['id']}",
                        {"status": "held", "held_on": days_ago(1), "attendance": 23})
    assert held.status_code == 200, held.get_json()
    assert (held.get_json()["status_de"], held.get_json()["attendance"]) == ("durchgeführt", 23)
    back = office.patch(f"/information-events/{event['id']}", {"status": "planned"})
    assert back.status_code == 409
    assert member.get(f"/information-events/{event['id']}").get_json()["attendance"] == 23
    assert [e["id"] for e in member.get("/information-events").get_json()] == [event["id"]], \
        "the refused ones were not kept"
    assert member.post("/information-events", {"held_on": days_ahead(3),
                                               "topic": "x"}).status_code == 403
    assert member.patch(f"/information-events/{event['id']}", {"topic": "y"}).status_code == 403
    assert lea.get("/information-events").status_code == 403
    assert office.get(f"/information-events/{uuid.uuid4()}").status_code == 404


def test_a_theme_links_county_conferences_by_id_only(steering, tenant, as_user):
    office = as_user("ks-koch")
    member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    (theme_id,) = a_theme(steering, tenant, office)
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    linked = office.put(f"/themes/{theme_id}/conference-links",
                        {"conference_ids": [first, second, first]})
    assert linked.status_code == 200, linked.get_json()
    assert sorted(link["conference_id"] for link in linked.get_json()) == sorted([first, second])
    relinked = office.put(f"/themes/{theme_id}/conference-links",
                          {"conference_ids": [second, third]})
    assert sorted(link["conference_id"] for link in relinked.get_json()) == sorted(
        [second, third])
    assert sorted(link["conference_id"] for link in office.get(
        f"/themes/{theme_id}/conference-links").get_json()) == sorted([second, third])
    not_an_id = office.put(f"/themes/{theme_id}/conference-links",
                           {"conference_ids": ["Fallkonferenz Haddad"]})
    assert not_an_id.status_code == 422 and fields(not_an_id) == ["conference_ids.0"]
    assert office.put(f"/themes/{uuid.uuid4()}/conference-links",
                      {"conference_ids": [first]}).status_code == 404
    assert member.put(f"/themes/{theme_id}/conference-links",
                      {"conference_ids": [first]}).status_code == 403
