"""The steering group's records on SQLAlchemy: members, quorum rule, meetings, decision
proposals with their votes and the themes' lifecycle (ADR 0095).
Mixed into :class:`~lotse_steering.adapters.unit_of_work.SqlAlchemySteeringUnitOfWork`."""

from __future__ import annotations

import uuid
from typing import Any

from ..domain.decisions import DecisionProposal, Vote
from ..domain.steering_group import Meeting, Member, QuorumRule
from ..domain.themes import ThemeTransition


class SteeringGroupStore:
    session: Any
    tenant_id: uuid.UUID | None

    def _add(self, record: Any) -> None:
        record.tenant_id = self.tenant_id
        self.session.add(record)

    # -- members ---------------------------------------------------------------------------------
    def add_member(self, member: Member) -> None:
        self._add(member)
        self.session.flush()

    def get_member(self, member_id: uuid.UUID) -> Member | None:
        return self.session.get(Member, member_id)

    def member_of_user(self, user_id: str) -> Member | None:
        return self.session.query(Member).filter(Member.user_id == user_id).one_or_none()

    def list_members(self) -> list[Member]:
        return (self.session.query(Member)
                .order_by(Member.voting.desc(), Member.organisation_id, Member.user_id).all())

    def remove_member(self, member: Member) -> None:
        for other in self.session.query(Member).filter(Member.deputy_id == member.id):
            other.deputy_id = None
        self.session.delete(member)

    # -- quorum rule -----------------------------------------------------------------------------
    def quorum_rule(self) -> QuorumRule | None:
        return self.session.get(QuorumRule, self.tenant_id)

    def put_quorum_rule(self, rule: QuorumRule) -> None:
        rule.tenant_id = self.tenant_id
        self.session.merge(rule)

    # -- meetings --------------------------------------------------------------------------------
    def add_meeting(self, meeting: Meeting) -> None:
        self._add(meeting)

    def get_meeting(self, meeting_id: uuid.UUID) -> Meeting | None:
        return self.session.get(Meeting, meeting_id)

    def list_meetings(self) -> list[Meeting]:
        return self.session.query(Meeting).order_by(Meeting.held_on.desc()).all()

    # -- decision proposals and votes ------------------------------------------------------------
    def add_proposal(self, proposal: DecisionProposal) -> None:
        self._add(proposal)

    def get_proposal(self, proposal_id: uuid.UUID) -> DecisionProposal | None:
        return self.session.get(DecisionProposal, proposal_id)

    def list_proposals(self) -> list[DecisionProposal]:
        return (self.session.query(DecisionProposal)
                .order_by(DecisionProposal.created_on.desc(), DecisionProposal.subject).all())

    def votes_on(self, proposal_id: uuid.UUID) -> list[Vote]:
        return (self.session.query(Vote).filter(Vote.proposal_id == proposal_id)
                .order_by(Vote.cast_at).all())

    def vote_of(self, proposal_id: uuid.UUID, member_id: uuid.UUID) -> Vote | None:
        return self.session.get(Vote, (proposal_id, member_id))

    def put_vote(self, vote: Vote) -> None:
        vote.tenant_id = self.tenant_id
        self.session.merge(vote)

    # -- themes' lifecycle -----------------------------------------------------------------------
    def add_theme_transition(self, step: ThemeTransition) -> None:
        self._add(step)

    def theme_transitions(self, theme_id: uuid.UUID) -> list[ThemeTransition]:
        return (self.session.query(ThemeTransition)
                .filter(ThemeTransition.theme_id == theme_id)
                .order_by(ThemeTransition.changed_on).all())
