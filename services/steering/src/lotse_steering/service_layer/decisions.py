"""Handlers of decision proposals (*Beschlussvorlagen*), votes and decisions (ADR 0095), and
what an approved decision does:

- establish_theme: the theme becomes ``established`` (``steering.theme.established.v1``);
- mandate_project_group: a project group with the proposal's mandate
  (:func:`.project_groups.mandate_from_decision`, ``steering.project_group.mandated.v1``), the
  theme ``in_project_group``;
- adopt_result: the theme ``result_adopted`` (``steering.result.adopted.v1``);
- change_target_groups: ``steering.target_group.decided.v1``, which intake consumes to create or
  end the target group with its validity and the decision's reference.

Every decision publishes ``steering.decision.taken.v1`` (kind, outcome, day, counts — no text).
All of it commits in one transaction with the decision, or nothing does.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from lotse.steering.v1.events_pb2 import (
    DecisionTaken,
    ResultAdopted,
    TargetGroupDecided,
    ThemeEstablished,
)
from lotse_platform import clock
from lotse_platform.errors import Forbidden, NotFound
from lotse_platform.references import AREA, check, wanted_all

from ..domain.decisions import (
    ADOPT_RESULT,
    APPROVED,
    CHANGE_TARGET_GROUPS,
    CREATE,
    ESTABLISH_THEME,
    MANDATE_PROJECT_GROUP,
    DecisionProposal,
    InvalidProposal,
    cast,
    count_votes,
    decide,
)
from ..domain.project_groups import RESULT_ADOPTED as GROUP_RESULT_ADOPTED
from ..domain.steering_commands import CastVote, DecideProposal, PutProposal
from ..domain.steering_group import QuorumRule
from ..domain.themes import ESTABLISHED, IN_PROJECT_GROUP, RESULT_ADOPTED, move
from .project_groups import mandate_from_decision
from .steering_access import authorize_office, authorize_voter
from .unit_of_work import SteeringUnitOfWork

#: where the id of a target group a decision creates comes from: the decision, so that a
#: decision delivered twice creates one group
TARGET_GROUP_NAMESPACE = uuid.UUID("5b0f6d0e-3c9a-4f61-9a57-6c1d2f0b7e13")


def target_group_id_of(proposal: DecisionProposal) -> uuid.UUID:
    change = proposal.change
    if change is not None and change.target_group_id:
        return uuid.UUID(change.target_group_id)
    return uuid.uuid5(TARGET_GROUP_NAMESPACE, str(proposal.id))


def put_proposal(cmd: PutProposal, uow: SteeringUnitOfWork) -> uuid.UUID:
    with uow:
        authorize_office(uow.principal)
        proposal = DecisionProposal.draft(
            subject=cmd.subject, text=cmd.text, kind=cmd.kind, created_on=uow.today(),
            created_by=uow.principal.subject if uow.principal is not None else "system",
            theme_id=cmd.theme_id, reference=cmd.reference, attachments=list(cmd.attachments),
            mandate=cmd.mandate, target_group_change=cmd.target_group_change)
        if cmd.theme_id is not None and uow.get_theme(cmd.theme_id) is None:
            raise InvalidProposal("theme_id", "no such theme")
        if cmd.target_group_change is not None:
            check(uow.references, wanted_all("target_group_change.area_ids", AREA,
                                             list(cmd.target_group_change.area_ids)))
        uow.add_proposal(proposal)
        uow.audit("create", "decision_proposal", proposal.id)
        uow.commit()
    return proposal.id


def cast_vote(cmd: CastVote, uow: SteeringUnitOfWork) -> uuid.UUID:
    """A steering member's vote (her own, or as the deputy of a member who has not voted)."""
    with uow:
        authorize_voter(uow.principal)
        proposal = uow.get_proposal(cmd.proposal_id)
        if proposal is None:
            raise NotFound("no such decision proposal")
        caller = (uow.member_of_user(uow.principal.subject)
                  if uow.principal is not None else None)
        if caller is None:
            raise Forbidden("only members of the steering group vote")
        member = caller
        if cmd.for_member_id is not None and cmd.for_member_id != caller.id:
            found = uow.get_member(cmd.for_member_id)
            if found is None:
                raise InvalidProposal("for_member_id", "no such member of the steering group")
            member = found
        vote = cast(proposal, member, caller, cmd.vote, uow.vote_of(proposal.id, member.id),
                    clock.now())
        uow.put_vote(vote)
        uow.audit("update", "decision_proposal", proposal.id, reason="vote")
        uow.commit()
    return member.id


