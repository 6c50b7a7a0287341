"""The steering group's rules through the API on the real database (issue 13, ADR 0095): who may
do what, members and their references, the quorum rule deferring a decision, meetings and their
minutes, decisions that move a theme through its lifecycle and mandate a project group, the
office's own steps (implemented, escalated with its write-up as a PDF), and another tenant
seeing nothing."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from test_steering_candidates_api import session

from lotse.steering.v1 import events_pb2 as steering_events
from lotse_platform import clock
from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.testing import TokenCaller, frozen_clock, known_directory, put_directory

pytestmark = pytest.mark.integration

VOTERS = (("lg-a", "org-kreis"), ("lg-b", "org-jobcenter"), ("lg-c", "org-awo"),
          ("lg-d", "org-caritas"))
MANDATE = {"subject": "Prekäre Beschäftigung zur Aufenthaltssicherung",
           "objective": "Aufenthaltssicherung steht qualifizierter Arbeit nicht im Wege",
           "composition": "ABH, Einbürgerung, BAMF, Integration Point, Agentur für Arbeit, "
                          "Jobcenter, JMD, KIM Case Management",
           "working_form": "drei Termine à drei Stunden",
           "expected_result": "Zielsystem mit Ergebniszielen und Aktivitäten"}


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=clock.zone())


@pytest.fixture
def group(steering, tenant, as_user):
    """Four voting members and the office, the directory knowing them and one case manager."""
    put_directory(steering, tenant, known_directory(
        organisations=[org for _, org in VOTERS] + ["org-kreis-hoexter"],
        users=[*((user, org, [STEERING_MEMBER]) for user, org in VOTERS),
               ("cm-lea", "org-awo", ["case_manager"])]))
    office = as_user("ks-koch")
    ids = {}
    for user, org in VOTERS:
        answer = office.post("/steering-group/members",
                             {"organisation_id": org, "user_id": user, "voting": True})
        assert answer.status_code == 201, answer.get_json()
        ids[user] = answer.get_json()["id"]
    members = {user: as_user(user, roles=(STEERING_MEMBER,), org=org) for user, org in VOTERS}
    return office, members, ids


def theme_of(office) -> str:
    made = office.post("/reconstructions", json=session([str(uuid.uuid4()) for _ in range(4)]))
    assert made.status_code == 201, made.get_json()
    return made.get_json()["theme_ids"][0]


def propose(office, **body) -> str:
    answer = office.post("/decision-proposals", {"subject": "Vorlage", "text": "Beschluss", **body})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def vote_all(members, proposal, votes: dict[str, str]) -> None:
    for user, vote in votes.items():
        answer = members[user].post(f"/decision-proposals/{proposal}/votes", {"vote": vote})
        assert answer.status_code == 200, answer.get_json()


def test_members_are_references_of_the_directory_held_once_with_a_deputy_of_the_group(
        group, as_user):
    office, members, ids = group
    unknown = office.post("/steering-group/members", {
        "organisation_id": "org-nowhere", "user_id": "cm-lea", "voting": True})
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.get_json()["errors"]} == {"organisation_id", "user_id"}, \
        "an unknown organisation, and a user without the steering role"
    twice = office.post("/steering-group/members",
                        {"organisation_id": "org-kreis", "user_id": "lg-a", "voting": False})
    assert twice.status_code == 409 and twice.get_json()["errors"][0]["field"] == "user_id"
    no_deputy = office.put(f"/steering-group/members/{ids['lg-a']}", {
        "organisation_id": "org-kreis", "user_id": "lg-a", "voting": True,
        "deputy_id": str(uuid.uuid4())})
    assert no_deputy.status_code == 422
    assert no_deputy.get_json()["errors"][0]["field"] == "deputy_id"
    assert office.put(f"/steering-group/members/{ids['lg-a']}", {
        "organisation_id": "org-kreis", "user_id": "lg-a", "voting": True,
        "deputy_id": ids["lg-d"]}).status_code == 200

    listed = members["lg-b"].get("/steering-group/members").get_json()
    assert {m["user_id"] for m in listed} == {"lg-a", "lg-b", "lg-c", "lg-d"}
    assert all(m["organisation_name"] is None for m in listed), "no name in this directory"
    assert members["lg-b"].post("/steering-group/members", {
        "organisation_id": "org-kreis", "user_id": "lg-b", "voting": True}).status_code == 403
    cm = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    assert cm.get("/steering-group/members").status_code == 403
    assert cm.get("/decision-proposals").status_code == 403

    assert office.delete(f"/steering-group/members/{ids['lg-d']}").status_code == 204
    (a,) = [m for m in office.get("/steering-group/members").get_json() if m["user_id"] == "lg-a"]
    assert a["deputy_id"] is None, "the seat that deputised ended"
    assert office.delete(f"/steering-group/members/{ids['lg-d']}").status_code == 404


def test_too_few_voting_members_defer_a_proposal_and_the_quorum_rule_is_the_tenants(group):
    office, members, _ = group
    assert office.get("/steering-group/quorum-rule").get_json() == {
        "min_participation_percent": 50, "majority": "simple"}
    assert office.put("/steering-group/quorum-rule", {
        "min_participation_percent": 75, "majority": "absolute"}).status_code == 200
    assert members["lg-a"].put("/steering-group/quorum-rule", {
        "min_participation_percent": 10, "majority": "simple"}).status_code == 403
    bad = office.put("/steering-group/quorum-rule", {"min_participation_percent": 0,
                                                     "majority": "loudest"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.get_json()["errors"]} >= {"majority"}

    with frozen_clock(at_noon(date(2026, 11, 25))):
        few = propose(office, kind="other")
        vote_all(members, few, {"lg-a": "yes", "lg-b": "yes"})  # 2 of 4: below 75 %
        assert office.post(f"/decision-proposals/{few}/decision", {}).get_json()["outcome"] \
            == "deferred"
        split = propose(office, kind="other")
        # 3 of 4 take part; 1 yes, 1 no, 1 abstention: no absolute majority
        vote_all(members, split, {"lg-a": "yes", "lg-b": "no", "lg-c": "abstain"})
        answer = office.post(f"/decision-proposals/{split}/decision", {}).get_json()
        assert (answer["outcome"], answer["decided_on"]) == ("rejected", "2026-11-25")
        postponed = propose(office, kind="other")
        vote_all(members, postponed, {"lg-a": "yes", "lg-b": "yes", "lg-c": "yes"})
        assert office.post(f"/decision-proposals/{postponed}/decision",
                           {"defer": True}).get_json()["outcome"] == "deferred"
        passed = propose(office, kind="other")
        vote_all(members, passed, {"lg-a": "yes", "lg-b": "yes", "lg-c": "abstain"})
        assert office.post(f"/decision-proposals/{passed}/decision", {}).get_json()[
            "outcome"] == "approved"
    assert members["lg-d"].post(f"/decision-proposals/{few}/votes",
                                {"vote": "yes"}).status_code == 409


def test_a_proposal_names_what_its_kind_needs(group):
    office, _, _ = group
    for body, field in (
            ({"kind": "establish_theme"}, "theme_id"),
            ({"kind": "establish_theme", "theme_id": str(uuid.uuid4())}, "theme_id"),
            ({"kind": "mandate_project_group", "theme_id": theme_of(office)}, "mandate"),
            ({"kind": "mandate_project_group", "theme_id": theme_of(office),
              "mandate": {**MANDATE, "objective": " "}}, "mandate.objective"),
            ({"kind": "change_target_groups"}, "target_group_change"),
            ({"kind": "change_target_groups", "target_group_change": {
                "change": "create", "name": "Gruppe", "criteria": "wer",
                "valid_from": "2026-01-01", "valid_until": "2025-12-31"}},
             "target_group_change.valid_until"),
            ({"kind": "change_target_groups", "target_group_change": {
                "change": "create", "name": "Gruppe", "criteria": "wer",
                "valid_from": "2026-01-01", "area_ids": ["area-nowhere"]}},
             "target_group_change.area_ids.0"),
            ({"kind": "change_target_groups", "target_group_change": {"change": "end"}},
             "target_group_change.target_group_id"),
            ({"kind": "other", "mandate": MANDATE}, "mandate")):
        answer = office.post("/decision-proposals", {"subject": "Vorlage", "text": "x", **body})
        assert answer.status_code == 422, (body, answer.get_json())
        assert [e["field"] for e in answer.get_json()["errors"]] == [field], body


def test_decisions_move_a_theme_through_its_lifecycle_and_mandate_its_project_group(
        steering, superuser, tenant, group):
    office, members, _ = group
    theme = theme_of(office)
    majority = {"lg-a": "yes", "lg-b": "yes", "lg-c": "no"}
    with frozen_clock(at_noon(date(2026, 11, 25))):
        adopt_too_early = propose(office, kind="adopt_result", theme_id=theme)
        vote_all(members, adopt_too_early, majority)
        refused = office.post(f"/decision-proposals/{adopt_too_early}/decision", {})
        assert refused.status_code == 409, "proposed → result_adopted is no step"
        assert refused.get_json()["errors"][0]["field"] == "theme_id"
        assert office.get(f"/decision-proposals/{adopt_too_early}").get_json()["outcome"] is None

        establish = propose(office, kind="establish_theme", theme_id=theme)
        vote_all(members, establish, majority)
        assert office.post(f"/decision-proposals/{establish}/decision", {}).status_code == 200
        mandate = propose(office, kind="mandate_project_group", theme_id=theme, mandate=MANDATE)
        vote_all(members, mandate, majority)
    with frozen_clock(at_noon(date(2026, 12, 2))):
        mandated = office.post(f"/decision-proposals/{mandate}/decision", {}).get_json()
    group_id = mandated["project_group_id"]
    assert group_id and mandated["decided_on"] == "2026-12-02"
    with superuser.connect() as connection:
        row = connection.execute(sa.text("SELECT * FROM project_groups WHERE id = :g"),
                                 {"g": group_id}).mappings().one()
    assert {k: row[k] for k in ("subject", "objective", "composition", "working_form",
                                "expected_result", "special_requirements", "status")} == {
        **MANDATE, "special_requirements": "", "status": "mandated"}
    assert (str(row["theme_id"]), str(row["decision_id"]), row["mandated_on"]) == (
        theme, mandate, date(2026, 12, 2))

    lifecycle = members["lg-a"].get(f"/themes/{theme}/lifecycle").get_json()
    assert lifecycle["status"] == "in_project_group"
    assert [(t["from_status"], t["to_status"]) for t in lifecycle["transitions"]] == [
        ("proposed", "established"), ("established", "in_project_group")]
    assert office.post(f"/themes/{theme}/implementation").status_code == 409, \
        "implemented only once the result is adopted"

    adopt = propose(office, kind="adopt_result", theme_id=theme)
    vote_all(members, adopt, majority)
    assert office.post(f"/decision-proposals/{adopt}/decision", {}).status_code == 200
    assert office.get(f"/project-groups/{group_id}").get_json()["status"] == "result_adopted", \
        "the group's work is done once its result is adopted"
    assert members["lg-a"].post(f"/themes/{theme}/implementation").status_code == 403
    done = office.post(f"/themes/{theme}/implementation")
    assert done.status_code == 200 and done.get_json()["status"] == "implemented"
    assert office.post(f"/themes/{theme}/escalation",
                       {"write_up": "kein Konsens"}).status_code == 409

    with superuser.connect() as connection:
        events = connection.execute(sa.text(
            "SELECT event_type, payload, sequence FROM outbox WHERE tenant_id = :t "
            "AND aggregate_id = :a ORDER BY id"), {"t": tenant, "a": theme}).all()
    assert [(e.event_type, e.sequence) for e in events] == [
        ("steering.theme.proposed.v1", 1), ("steering.theme.established.v1", 2),
        ("steering.result.adopted.v1", 4), ("steering.theme.status_changed.v1", 5)]
    with superuser.connect() as connection:
        mandated_event = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE tenant_id = :t AND event_type = "
            "'steering.project_group.mandated.v1'"), {"t": tenant}).scalar_one()
    event = steering_events.ProjectGroupMandated.FromString(mandated_event)
    assert (event.project_group_id, event.theme_id, event.mandated_on) == (
        group_id, theme, "2026-12-02")


def test_a_theme_without_consensus_is_escalated_with_a_write_up_as_a_pdf(group, as_user):
    office, members, _ = group
    theme = theme_of(office)
    assert office.get(f"/themes/{theme}/escalation.pdf").status_code == 404
    empty = office.post(f"/themes/{theme}/escalation", {"write_up": "  "})
    assert empty.status_code == 422
    escalated = office.post(f"/themes/{theme}/escalation", {
        "write_up": "Die Kommunen sind uneins über die Zuständigkeit; das Land möge klären."})
    assert escalated.status_code == 200, escalated.get_json()
    assert escalated.get_json()["status"] == "escalated"
    pdf = members["lg-c"].get(f"/themes/{theme}/escalation.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.get_data().startswith(b"%PDF")
    assert office.post(f"/themes/{theme}/escalation", {"write_up": "noch einmal"}).status_code \
        == 409
    cm = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    assert cm.get(f"/themes/{theme}/escalation.pdf").status_code == 403


def test_meeting_minutes_are_recorded_once_after_the_meeting(group):
    office, members, _ = group
    with frozen_clock(at_noon(date(2026, 11, 25))):
        proposal = propose(office, kind="other")
        unknown = office.post("/steering-group/meetings", {
            "held_on": "2026-12-09",
            "agenda": [{"title": "Vorlage", "proposal_id": str(uuid.uuid4())}]})
        assert unknown.status_code == 422
        assert unknown.get_json()["errors"][0]["field"] == "agenda.0.proposal_id"
        meeting = office.post("/steering-group/meetings", {
            "held_on": "2026-12-09", "agenda": [{"title": "Begrüßung"},
                                                {"title": "Vorlage", "proposal_id": proposal}]})
        assert meeting.status_code == 201
        meeting_id = meeting.get_json()["id"]
        early = office.put(f"/steering-group/meetings/{meeting_id}/minutes",
                           {"minutes": "Beschlüsse gefasst"})
        assert early.status_code == 409, "not held yet"
    with frozen_clock(at_noon(date(2026, 12, 9))):
        recorded = office.put(f"/steering-group/meetings/{meeting_id}/minutes",
                              {"minutes": "TOP 2 angenommen."})
        assert recorded.status_code == 200
        assert office.put(f"/steering-group/meetings/{meeting_id}/minutes",
                          {"minutes": "anders"}).status_code == 409
    read = members["lg-b"].get(f"/steering-group/meetings/{meeting_id}").get_json()
    assert read["minutes"] == "TOP 2 angenommen."
    assert [i["proposal_id"] for i in read["agenda"]] == [None, proposal]


def test_another_tenant_sees_nothing_of_the_steering_group(group, app, issuer):
    office, _, ids = group
    proposal = propose(office, kind="other")
    other = uuid.uuid4()
    client = app.test_client()
    stranger = TokenCaller(client, issuer.issue("ks-other", other, "org-other", ["coordinator"],
                                                areas=[]))
    assert stranger.get("/steering-group/members").get_json() == []
    assert stranger.get("/decision-proposals").get_json() == []
    assert stranger.get(f"/decision-proposals/{proposal}").status_code == 404
    assert stranger.post(f"/decision-proposals/{proposal}/decision", {}).status_code == 404
    assert stranger.delete(f"/steering-group/members/{ids['lg-a']}").status_code == 404
