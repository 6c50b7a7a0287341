"""The pure rules of a project group's work (ADR 0096): the goal system's tree, the advice on
phrasing, the service chain's order and handovers, the quarterly rhythm of meetings and the SVG
of a chain — no database."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET  # noqa: N817
from datetime import UTC, date, datetime

import pytest

from lotse_steering.adapters.chain_svg import draw
from lotse_steering.domain.goal_systems import (
    GoalNode,
    InvalidGoalSystem,
    phrasing_warnings,
    tree,
    validate,
)
from lotse_steering.domain.project_groups import (
    InvalidGroupWork,
    MemberEntry,
    ProjectGroup,
    meeting,
    meeting_warnings,
    members_of,
)
from lotse_steering.domain.service_chains import (
    ChainStep,
    InvalidServiceChain,
    ServiceChain,
    handovers,
    ordered,
)

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)


def goals(*extra: GoalNode) -> list[GoalNode]:
    return [GoalNode("L", None, "principle", "Zugewanderte arbeiten qualifiziert.", ("Quote",)),
            GoalNode("R", "L", "framework", "Beratung ist abgestimmt.", ("Vereinbarungen",)),
            GoalNode("E", "R", "result", "Eine Kooperation ABH–Beratung besteht.", ("Vertrag",)),
            GoalNode("A", "E", "activity", "Vereinbarung entwerfen",
                     responsible_organisation_id="org-abh"), *extra]


def fields(nodes: list[GoalNode]) -> list[str]:
    with pytest.raises(InvalidGoalSystem) as refused:
        validate(nodes)
    return [e["field"] for e in refused.value.errors]


def test_a_well_formed_tree_passes_and_nests_from_the_principle_goal():
    nodes = goals(GoalNode("A2", "E", "activity", "Beratungsstellen einladen",
                           responsible_organisation_id="org-awo"))
    validate(nodes)
    root = tree([n.document() for n in nodes])
    assert root is not None and root["key"] == "L"
    assert [c["key"] for c in root["children"][0]["children"][0]["children"]] == ["A", "A2"]
    assert tree([]) is None


def test_every_goal_needs_an_indicator_and_every_activity_an_actor():
    assert fields(goals(GoalNode("E2", "R", "result", "Kurse sind erreichbar."))) == [
        "nodes.4.indicators"]
    assert fields(goals(GoalNode("A2", "E", "activity", "Einladen"))) == [
        "nodes.4.responsible_organisation_id"]


def test_levels_follow_strictly_and_activities_hang_only_under_result_goals():
    under_framework = GoalNode("A2", "R", "activity", "Einladen",
                               responsible_organisation_id="org-abh")
    assert fields(goals(under_framework)) == ["nodes.4.level"]
    skipping = GoalNode("E2", "L", "result", "Kurse sind erreichbar.", ("Plätze",))
    assert fields(goals(skipping)) == ["nodes.4.level"]
    assert fields(goals(GoalNode("L2", None, "principle", "Zweites Leitziel.", ("x",)))) == [
        "nodes.4.level"]
    assert fields(goals()[1:]) == ["nodes", "nodes.0.parent"]
    assert fields(goals(GoalNode("A", "E", "activity", "doppelt",
                                 responsible_organisation_id="org-abh"))) == ["nodes.4.key"]


def test_phrasing_is_only_advice_on_unmistakable_signs():
    nodes = [GoalNode("L", None, "principle", "Schafft sichere Aufenthalte!", ("x",)),
             GoalNode("R", "L", "framework", "Die Beratung soll abgestimmt werden soll", ("x",)),
             GoalNode("E", "R", "result", "Eine Kooperation besteht.", ("x",)),
             GoalNode("A", "E", "activity", "Die Vereinbarung liegt vor.",
                      responsible_organisation_id="org-abh"),
             GoalNode("B", "E", "activity", "Vereinbarung entwerfen",
                      responsible_organisation_id="org-abh")]
    validate(nodes)  # no refusal
    assert [(w["field"], w["code"]) for w in phrasing_warnings(nodes)] == [
        ("nodes.0.title", "goal_not_a_state"), ("nodes.1.title", "goal_not_a_state"),
        ("nodes.3.title", "activity_not_an_instruction")]


def step(order: int, org: str, handover: str | None = None) -> ChainStep:
    return ChainStep(order=order, organisation_id=org, activity=f"Schritt {order}",
                     handover=handover)


def test_a_chain_runs_by_its_order_with_handovers_between_different_actors():
    steps = ordered([step(3, "jc"), step(1, "awo", "Unterlagen"), step(2, "abh", "Bescheid")])
    assert [s["order"] for s in steps] == [1, 2, 3]
    chain = ServiceChain(group_id=uuid.uuid4(), title="t", description="", goal_key=None,
                         steps=steps, version=1, updated_at=NOW, updated_by="u")
    assert [(h["from_organisation_id"], h["to_organisation_id"]) for h in handovers(chain)] == [
        ("awo", "abh"), ("abh", "jc")]


@pytest.mark.parametrize(("steps", "field"), [
    ([step(1, "abh"), step(2, "abh")], "steps"),
    ([step(1, "awo", "x"), step(1, "abh")], "steps.1.order"),
    ([step(1, "awo"), step(2, "abh")], "steps.0.handover"),
    ([step(1, "awo", "x"), step(2, "awo", "y"), step(3, "abh")], "steps.0.handover"),
    ([step(1, "awo", "x"), step(2, "abh", "y")], "steps.1.handover"),
])
def test_a_chain_that_breaks_a_rule_is_refused_naming_the_field(steps, field):
    with pytest.raises(InvalidServiceChain) as refused:
        ordered(steps)
    assert [e["field"] for e in refused.value.errors] == [field]


def group(mandated_on: date = date(2026, 1, 15)) -> ProjectGroup:
    return ProjectGroup(theme_id=uuid.uuid4(), decision_id=uuid.uuid4(), subject="s",
                        objective="o", composition="", working_form="", expected_result="",
                        special_requirements="", mandated_on=mandated_on)


def test_meetings_last_up_to_three_hours_and_the_rhythm_is_advice():
    pag = group()
    with pytest.raises(InvalidGroupWork):
        meeting(pag, date(2026, 2, 1), 181, [], "", NOW)
    held = [meeting(pag, date(2026, m, d), 180, [], "", NOW)
            for m, d in ((2, 1), (7, 1), (7, 2), (8, 1))]
    warnings = meeting_warnings(pag, held, date(2026, 10, 2))
    assert [(w["code"], w["quarter"]) for w in warnings] == [
        ("no_meeting_in_quarter", "2026-Q2"), ("too_many_meetings_in_quarter", "2026-Q3")]
    # the running quarter is not warned of a missing meeting before it ends
    assert meeting_warnings(pag, held[:1], date(2026, 3, 31)) == []


def test_members_are_unique_with_one_chair():
    gid = uuid.uuid4()
    assert [m.position for m in members_of(gid, [MemberEntry("a", "o1", "chair"),
                                                 MemberEntry("b", "o2", "member")])] == [0, 1]
    with pytest.raises(InvalidGroupWork):
        members_of(gid, [MemberEntry("a", "o1", "member"), MemberEntry("a", "o2", "member")])
    with pytest.raises(InvalidGroupWork):
        members_of(gid, [MemberEntry("a", "o1", "chair"), MemberEntry("b", "o2", "chair")])


def test_the_svg_escapes_what_users_wrote_and_names_unknown_actors_neutrally():
    steps = ordered([ChainStep(1, "awo", "<script>alert(1)</script>", handover="A & B"),
                     ChainStep(2, "abh", "prüfen")])
    chain = ServiceChain(group_id=uuid.uuid4(), title='Kette "1" <b>', description="",
                         goal_key=None, steps=steps, version=1, updated_at=NOW,
                         updated_by="u")
    svg = draw(chain, {"awo": "AWO <Höxter>"})
    assert b"<script>" not in svg and b"<b>" not in svg
    root = ET.fromstring(svg)
    texts = " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "AWO <Höxter>" in texts
    assert "Organisation (unbekannt)" in texts
    assert "A & B" in texts
