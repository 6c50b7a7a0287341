"""Project groups' work on the real database (issue 13 step 4, ADR 0096): members and meetings
with the quarterly advice, the goal system's tree rules and its If-Match, service chains and
their SVG, the result, and who may do what (members, the office, steering members, a case
manager who is no member, another tenant)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET  # noqa: N817
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from lotse_platform.auth import (
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATOR,
    PROVIDER_STAFF,
    STEERING_MEMBER,
)
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import TokenCaller, frozen_clock, known_directory, put_directory
from lotse_steering.service_layer.project_groups import Mandate, mandate_project_group

pytestmark = pytest.mark.integration

SVG = "{http://www.w3.org/2000/svg}"
ABH, JOBCENTER, AWO = "org-abh", "org-jobcenter", "org-awo"
NAMES = {ABH: "Ausländerbehörde Kreis Höxter", JOBCENTER: "Jobcenter <Kreis> & Partner",
         AWO: "AWO Kreisverband Höxter"}


@pytest.fixture
def group(steering, tenant):
    """A group mandated on 2026-01-15 with the directory it names: a case manager of a town,
    the ABH's liaison and an AWO adviser as members-to-be; another case manager who is none."""
    put_directory(steering, tenant, [
        *(Known(ORGANISATION, org, name=name) for org, name in NAMES.items()),
        *known_directory(organisations=["org-stadt"], users=[
            ("cm-lea", "org-stadt", ["case_manager"]),
            ("cm-tobias", "org-stadt", ["case_manager"]),
            ("abh-aylin", ABH, ["authority_liaison"]),
            ("awo-daniel", AWO, ["provider_staff"])])])
    return mandate_project_group(steering.uow(tenant), Mandate(
        theme_id=uuid.uuid4(), decision_id=uuid.uuid4(),
        subject="Aufenthaltssicherung und qualifizierte Arbeit",
        objective="Die Aufenthaltssicherung steht einer qualifizierten Arbeit nicht im Wege.",
        composition="ABH, Jobcenter, Beratung, Case Management",
        working_form="drei Termine à drei Stunden",
        expected_result="Zielsystem und Dienstleistungskette",
        special_requirements="keine personenbezogenen Daten"), date(2026, 1, 15))


MEMBERS = {"members": [
    {"user_id": "cm-lea", "organisation_id": "org-stadt", "role": "chair"},
    {"user_id": "abh-aylin", "organisation_id": ABH},
    {"user_id": "awo-daniel", "organisation_id": AWO, "role": "expert"}]}


def put_if(caller, path, body, tag):
    """A PUT with ``If-Match``."""
    return caller.client.put(path, json=body, headers={**caller.headers, "If-Match": tag})


def node(key, parent, level, title, indicators=("Anteil der Fälle",), org=None):
    return {"key": key, "parent": parent, "level": level, "title": title,
            "indicators": list(indicators), "sources": ["Fallstatistik"],
            "assumptions": ["Die Behörden arbeiten mit"], "responsible_organisation_id": org}


def goal_tree():
    return {"nodes": [
        node("L", None, "principle",
             "Aufenthaltssicherung steht qualifizierter Arbeit nicht im Wege."),
        node("R1", "L", "framework", "Beratung zu Aufenthalt und Arbeit ist abgestimmt."),
        node("E1", "R1", "result", "Eine Kooperationsvereinbarung ABH–Beratung besteht."),
        node("A1", "E1", "activity", "Kooperationsvereinbarung entwerfen", indicators=(),
             org=ABH),
        node("A2", "E1", "activity", "Beratungsstellen zur Abstimmung einladen", indicators=(),
             org=AWO),
    ]}


def chain():
    return {"title": "Vom Beschäftigungsangebot zur Erlaubnis", "goal_key": "E1", "steps": [
        {"order": 1, "organisation_id": AWO, "activity": "Angebot prüfen und Unterlagen sammeln",
         "responsibility": "Migrationsberatung", "standards": ["Checkliste Beschäftigung"],
         "handover": "vollständige Unterlagen <an> die ABH"},
        {"order": 2, "organisation_id": ABH, "activity": "Zustimmung der BA einholen",
         "handover": None},
        {"order": 3, "organisation_id": ABH, "activity": "Erlaubnis erteilen",
         "handover": "Erlaubnis & Bescheid an das Jobcenter"},
        {"order": 4, "organisation_id": JOBCENTER, "activity": "Leistungen anpassen"}]}