def decide_proposal(cmd: DecideProposal, uow: SteeringUnitOfWork) -> str:
    """The coordinating office records the group's decision with the tenant's day."""
    with uow:
        authorize_office(uow.principal)
        proposal = uow.get_proposal(cmd.proposal_id)
        if proposal is None:
            raise NotFound("no such decision proposal")
        voting = {m.id for m in uow.list_members() if m.voting}
        day = uow.today()
        outcome = decide(proposal, count_votes(uow.votes_on(proposal.id), voting),
                         uow.quorum_rule() or QuorumRule(), day, defer=cmd.defer)
        if outcome == APPROVED:
            act(proposal, day, uow)
        tally = proposal.tally or {}
        uow.publish(DecisionTaken(
            decision_id=str(proposal.id),
            kind=f"KIND_{proposal.kind.upper()}",
            outcome=f"OUTCOME_{outcome.upper()}",
            decided_on=day.isoformat(), theme_id=str(proposal.theme_id or ""),
            votes_yes=tally.get("yes", 0), votes_no=tally.get("no", 0),
            abstentions=tally.get("abstentions", 0),
            voting_members=tally.get("voting_members", 0)),
            aggregate_id=proposal.id, sequence=1)
        uow.audit("update", "decision_proposal", proposal.id, reason=f"decision:{outcome}")
        uow.commit()
    return outcome


def _theme_step(proposal: DecisionProposal, to_status: str, day: date,
                uow: SteeringUnitOfWork) -> int:
    """Move the proposal's theme (409 when its lifecycle does not allow it); the sequence of
    the theme's event that says so (``steering.theme.proposed.v1`` was the first)."""
    assert proposal.theme_id is not None
    theme = uow.get_theme(proposal.theme_id)
    if theme is None:
        raise NotFound("no such theme")
    earlier = len(uow.theme_transitions(theme.id))
    uow.add_theme_transition(move(theme, to_status, day, decision_id=proposal.id,
                                  field_name="theme_id"))
    return earlier + 2


def act(proposal: DecisionProposal, day: date, uow: SteeringUnitOfWork) -> None:
    """What an approved proposal changes, by its kind ('other' changes nothing here)."""
    if proposal.kind == ESTABLISH_THEME:
        sequence = _theme_step(proposal, ESTABLISHED, day, uow)
        uow.publish(ThemeEstablished(theme_id=str(proposal.theme_id),
                                     decision_id=str(proposal.id),
                                     established_on=day.isoformat()),
                    aggregate_id=proposal.theme_id, sequence=sequence)
    elif proposal.kind == MANDATE_PROJECT_GROUP:
        _theme_step(proposal, IN_PROJECT_GROUP, day, uow)
        mandate_from_decision(uow, proposal, day)
    elif proposal.kind == ADOPT_RESULT:
        sequence = _theme_step(proposal, RESULT_ADOPTED, day, uow)
        for group in uow.list_project_groups():  # the theme's groups: their work is done
            if group.theme_id == proposal.theme_id:
                group.status = GROUP_RESULT_ADOPTED
        uow.publish(ResultAdopted(theme_id=str(proposal.theme_id),
                                  decision_id=str(proposal.id), adopted_on=day.isoformat()),
                    aggregate_id=proposal.theme_id, sequence=sequence)
    elif proposal.kind == CHANGE_TARGET_GROUPS:
        change = proposal.change
        assert change is not None
        group_id = target_group_id_of(proposal)
        creates = change.change == CREATE
        uow.publish(TargetGroupDecided(
            decision_id=str(proposal.id), decision_ref=proposal.reference or str(proposal.id),
            decided_on=day.isoformat(),
            change=(TargetGroupDecided.CHANGE_CREATE if creates
                    else TargetGroupDecided.CHANGE_END),
            target_group_id=str(group_id), name=change.name or "",
            criteria=change.criteria or "",
            valid_from=change.valid_from.isoformat() if change.valid_from else "",
            valid_until=change.valid_until.isoformat() if change.valid_until else "",
            area_ids=list(change.area_ids),
            conditions_json=json.dumps(change.conditions, sort_keys=True)
            if change.conditions else ""),
            aggregate_id=group_id)
