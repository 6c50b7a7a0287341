"""The standard reports (issue 12, "Standard reports"): pure functions from the rows of their
projections to plain ``{dimension…, count}`` rows.

Five read models, each a pure function of the events (any order, any repetition):

- **Intakes** (:class:`IntakeRow`, one per intake): the first contact's access path, area, date
  and who recorded it; the counselling-depth decision of the *latest revision* (a revised
  decision replaces the earlier one: 004 L75 counts people, not decisions).
- **Cases** (:class:`CaseReportRow`, one per case): the facts of the newest event (area, case
  manager, target groups, primary goal's topic area), the phase, opened / closed dates.
- **Staff** (:class:`StaffRow`, one per user of identity): employer organisation, FTE share
  (*Stellenanteil*) and whether she is a case manager — each part from the newest event that says
  it (identity numbers a user's events: ``version``).
- **Phase entries** (:class:`PhaseEntry`, one per phase a case entered, by casework's
  sequence): the phase durations are computed from them when read.
- **Monthly facts** (:class:`Fact`): one fact per counted thing (a contact, a decision, a goal set,
  a referral sent, a closure …) with its month and dimensions. A fact that a later event replaces
  (a revised decision) has the same id and a higher ``rank``; the higher rank is kept. Every
  monthly time series is a count (and sum) of the facts of one figure.

No names of people anywhere: user, area, organisation and target-group ids and codes only.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

#: the projections of this module and their versions (registered in ``PROJECTIONS``)
STANDARD_PROJECTIONS = {"intake_outcomes": 1, "case_reports": 1, "staffing": 1,
                        "monthly_facts": 1, "phase_entries": 1,
                        # one row per referral for the referral rates (domain/referral_rates.py)
                        "referral_rates": 1}

#: phases after which a case is no longer in case management
ENDED = ("closed", "transferred")

#: caseload guideline (MKJFGFI 2023, DOMAIN.md §1): cases per full-time post
GUIDELINE_PER_FTE = (50, 60)


# -- intakes: access path and counselling depth --------------------------------------------------
@dataclass(frozen=True)
class IntakeRow:
    intake_id: str
    area_id: str = ""
    access_path: str = ""
    contact_date: date | None = None
    recorded_by: str = ""
    depth: str = ""
    revision: int = 0
    referral_org_id: str = ""
    decided_by: str = ""
    decided_on: date | None = None
    target_group_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactFacts:
    intake_id: str
    area_id: str
    access_path: str
    contact_date: date | None
    recorded_by: str


@dataclass(frozen=True)
class DepthDecision:
    intake_id: str
    area_id: str
    depth: str
    revision: int
    referral_org_id: str
    decided_by: str
    decided_on: date | None
    target_group_ids: tuple[str, ...]


def apply_contact(row: IntakeRow | None, contact: ContactFacts) -> IntakeRow:
    """The first contact says the access path, area, date and who recorded it."""
    row = row or IntakeRow(contact.intake_id)
    return replace(row, area_id=contact.area_id or row.area_id, access_path=contact.access_path,
                   contact_date=contact.contact_date, recorded_by=contact.recorded_by)


def apply_decision(row: IntakeRow | None, decision: DepthDecision) -> IntakeRow:
    """The decision of the latest revision counts; an older revision arriving late changes
    nothing. The area is the contact's (the decision's only while the contact has not
    arrived)."""
    row = row or IntakeRow(decision.intake_id)
    if decision.revision <= row.revision:
        return row
    return replace(row, depth=decision.depth, revision=decision.revision,
                   referral_org_id=decision.referral_org_id, decided_by=decision.decided_by,
                   decided_on=decision.decided_on, target_group_ids=decision.target_group_ids,
                   area_id=row.area_id if row.access_path else (decision.area_id or row.area_id))


# -- cases ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseReportRow:
    case_id: str
    area_id: str = ""
    case_manager_id: str = ""
    target_group_ids: tuple[str, ...] = ()
    primary_topic_area: str = ""
    phase: str = ""
    opened_on: date | None = None
    closed_on: date | None = None
    facts_seq: int = 0
    phase_seq: int = 0


@dataclass(frozen=True)
class CaseReportChange:
    case_id: str
    area_id: str
    case_manager_id: str
    target_group_ids: tuple[str, ...]
    primary_topic_area: str
    opened_on: date | None
    phase: str | None
    sequence: int | None
    closed_on: date | None = None


def apply_case_report(row: CaseReportRow | None, change: CaseReportChange) -> CaseReportRow:
    """Facts from the newest event (casework's sequence); the phase from the newest event that
    says one; an event without a sequence counts as newer than none but never over one with."""
    seq = change.sequence or 0
    row = row or CaseReportRow(change.case_id)
    updated = row
    if seq >= row.facts_seq:
        updated = replace(updated, area_id=change.area_id, case_manager_id=change.case_manager_id,
                          target_group_ids=change.target_group_ids,
                          primary_topic_area=change.primary_topic_area, facts_seq=seq)
    if change.opened_on and not row.opened_on:  # the day it opened, whichever event says it
        updated = replace(updated, opened_on=change.opened_on)
    if change.phase is not None and (not row.phase or seq >= row.phase_seq):
        updated = replace(updated, phase=change.phase, phase_seq=seq,
                          closed_on=change.closed_on if change.phase == "closed" else None)
    return updated


# -- staff ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffRow:
    user_id: str
    organisation_id: str = ""
    fte: float | None = None
    case_manager: bool = False
    org_version: int = 0
    fte_version: int = 0
    roles_version: int = 0


@dataclass(frozen=True)
class StaffChange:
    """What one identity event says of a user: ``None`` = says nothing of that part."""

    user_id: str
    version: int
    organisation_id: str | None = None
    fte: float | None = None
    says_fte: bool = False
    roles: tuple[str, ...] | None = None


def apply_staff(row: StaffRow | None, change: StaffChange) -> StaffRow:
    row = row or StaffRow(change.user_id)
    v = change.version
    if change.organisation_id is not None and v > row.org_version:
        row = replace(row, organisation_id=change.organisation_id, org_version=v)
    if change.says_fte and v > row.fte_version:
        row = replace(row, fte=change.fte, fte_version=v)
    if change.roles is not None and v > row.roles_version:
        row = replace(row, case_manager="case_manager" in change.roles, roles_version=v)
    return row


def guideline(fte: float | None) -> tuple[int, int] | None:
    """The guideline's range of cases for an FTE share: 1.0 → 50–60, 0.75 → 37–45,
    0.5 → 25–30 (the lower bound rounded down, the upper rounded to the nearest)."""
    if fte is None or fte <= 0:
        return None
    low, high = GUIDELINE_PER_FTE
    return math.floor(low * fte + 1e-9), round(high * fte)


def caseload_status(cases: int, fte: float | None) -> str:
    """``under`` / ``within`` / ``over`` the guideline, ``no_fte`` when identity has none."""
    bounds = guideline(fte)
    if bounds is None:
        return "no_fte"
    if cases < bounds[0]:
        return "under"
    return "over" if cases > bounds[1] else "within"


# -- monthly facts -------------------------------------------------------------------------------
#: the figures of the monthly time series and what ``key`` / ``detail`` of their rows are
FIGURES = {
    "access_paths": ("access path", ""),
    "counselling_depths": ("counselling depth", "referral organisation"),
    "admissions": ("target group (\"\": none)", ""),
    "phase_durations": ("phase left", "value: days spent in it"),
    "goals_set": ("topic area", ""),
    "goals_reached": ("topic area", ""),
    "contacts": ("phase", "appointment | other; value: minutes"),
    "referrals": ("partner organisation", "topic area / kind / state, in the month sent"),
    "closures": ("closure reason", ""),
    "transfers": ("within_county | other_county", ""),
}


@dataclass(frozen=True)
class Fact:
    fact_id: str
    figure: str
    month: str  # YYYY-MM
    key: str
    detail: str = ""
    area_id: str = ""
    case_manager_id: str = ""
    target_group_ids: tuple[str, ...] = ()
    value: int = 0
    rank: int = 0
    #: the case (or intake) it is about, for figures counted per case (effort per phase)
    subject: str = ""


def keep_fact(row: Fact | None, fact: Fact) -> Fact:
    """The fact of the higher rank (a revision replaces what it revises; equal: the first)."""
    return fact if row is None or fact.rank > row.rank else row


@dataclass(frozen=True)
class PhaseEntry:
    """A case entered ``phase`` on ``day`` (its event's sequence: the order of entries)."""

    case_id: str
    sequence: int
    phase: str
    day: date


def phase_duration_facts(entries: Iterable[PhaseEntry],
                         cases: Mapping[str, CaseReportRow]) -> list[Fact]:
    """One fact per phase a case left: the month it left, the phase, the days spent in it
    (entries in casework's order; an entry repeating the phase before it is no change)."""
    by_case: dict[str, list[PhaseEntry]] = {}
    for entry in entries:
        by_case.setdefault(entry.case_id, []).append(entry)
    facts = []
    for case_id, found in sorted(by_case.items()):
        case = cases.get(case_id)
        ordered = sorted(found, key=lambda e: (e.sequence, e.day))
        steps = [e for n, e in enumerate(ordered) if n == 0 or e.phase != ordered[n - 1].phase]
        for entered, left in zip(steps, steps[1:], strict=False):
            facts.append(Fact(f"phase:{case_id}:{entered.sequence}", "phase_durations",
                              month_of(left.day), entered.phase, "",
                              case.area_id if case else "", case.case_manager_id if case else "",
                              case.target_group_ids if case else (),
                              max((left.day - entered.day).days, 0)))
    return facts


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# -- filters and scope ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """What a report is narrowed to; ``case_managers`` (None: any) is the scope's and the
    organisation's set of users, resolved by the service layer."""

    date_from: date | None = None
    date_to: date | None = None
    area_id: str | None = None
    case_managers: frozenset[str] | None = None
    target_group_id: str | None = None

    def area(self, area_id: str) -> bool:
        return self.area_id is None or area_id == self.area_id

    def person(self, user_id: str) -> bool:
        return self.case_managers is None or user_id in self.case_managers

    def group(self, groups: Iterable[str]) -> bool:
        return self.target_group_id is None or self.target_group_id in groups

    def day(self, day: date | None) -> bool:
        if day is None:
            return self.date_from is None and self.date_to is None
        return ((self.date_from is None or day >= self.date_from)
                and (self.date_to is None or day <= self.date_to))

    def month(self, month: str) -> bool:
        return ((self.date_from is None or month >= month_of(self.date_from))
                and (self.date_to is None or month <= month_of(self.date_to)))


# -- the reports ---------------------------------------------------------------------------------
#: outcomes that are always columns of the screening table (with a count of 0 when none)
ALWAYS_SHOWN = ("case_management", "no_need")


def screening_outcomes(rows: Iterable[IntakeRow], filters: Filters,
                       access_path: str | None = None) -> list[dict[str, object]]:
    """Of the people screened per access path, how many went to each referral target, to KIM
    case management, had no need or another depth (Mettmann, 004 L75). The period is the first
    contact's date; the person is who decided (who recorded, before a decision). Every referral
    target seen in the filtered rows, case management and no need are shown for every access
    path (also those seen only on other paths), with 0 where none went."""
    return screening_outcomes_of_counts(
        ((row.access_path, row.depth, row.referral_org_id, 1) for row in rows
         if filters.area(row.area_id) and filters.day(row.contact_date)
         and filters.person(row.decided_by or row.recorded_by)
         and filters.group(row.target_group_ids)), access_path)


#: one group of screened people: access path, depth ("" undecided), referral organisation, number
ScreeningCount = tuple[str, str, str, int]


def screening_outcomes_of_counts(counts: Iterable[ScreeningCount],
                                 access_path: str | None = None) -> list[dict[str, object]]:
    """:func:`screening_outcomes` of people already filtered and counted (by the database):
    ``(access path, depth, referral organisation, n)``."""
    counted: Counter[tuple[str, str, str]] = Counter()
    targets: set[str] = set()
    paths: set[str] = set()
    for path_code, depth, referral_org_id, n in counts:
        if not path_code:
            continue
        outcome = depth or "undecided"
        org = referral_org_id if outcome == "referral" else ""
        if org:
            targets.add(org)  # a column for every access path, whichever is asked for
        if access_path and path_code != access_path:
            continue
        paths.add(path_code)
        counted[(path_code, outcome, org)] += n
    for path in paths:
        for org in targets:
            counted[(path, "referral", org)] += 0
        for outcome in ALWAYS_SHOWN:
            counted[(path, outcome, "")] += 0
    return [{"access_path": path, "outcome": outcome, "referral_org_id": org or None,
             "count": n} for (path, outcome, org), n in sorted(counted.items())]


def in_case_management(row: CaseReportRow, filters: Filters) -> bool:
    """A case counted in the stock: opened (a phase), in the filters; without a period the cases
    open now, with one those open at any time in it."""
    if not row.phase or not (filters.area(row.area_id) and filters.person(row.case_manager_id)
                             and filters.group(row.target_group_ids)):
        return False
    if filters.date_from is None and filters.date_to is None:
        return row.phase not in ENDED
    if row.phase == "transferred":
        return False
    opened_in_time = (row.opened_on is None or filters.date_to is None
                      or row.opened_on <= filters.date_to)
    not_closed_before = (row.closed_on is None or filters.date_from is None
                         or row.closed_on >= filters.date_from)
    return opened_in_time and not_closed_before


#: cases in case management, already narrowed by the filters and counted (by the database):
#: case manager, primary goal's topic area, target groups, number of cases
CaseCount = tuple[str, str, tuple[str, ...], int]


def case_counts(rows: Iterable[CaseReportRow], filters: Filters) -> list[CaseCount]:
    """The cases :func:`in_case_management` counted per case manager, primary goal's topic area
    and target groups — the rule the store's ``case_counts`` follows in SQL."""
    counted = Counter((row.case_manager_id, row.primary_topic_area, tuple(row.target_group_ids))
                      for row in rows if in_case_management(row, filters))
    return [(cm, topic, groups, n) for (cm, topic, groups), n in sorted(counted.items())]


#: the cases in case management counted per primary goal's topic area, and per case manager and
#: target groups (by the database: grouping sets) — all that the Hilden table and the caseload
#: read of :data:`CaseCount`
CaseTallies = tuple[list[tuple[str, int]], list[tuple[str, tuple[str, ...], int]]]


def case_tallies(counts: Iterable[CaseCount]) -> CaseTallies:
    """:func:`case_counts` counted per topic area and per case manager and target groups —
    the rule the store's ``case_tallies`` follows in SQL."""
    topics: Counter[str] = Counter()
    managers: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for case_manager, topic, groups, n in counts:
        topics[topic] += n
        managers[(case_manager, groups)] += n
    return (sorted(topics.items()),
            [(cm, groups, n) for (cm, groups), n in sorted(managers.items())])


def tallied_counts(tallies: CaseTallies) -> tuple[list[CaseCount], list[CaseCount]]:
    """The tallies as :data:`CaseCount` rows for :func:`primary_goal_areas` (per topic area)
    and for :func:`case_manager_target_groups` and :func:`caseload` (per case manager and
    target groups): each reads only its part of a row."""
    topics, managers = tallies
    return ([("", topic, (), n) for topic, n in topics],
            [(cm, "", groups, n) for cm, groups, n in managers])


def primary_goal_areas(counts: Iterable[CaseCount]) -> list[dict[str, object]]:
    """People in case management by their primary goal's topic area (Hilden, 004 L134);
    ``unspecified``: no primary goal set yet."""
    counted: Counter[str] = Counter()
    for _, topic, _, n in counts:
        counted[topic or "unspecified"] += n
    return [{"primary_topic_area": topic, "count": n} for topic, n in sorted(counted.items())]


def case_manager_target_groups(counts: Iterable[CaseCount]) -> list[dict[str, object]]:
    """People in case management per case manager and target group (Hilden, 004 L140); a
    person in two groups counts in both, one in none under ``""``."""
    counted: Counter[tuple[str, str]] = Counter()
    for case_manager, _, groups, n in counts:
        for group in groups or ("",):
            counted[(case_manager, group)] += n
    return [{"case_manager_id": cm, "target_group_id": group or None, "count": n}
            for (cm, group), n in sorted(counted.items())]


def caseload(counts: Iterable[CaseCount], staff: Mapping[str, StaffRow],
             filters: Filters) -> list[dict[str, object]]:
    """Cases per case manager against the guideline for her FTE share: every case manager of
    identity's (in the filters) and everyone with a case."""
    counted: Counter[str] = Counter()
    for case_manager, _, _, n in counts:
        if case_manager:
            counted[case_manager] += n
    people = set(counted) | {s.user_id for s in staff.values() if s.case_manager
                             and filters.person(s.user_id)}
    result: list[dict[str, object]] = []
    for user in sorted(people):
        member = staff.get(user)
        fte = member.fte if member else None
        bounds = guideline(fte)
        result.append({"case_manager_id": user,
                       "organisation_id": (member.organisation_id or None) if member else None,
                       "fte": fte, "cases": counted[user],
                       "guideline_min": bounds[0] if bounds else None,
                       "guideline_max": bounds[1] if bounds else None,
                       "status": caseload_status(counted[user], fte)})
    return result


#: the effort guideline per phase (DOMAIN.md §5, the Höxter concept 001 L244–321): what is
#: counted per case in the phase, its upper limit, the guideline's words (English, German)
EFFORT_GUIDELINES = {
    "intake": ("appointments", 2, "1–2 appointments", "1–2 Termine"),
    "assessment": ("appointments", 3, "1–3 appointments", "1–3 Termine"),
    "goal_agreement": ("appointments", 1, "1 appointment, with the help plan",
                       "1 Termin, mit dem Hilfeplan"),
    "linking": ("contacts", 8, "1–3 appointments to refer, 1–5 follow-up contacts",
                "1–3 Termine zur Vermittlung, 1–5 Nachkontakte"),
    "monitoring": ("contacts", 5, "1–5 contacts", "1–5 Kontakte"),
    "reassessment": ("appointments", 2, "1–2 appointments", "1–2 Termine"),
    "evaluation": ("appointments", 1, "1 talk, with the write-up",
                   "1 Gespräch, mit der Auswertung"),
}


#: cases with the same effort in a phase (by the database): phase, contacts, appointments,
#: number of such cases, their minutes summed
EffortCount = tuple[str, int, int, int, int]


def effort_counts(facts: Iterable[Fact], filters: Filters) -> list[EffortCount]:
    """The contacts :func:`in_filters` counted per case and phase, and the cases then counted
    per phase, contacts and appointments — the rule the store's ``effort_counts`` follows in
    SQL."""
    per_case: dict[tuple[str, str], Counter[str]] = {}
    for fact in facts:
        if not in_filters(fact, "contacts", filters):
            continue
        counts = per_case.setdefault((fact.key, fact.subject), Counter())
        counts["contacts"] += 1
        counts["appointments"] += fact.detail == "appointment"
        counts["minutes"] += fact.value
    cases: Counter[tuple[str, int, int]] = Counter()
    minutes: Counter[tuple[str, int, int]] = Counter()
    for (phase, _), c in per_case.items():
        cases[(phase, c["contacts"], c["appointments"])] += 1
        minutes[(phase, c["contacts"], c["appointments"])] += c["minutes"]
    return [(phase, contacts, appointments, n, minutes[(phase, contacts, appointments)])
            for (phase, contacts, appointments), n in sorted(cases.items())]


def effort_by_phase(counts: Iterable[EffortCount]) -> list[dict[str, object]]:
    """Contacts and effort per phase against the guideline: the cases with contacts in the
    phase, their contacts, appointments and minutes, and how many cases went beyond the
    guideline's limit in it (contacts of the period, in the filters: :func:`effort_counts`)."""
    by_phase: dict[str, list[EffortCount]] = {}
    for count in counts:
        by_phase.setdefault(count[0], []).append(count)
    rows: list[dict[str, object]] = []
    for phase, (measure, limit, text, text_de) in EFFORT_GUIDELINES.items():
        found = by_phase.get(phase, [])
        rows.append({"phase": phase, "cases": sum(n for *_, n, _ in found),
                     "contacts": sum(c * n for _, c, _, n, _ in found),
                     "appointments": sum(a * n for _, _, a, n, _ in found),
                     "minutes": sum(m for *_, m in found),
                     "measure": measure, "limit": limit, "guideline": text,
                     "guideline_de": text_de,
                     "cases_beyond": sum(n for _, c, a, n, _ in found
                                         if (c if measure == "contacts" else a) > limit)})
    return rows


#: referrals alike (by the database): partner organisation, one of their facts' details (topic
#: area / kind / state — a referral keeps its topic area and kind), whether they were sent,
#: accepted (or arrived), arrived, and how many
ReferralCount = tuple[str, str, bool, bool, bool, int]


def _state(detail: str) -> str:
    return (detail.split("/") + ["", "", ""])[2]


def referral_counts(facts: Iterable[Fact], filters: Filters) -> list[ReferralCount]:
    """The referrals :func:`in_filters`, each with the states it reached, counted alike — the
    rule the store's ``referral_counts`` follows in SQL."""
    seen: dict[tuple[str, str], list[str]] = {}
    for fact in facts:
        if in_filters(fact, "referrals", filters):
            seen.setdefault((fact.key, fact.subject or fact.fact_id), []).append(fact.detail)
    counted: Counter[tuple[str, str, bool, bool, bool]] = Counter()
    for (partner, _), details in seen.items():
        states = {_state(d) for d in details}
        counted[(partner, min(details), "sent" in states,
                 bool(states & {"accepted", "arrived"}), "arrived" in states)] += 1
    return [(*key, n) for key, n in sorted(counted.items())]


#: referrals per partner, kind and topic area (by the database): partner organisation, kind,
#: topic area, how many were sent (or got further), accepted (or arrived), arrived
ReferralTotal = tuple[str, str, str, int, int, int]


def referral_totals(found: Iterable[ReferralCount]) -> list[ReferralTotal]:
    """The referrals :func:`referral_counts` counted per partner, kind and topic area (a
    referral's topic area and kind: those of the smallest of its details) — the rule the
    store's ``referral_totals`` follows in SQL."""
    totals: dict[tuple[str, str, str], Counter[str]] = {}
    for partner, detail, was_sent, was_accepted, has_arrived, n in found:
        topic, kind = (detail.split("/") + ["", ""])[:2]
        counted = totals.setdefault((partner, kind, topic), Counter())
        counted["sent"] += n if was_sent or was_accepted else 0
        counted["accepted"] += n if was_accepted else 0
        counted["arrived"] += n if has_arrived else 0
    return [(partner, kind, topic, c["sent"], c["accepted"], c["arrived"])
            for (partner, kind, topic), c in sorted(totals.items())]


def referral_rates(totals: Iterable[ReferralTotal]) -> list[dict[str, object]]:
    """Referrals per partner, kind (referral counselling, warm handover, tandem) and topic area
    sent in the period, how many of them were accepted (arrived ones included) and arrived, and
    the rates (of those sent): :func:`referral_totals`, in their order."""
    return [{"partner_org_id": partner, "kind": kind, "topic_area": topic,
             "sent": sent, "accepted": accepted, "arrived": arrived,
             "acceptance_rate": round(accepted / sent, 3) if sent else None,
             "arrival_rate": round(arrived / sent, 3) if sent else None}
            for partner, kind, topic, sent, accepted, arrived in totals]


#: the facts of one figure counted per month, key and detail, their values summed (by the
#: database): month, key, detail, number, sum of values
FactTotal = tuple[str, str, str, int, int]


def in_filters(fact: Fact, figure: str, filters: Filters) -> bool:
    """A fact of ``figure`` in the period's months, the area, the case managers and the group."""
    return (fact.figure == figure and filters.month(fact.month) and filters.area(fact.area_id)
            and filters.person(fact.case_manager_id) and filters.group(fact.target_group_ids))


def fact_totals(facts: Iterable[Fact], figure: str, filters: Filters) -> list[FactTotal]:
    """The facts :func:`in_filters` counted and summed per month, key and detail — the rule
    the store's ``fact_totals`` follows in SQL."""
    counted: Counter[tuple[str, str, str]] = Counter()
    values: Counter[tuple[str, str, str]] = Counter()
    for fact in facts:
        if in_filters(fact, figure, filters):
            group = (fact.month, fact.key, fact.detail)
            counted[group] += 1
            values[group] += fact.value
    return [(m, k, d, n, values[(m, k, d)]) for (m, k, d), n in sorted(counted.items())]


def phase_duration_totals(entries: Iterable[PhaseEntry], cases: Mapping[str, CaseReportRow],
                          filters: Filters) -> list[FactTotal]:
    """The phase durations' series (:func:`phase_duration_facts`) :func:`in_filters`, counted
    and summed per month left and phase — the rule the store's ``phase_duration_totals``
    follows in SQL."""
    return fact_totals(phase_duration_facts(entries, cases), "phase_durations", filters)


def time_series(totals: Iterable[FactTotal]) -> list[dict[str, object]]:
    """The monthly series of one figure: per month, key and detail, the facts counted and their
    values summed (minutes, days)."""
    return [{"month": m, "key": k, "detail": d or None, "count": n, "value": v}
            for m, k, d, n, v in sorted(totals)]
