"""Bodies, recurring exchanges and the meetings they hold: who may keep and read them, and their
use cases (ADR 0085). The coordinating office keeps them; the partners read them."""

from __future__ import annotations

import uuid

from lotse.network.v1.events_pb2 import BodyMeetingHeld
from lotse_platform.auth import (
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATION_ASSISTANT,
    COORDINATOR,
    ORG_ADMIN,
    PROVIDER_STAFF,
    authorize,
)
from lotse_platform.errors import NotFound
from lotse_platform.references import AREA, ORGANISATION, Wanted, check

from ..domain.bodies import Body, Contribution, FollowUp, Meeting
from ..domain.commands import CompleteFollowUp, RecordMeeting, SetUpBody
from .unit_of_work import NetworkUnitOfWork

BODY_WRITERS = (COORDINATOR,)
BODY_READERS = (COORDINATOR, COORDINATION_ASSISTANT, CASE_MANAGER, PROVIDER_STAFF, ORG_ADMIN,
                AUTHORITY_LIAISON)


def set_up_body(cmd: SetUpBody, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, BODY_WRITERS)
        body = Body(cmd.name.strip(), cmd.kind, list(dict.fromkeys(cmd.member_org_ids)),
                    cmd.area_id, cmd.rhythm, cmd.weekday, cmd.nth, cmd.starts_at)
        check(uow.references, [
            *(Wanted(f"member_org_ids.{i}", ORGANISATION, o)
              for i, o in enumerate(body.member_org_ids)),
            Wanted("area_id", AREA, cmd.area_id)])
        uow.add_body(body)
        uow.audit("create", "body", body.id)
        uow.commit()
    return body.id


def record_meeting(cmd: RecordMeeting, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, BODY_WRITERS)
        body = uow.get_body(cmd.body_id)
        if body is None:
            raise NotFound("no such body")
        meeting = Meeting.hold(
            body, cmd.held_on, uow.today(), list(cmd.participant_org_ids),
            [Contribution(c.org_id, c.target_group, c.offers, c.agreements)
             for c in cmd.contributions],
            cmd.minutes, [FollowUp(f.what, f.owner_org_id, f.due_on) for f in cmd.follow_ups])
        check(uow.references, [
            *(Wanted(f"participant_org_ids.{i}", ORGANISATION, o)
              for i, o in enumerate(meeting.participant_org_ids)),
            *(Wanted(f"follow_ups.{i}.owner_org_id", ORGANISATION, f.owner_org_id)
              for i, f in enumerate(meeting.follow_ups))])
        uow.add_meeting(meeting)
        # reporting counts the meetings held: ids and counts only, never minutes or text
        uow.publish(BodyMeetingHeld(
            meeting_id=str(meeting.id), body_id=str(body.id), body_kind=body.kind,
            area_id=body.area_id or "", held_on=meeting.held_on.isoformat(),
            participant_org_ids=meeting.participant_org_ids,
            contributions=len(meeting.contributions), follow_ups=len(meeting.follow_ups)),
            aggregate_id=meeting.id, sequence=1)
        uow.audit("create", "meeting", meeting.id, reason=f"body:{body.id}")
        uow.commit()
    return meeting.id


def complete_follow_up(cmd: CompleteFollowUp, uow: NetworkUnitOfWork) -> uuid.UUID:
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, BODY_WRITERS)
        meeting = uow.get_meeting(cmd.meeting_id)
        if meeting is None:
            raise NotFound("no such meeting")
        meeting.complete(cmd.follow_up_id, uow.today())
        uow.audit("update", "meeting", meeting.id, reason=f"follow_up_done:{cmd.follow_up_id}")
        uow.commit()
    return meeting.id
