"""The demo county's steering data on PostgreSQL: the directory replica, a past case
reconstruction of four of casework's demo cases with two proposed themes, and the participation
forum with a session, its statements as evidence and an information event — seeded once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lotse_demo import COUNTY
from lotse_demo.county import demo_id
from lotse_steering.service_layer.seed import PRESENTERS, demo_case

pytestmark = pytest.mark.integration


def test_the_demo_county_has_a_past_reconstruction_with_two_themes_seeded_once(
        steering, superuser):
    written = steering.seed_demo(COUNTY)

    # session and themes; the group, goal system, chain; forum, forum session, 3 statements, event
    assert written == 3 + 3 + 6
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
    assert all(t.status == "proposed" and t.reconstruction_ids == [str(session.id)]
               for t in themes)
    with superuser.connect() as connection:
        types = sorted(r[0] for r in connection.execute(sa.text(
            "SELECT event_type FROM outbox WHERE tenant_id = :t"), {"t": COUNTY.tenant_id}))
    assert types == ["steering.reconstruction.held.v1", "steering.theme.proposed.v1",
                     "steering.theme.proposed.v1"]
    with steering.uow(COUNTY.tenant_id) as uow:
        (group,) = uow.list_project_groups()
        members = uow.group_members(group.id)
        goal_system = uow.goal_system(group.id)
        (chain,) = uow.service_chains(group.id)
        meetings = uow.group_meetings(group.id)
    assert group.theme_id in {t.id for t in themes}
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
