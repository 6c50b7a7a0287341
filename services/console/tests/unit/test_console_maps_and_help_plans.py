"""The case file's pure parts: the resource and network maps' geometry, two help plan versions
compared, and the assessment form's rows named in the API's problem documents."""

from __future__ import annotations

import math
from datetime import date

from lotse_console.domain import help_plans, maps, vocabulary
from lotse_console.domain.field_errors import field_label, from_problem, renamed


def _distance(node: maps.Node) -> float:
    return math.hypot(node.x - maps.CENTRE_X, node.y - maps.CENTRE_Y)


def _angle(node: maps.Node) -> float:
    # clockwise from the top, as the map lays its sectors out
    return math.atan2(node.x - maps.CENTRE_X, maps.CENTRE_Y - node.y) % (2 * math.pi)


def test_the_network_map_puts_each_entry_in_its_kinds_sector_at_its_intensitys_ring():
    network = [{"label": "Bruder", "kind": "family", "quality": "supportive", "intensity": "daily"},
               {"label": "Ausländerbehörde", "kind": "authorities", "quality": "straining",
                "intensity": "monthly"},
               {"label": "Patin", "kind": "volunteers", "quality": "supportive",
                "intensity": "weekly"}]
    drawing = maps.network_map(network, vocabulary.NETWORK_KINDS, vocabulary.CONTACT_INTENSITIES)
    assert [s.key for s in drawing.sectors] == list(vocabulary.NETWORK_KINDS)
    span = 2 * math.pi / len(vocabulary.NETWORK_KINDS)
    for node in drawing.nodes:
        n = list(vocabulary.NETWORK_KINDS).index(node.sector)
        assert n * span < _angle(node) < (n + 1) * span, node
    by_label = {node.label: node for node in drawing.nodes}
    assert _distance(by_label["Bruder"]) < _distance(by_label["Patin"]) < _distance(
        by_label["Ausländerbehörde"])
    assert by_label["Ausländerbehörde"].quality == "straining"
    assert [ring.label for ring in drawing.rings][:2] == ["täglich", "wöchentlich"]


def test_the_resource_map_spreads_a_sectors_resources_and_wraps_long_labels():
    resources = [{"kind": "personal", "description": "mehrsprachig"},
                 {"kind": "personal", "description": "zuverlässig und pünktlich bei Terminen "
                                                     "mit Ämtern und Behörden im ganzen Kreis"}]
    drawing = maps.resource_map(resources, vocabulary.RESOURCE_KINDS)
    first, second = drawing.nodes
    assert (first.x, first.y) != (second.x, second.y)
    assert round(_distance(first)) == round(_distance(second)) == maps.RESOURCE_RING
    assert len(second.lines) == maps.MAX_LINES and second.lines[-1].endswith("…")
    assert all(len(line) <= maps.LINE_CHARS for line in second.lines)


def _goal(**kw):
    return {"id": kw.pop("id"), "topic_area": "language", "statement": "Kurs begonnen",
            "indicator": "Anmeldung", "responsible": "client", "responsible_org_id": "",
            "realism_note": "Platz zugesagt", "due_on": "2027-03-01", "set_on": "2026-10-01",
            "closed_on": None, "history": [], **kw}


def test_two_help_plan_versions_show_goals_added_removed_and_changed():
    v1 = {"version": 1, "monitoring_every_days": 14, "monitoring_contact_types": ["phone_call"],
          "changes": None, "reason": None}
    v2 = {"version": 2, "monitoring_every_days": 21,
          "monitoring_contact_types": ["phone_call"], "changes": "Kurs läuft",
          "reason": "Lage stabil"}
    goals = [
        _goal(id="kept"),
        _goal(id="revised", statement="Wohnung angemietet", set_on="2026-10-01",
              history=[{"revision": 1, "on": "2026-11-15", "reason": "konkreter",
                        "before": {"statement": "Wohnung gesucht", "due_on": "2027-01-01"}}],
              due_on="2027-02-01"),
        _goal(id="new", set_on="2026-11-20"),
        _goal(id="reached", set_on="2026-10-01", closed_on="2026-11-10", status="reached"),
        _goal(id="later", set_on="2026-12-24"),
    ]
    result = help_plans.compare(v1, date(2026, 10, 2), v2, date(2026, 12, 1), goals)
    states = {(row.old or row.new)["id"]: row.state for row in result.goals}
    assert states == {"kept": "same", "revised": "changed", "new": "added",
                      "reached": "removed"}
    revised = next(row for row in result.goals if row.state == "changed")
    assert revised.old["statement"] == "Wohnung gesucht" and revised.new["statement"] == (
        "Wohnung angemietet")
    assert set(revised.changes) == {"statement", "due_on"}
    assert [f.name for f in result.fields if f.changed] == ["monitoring_every_days", "changes",
                                                             "reason"]
    assert result.goals[0].state == "changed"  # what changed first


def test_a_goal_agreed_on_the_day_of_a_version_counts_to_it():
    goal = _goal(id="g", set_on="2026-12-01")
    assert help_plans.goal_as_of(goal, date(2026, 12, 1)) is not None
    assert help_plans.goal_as_of(goal, date(2026, 11, 30)) is None


def test_the_assessments_problem_lands_at_the_life_area_and_network_row_of_the_form():
    problem = {"errors": [
        {"field": "life_areas.1.disagreement",
         "message": "the views differ: record the disagreement (both views are kept)"},
        {"field": "network.0.kind", "message": "Must be one of: family, friends."},
        {"field": "life_areas.10.area", "message": "each life area once"}]}
    errors = from_problem(422, renamed(problem, {"life_areas.1": "life_areas.health",
                                                 "network.0": "network.r2"}))
    assert errors.at("life_areas.health.disagreement") == [
        "Die Sichtweisen unterscheiden sich: Bitte den Dissens festhalten – beide Sichtweisen "
        "bleiben erhalten."]
    assert errors.at("network.r2.kind") == ["Bitte einen Eintrag aus der Liste wählen."]
    assert field_label("life_areas.health.disagreement") == (
        "Lebensbereiche – Gesundheitliche Situation: Dissens")
    assert field_label("network.r2.kind") == "Netzwerk – Zeile 2: Art"
    assert field_label("resources.material.n1.description") == (
        "Ressourcen – materielle Ressourcen: Beschreibung")
    # an index not renamed stays at the list (``life_areas.10`` is not ``life_areas.1``)
    assert errors.at("life_areas") and not errors.at("life_areas.health.area")