def test_members_and_meetings_with_the_quarterly_advice(group, as_user):
    office = as_user("ks-koch", roles=(COORDINATOR,))
    answer = office.put(f"/project-groups/{group}/members", json=MEMBERS)
    assert answer.status_code == 200, answer.get_json()
    shown = answer.get_json()
    assert [(m["user_id"], m["organisation_id"], m["role_de"]) for m in shown["members"]] == [
        ("cm-lea", "org-stadt", "Leitung"), ("abh-aylin", ABH, "Mitglied"),
        ("awo-daniel", AWO, "Fachexpertise (beratend)")]
    assert "name" not in str(shown["members"])

    wrong_org = {"members": [{"user_id": "cm-lea", "organisation_id": ABH}]}
    refused = office.put(f"/project-groups/{group}/members", json=wrong_org)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["members.0.user_id"]
    two_chairs = {"members": [dict(m, role="chair") for m in MEMBERS["members"]]}
    assert office.put(f"/project-groups/{group}/members",
                      json=two_chairs).get_json()["errors"][0]["field"] == "members.1.role"

    too_long = office.post(f"/project-groups/{group}/meetings",
                           json={"held_on": "2026-02-10", "duration_minutes": 181})
    assert too_long.status_code == 422
    assert "duration_minutes" in str(too_long.get_json())
    before = office.post(f"/project-groups/{group}/meetings",
                         json={"held_on": "2026-01-10", "duration_minutes": 120})
    assert before.status_code == 422
    assert before.get_json()["errors"][0]["field"] == "held_on"
    with frozen_clock(datetime(2026, 8, 20, 10, tzinfo=UTC)):
        for day in ("2026-02-10", "2026-07-01", "2026-07-15", "2026-08-01"):
            made = office.post(f"/project-groups/{group}/meetings",
                               json={"held_on": day, "duration_minutes": 180,
                                     "topics": ["Zielsystem"], "notes": "Entwurf besprochen"})
            assert made.status_code == 201, made.get_json()
        view = office.get(f"/project-groups/{group}").get_json()
    assert len(view["meetings"]) == 4
    assert [(w["code"], w["quarter"]) for w in view["warnings"]] == [
        ("no_meeting_in_quarter", "2026-Q2"), ("too_many_meetings_in_quarter", "2026-Q3")]
    assert all(w["message_de"] for w in view["warnings"])


def test_goal_system_tree_rules_name_the_node_field(group, as_user):
    office = as_user("ks-koch", roles=(COORDINATOR,))
    path = f"/project-groups/{group}/goal-system"

    def refused(nodes):
        answer = office.put(path, json={"nodes": nodes})
        assert answer.status_code == 422, answer.get_json()
        return [e["field"] for e in answer.get_json()["errors"]]

    tree = goal_tree()["nodes"]
    no_indicator = [*tree[:3], dict(tree[3]), dict(tree[2], key="E2", indicators=[])]
    assert refused(no_indicator) == ["nodes.4.indicators"]
    under_framework = [*tree[:3], dict(tree[3], parent="R1")]
    assert refused(under_framework) == ["nodes.3.level"]
    skipped = [tree[0], dict(tree[2], parent="L")]
    assert refused(skipped) == ["nodes.1.level"]
    no_actor = [*tree[:3], dict(tree[3], responsible_organisation_id=None)]
    assert refused(no_actor) == ["nodes.3.responsible_organisation_id"]
    unknown_actor = [*tree[:3], dict(tree[3], responsible_organisation_id="org-nirgends")]
    assert refused(unknown_actor) == ["nodes.3.responsible_organisation_id"]
    assert refused([*tree[:3], dict(tree[3], parent="E9")]) == ["nodes.3.parent"]
    assert refused([*tree, dict(tree[0], key="L2")]) == ["nodes.5.level"]
    assert refused(tree[1:]) == ["nodes", "nodes.0.parent"]
    assert refused([*tree, dict(tree[4])]) == ["nodes.5.key"]
    assert office.get(path).get_json()["tree"] is None

    imperative = [dict(tree[0], title="Schafft sichere Aufenthalte!"), *tree[1:3],
                  dict(tree[3], title="Vereinbarung liegt vor"), tree[4]]
    saved = office.put(path, json={"nodes": imperative})
    assert saved.status_code == 200, saved.get_json()
    assert [(w["field"], w["code"]) for w in saved.get_json()["warnings"]] == [
        ("nodes.0.title", "goal_not_a_state"), ("nodes.3.title", "activity_not_an_instruction")]
    first_tag = saved.headers["ETag"]

    without = office.put(path, json=goal_tree())
    assert without.status_code == 428
    stale = put_if(office, path, goal_tree(), '"goal-system-0"')
    assert stale.status_code == 412
    replaced = put_if(office, path, goal_tree(), first_tag)
    assert replaced.status_code == 200
    assert replaced.headers["ETag"] != first_tag
    read = office.get(path)
    assert read.headers["ETag"] == replaced.headers["ETag"]
    root = read.get_json()["tree"]
    assert (root["key"], root["level_de"]) == ("L", "Leitziel (Grundsatzziel)")
    result_goal = root["children"][0]["children"][0]
    assert [a["key"] for a in result_goal["children"]] == ["A1", "A2"]
    assert result_goal["children"][0]["responsible_organisation_id"] == ABH
    assert read.get_json()["warnings"] == []
    assert read.get_json()["organisation_names"][ABH] == NAMES[ABH]

    # children before their parents: the same tree (siblings in the order sent), a warning
    # names the node as sent
    backwards = goal_tree()["nodes"][::-1]
    backwards[0]["title"] = "Beratungsstellen einladen?"
    again = put_if(office, path, {"nodes": backwards}, read.headers["ETag"])
    assert again.status_code == 200, again.get_json()
    activities = again.get_json()["tree"]["children"][0]["children"][0]["children"]
    assert [a["key"] for a in activities] == ["A2", "A1"]
    assert [w["field"] for w in again.get_json()["warnings"]] == ["nodes.0.title"]


