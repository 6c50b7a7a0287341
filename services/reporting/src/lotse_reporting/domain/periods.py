"""The case managers' 2-week reports (*2-Wochen-Berichte*, seed 001 L355: "über zwei Wochen,
welche immer am Ende der ungeraden Woche den KS zugesendet werden"; issue 12; ADR 0089).

**Periods.** A period ends with every odd ISO week and begins after the previous odd week
ended. It is named by the ISO week it ends with: ``2026-W47`` is ISO weeks 46 and 47 of 2026.
So a period is two weeks (an even week and the odd one after it) — ``2027-W01`` is 2026-W53
alone, since 2026 has 53 ISO weeks and W53 (odd) ends a period of its own (``2026-W53`` = W52
and W53): after a 53-week year the first period of the next year is one week long. A period
is due at the end of its odd week: Sunday 24:00 in the tenant's time zone (Europe/Berlin).

**Figures.** Counted per case manager and period from the events (who did it: a first contact's
``recorded_by``, an admission's ``case_manager_id``, a case's case manager for contacts, goals
and closures, a referral's ``case_manager_id``, an anonymous contact's ``recorded_by``) on the
day the event says it happened (``contact_on``, ``admitted_on`` …; an event without its day is
not counted). Open cases by phase are counted at the end of the period from the cases' steps.

**Report.** The case manager's own: she confirms each pre-filled figure or corrects it with a
note, reports topics (structural problems by topic area, free text, maybe flagged as a candidate
for a generative theme) and the minutes of network and system-level work; she submits it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .projections import PHASES

_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")


class InvalidPeriod(ValueError):
    """Not the label of a period (``YYYY-Www`` with an odd week the year has)."""


def weeks_in(year: int) -> int:
    """52 or 53: the ISO weeks of ``year`` (28 December is always in its last week)."""
    return date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, order=True)
class Period:
    """A two-week period, named by the odd ISO week it ends with."""

    year: int
    week: int

    def __post_init__(self) -> None:
        if self.week % 2 == 0 or not 1 <= self.week <= weeks_in(self.year):
            raise InvalidPeriod(f"{self.year}-W{self.week:02d} is not an odd ISO week of the year")

    @classmethod
    def parse(cls, label: str) -> Period:
        found = _LABEL.match(label or "")
        if found is None:
            raise InvalidPeriod("a period is named by the ISO week it ends with: YYYY-Www, "
                                "an odd week (e.g. 2026-W47)")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        """The period ``day`` falls in."""
        iso = day.isocalendar()
        if iso.week % 2:
            return cls(iso.year, iso.week)
        after = (day + timedelta(days=7)).isocalendar()  # an even week is never a year's last
        return cls(after.year, after.week)               # odd one: the next week ends it

    @classmethod
    def at(cls, instant: datetime, zone: ZoneInfo) -> Period:
        """The period the tenant's calendar day of ``instant`` falls in."""
        return cls.of(instant.astimezone(zone).date())

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def end(self) -> date:
        """The Sunday of the odd week: the period's last day."""
        return date.fromisocalendar(self.year, self.week, 7)

    @property
    def start(self) -> date:
        """The Monday after the previous period's end (one or two weeks before the end)."""
        return self.previous.end + timedelta(days=1)

    @property
    def weeks(self) -> int:
        return ((self.end - self.start).days + 1) // 7

    @property
    def previous(self) -> Period:
        # the Sunday before the even week (or, after a 53-week year, inside W52): the period
        # before ends with it or with the odd week after it
        return Period.of(date.fromisocalendar(self.year, self.week, 1) - timedelta(days=8))

    @property
    def next(self) -> Period:
        return Period.of(self.end + timedelta(days=1))

    def due_at(self, zone: ZoneInfo) -> datetime:
        """Sunday 24:00 of the odd week in the tenant's time zone (an aware instant)."""
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=zone)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def day_of(value: str) -> date | None:
    """An event's ISO 8601 date (or timestamp's date); None for an empty or unreadable one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# -- the figures ---------------------------------------------------------------------------------

CONTACT_TYPES = ("appointment", "phone_call", "email", "accompaniment", "home_visit",
                 "video_call")
REFERRAL_OUTCOMES = ("sent", "accepted", "declined", "arrived", "not_arrived", "completed",
                     "cancelled")
CLOSURE_REASONS = ("goals_reached", "client_steers_network", "moved_away", "consent_withdrawn",
                   "not_reachable", "referred_on")
OPEN_PHASES = tuple(p for p in PHASES if p not in ("closed", "transferred"))

#: every figure of a report, in the order it shows them; ``open_cases.*`` at the period's end,
#: the others counted over the period
FIGURES: tuple[str, ...] = (
    "first_contacts", "admissions",
    *(f"contacts.{t}" for t in CONTACT_TYPES),
    *(f"referrals.{o}" for o in REFERRAL_OUTCOMES),
    "goals_reached",
    *(f"closures.{r}" for r in CLOSURE_REASONS),
    *(f"open_cases.{p}" for p in OPEN_PHASES),
    "short_queries", "short_query_people", "short_query_minutes",
    "information_events", "information_event_people",
)

#: figure → (English, German) label, for the PDF and the API's description
LABELS: dict[str, tuple[str, str]] = {
    "first_contacts": ("New first contacts", "Neue Erstkontakte"),
    "admissions": ("Admissions", "Aufnahmen ins Case Management"),
    "contacts.appointment": ("Contacts: appointments", "Kontakte: Termine"),
    "contacts.phone_call": ("Contacts: phone calls", "Kontakte: Telefonate"),
    "contacts.email": ("Contacts: e-mails", "Kontakte: E-Mails"),
    "contacts.accompaniment": ("Contacts: accompaniments", "Kontakte: Begleitungen"),
    "contacts.home_visit": ("Home visits", "Hausbesuche"),
    "contacts.video_call": ("Contacts: video calls", "Kontakte: Videotelefonate"),
    "referrals.sent": ("Referrals sent", "Vermittlungen versandt"),
    "referrals.accepted": ("Referrals accepted", "Vermittlungen angenommen"),
    "referrals.declined": ("Referrals declined", "Vermittlungen abgelehnt"),
    "referrals.arrived": ("Referrals arrived", "Vermittlungen angekommen"),
    "referrals.not_arrived": ("Referrals not arrived", "Vermittlungen nicht angekommen"),
    "referrals.completed": ("Referrals completed", "Vermittlungen abgeschlossen"),
    "referrals.cancelled": ("Referrals cancelled", "Vermittlungen storniert"),
    "goals_reached": ("Goals reached", "Erreichte Ziele"),
    "closures.goals_reached": ("Closures: goals reached", "Abschlüsse: Ziele erreicht"),
    "closures.client_steers_network": ("Closures: client steers the network",
                                       "Abschlüsse: steuert das Netzwerk selbst"),
    "closures.moved_away": ("Closures: moved away", "Abschlüsse: verzogen"),
    "closures.consent_withdrawn": ("Closures: consent withdrawn",
                                   "Abschlüsse: Einwilligung widerrufen"),
    "closures.not_reachable": ("Closures: not reachable", "Abschlüsse: nicht mehr erreichbar"),
    "closures.referred_on": ("Closures: referred on", "Abschlüsse: weitervermittelt"),
    "open_cases.intake": ("Open cases: intake", "Offene Fälle: Erstberatung"),
    "open_cases.assessment": ("Open cases: assessment", "Offene Fälle: Bestandsaufnahme"),
    "open_cases.goal_agreement": ("Open cases: goal agreement",
                                  "Offene Fälle: Zielvereinbarung"),
    "open_cases.linking": ("Open cases: linking", "Offene Fälle: Leistungssteuerung"),
    "open_cases.monitoring": ("Open cases: monitoring", "Offene Fälle: Monitoring"),
    "open_cases.reassessment": ("Open cases: re-assessment", "Offene Fälle: Re-Assessment"),
    "open_cases.evaluation": ("Open cases: evaluation", "Offene Fälle: Evaluation"),
    "short_queries": ("Anonymous short consultations (up to 20 min)",
                      "Anonyme Kurzberatungen (bis 20 Min.)"),
    "short_query_people": ("People reached by short consultations",
                           "Erreichte Personen (Kurzberatungen)"),
    "short_query_minutes": ("Minutes of short consultations", "Minuten Kurzberatungen"),
    "information_events": ("Information events", "Informationsveranstaltungen"),
    "information_event_people": ("People reached by information events",
                                 "Erreichte Personen (Informationsveranstaltungen)"),
}

TOPIC_AREAS = ("residence", "language", "education", "work_training", "housing", "health",
               "livelihood", "family_childcare", "debts", "social_environment", "other")


@dataclass(frozen=True)
class Count:
    """What one event adds to one case manager's figures of one period."""

    case_manager_id: str
    period: Period
    figure: str
    amount: int = 1


