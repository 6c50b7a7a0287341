"""Project groups (*Projektarbeitsgruppen*, PAG; DOMAIN.md §8 step 4, seed 001 L509–L525).

The steering group mandates a project group on a generative theme with a written mandate
(*Arbeitsauftrag*): subject, objective, composition, working form, the expected form of the
result and special requirements. The group's members come from several organisations (each an
organisation id and a user id with a role in the group — never a name); it meets one to two
times a quarter for up to three hours. What it drafts — a goal system and service chains
(:mod:`.goal_systems`, :mod:`.service_chains`) — it presents to the steering group as its result.

The quarterly rhythm is advice, not a rule: a quarter without a meeting or with more than two
shows as a warning in the group's view; nothing is refused for it. A meeting longer than three
hours is refused (the seed's upper bound).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lotse_platform.errors import Conflict, Unprocessable

MANDATED = "mandated"
PRESENTED = "presented"
#: the steering group adopted the theme's result (an ``adopt_result`` decision, ADR 0095)
RESULT_ADOPTED = "result_adopted"
GROUP_STATUSES = (MANDATED, PRESENTED, RESULT_ADOPTED)

MAX_MEETING_MINUTES = 180
MEETINGS_PER_QUARTER = (1, 2)

#: a member's role in the group, with its German label
MEMBER_ROLES = {"chair": "Leitung", "deputy_chair": "Stellvertretende Leitung",
                "member": "Mitglied", "expert": "Fachexpertise (beratend)"}


class InvalidGroupWork(Unprocessable):
    """422 naming the field of the request that is wrong."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


class AlreadyPresented(Conflict):
    """409: the group presented its result; its mandate is done."""


@dataclass
class ProjectGroup:
    """A mandated project group: the mandate's fields as the steering group decided them."""

    theme_id: uuid.UUID
    decision_id: uuid.UUID
    subject: str  # Gegenstand
    objective: str  # Zielsetzung der Bearbeitung
    composition: str  # Zusammensetzung
    working_form: str  # Vorgaben zur Arbeitsform
    expected_result: str  # gewünschte Darstellung des Ergebnisses
    special_requirements: str  # weitere besondere Vorgaben
    mandated_on: date
    status: str = MANDATED
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


@dataclass
class GroupMember:
    """A member of a project group: a user of an organisation with a role in the group."""

    group_id: uuid.UUID
    user_id: str
    organisation_id: str
    role: str
    position: int
    tenant_id: uuid.UUID | None = None


@dataclass
class GroupMeeting:
    """A meeting (*Termin*) of the group: its day, length, topics and notes. The notes are the
    group's working notes on structures — no personal data of clients belongs there."""

    group_id: uuid.UUID
    held_on: date
    duration_minutes: int
    topics: list[str]
    notes: str
    recorded_at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


@dataclass
class ResultPresentation:
    """The group's result as presented to the steering group: a summary beside the goal system
    and the service chains, with the day and the presenting user."""

    group_id: uuid.UUID
    summary: str
    presented_on: date
    presented_by: str
    tenant_id: uuid.UUID | None = None


@dataclass(frozen=True)
class MemberEntry:
    user_id: str
    organisation_id: str
    role: str


def members_of(group_id: uuid.UUID, entries: list[MemberEntry]) -> list[GroupMember]:
    """The group's members in the order given, or the refusal naming the entry: a user twice,
    an unknown role, more than one chair."""
    seen: set[str] = set()
    chairs = 0
    members = []
    for i, entry in enumerate(entries):
        if entry.user_id in seen:
            raise InvalidGroupWork(f"members.{i}.user_id", "the user is a member already")
        seen.add(entry.user_id)
        if entry.role not in MEMBER_ROLES:
            raise InvalidGroupWork(f"members.{i}.role",
                                   f"one of {', '.join(MEMBER_ROLES)}")
        chairs += entry.role == "chair"
        if chairs > 1:
            raise InvalidGroupWork(f"members.{i}.role", "a group has one chair")
        members.append(GroupMember(group_id=group_id, user_id=entry.user_id,
                                   organisation_id=entry.organisation_id, role=entry.role,
                                   position=i))
    return members


def membership_warnings(members: list[GroupMember]) -> list[dict[str, str]]:
    """Advice on the composition: a project group brings several organisations together."""
    if len({m.organisation_id for m in members}) >= 2:
        return []
    return [{"code": "single_organisation", "field": "members",
             "message": "the members come from fewer than two organisations",
             "message_de": "Die Mitglieder kommen aus weniger als zwei Organisationen."}]


def meeting(group: ProjectGroup, held_on: date, duration_minutes: int, topics: list[str],
            notes: str, recorded_at: datetime) -> GroupMeeting:
    """A meeting of the group, or the refusal: longer than three hours, before the mandate."""
    if group.status != MANDATED:
        raise AlreadyPresented("the group presented its result; no further meetings")
    if not 1 <= duration_minutes <= MAX_MEETING_MINUTES:
        raise InvalidGroupWork("duration_minutes",
                               f"a meeting lasts up to {MAX_MEETING_MINUTES} minutes (3 hours)")
    if held_on < group.mandated_on:
        raise InvalidGroupWork("held_on", "the meeting is before the group's mandate")
    return GroupMeeting(group_id=group.id, held_on=held_on, duration_minutes=duration_minutes,
                        topics=list(topics), notes=notes, recorded_at=recorded_at)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    found = []
    year, quarter = first
    while (year, quarter) <= last:
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def meeting_warnings(group: ProjectGroup, meetings: list[GroupMeeting], today: date
                     ) -> list[dict[str, Any]]:
    """The seed's rhythm of one to two meetings a quarter, as advice: a past quarter of the
    mandate without a meeting, any quarter with more than two. The running quarter is not
    warned of missing meetings before it ends. Quarters by the tenant's calendar day."""
    per_quarter = Counter(quarter_of(m.held_on) for m in meetings)
    current = quarter_of(today)
    last = max([current, *per_quarter]) if per_quarter else current
    warnings = []
    for year, quarter in _quarters(quarter_of(group.mandated_on), last):
        label = f"{year}-Q{quarter}"
        count = per_quarter.get((year, quarter), 0)
        if count == 0 and (year, quarter) < current:
            warnings.append({"code": "no_meeting_in_quarter", "quarter": label, "meetings": 0,
                             "message": f"no meeting in {label} (1–2 a quarter are planned)",
                             "message_de": f"Im Quartal {quarter}/{year} fand kein Termin statt "
                                           "(vorgesehen sind 1–2 Termine pro Quartal)."})
        elif count > MEETINGS_PER_QUARTER[1]:
            warnings.append({"code": "too_many_meetings_in_quarter", "quarter": label,
                             "meetings": count,
                             "message": f"{count} meetings in {label} (1–2 a quarter are "
                                        "planned)",
                             "message_de": f"Im Quartal {quarter}/{year} fanden {count} Termine "
                                           "statt (vorgesehen sind 1–2 Termine pro Quartal)."})
    return warnings