def test_service_chain_rules_and_its_svg(group, as_user):
    office = as_user("ks-koch", roles=(COORDINATOR,))
    office.put(f"/project-groups/{group}/goal-system", json=goal_tree())
    chains = f"/project-groups/{group}/service-chains"

    def refused(body):
        answer = office.post(chains, json=body)
        assert answer.status_code == 422, answer.get_json()
        return [e["field"] for e in answer.get_json()["errors"]]

    one_actor = chain()
    for step in one_actor["steps"]:
        step.update(organisation_id=ABH, handover=None)
    assert refused(one_actor) == ["steps"]
    twice = chain()
    twice["steps"][3]["order"] = 2
    assert refused(twice) == ["steps.3.order"]
    missing = chain()
    missing["steps"][0]["handover"] = None
    assert refused(missing) == ["steps.0.handover"]
    same_actor = chain()
    same_actor["steps"][1]["handover"] = "an sich selbst"
    assert refused(same_actor) == ["steps.1.handover"]
    unknown = chain()
    unknown["steps"][3]["organisation_id"] = "org-nirgends"
    assert refused(unknown) == ["steps.3.organisation_id"]
    no_goal = dict(chain(), goal_key="E9")
    assert refused(no_goal) == ["goal_key"]

    shuffled = chain()
    shuffled["steps"].reverse()  # the order numbers decide, not the request's order
    made = office.post(chains, json=shuffled)
    assert made.status_code == 201, made.get_json()
    made_chain = made.get_json()
    assert [s["order"] for s in made_chain["steps"]] == [1, 2, 3, 4]
    assert [(h["from_order"], h["to_order"]) for h in made_chain["handovers"]] == [(1, 2), (3, 4)]
    assert made_chain["actors"] == [AWO, ABH, JOBCENTER]

    drawing = office.get(f"{chains}/{made_chain['id']}.svg")
    assert drawing.status_code == 200
    assert drawing.mimetype == "image/svg+xml"
    svg = ET.fromstring(drawing.get_data())
    assert svg.tag == f"{SVG}svg"
    # a label's lines are its <tspan>s: read each <text> as one line of words
    texts = " | ".join(" ".join(" ".join(t.itertext()).split()) for t in svg.iter(f"{SVG}text"))
    for name in NAMES.values():
        assert name in texts  # the actors' lanes, "<" and "&" escaped and read back
    assert "vollständige Unterlagen <an> die ABH" in texts
    assert "Erlaubnis & Bescheid an das Jobcenter" in texts
    assert "Dienstleistungskette: Vom Beschäftigungsangebot zur Erlaubnis" in texts
    assert {g.get("id") for g in svg.iter(f"{SVG}g") if g.get("class") == "handover"} == {
        "handover-1", "handover-3"}
    assert len([g for g in svg.iter(f"{SVG}g") if g.get("class") == "lane"]) == 3
    assert len([p for p in svg.iter(f"{SVG}path") if p.get("class") == "arrow"]) == 3
    assert b"&lt;an&gt;" in drawing.get_data()

    one = f"{chains}/{made_chain['id']}"
    assert office.put(one, json=chain()).status_code == 428
    changed = dict(chain(), title="Kette 2")
    replaced = put_if(office, one, changed, made.headers["ETag"])
    assert replaced.status_code == 200, replaced.get_json()
    assert office.get(one).get_json()["title"] == "Kette 2"
    assert office.get(f"{chains}/{uuid.uuid4()}.svg").status_code == 404


