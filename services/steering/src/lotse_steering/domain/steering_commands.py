"""Commands of the steering group (ADR 0095): its members, quorum rule and meetings, decision
proposals, votes and decisions, and the coordinating office's steps of a theme's lifecycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from .decisions import TargetGroupChange
from .steering_group import AgendaItem


@dataclass(frozen=True)
class AppointMember:
    """Give an organisation's seat in the steering group to a person (a user id)."""

    organisation_id: str
    user_id: str
    voting: bool
    deputy_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ChangeMember:
    member_id: uuid.UUID
    organisation_id: str
    user_id: str
    voting: bool
    deputy_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RemoveMember:
    member_id: uuid.UUID


@dataclass(frozen=True)
class SetQuorumRule:
    min_participation_percent: int
    majority: str


@dataclass(frozen=True)
class PlanMeeting:
    held_on: date
    agenda: tuple[AgendaItem, ...] = ()


@dataclass(frozen=True)
class RecordMinutes:
    meeting_id: uuid.UUID
    minutes: str


@dataclass(frozen=True)
class PutProposal:
    """The coordinating office puts a decision proposal (*Beschlussvorlage*) to the group."""

    subject: str
    text: str
    kind: str
    theme_id: uuid.UUID | None = None
    reference: str | None = None
    attachments: tuple[dict[str, str], ...] = ()
    mandate: dict[str, str] | None = None
    target_group_change: TargetGroupChange | None = None


@dataclass(frozen=True)
class CastVote:
    """A steering member votes: her own vote, or (``for_member_id``) as a member's deputy."""

    proposal_id: uuid.UUID
    vote: str
    for_member_id: uuid.UUID | None = None


@dataclass(frozen=True)
class DecideProposal:
    """The coordinating office records the group's decision; ``defer``: the group postponed it."""

    proposal_id: uuid.UUID
    defer: bool = False


@dataclass(frozen=True)
class MarkThemeImplemented:
    theme_id: uuid.UUID


@dataclass(frozen=True)
class EscalateTheme:
    """No county-wide consensus: the office writes the theme up for the state level."""

    theme_id: uuid.UUID
    write_up: str
