"""Contacts, monitoring and case conferences, and the effort guidelines of DOMAIN.md §5.

Safety (Sicherheitskonzept, DOMAIN.md §9): a home visit takes place only as an appointment
agreed with the client in advance (:mod:`.appointments`), and with a second staff member where a
risk is seen.
"""

from __future__ import annotations

from typing import Any

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .errors import Incomplete, Refused
from .model import Case, Consent, now, participation_withdrawn, topics_without_release
from .vocabulary import APPOINTMENT_TYPES

# A contact is at most half a working day (an accompaniment to an authority with its waiting
# time); longer is not one contact. The guideline's appointment is 1 to 2 hours (seed 001
# L244–L320 "je 1 bis zu 2 Stunden"): a longer one is recorded and counted beyond it.
MAX_CONTACT_MINUTES = 4 * 60
APPOINTMENT_GUIDELINE_MINUTES = 2 * 60
MAX_CONFERENCE_MINUTES = 4 * 60
MAX_WRITE_UP_MINUTES = 4 * 60


@dataclass
class Contact:
    """A contact with or about the client: appointment, call, e-mail, accompaniment, home visit.
    ``notes`` are personal data; events carry type, duration and topics only."""

    case_id: uuid.UUID
    type: str
    occurred_on: date
    duration_minutes: int
    topics: list[str]
    phase: str
    recorded_by: str
    purpose: str | None = None
    notes: str | None = None
    client_agreement: bool = False
    second_staff_id: str | None = None
    risk_seen: bool = False
    appointment_id: uuid.UUID | None = None  # the planned appointment it took place as
    # child and youth protection (domain/child_protection.py, seed 001 L556)
    children_present: bool = False
    child_protection_concern: bool = False
    youth_office_org_id: str | None = None
    recorded_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def record(cls, case: Case, by: str, today: date, *, type: str, occurred_on: date,
               duration_minutes: int, topics: list[str], purpose: str | None = None,
               notes: str | None = None, client_agreement: bool = False,
               second_staff_id: str | None = None, risk_seen: bool = False,
               appointment_id: uuid.UUID | None = None, children_present: bool = False,
               child_protection_concern: bool = False,
               youth_office_org_id: str | None = None) -> Contact:
        case.require_open()
        problems: dict[str, str] = {}
        if occurred_on > today:
            problems["occurred_on"] = "a contact is recorded after it took place"
        if not 1 <= duration_minutes <= MAX_CONTACT_MINUTES:
            problems["duration_minutes"] = f"between 1 and {MAX_CONTACT_MINUTES} minutes"
        if type == "home_visit":
            if appointment_id is None:
                problems["appointment_id"] = (
                    "a home visit is agreed in advance (vorab verbindlich vereinbart): "
                    "record it from its appointment")
            elif not client_agreement:
                problems["client_agreement"] = (
                    "a home visit needs the client's recorded agreement (Freiwilligkeit)")
            if (case.risk_flagged or risk_seen) and not second_staff_id:
                problems["second_staff_id"] = (
                    "a risk is flagged: a home visit is made by two staff members")
            if second_staff_id and second_staff_id == by:
                problems["second_staff_id"] = "the second staff member is another person"
        if child_protection_concern and not youth_office_org_id:
            problems["youth_office_org_id"] = (
                "a concern for a child's wellbeing names the youth office (Jugendamt) it goes to")
        if problems:
            raise Incomplete("the contact cannot be recorded: " + ", ".join(problems), problems)
        return cls(case_id=case.id, type=type, occurred_on=occurred_on,
                   duration_minutes=duration_minutes, topics=list(dict.fromkeys(topics)),
                   phase=case.phase, recorded_by=by, purpose=purpose,
                   notes=(notes or "").strip() or None, client_agreement=client_agreement,
                   second_staff_id=second_staff_id or None, risk_seen=risk_seen,
                   appointment_id=appointment_id, children_present=children_present,
                   child_protection_concern=child_protection_concern,
                   youth_office_org_id=youth_office_org_id if child_protection_concern
                   else None)

    @property
    def is_appointment(self) -> bool:
        return self.type in APPOINTMENT_TYPES


