"""Team case discussions and supervision (domain/team.py): recorded by the coordinating office
or a case manager of the team, read by the office and by those who took part (audited)."""

from __future__ import annotations

import uuid

from lotse_platform.auth import COORDINATOR, Principal

from ..domain.commands import RecordTeamDiscussion
from ..domain.errors import Incomplete
from ..domain.team import TeamDiscussion
from .access import caller
from .events import team_discussion_held
from .unit_of_work import CaseworkUnitOfWork


def record_team_discussion(cmd: RecordTeamDiscussion, uow: CaseworkUnitOfWork) -> uuid.UUID:
    """Only the case-management team takes part — active case managers known here, and the
    coordinating office recording it —, and the cases discussed are this tenant's: a partner
    organisation belongs in a case conference, with its release."""
    principal = caller(uow)
    with uow:
        problems: dict[str, str] = {}
        for index, user_id in enumerate(cmd.participant_ids):
            member = uow.case_manager(user_id)
            if user_id != principal.subject and (member is None or not member.active):
                problems[f"participant_ids.{index}"] = (
                    "a case manager of this county's team (partners meet in a case conference)")
        for index, case_id in enumerate(cmd.case_ids):
            case = uow.case(case_id)
            if case is None or case.handed_over_at is not None:
                problems[f"case_ids.{index}"] = "a case of this county"
        if problems:
            raise Incomplete("the team discussion cannot be recorded: " + ", ".join(problems),
                             problems)
        discussion = TeamDiscussion.record(
            principal.subject, uow.today(), kind=cmd.kind, held_on=cmd.held_on,
            participant_ids=list(cmd.participant_ids),
            case_ids=[str(c) for c in cmd.case_ids], topics=list(cmd.topics),
            minutes=cmd.minutes, structural_issues=cmd.structural_issues)
        uow.add(discussion)
        uow.publish(team_discussion_held(discussion), aggregate_id=discussion.id)
        uow.audit("create", "team_discussion", discussion.id, reason=discussion.kind)
        uow.commit()
        return discussion.id


def team_discussions(uow: CaseworkUnitOfWork, principal: Principal) -> list[TeamDiscussion]:
    """Newest first; the office's all, a case manager's those she took part in (audited: the
    minutes speak of cases)."""
    is_coordinator = COORDINATOR in principal.roles
    with uow:
        found = [d for d in uow.team_discussions()
                 if d.open_to(principal.subject, is_coordinator)]
        uow.audit("read", "team_discussion", None,
                  reason="Fachaufsicht" if is_coordinator else None)
        uow.commit()
        return found
