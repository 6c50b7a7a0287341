"""Handlers of the steering group's members, quorum rule and meetings (ADR 0095). Members are
an organisation's id and a user id of identity's directory (checked against the replica): no
name is kept."""

from __future__ import annotations

import uuid
from typing import Any

from lotse_platform import clock
from lotse_platform.auth import STEERING_MEMBER
from lotse_platform.errors import NotFound
from lotse_platform.references import ORGANISATION, USER, Wanted, check

from ..domain.steering_commands import (
    AppointMember,
    ChangeMember,
    PlanMeeting,
    RecordMinutes,
    RemoveMember,
    SetQuorumRule,
)
from ..domain.steering_group import (
    InvalidSteeringGroup,
    Meeting,
    Member,
    MemberConflict,
    QuorumRule,
    check_deputy,
)
from .steering_access import authorize_office
from .unit_of_work import SteeringUnitOfWork


def _check_references(cmd: AppointMember | ChangeMember, uow: SteeringUnitOfWork) -> None:
    check(uow.references, [Wanted("organisation_id", ORGANISATION, cmd.organisation_id),
                           Wanted("user_id", USER, cmd.user_id, role=STEERING_MEMBER)])


def _seat(member: Member, uow: SteeringUnitOfWork) -> None:
    """The person holds one seat; the deputy is another member."""
    holder = uow.member_of_user(member.user_id)
    if holder is not None and holder.id != member.id:
        raise MemberConflict("user_id", "the person holds a seat in the steering group already")
    check_deputy(member, uow.get_member(member.deputy_id) if member.deputy_id else None)


def seats(uow: SteeringUnitOfWork, members: list[Member]) -> list[dict[str, Any]]:
    """The members as the API shows them: with the organisation's name as identity's directory
    carries it (an institution's name; the person stays a user id)."""
    known = uow.references.known(ORGANISATION, [m.organisation_id for m in members])
    return [{"id": m.id, "organisation_id": m.organisation_id,
             "organisation_name": known[m.organisation_id].name
             if m.organisation_id in known else None,
             "user_id": m.user_id, "voting": m.voting, "deputy_id": m.deputy_id}
            for m in members]


def appoint_member(cmd: AppointMember, uow: SteeringUnitOfWork) -> uuid.UUID:
    with uow:
        authorize_office(uow.principal)
        _check_references(cmd, uow)
        member = Member(organisation_id=cmd.organisation_id, user_id=cmd.user_id,
                        voting=cmd.voting, deputy_id=cmd.deputy_id)
        _seat(member, uow)
        uow.add_member(member)
        uow.audit("create", "steering_member", member.id)
        uow.commit()
    return member.id


def change_member(cmd: ChangeMember, uow: SteeringUnitOfWork) -> uuid.UUID:
    with uow:
        authorize_office(uow.principal)
        member = uow.get_member(cmd.member_id)
        if member is None:
            raise NotFound("no such member of the steering group")
        _check_references(cmd, uow)
        member.organisation_id, member.user_id = cmd.organisation_id, cmd.user_id
        member.voting, member.deputy_id = cmd.voting, cmd.deputy_id
        _seat(member, uow)
        uow.audit("update", "steering_member", member.id)
        uow.commit()
    return member.id


def remove_member(cmd: RemoveMember, uow: SteeringUnitOfWork) -> None:
    """The seat ends; votes she cast stay with the proposals decided, and no longer count on
    those still open."""
    with uow:
        authorize_office(uow.principal)
        member = uow.get_member(cmd.member_id)
        if member is None:
            raise NotFound("no such member of the steering group")
        uow.remove_member(member)
        uow.audit("delete", "steering_member", cmd.member_id)
        uow.commit()


def quorum_rule(uow: SteeringUnitOfWork) -> QuorumRule:
    """The tenant's rule, or the default (half of the voting members, simple majority)."""
    with uow:
        return uow.quorum_rule() or QuorumRule()


def set_quorum_rule(cmd: SetQuorumRule, uow: SteeringUnitOfWork) -> QuorumRule:
    rule = QuorumRule(min_participation_percent=cmd.min_participation_percent,
                      majority=cmd.majority)
    with uow:
        authorize_office(uow.principal)
        uow.put_quorum_rule(rule)
        uow.audit("update", "steering_quorum_rule")
        uow.commit()
    return rule


def plan_meeting(cmd: PlanMeeting, uow: SteeringUnitOfWork) -> uuid.UUID:
    with uow:
        authorize_office(uow.principal)
        meeting = Meeting.plan(cmd.held_on, list(cmd.agenda))
        for i, item in enumerate(cmd.agenda):
            if item.proposal_id and uow.get_proposal(uuid.UUID(item.proposal_id)) is None:
                raise InvalidSteeringGroup(f"agenda.{i}.proposal_id",
                                           "no such decision proposal")
        uow.add_meeting(meeting)
        uow.audit("create", "steering_meeting", meeting.id)
        uow.commit()
    return meeting.id


def record_minutes(cmd: RecordMinutes, uow: SteeringUnitOfWork) -> uuid.UUID:
    with uow:
        authorize_office(uow.principal)
        meeting = uow.get_meeting(cmd.meeting_id)
        if meeting is None:
            raise NotFound("no such meeting")
        by = uow.principal.subject if uow.principal is not None else "system"
        meeting.record_minutes(cmd.minutes, uow.today(), clock.now(), by)
        uow.audit("update", "steering_meeting", meeting.id, reason="minutes")
        uow.commit()
    return meeting.id
