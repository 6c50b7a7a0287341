"""The steering group (*Lenkungsgruppe*, *Lenkungsgremium*, DOMAIN.md §1 and §8 steps 3 and 5):
its members, its quorum rule and its meetings.

A member is an organisation's seat held by a person: the organisation's id (identity's
directory) and the person's user id — never a name; steering holds no personal data. A member
votes (*stimmberechtigt*) or advises (*beratend*, e.g. the case managers' representative,
guests), and may name another member as deputy (*Vertretung*), who votes in her place when she
does not (seed 001 L476–L503; 004 L50).

The quorum rule (*Beschlussfähigkeit*) is the tenant's, as its rules of procedure
(*Geschäftsordnung*) fix it: the minimum share of voting members who must take part in a vote
(yes, no or abstain), and the majority a proposal needs (ADR 0095).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lotse_platform.errors import Conflict, Unprocessable

#: yes > no among the votes cast (abstentions count for the quorum only)
SIMPLE = "simple"
#: yes > half of all votes cast, abstentions included
ABSOLUTE = "absolute"
#: at least two thirds of all votes cast, abstentions included
TWO_THIRDS = "two_thirds"
MAJORITIES = (SIMPLE, ABSOLUTE, TWO_THIRDS)


class InvalidSteeringGroup(Unprocessable):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


class MemberConflict(Conflict):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


@dataclass
class Member:
    """A seat in the steering group: organisation, person (a user id), voting or advisory,
    deputy (another member's id)."""

    organisation_id: str
    user_id: str
    voting: bool
    deputy_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


def check_deputy(member: Member, deputy: Member | None) -> None:
    """A deputy is another member of the group (422 naming ``deputy_id`` otherwise)."""
    if member.deputy_id is None:
        return
    if deputy is None:
        raise InvalidSteeringGroup("deputy_id", "the deputy is a member of the steering group")
    if deputy.id == member.id:
        raise InvalidSteeringGroup("deputy_id", "a member cannot be her own deputy")


@dataclass
class QuorumRule:
    """When the steering group can decide, and what a proposal needs to pass."""

    #: percent of the voting members who must take part (yes, no or abstain)
    min_participation_percent: int = 50
    majority: str = SIMPLE
    tenant_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.min_participation_percent <= 100:
            raise InvalidSteeringGroup("min_participation_percent", "between 1 and 100")
        if self.majority not in MAJORITIES:
            raise InvalidSteeringGroup("majority", f"one of {', '.join(MAJORITIES)}")

    def quorate(self, voting_members: int, taking_part: int) -> bool:
        """Enough voting members took part (``taking_part`` of ``voting_members``)."""
        return voting_members > 0 and taking_part * 100 >= (
            self.min_participation_percent * voting_members)

    def passes(self, yes: int, no: int, abstentions: int) -> bool:
        cast = yes + no + abstentions
        if self.majority == SIMPLE:
            return yes > no
        if self.majority == ABSOLUTE:
            return yes * 2 > cast
        return cast > 0 and yes * 3 >= cast * 2


@dataclass(frozen=True)
class AgendaItem:
    """One item (*Tagesordnungspunkt*) of a meeting, in order; it may put a decision proposal
    to the group."""

    title: str
    proposal_id: str | None = None


def _item(item: AgendaItem) -> dict[str, Any]:
    return {"title": item.title, "proposal_id": item.proposal_id}


@dataclass
class Meeting:
    """A meeting (*Sitzung*) of the steering group: its day, its ordered agenda, and the minutes
    (*Protokoll*) — organisational text, recorded once when the meeting has been held."""

    held_on: date
    agenda: list[dict[str, Any]]
    minutes: str | None = None
    minutes_recorded_at: datetime | None = None
    minutes_recorded_by: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def plan(cls, held_on: date, agenda: list[AgendaItem]) -> Meeting:
        for i, item in enumerate(agenda):
            if not item.title.strip():
                raise InvalidSteeringGroup(f"agenda.{i}.title", "an agenda item needs a title")
        return cls(held_on=held_on, agenda=[_item(i) for i in agenda])

    def record_minutes(self, minutes: str, today: date, at: datetime, by: str) -> None:
        """Minutes once the meeting was held, and once only (409 otherwise)."""
        if self.held_on > today:
            raise MemberConflict("minutes", "the meeting has not been held yet")
        if self.minutes is not None:
            raise MemberConflict("minutes", "the minutes are recorded already")
        if not minutes.strip():
            raise InvalidSteeringGroup("minutes", "the minutes need text")
        self.minutes, self.minutes_recorded_at, self.minutes_recorded_by = minutes, at, by

    @property
    def proposal_ids(self) -> list[str]:
        return [i["proposal_id"] for i in self.agenda if i.get("proposal_id")]
