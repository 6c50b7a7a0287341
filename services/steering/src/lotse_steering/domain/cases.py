"""What steering knows of a case: a projection of casework's events (``casework.case.*``,
``casework.goal.*``, ``casework.step.done``, ``casework.contact.recorded``,
``casework.case_conference.held``), kept one row per case.

Ids, codes, dates and counts only — never a name: the case is a pseudonymous reference that the
presenting case manager resolves in casework. Events arrive late, twice (the inbox makes that
once) and out of order, so every change here is order-independent or ordered by casework's
per-case sequence:

- the case's facts (area, case manager, topic and legal areas) come from the newest event by
  sequence (an older event arriving late changes none of them);
- goals are two sets (set, ended): open goals are those set and not reached or dropped;
- organisations involved are a set (goal and step responsibilities, conference participants);
- contacts are a count (each contact event arrives once);
- the phases reached are a set; "closed" and "transferred to another tenant" are terminal;
- the day the current case manager took the case is the latest of the opening day and the days
  of transfers inside the county (a transfer starts the 8 weeks again).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

OPEN, CLOSED, TRANSFERRED = "open", "closed", "transferred"
STATUSES = (OPEN, CLOSED, TRANSFERRED)


@dataclass(frozen=True)
class Facts:
    """The facts every casework event carries about its case (``CaseFacts``), as names."""

    case_id: str
    area_id: str
    case_manager_id: str
    topic_areas: tuple[str, ...]
    legal_areas: tuple[str, ...]
    opened_on: date | None


@dataclass(frozen=True)
class CaseChange:
    """What one casework event says of its case, beyond its facts."""

    facts: Facts
    sequence: int | None = None
    phase: str | None = None
    goal_set: str | None = None
    goal_ended: str | None = None
    organisations: tuple[str, ...] = ()
    contact: bool = False
    status: str | None = None  # closed / transferred (terminal)
    with_new_case_manager_on: date | None = None  # a transfer inside the county
    #: the person's intake id, from the case's opening (a subject-access request or an erasure
    #: names her by it, ADR 0108)
    intake_id: str | None = None


@dataclass
class CaseRecord:
    """One case as the projection keeps it (table ``case_records``)."""

    case_id: str
    area_id: str
    case_manager_id: str
    topic_areas: list[str] = field(default_factory=list)
    legal_areas: list[str] = field(default_factory=list)
    opened_on: date | None = None
    transferred_on: date | None = None
    status: str = OPEN
    phases: list[str] = field(default_factory=list)
    goals_set: list[str] = field(default_factory=list)
    goals_ended: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    contacts: int = 0
    facts_sequence: int = 0
    tenant_id: uuid.UUID | None = None
    intake_id: str | None = None

    @classmethod
    def first(cls, change: CaseChange) -> CaseRecord:
        facts = change.facts
        record = cls(case_id=facts.case_id, area_id=facts.area_id,
                     case_manager_id=facts.case_manager_id)
        record.apply(change, first=True)
        return record

    @property
    def with_case_manager_since(self) -> date | None:
        days = [d for d in (self.opened_on, self.transferred_on) if d is not None]
        return max(days) if days else None

    @property
    def open_goals(self) -> int:
        return len(set(self.goals_set) - set(self.goals_ended))

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def apply(self, change: CaseChange, *, first: bool = False) -> None:
        """The record after ``change``; every attribute is assigned anew (never changed in
        place), so that the ORM sees what changed."""
        facts, sequence = change.facts, change.sequence or 0
        if first or sequence >= self.facts_sequence:
            self.area_id, self.case_manager_id = facts.area_id, facts.case_manager_id
            self.topic_areas, self.legal_areas = list(facts.topic_areas), list(facts.legal_areas)
            self.facts_sequence = max(sequence, self.facts_sequence)
        if facts.opened_on is not None and self.opened_on is None:
            self.opened_on = facts.opened_on
        if change.phase and change.phase not in self.phases:
            self.phases = sorted({*self.phases, change.phase})
        if change.goal_set and change.goal_set not in self.goals_set:
            self.goals_set = sorted({*self.goals_set, change.goal_set})
        if change.goal_ended and change.goal_ended not in self.goals_ended:
            self.goals_ended = sorted({*self.goals_ended, change.goal_ended})
        involved = {o for o in change.organisations if o}
        if involved - set(self.organisations):
            self.organisations = sorted({*self.organisations, *involved})
        if change.contact:
            self.contacts = self.contacts + 1
        if change.status in (CLOSED, TRANSFERRED) and self.status == OPEN:
            self.status = change.status
        if change.intake_id and self.intake_id is None:
            self.intake_id = change.intake_id
        moved = change.with_new_case_manager_on
        if moved is not None and (self.transferred_on is None or moved > self.transferred_on):
            self.transferred_on = moved