def counted(case_manager_id: str, day: date | None, figures: Mapping[str, int]) -> list[Count]:
    """The counts of one event (none without a case manager or a day)."""
    if not case_manager_id or day is None:
        return []
    period = Period.of(day)
    return [Count(case_manager_id, period, figure, amount)
            for figure, amount in figures.items() if amount]


@dataclass(frozen=True)
class CaseStep:
    """One step of a case as the figures need it: its day, its case manager after the step and
    the phase it says (None: it says none)."""

    case_id: str
    day: date
    case_manager_id: str
    phase: str | None
    sequence: int


def open_cases_at(steps: Iterable[CaseStep], end: date, case_manager_id: str) -> dict[str, int]:
    """Open cases of ``case_manager_id`` by phase at the end of day ``end``: each case as its
    steps up to that day left it (the newest step's case manager, the newest phase said)."""
    latest: dict[str, str] = {}
    phase: dict[str, str] = {}
    for step in sorted(steps, key=lambda s: (s.sequence, s.day)):
        if step.day > end:
            continue
        latest[step.case_id] = step.case_manager_id
        if step.phase is not None:
            phase[step.case_id] = step.phase
    found = {p: 0 for p in OPEN_PHASES}
    for case_id, manager in latest.items():
        said = phase.get(case_id, "")
        if manager == case_manager_id and said in found:
            found[said] += 1
    return found


