"""Demo data of the steering group (issue 13, "a planning cycle in progress"): the demo county's
three steering members as identity's demo seed gives them (two voting, one advisory), a meeting
four months ago that established the reconstruction's first theme and mandated its project
group (whose work :mod:`.seed_project_groups` seeds) — every voting member voted yes —, and the next meeting in two weeks with the proposal to
establish the second theme, open for votes. Seeded once, after the reconstruction
(:mod:`.seed`), through the same handlers as the API (ADR 0093)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from lotse_demo.county import DemoCounty
from lotse_platform import clock

from ..domain.decisions import ESTABLISH_THEME, MANDATE_PROJECT_GROUP, YES, cast
from ..domain.steering_commands import (
    AppointMember,
    DecideProposal,
    PlanMeeting,
    PutProposal,
    RecordMinutes,
)
from ..domain.steering_group import AgendaItem
from .decisions import decide_proposal, put_proposal
from .steering_group import appoint_member, plan_meeting, record_minutes
from .seed_project_groups import DEMO_MANDATE, MANDATED_DAYS_AGO, THEME_TITLE
from .unit_of_work import SteeringUnitOfWork

#: identity's demo steering members (lotse_demo.county): their seat's organisation is theirs
MEMBERS = ("lenkung.landrat", "lenkung.jobcenter", "lenkung.bamf")
#: the meeting that mandated the project group at work (seed_project_groups)
HELD_DAYS_AGO = MANDATED_DAYS_AGO
NEXT_IN_DAYS = 14


def _vote_yes(units: Callable[[uuid.UUID], SteeringUnitOfWork], tenant: uuid.UUID,
              proposal_id: uuid.UUID) -> None:
    """Every voting member votes yes (as each would through the API)."""
    with units(tenant) as uow:
        proposal = uow.get_proposal(proposal_id)
        assert proposal is not None
        for member in uow.list_members():
            if member.voting:
                uow.put_vote(cast(proposal, member, member, YES, None, clock.now()))
        uow.commit()


def seed_steering_group(units: Callable[[uuid.UUID], SteeringUnitOfWork],
                        county: DemoCounty) -> int:
    tenant = county.tenant_id
    with units(tenant) as uow:
        if uow.list_members():
            return 0
        themes = sorted(uow.list_themes(), key=lambda t: t.title)
        today = uow.today()
    for username in MEMBERS:
        user = county.user(username)
        appoint_member(AppointMember(str(county.organisation(user.organisation).id),
                                     str(user.id), bool(user.voting)), units(tenant))
    written = len(MEMBERS)
    if len(themes) < 2:
        return written
    # the reconstruction's themes, in the order it proposed them
    status, housing = (themes[0], themes[1]) if themes[0].title == THEME_TITLE \
        else (themes[1], themes[0])
    with clock.held_on(today - timedelta(days=HELD_DAYS_AGO), tenant):
        establish = put_proposal(PutProposal(
            subject=f"Generatives Thema feststellen: {status.title}",
            text="Die Lenkungsgruppe stellt das Thema als generatives Thema fest.",
            kind=ESTABLISH_THEME, theme_id=status.id), units(tenant))
        mandate = put_proposal(PutProposal(
            subject=f"Projektarbeitsgruppe beauftragen: {status.title}",
            text="Die Lenkungsgruppe beauftragt eine Projektarbeitsgruppe mit dem folgenden "
                 "Arbeitsauftrag.", kind=MANDATE_PROJECT_GROUP, theme_id=status.id,
            mandate=DEMO_MANDATE), units(tenant))
        meeting = plan_meeting(PlanMeeting(today - timedelta(days=HELD_DAYS_AGO), (
            AgendaItem("Bericht der Koordinierenden Stelle: Fallrekonstruktion"),
            AgendaItem("Generatives Thema feststellen", str(establish)),
            AgendaItem("Projektarbeitsgruppe beauftragen", str(mandate)))), units(tenant))
        for proposal in (establish, mandate):
            _vote_yes(units, tenant, proposal)
            decide_proposal(DecideProposal(proposal), units(tenant))
        record_minutes(RecordMinutes(meeting, "TOP 2 und TOP 3 einstimmig angenommen; die "
                                              "Projektarbeitsgruppe tagt ab dem nächsten "
                                              "Quartal."), units(tenant))
    open_proposal = put_proposal(PutProposal(
        subject=f"Generatives Thema feststellen: {housing.title}",
        text="Die Lenkungsgruppe stellt das Thema als generatives Thema fest.",
        kind=ESTABLISH_THEME, theme_id=housing.id), units(tenant))
    plan_meeting(PlanMeeting(today + timedelta(days=NEXT_IN_DAYS), (
        AgendaItem("Bericht der Projektarbeitsgruppe"),
        AgendaItem("Generatives Thema feststellen", str(open_proposal)))), units(tenant))
    return written + 5
