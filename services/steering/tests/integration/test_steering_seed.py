"""The demo county's steering data on PostgreSQL: the directory replica, a past case
reconstruction of four of casework's demo cases with two proposed themes, and the participation
forum with a session, its statements as evidence and an information event — seeded once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lotse_demo import COUNTY
from lotse_demo.county import demo_id
from lotse_steering.service_layer.seed import PRESENTERS, demo_case
from lotse_steering.service_layer.steering_group import seats

pytestmark = pytest.mark.integration


def test_the_demo_county_has_a_past_reconstruction_with_two_themes_seeded_once(
        steering, superuser):
    written = steering.seed_demo(COUNTY)

    assert written == 3 + 8 + 2 + 6, (
        "the session, two themes; three members, four proposals and meetings; the group's goal "
        "system and chain; forum, forum session, three statements, an information event")
    assert steering.seed_demo(COUNTY) == 0, "idempotent"
    with steering.uow(COUNTY.tenant_id) as uow:
        (session,) = uow.list_reconstructions()
        themes = uow.list_themes()
    assert session.moderator_id == str(COUNTY.user("ks.koch").id)
    assert [c["presented_by"] for c in session.cases] == [
        str(COUNTY.user(u).id) for u in PRESENTERS]
    assert all(c["process_steps"] and c["planned_minutes"] <= 240 for c in session.cases)
    assert len({c["case_id"] for c in session.cases}) == 4
    # casework's demo seed names cm.hoexter's invented cases hoexter-<n>, after her admitted ones
    assert demo_case(COUNTY, "cm.hoexter") in {str(demo_id(f"case:hoexter-{n}"))
                                               for n in range(1, 10)}
    assert sorted(len(t.case_ids) for t in themes) == [2, 2]
    assert all(t.reconstruction_ids == [str(session.id)] for t in themes)
    assert sorted(t.status for t in themes) == ["in_project_group", "proposed"], \
        "the first theme established and its project group mandated (seed_steering_group)"
    with superuser.connect() as connection:
        types = sorted(r[0] for r in connection.execute(sa.text(
            "SELECT event_type FROM outbox WHERE tenant_id = :t"), {"t": COUNTY.tenant_id}))
        project_groups = connection.execute(sa.text(
            "SELECT theme_id, status FROM project_groups WHERE tenant_id = :t"),
            {"t": COUNTY.tenant_id}).all()
    assert types == ["steering.decision.taken.v1", "steering.decision.taken.v1",
                     "steering.project_group.mandated.v1", "steering.reconstruction.held.v1",
                     "steering.theme.established.v1", "steering.theme.proposed.v1",
                     "steering.theme.proposed.v1"]
    (established,) = [t for t in themes if t.status == "in_project_group"]
    assert [(theme_id, status) for theme_id, status in project_groups] == [
        (established.id, "mandated")], "the group the decision mandated, the one at work"
    with steering.uow(COUNTY.tenant_id) as uow:
        members = uow.list_members()
        proposals = uow.list_proposals()
        meetings = uow.list_meetings()
    assert {(m.user_id, m.voting) for m in members} == {
        (str(COUNTY.user("lenkung.landrat").id), True),
        (str(COUNTY.user("lenkung.jobcenter").id), True),
        (str(COUNTY.user("lenkung.bamf").id), False)}
    with steering.uow(COUNTY.tenant_id) as uow:
        shown = seats(uow, members)
    assert {s["organisation_name"] for s in shown} == {
        COUNTY.organisation("kreis").name, COUNTY.organisation("jobcenter").name}, \
        "the seat's organisation by its name from identity's directory"
    assert sorted((p.kind, p.outcome or "open") for p in proposals) == [
        ("establish_theme", "approved"), ("establish_theme", "open"),
        ("mandate_project_group", "approved")]
    assert [bool(m.minutes) for m in meetings] == [False, True], "the next meeting, the past one"
    with steering.uow(COUNTY.tenant_id) as uow:
        (group,) = uow.list_project_groups()
        members = uow.group_members(group.id)
        goal_system = uow.goal_system(group.id)
        (chain,) = uow.service_chains(group.id)
        meetings = uow.group_meetings(group.id)
    assert group.theme_id == established.id
    assert len({m.organisation_id for m in members}) == 4
    assert goal_system is not None and len(goal_system.nodes) == 7
    assert len(chain.actors) == 3 and len(meetings) == 3
    with steering.uow(COUNTY.tenant_id) as uow:
        (forum,) = uow.forum.forums()
        (forum_session,) = uow.forum.sessions(forum.id)
        statements = uow.forum.statements(forum_session.id)
        (event,) = uow.forum.information_events()
        assert uow.forum.invitees(forum.id) == [], "the demo holds no one's phone or e-mail"
    assert forum_session.participants == 11 and len(statements) == 3
    assert sorted(s.theme_id or "" for s in statements)[1:] == sorted(str(t.id) for t in themes)
    assert event.status == "planned" and str(event.theme_id) in {str(t.id) for t in themes}
