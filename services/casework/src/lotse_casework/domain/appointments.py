"""Appointments and open consultation hours (*Terminabsprachen*, *offene Sprechstunde*).

"Das Case Management funktioniert in der Regel mit Terminabsprachen. Für Terminfragen oder
kurze Klärungen (… maximal 20 Minuten) kann die offene Sprechstunde einzelner CM genutzt
werden" (seed 001 L134):

- An appointment is planned per case: the tenant's day and the time of day, how long it is
  meant to take, the place, with whom, whether an interpreter is needed. It ends as taken
  place (its contact is recorded from it), as a no-show (*nicht erschienen*), or cancelled.
- A home visit is agreed in advance, bindingly (*vorab verbindlich vereinbart*, seed 001
  L546): an appointment of kind home visit carries the client's agreement, and the home-visit
  contact refers to it.
- Open consultation hours belong to a case manager and a place: a weekday and a time span.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time

from .errors import Incomplete, Refused
from .model import Case, now
from .vocabulary import APPOINTMENT_TYPES

MAX_APPOINTMENT_MINUTES = 4 * 60
APPOINTMENT_STATUSES = ("planned", "took_place", "no_show", "cancelled")
SHORT_QUESTION_MINUTES = 20  # what the open consultation hour is for


@dataclass
class Appointment:
    """A planned appointment with the client (*Termin*). ``place`` and ``with_whom`` are case
    content; nothing of them leaves casework."""

    case_id: uuid.UUID
    kind: str  # appointment, accompaniment, home_visit, video_call
    on: date  # the tenant's day
    at: time  # the time of day where the tenant works
    duration_minutes: int
    place: str
    planned_by: str
    with_whom: str | None = None
    interpreter_needed: bool = False
    client_agreement: bool = False  # a home visit: agreed in advance with the client
    status: str = "planned"
    contact_id: uuid.UUID | None = None
    closed_at: datetime | None = None
    planned_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def plan(cls, case: Case, by: str, today: date, *, kind: str, on: date, at: time,
             duration_minutes: int, place: str, with_whom: str | None = None,
             interpreter_needed: bool = False, client_agreement: bool = False) -> Appointment:
        case.require_open()
        problems: dict[str, str] = {}
        if kind not in APPOINTMENT_TYPES:
            problems["kind"] = f"one of {', '.join(sorted(APPOINTMENT_TYPES))}"
        if on < today:
            problems["on"] = "an appointment is planned for today or later"
        if not 1 <= duration_minutes <= MAX_APPOINTMENT_MINUTES:
            problems["duration_minutes"] = f"between 1 and {MAX_APPOINTMENT_MINUTES} minutes"
        if not (place or "").strip():
            problems["place"] = "missing"
        if kind == "home_visit" and not client_agreement:
            problems["client_agreement"] = (
                "a home visit is agreed with the client in advance (vorab verbindlich "
                "vereinbart)")
        if problems:
            raise Incomplete("the appointment cannot be planned: " + ", ".join(problems),
                             problems)
        return cls(case_id=case.id, kind=kind, on=on, at=at, duration_minutes=duration_minutes,
                   place=place.strip(), planned_by=by,
                   with_whom=(with_whom or "").strip() or None,
                   interpreter_needed=interpreter_needed,
                   client_agreement=client_agreement if kind == "home_visit" else False)

    def _require_planned(self) -> None:
        if self.status != "planned":
            raise Refused(f"the appointment is {self.status.replace('_', ' ')}",
                          status=self.status)

    def took_place(self, contact_type: str, occurred_on: date, contact_id: uuid.UUID,
                   at: datetime) -> None:
        """Its contact is recorded: same kind, on its day."""
        self._require_planned()
        problems = {}
        if contact_type != self.kind:
            problems["type"] = f"the appointment is a {self.kind}"
        if occurred_on != self.on:
            problems["occurred_on"] = f"the appointment was on {self.on.isoformat()}"
        if problems:
            raise Incomplete("the contact does not match its appointment", problems)
        self.status, self.contact_id, self.closed_at = "took_place", contact_id, at

    def no_show(self, today: date, at: datetime) -> None:
        """The client did not come (*nicht erschienen*): recorded on or after its day."""
        self._require_planned()
        if self.on > today:
            raise Refused("a no-show is recorded on the appointment's day or later")
        self.status, self.closed_at = "no_show", at

    def cancel(self, at: datetime) -> None:
        self._require_planned()
        self.status, self.closed_at = "cancelled", at


@dataclass
class ConsultationHours:
    """A case manager's open consultation hour at a place (*offene Sprechstunde*): a weekday
    (0 = Monday) from ``starts`` to ``ends``, publicly announced."""

    case_manager_id: str
    place: str
    weekday: int
    starts: time
    ends: time
    created_by: str
    ended_at: datetime | None = None
    created_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def offer(cls, case_manager_id: str, by: str, *, place: str, weekday: int, starts: time,
              ends: time) -> ConsultationHours:
        problems: dict[str, str] = {}
        if not (place or "").strip():
            problems["place"] = "missing"
        if not 0 <= weekday <= 6:
            problems["weekday"] = "0 (Monday) to 6 (Sunday)"
        if ends <= starts:
            problems["ends"] = "after starts"
        if problems:
            raise Incomplete("the consultation hours are incomplete: " + ", ".join(problems),
                             problems)
        return cls(case_manager_id=case_manager_id, place=place.strip(), weekday=weekday,
                   starts=starts, ends=ends, created_by=by)

    def end(self, at: datetime) -> None:
        if self.ended_at is not None:
            raise Refused("the consultation hours ended already")
        self.ended_at = at

    def held_on(self, day: date) -> bool:
        return self.ended_at is None and day.weekday() == self.weekday