# -- effort guidelines ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Guideline:
    """At most ``limit`` of a measure in a phase (Zeitlicher Umfang, Höxter concept, seed 001
    L244–L321)."""

    measure: str  # appointments, referral_appointments, follow_ups, contacts, conferences, …
    limit: int
    text: str


# every appointment and every case conference takes 1 to 2 hours ("je 1 bis zu 2 Stunden")
_LONG = (Guideline("long_appointments", 0, "each appointment up to 2 hours"),)

GUIDELINES: dict[str, tuple[Guideline, ...]] = {
    "intake": (Guideline("appointments", 2, "1–2 appointments"), *_LONG),
    "assessment": (Guideline("appointments", 3, "1–3 appointments"), *_LONG),
    "goal_agreement": (Guideline("appointments", 1, "1 appointment, with the help plan"),
                       *_LONG),
    "linking": (Guideline("referral_appointments", 3, "1–3 appointments to refer"),
                Guideline("follow_ups", 5, "1–5 follow-up contacts"),
                Guideline("conferences", 1, "1 case conference"),
                Guideline("long_conferences", 0, "a case conference up to 2 hours"), *_LONG),
    "monitoring": (Guideline("contacts", 5, "1–5 contacts"),
                   Guideline("reflection_talks", 1, "1 reflection talk (Reflexionsgespräch)"),
                   *_LONG),
    "reassessment": (Guideline("appointments", 2, "1–2 appointments"), *_LONG),
    "evaluation": (Guideline("appointments", 1, "1 talk"),
                   Guideline("write_up_minutes", APPOINTMENT_GUIDELINE_MINUTES,
                             "the evaluation write-up up to 2 hours"), *_LONG),
}


