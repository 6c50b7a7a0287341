"""The cycle view on the real database (issue 13: "the cycle view: where every theme stands in
steps 1–6"): each theme's step from its status, its evidence counted per kind, the latest day
known to have changed it; the steering group reads it, case managers do not."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from test_steering_forum import a_forum, a_theme

from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.testing import days_ago, frozen_clock, today

pytestmark = pytest.mark.integration


def set_status(superuser, theme_id: str, status: str) -> None:
    """What the steering group's decisions do (ADR 0095), done here directly: this view only
    reads the status."""
    with superuser.begin() as connection:
        connection.execute(sa.text("UPDATE themes SET status = :s WHERE id = :i"),
                           {"s": status, "i": uuid.UUID(theme_id)})


def test_every_theme_stands_at_the_step_its_status_says_with_its_evidence_counted(
        steering, superuser, tenant, as_user):
    office = as_user("ks-koch")
    member = as_user("landrat", roles=(STEERING_MEMBER,), org="org-kreis")
    first, second, third = a_theme(steering, tenant, office, count=3)
    forum_id = a_forum(office)
    held = office.post(f"/forums/{forum_id}/sessions", {
        "held_on": days_ago(10), "place": "Bürgerhaus Hilden", "participants": 7}).get_json()
    statement = office.post(f"/forum-sessions/{held['id']}/statements", {
        "text": "Lange Wartezeiten", "topic_area": "residence"}).get_json()
    assert office.post(f"/themes/{first}/forum-statements",
                       {"statement_ids": [statement["id"]]}).status_code == 200
    office.put(f"/themes/{first}/conference-links", {"conference_ids": [str(uuid.uuid4())]})
    set_status(superuser, second, "in_project_group")
    set_status(superuser, third, "escalated")

    answer = member.get("/cycle")
    assert answer.status_code == 200, answer.get_json()
    view = answer.get_json()
    assert [(s["number"], s["label_de"]) for s in view["steps"]] == [
        (1, "Fallrekonstruktion"), (2, "Generatives Thema"), (3, "Beschluss der Lenkungsgruppe"),
        (4, "Projektarbeitsgruppe"), (5, "Ergebnis beschlossen"),
        (6, "Umgesetzt oder an die Landesebene gegeben")]
    themes = {t["theme_id"]: t for t in view["themes"]}
    assert [t["theme_id"] for t in view["themes"]] == [first, second, third], "by step"
    assert (themes[first]["step"], themes[second]["step"], themes[third]["step"]) == (2, 4, 6)
    assert themes[third]["label_de"].startswith("an die Landesebene")
    assert themes[first]["evidence"] == {"reconstruction": 2, "reported_topic": 0,
                                         "forum_statement": 1}
    assert themes[first]["conference_links"] == 1
    assert themes[first]["changed_on"] == today(tenant).isoformat(), \
        "the statement and the link were attached today"
    assert [s["state"] for s in themes[second]["steps"]] == [
        "done", "done", "done", "current", "open", "open"]
    assert view["themes_per_step"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0, "6": 1}
    assert "case_id" not in answer.get_data(as_text=True), "counts, no case ids"

    set_status(superuser, third, "withdrawn_by_a_later_rule")
    unknown = {t["theme_id"]: t for t in office.get("/cycle").get_json()["themes"]}[third]
    assert (unknown["step"], unknown["label_de"]) == (None, "Stand unbekannt"), \
        "a status this view does not know is shown as such, never a 500"
    lea = as_user("cm-lea", roles=(CASE_MANAGER,), org="org-awo")
    assert lea.get("/cycle").status_code == 403


def test_a_theme_escalated_by_the_office_stands_at_step_six_changed_that_day(
        steering, tenant, as_user):
    office = as_user("ks-koch")
    (theme,) = a_theme(steering, tenant, office)
    before = {t["theme_id"]: t for t in office.get("/cycle").get_json()["themes"]}[theme]
    proposed = before["changed_on"]

    # 23:30 UTC: already the next day in Berlin, the tenant's day counts
    escalated_on = date.fromisoformat(proposed) + timedelta(days=40)
    with frozen_clock(datetime.combine(escalated_on - timedelta(days=1), time(23, 30),
                                       tzinfo=UTC)):
        escalated = office.post(f"/themes/{theme}/escalation", {
            "write_up": "Kein kreisweiter Konsens über die Zuständigkeit."})
        assert escalated.status_code == 200, escalated.get_json()
        after = {t["theme_id"]: t for t in office.get("/cycle").get_json()["themes"]}[theme]

    assert (before["step"], after["step"]) == (2, 6)
    assert after["changed_on"] == escalated_on.isoformat(), \
        "the day the office escalated it, not the day it was proposed"