# -- the report ----------------------------------------------------------------------------------

class ReportError(Exception):
    """A report cannot be changed as asked."""


class AlreadySubmitted(ReportError):
    """A submitted report is read-only."""


class PeriodNotStarted(ReportError):
    """A period that has not begun has no report yet."""


@dataclass(frozen=True)
class Correction:
    value: int
    note: str


@dataclass(frozen=True)
class Topic:
    topic_area: str
    text: str
    theme_candidate: bool = False


@dataclass(frozen=True)
class PeriodReport:
    """One case manager's report of one period: her corrections, topics and minutes, and once
    submitted the figures as she confirmed them (later events change them no more)."""

    case_manager_id: str
    period: Period
    id: str = ""
    corrections: Mapping[str, Correction] = field(default_factory=dict)
    topics: tuple[Topic, ...] = ()
    network_minutes: int = 0
    system_minutes: int = 0
    version: int = 0
    submitted_at: datetime | None = None
    figures: Mapping[str, int] = field(default_factory=dict)

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def edited(self, *, today: date, corrections: Mapping[str, Correction],
               topics: Iterable[Topic], network_minutes: int, system_minutes: int
               ) -> PeriodReport:
        if self.submitted:
            raise AlreadySubmitted("the report of this period was submitted: it is read-only")
        if today < self.period.start:
            raise PeriodNotStarted("this period has not begun")
        return replace(self, corrections=dict(corrections), topics=tuple(topics),
                       network_minutes=network_minutes, system_minutes=system_minutes,
                       version=self.version + 1)

    def confirmed(self, prefilled: Mapping[str, int]) -> dict[str, int]:
        """Every figure as reported: her correction, else the pre-filled count (the frozen
        figures once submitted)."""
        if self.submitted:
            return {f: self.figures.get(f, 0) for f in FIGURES}
        return {f: (self.corrections[f].value if f in self.corrections else prefilled.get(f, 0))
                for f in FIGURES}

    def submit(self, prefilled: Mapping[str, int], *, at: datetime, today: date) -> PeriodReport:
        if self.submitted:
            raise AlreadySubmitted("the report of this period was submitted already")
        if today < self.period.start:
            raise PeriodNotStarted("this period has not begun")
        return replace(self, figures=self.confirmed(prefilled), submitted_at=at,
                       version=self.version + 1)

    def overdue(self, zone: ZoneInfo) -> bool:
        """Submitted after it was due."""
        return self.submitted_at is not None and self.submitted_at >= self.period.due_at(zone)


def status(report: PeriodReport | None, period: Period, now: datetime, zone: ZoneInfo) -> str:
    """``submitted``, ``overdue`` (due and not submitted) or ``open`` (not due yet)."""
    if report is not None and report.submitted:
        return "submitted"
    return "overdue" if now >= period.due_at(zone) else "open"


@dataclass(frozen=True)
class CountyReport:
    """The county's period report, compiled from the submitted reports."""

    period: Period
    submitted: int
    expected: int
    figures: dict[str, int]
    network_minutes: int
    system_minutes: int
    topics: dict[str, list[Topic]]
    theme_candidates: int


def compile_county(period: Period, reports: Iterable[PeriodReport], expected: int
                   ) -> CountyReport:
    """Sums of the submitted reports' figures and minutes; their topics by topic area."""
    sums = {f: 0 for f in FIGURES}
    network = system = candidates = 0
    topics: dict[str, list[Topic]] = {}
    n = 0
    for report in reports:
        if not report.submitted:
            continue
        n += 1
        for figure, value in report.confirmed({}).items():
            sums[figure] += value
        network += report.network_minutes
        system += report.system_minutes
        for topic in report.topics:
            topics.setdefault(topic.topic_area, []).append(topic)
            candidates += topic.theme_candidate
    ordered = {area: topics[area] for area in TOPIC_AREAS if area in topics}
    return CountyReport(period, n, expected, sums, network, system, ordered, candidates)
