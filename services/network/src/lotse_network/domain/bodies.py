"""Bodies and recurring exchanges (*Gremien*, *Netzwerktreffen*, *Jour fixe*) and the meetings
they hold (issue 11; seeds 000 L133, 001 L399, L410; 004 L87–L93).

A body has members (organisations), an area, and a rhythm from which its next dates follow in
the tenant's time zone: Herne's monthly Jour fixe of the immigration office, the Jobcenter's
Integration Point and KIM (000 L133), Höxter's case-manager exchange "jeder dritte
Mittwochnachmittag im Monat" (001 L399), the quarterly exchange meetings (001 L410). A meeting
held records its date, the organisations that took part, what each actor presented — target
group, offers, (existing) agreements (004 L91) — the minutes and the follow-ups. Organisational
data only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lotse_platform.errors import Unprocessable

BODY_KINDS = ("network_meeting", "jour_fixe", "case_manager_exchange", "exchange_meeting",
              "steering_group", "working_group", "other")

BODY_KIND_LABELS = {"network_meeting": "Netzwerktreffen", "jour_fixe": "Jour fixe",
                    "case_manager_exchange": "Austauschtreffen der Case Manager*innen",
                    "exchange_meeting": "Austauschtreffen", "steering_group": "Lenkungsgruppe",
                    "working_group": "Arbeitskreis / Projektgruppe", "other": "Sonstiges"}

#: none (meets when called), weekly (on a weekday), monthly (the nth weekday of every month),
#: quarterly (the nth weekday of the first month of each quarter)
RHYTHMS = ("none", "weekly", "monthly", "quarterly")

RHYTHM_LABELS = {"none": "nach Vereinbarung", "weekly": "wöchentlich", "monthly": "monatlich",
                 "quarterly": "quartalsweise"}

#: weekday numbers as Python counts them (0 Monday … 6 Sunday); nth 1–4, or -1 for the last
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class InvalidBody(Unprocessable):
    """422 naming the field of a body or meeting that cannot be."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


@dataclass(frozen=True)
class Rhythm:
    kind: str = "none"
    weekday: int | None = None
    nth: int | None = None
    starts_at: time | None = None

    def check(self) -> None:
        if self.kind not in RHYTHMS:
            raise InvalidBody("rhythm", f"one of {', '.join(RHYTHMS)}")
        if self.kind != "none" and self.weekday is None:
            raise InvalidBody("weekday", "a recurring body meets on a weekday")
        if self.kind in ("monthly", "quarterly") and self.nth not in (1, 2, 3, 4, -1):
            raise InvalidBody("nth", "which weekday of the month: 1 to 4, or -1 for the last")

    def next_dates(self, now: datetime, zone: ZoneInfo, count: int = 3) -> list[datetime]:
        """The next ``count`` dates after the instant ``now``, as times of day in ``zone`` (the
        tenant's time zone). Without a time of day a meeting counts as the whole day: today's
        is still to come until the tenant's midnight — whatever day it is in UTC."""
        if self.kind == "none" or self.weekday is None:
            return []
        local_now = now.astimezone(zone)
        found: list[datetime] = []
        for day in self._days_from(local_now.date()):
            at = datetime.combine(day, self.starts_at or time(0), tzinfo=zone)
            upcoming = at > local_now if self.starts_at else day >= local_now.date()
            if upcoming:
                found.append(at)
            if len(found) >= count:
                return found
        return found

    def _days_from(self, start: date):  # type: ignore[no-untyped-def]
        assert self.weekday is not None
        if self.kind == "weekly":
            day = start + timedelta(days=(self.weekday - start.weekday()) % 7)
            while True:
                yield day
                day += timedelta(days=7)
        year, month = start.year, start.month
        if self.kind == "quarterly":
            month = month - (month - 1) % 3
        step = 3 if self.kind == "quarterly" else 1
        while True:
            day = nth_weekday(year, month, self.weekday, self.nth or 1)
            if day >= start:
                yield day
            month += step
            if month > 12:
                year, month = year + 1, month - 12


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` ``weekday`` of a month (``nth`` -1: the last): the third Wednesday of
    December 2026 is ``nth_weekday(2026, 12, 2, 3)`` = 2026-12-16."""
    if nth == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


@dataclass
class Body:
    name: str
    kind: str
    member_org_ids: list[str]
    area_id: str | None = None
    rhythm: str = "none"
    weekday: int | None = None
    nth: int | None = None
    starts_at: time | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidBody("name", "a body needs a name")
        if self.kind not in BODY_KINDS:
            raise InvalidBody("kind", f"one of {', '.join(BODY_KINDS)}")
        self.schedule().check()

    def schedule(self) -> Rhythm:
        return Rhythm(self.rhythm, self.weekday, self.nth, self.starts_at)


@dataclass(frozen=True)
class Contribution:
    """What one actor presented at a network meeting (004 L91: target group, offer,
    (existing) agreement)."""

    org_id: str
    target_group: str = ""
    offers: str = ""
    agreements: str = ""


@dataclass(frozen=True)
class FollowUp:
    what: str
    owner_org_id: str
    due_on: date | None = None
    done_on: date | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass
class Meeting:
    body_id: uuid.UUID
    held_on: date
    participant_org_ids: list[str]
    contributions: list[Contribution] = field(default_factory=list)
    minutes: str = ""
    follow_ups: list[FollowUp] = field(default_factory=list)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    recorded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    @classmethod
    def hold(cls, body: Body, held_on: date, today: date, participant_org_ids: list[str],
             contributions: list[Contribution], minutes: str,
             follow_ups: list[FollowUp]) -> Meeting:
        """A meeting held (not one planned): not dated after the tenant's ``today``; every
        contribution comes from an organisation that took part."""
        if held_on > today:
            raise InvalidBody("held_on", "a meeting is recorded once it was held")
        if not participant_org_ids:
            raise InvalidBody("participant_org_ids", "a meeting has participants")
        strangers = [c.org_id for c in contributions if c.org_id not in participant_org_ids]
        if strangers:
            raise InvalidBody("contributions", "a contribution comes from an organisation in "
                              "participant_org_ids")
        return cls(body.id, held_on, list(dict.fromkeys(participant_org_ids)),
                   list(contributions), minutes, list(follow_ups))

    def complete(self, follow_up_id: uuid.UUID, today: date) -> FollowUp:
        for i, follow_up in enumerate(self.follow_ups):
            if follow_up.id == follow_up_id:
                done = FollowUp(follow_up.what, follow_up.owner_org_id, follow_up.due_on,
                                follow_up.done_on or today, follow_up.id)
                self.follow_ups = [*self.follow_ups[:i], done, *self.follow_ups[i + 1:]]
                return done
        raise InvalidBody("follow_up_id", "no such follow-up of this meeting")