def test_the_result_is_presented_once_and_carries_what_a_proposal_attaches(group, as_user):
    office = as_user("ks-koch", roles=(COORDINATOR,))
    present = f"/project-groups/{group}/result/presentation"
    assert office.post(present, json={"summary": "Entwurf"}).status_code == 409
    office.put(f"/project-groups/{group}/members", json=MEMBERS)
    office.put(f"/project-groups/{group}/goal-system", json=goal_tree())
    office.post(f"/project-groups/{group}/service-chains", json=chain())
    draft = office.get(f"/project-groups/{group}/result").get_json()
    assert draft["presented"] is False and draft["summary"] is None

    presented = office.post(present, json={"summary": "Zwei Kooperationsvereinbarungen"})
    assert presented.status_code == 200, presented.get_json()
    shown = presented.get_json()
    assert shown["presented"] is True and shown["status"] == "presented"
    assert shown["proposal"]["kind"] == "adopt_result"
    assert shown["proposal"]["project_group_id"] == str(group)
    assert shown["goal_system"]["tree"]["key"] == "L"
    assert len(shown["service_chains"]) == 1
    assert (shown["members"], shown["organisations"]) == (3, 3)
    assert office.post(present, json={"summary": "noch einmal"}).status_code == 409
    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-stadt")
    frozen = put_if(lea, f"/project-groups/{group}/goal-system", goal_tree(), "*")
    assert frozen.status_code == 409


def test_members_edit_their_group_steering_reads_others_see_nothing(
        group, as_user, issuer, app):
    office = as_user("ks-koch", roles=(COORDINATOR,))
    office.put(f"/project-groups/{group}/members", json=MEMBERS)
    saved = office.put(f"/project-groups/{group}/goal-system", json=goal_tree())
    base = f"/project-groups/{group}"

    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-stadt")
    aylin = as_user("abh-aylin", roles=(AUTHORITY_LIAISON,), org=ABH)
    daniel = as_user("awo-daniel", roles=(PROVIDER_STAFF,), org=AWO)
    for member in (lea, aylin, daniel):
        assert [g["id"] for g in member.get("/project-groups").get_json()] == [str(group)]
        assert member.get(base).get_json()["your_access"] == "work"
        assert member.get(f"{base}/goal-system").status_code == 200
    edited = put_if(lea, f"{base}/goal-system", goal_tree(), saved.headers["ETag"])
    assert edited.status_code == 200, edited.get_json()
    assert aylin.post(f"{base}/service-chains", json=chain()).status_code == 201
    assert lea.put(f"{base}/members", json=MEMBERS).status_code == 403
    assert lea.post(f"{base}/meetings", json={"held_on": "2026-02-01",
                                              "duration_minutes": 60}).status_code == 403
    assert lea.post(f"{base}/result/presentation", json={"summary": "x"}).status_code == 403

    steering_member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    assert steering_member.get(base).get_json()["your_access"] == "read"
    assert steering_member.get(f"{base}/result").status_code == 200
    assert put_if(steering_member, f"{base}/goal-system", goal_tree(), "*").status_code == 403

    tobias = as_user("cm-tobias", roles=(CASE_MANAGER,), org="org-stadt")
    assert tobias.get("/project-groups").get_json() == []
    for path in (base, f"{base}/goal-system", f"{base}/service-chains", f"{base}/result"):
        assert tobias.get(path).status_code == 403, path
    assert put_if(tobias, f"{base}/goal-system", goal_tree(), "*").status_code == 403

    other_tenant = TokenCaller(app.test_client(), issuer.issue(
        "ks-koch", uuid.uuid4(), "org-kreis-hoexter", [COORDINATOR], areas=[]))
    assert other_tenant.get("/project-groups").get_json() == []
    for path in (base, f"{base}/goal-system", f"{base}/result"):
        assert other_tenant.get(path).status_code == 404, path
    assert other_tenant.put(f"{base}/goal-system", json=goal_tree()).status_code == 404


def test_the_rows_are_the_tenants_own(group, superuser, tenant, as_user):
    office = as_user("ks-koch", roles=(COORDINATOR,))
    office.put(f"/project-groups/{group}/members", json=MEMBERS)
    office.put(f"/project-groups/{group}/goal-system", json=goal_tree())
    with superuser.connect() as connection:
        for table in ("project_groups", "project_group_members", "goal_systems"):
            tenants = connection.execute(sa.text(
                f"SELECT DISTINCT tenant_id FROM {table} WHERE tenant_id = :t"),
                {"t": tenant}).scalars().all()
            assert tenants == [tenant], table