def _measures(contacts: list[Contact], conferences: list[Conference]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for c in contacts:
        counts["contacts"] += 1
        counts["minutes"] += c.duration_minutes
        if c.is_appointment:
            counts["appointments"] += 1
            if c.duration_minutes > APPOINTMENT_GUIDELINE_MINUTES:
                counts["long_appointments"] += 1
            if c.purpose == "referral":
                counts["referral_appointments"] += 1
        if c.purpose == "follow_up" or (c.purpose != "referral" and not c.is_appointment):
            counts["follow_ups"] += 1
        if c.purpose == "reflection":
            counts["reflection_talks"] += 1
    for conference in conferences:
        counts["conferences"] += 1
        counts["minutes"] += conference.duration_minutes or 0
        if (conference.duration_minutes or 0) > APPOINTMENT_GUIDELINE_MINUTES:
            counts["long_conferences"] += 1
    return counts


def write_up_minutes(case: Case) -> int | None:
    """The evaluation write-up's minutes, given with the evaluation at closure."""
    value = (case.evaluation or {}).get("write_up_minutes")
    return value if isinstance(value, int) else None


def effort(contacts: list[Contact], conferences: list[Conference] | None = None,
           write_up_minutes: int | None = None) -> list[dict[str, Any]]:
    """Per phase: what was done against the guideline, and whether it went beyond it.

    Counted are the contacts, the case conferences held (in the phase they were held in) and
    the evaluation write-up (*Auswertungs-/Reflexionsdokumentation*, minutes given at closure).
    """
    by_phase: dict[str, list[Contact]] = {}
    for contact in contacts:
        by_phase.setdefault(contact.phase, []).append(contact)
    held: dict[str, list[Conference]] = {}
    for conference in conferences or []:
        if conference.status == "held" and conference.phase:
            held.setdefault(conference.phase, []).append(conference)
    lines = []
    for phase, guidelines in GUIDELINES.items():
        counts = _measures(by_phase.get(phase, []), held.get(phase, []))
        if phase == "evaluation" and write_up_minutes:
            counts["write_up_minutes"] = write_up_minutes
            counts["minutes"] += write_up_minutes
        beyond = [f"{g.measure} {counts[g.measure]} > {g.limit} ({g.text})"
                  for g in guidelines if counts[g.measure] > g.limit]
        lines.append({
            "phase": phase,
            "contacts": counts["contacts"], "appointments": counts["appointments"],
            "minutes": counts["minutes"],
            "referral_appointments": counts["referral_appointments"],
            "follow_ups": counts["follow_ups"],
            "conferences": counts["conferences"],
            "reflection_talks": counts["reflection_talks"],
            "long_appointments": counts["long_appointments"],
            "write_up_minutes": counts["write_up_minutes"],
            "guideline": "; ".join(g.text for g in guidelines),
            "beyond_guideline": bool(beyond), "beyond": beyond,
        })
    return lines


def monitoring_due_on(last_contact_on: date | None, since: date, every_days: int) -> date:
    """When the next monitoring contact is due under the plan's arrangement."""
    return (last_contact_on or since) + timedelta(days=every_days)


# -- case conferences -----------------------------------------------------------------------------
# Who convenes a case conference (seed 002 L347–L348): "Auf Stadtebene … durch den städtischen
# CM eingeladen", "Auf Kreisebene … durch die KS eingeladen" — the town's case manager, or the
# coordinating office (Koordinierende Stelle) for the county.
CONFERENCE_LEVELS = ("town", "county")
# Persons taking part without an organisation (001 L622 "Lehrende, … Ehrenamtliche u.a.")
PERSON_ROLES = ("volunteer", "teacher", "school_social_worker", "interpreter", "relative",
                "other")


@dataclass
class Conference:
    """A case conference with partners outside the case-management team (Fallkonferenz, 001
    L618). Agenda, minutes, actions and the persons taking part are case content (personal
    data); the event carries ids, topics, the level and counts.

    ``level`` is ``town`` when the case manager convenes it and ``county`` when the coordinating
    office does (002 L347–L348); a county conference may belong to a round the office convenes
    for every active case of a case manager (``round_id``: Borken's quarterly review, 003 L35).
    ``persons`` take part without an organisation — volunteers, teachers (001 L622) — each with
    the client's agreement recorded, since no release to an organisation covers them.
    """

    case_id: uuid.UUID
    planned_on: date
    topics: list[str]
    agenda: str
    created_by: str
    participants: list[dict[str, Any]] = field(default_factory=list)  # organisation_id, role
    status: str = "planned"  # planned, held
    held_on: date | None = None
    phase: str | None = None  # the case's phase when it was held (effort guideline)
    duration_minutes: int | None = None
    minutes: str | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    level: str = "town"
    persons: list[dict[str, Any]] = field(default_factory=list)  # role, name
    round_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def plan(cls, case: Case, consents: list[Consent], by: str, today: date, *,
             planned_on: date, topics: list[str], agenda: str,
             participants: list[dict[str, Any]], persons: list[dict[str, Any]] | None = None,
             level: str = "town", round_id: uuid.UUID | None = None) -> Conference:
        case.require_open()
        if level not in CONFERENCE_LEVELS:
            raise Incomplete("the conference cannot be planned",
                             {"level": f"one of {', '.join(CONFERENCE_LEVELS)}"})
        conference = cls(case_id=case.id, planned_on=planned_on, topics=list(topics),
                         agenda=agenda, created_by=by, level=level, round_id=round_id)
        for participant in participants:
            conference.add_participant(case, consents, participant, today)
        for index, person in enumerate(persons or ()):
            conference.add_person(case, consents, person, field_name=f"persons.{index}")
        return conference

    def add_person(self, case: Case, consents: list[Consent], person: dict[str, Any], *,
                   field_name: str = "") -> None:
        """A person without an organisation joins (001 L622): only with the client's agreement,
        recorded when it is given, and never once the client has withdrawn from case management
        (nothing of the case is shared any more)."""
        case.require_open()
        if self.status != "planned":
            raise Refused("the conference was held; its participants are fixed")
        prefix = f"{field_name}." if field_name else ""
        problems = {}
        if person.get("role") not in PERSON_ROLES:
            problems[prefix + "role"] = f"one of {', '.join(PERSON_ROLES)}"
        if person.get("client_agreed") is not True:
            problems[prefix + "client_agreed"] = (
                "a person without an organisation takes part only with the client's agreement "
                "(no release of confidentiality covers them)")
        if problems:
            raise Incomplete("the person cannot take part", problems)
        if participation_withdrawn(case, consents):
            raise Refused("consent was withdrawn: nothing of this case is shared any more")
        self.persons = [*self.persons, {"role": person["role"],
                                        "name": (person.get("name") or "").strip() or None}]

    def may_be_run_by(self, *, is_case_manager_of_case: bool, is_coordinator: bool) -> bool:
        """Who plans, completes and records a conference: the case manager of the case always
        (she takes part in the county's too); the coordinating office only the county's, which
        it convenes (002 L348, 003 L35) — it does not write in the town's."""
        return is_case_manager_of_case or (is_coordinator and self.level == "county")

    def open_to_organisation(self, organisation_id: str) -> bool:
        """Whether ``organisation_id`` takes part (its staff read the conference while the
        release holds)."""
        return any(p["organisation_id"] == organisation_id for p in self.participants)

    def check_participant(self, case: Case, consents: list[Consent],
                          participant: dict[str, Any], today: date) -> None:
        """Refuse a participant the conference cannot take: the case closed, the conference
        held, the organisation taking part already, or — for a partner organisation — no valid
        release of ``consents`` for every topic discussed (none at all once participation is
        withdrawn). The case manager's own organisation needs no release."""
        case.require_open()
        if self.status != "planned":
            raise Refused("the conference was held; its participants are fixed")
        organisation = participant["organisation_id"]
        if any(p["organisation_id"] == organisation for p in self.participants):
            raise Refused("the organisation already takes part")
        missing = topics_without_release(case, consents, organisation, self.topics, today)
        if missing:
            why = ("consent was withdrawn: nothing of this case is shared any more"
                   if participation_withdrawn(case, consents) else
                   "no valid release of confidentiality for: " + ", ".join(missing))
            raise Refused(f"organisation {organisation} cannot take part: {why}",
                          organisation_id=organisation, topics_without_release=missing)

    def add_participant(self, case: Case, consents: list[Consent], participant: dict[str, Any],
                        today: date) -> None:
        """A partner organisation joins only with a valid release for every topic discussed
        (:meth:`check_participant`)."""
        self.check_participant(case, consents, participant, today)
        self.participants = [*self.participants, {"organisation_id": participant["organisation_id"],
                                                  "role": participant.get("role") or None}]

    def hold(self, case: Case, today: date, held_on: date, minutes: str,
             actions: list[dict[str, Any]], duration_minutes: int | None = None) -> None:
        case.require_open()
        if self.status != "planned":
            raise Refused("the conference was held already")
        problems = {}
        if held_on > today:
            problems["held_on"] = "a conference is recorded as held after it took place"
        if duration_minutes is not None and not 1 <= duration_minutes <= MAX_CONFERENCE_MINUTES:
            problems["duration_minutes"] = f"between 1 and {MAX_CONFERENCE_MINUTES} minutes"
        if not (minutes or "").strip():
            problems["minutes"] = "missing"
        if problems:
            raise Incomplete("the conference cannot be recorded as held", problems)
        self.status, self.held_on = "held", held_on
        self.phase, self.duration_minutes = case.phase, duration_minutes
        self.minutes = minutes.strip()
        self.actions = [{**a, "due_on": a["due_on"].isoformat() if a.get("due_on") else None}
                        for a in actions]
