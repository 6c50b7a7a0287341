"""What the steering group's handlers need of a unit of work (ADR 0095): its members, quorum
rule, meetings, decision proposals and votes, and the themes' lifecycle. Part of
:class:`~lotse_steering.service_layer.unit_of_work.SteeringUnitOfWork` (which has the project
groups the decisions mandate)."""

from __future__ import annotations

import uuid
from typing import Protocol

from ..domain.decisions import DecisionProposal, Vote
from ..domain.steering_group import Meeting, Member, QuorumRule
from ..domain.themes import ThemeTransition


class SteeringGroupRecords(Protocol):
    def add_member(self, member: Member) -> None: ...

    def get_member(self, member_id: uuid.UUID) -> Member | None: ...

    def member_of_user(self, user_id: str) -> Member | None:
        """The seat a user holds in the steering group, if any."""
        ...

    def list_members(self) -> list[Member]:
        """Voting members first."""
        ...

    def remove_member(self, member: Member) -> None:
        """Remove the seat; a member she deputised for has no deputy afterwards."""
        ...

    def quorum_rule(self) -> QuorumRule | None: ...

    def put_quorum_rule(self, rule: QuorumRule) -> None: ...

    def add_meeting(self, meeting: Meeting) -> None: ...

    def get_meeting(self, meeting_id: uuid.UUID) -> Meeting | None: ...

    def list_meetings(self) -> list[Meeting]:
        """Newest first."""
        ...

    def add_proposal(self, proposal: DecisionProposal) -> None: ...

    def get_proposal(self, proposal_id: uuid.UUID) -> DecisionProposal | None: ...

    def list_proposals(self) -> list[DecisionProposal]:
        """Newest first."""
        ...

    def votes_on(self, proposal_id: uuid.UUID) -> list[Vote]: ...

    def vote_of(self, proposal_id: uuid.UUID, member_id: uuid.UUID) -> Vote | None: ...

    def put_vote(self, vote: Vote) -> None:
        """Record the vote, replacing the member's earlier one."""
        ...

    def add_theme_transition(self, step: ThemeTransition) -> None: ...

    def theme_transitions(self, theme_id: uuid.UUID) -> list[ThemeTransition]:
        """Oldest first."""
        ...
