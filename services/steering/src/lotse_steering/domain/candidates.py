"""Candidates for a case reconstruction (*Fallrekonstruktion*, DOMAIN.md §8 step 1, seed 001
L450–L458), computed from what casework's events say of the county's open cases — one rule, one
place (ADR 0094). A case qualifies when every criterion holds:

1. **not new**: at least 8 weeks with its current case manager (from the opening day, or from
   the latest transfer inside the county), counted in the tenant's days;
2. **2–3 topic areas** worked on in parallel (*mehrere Problemkreise*);
3. **at least two legal areas** (*Probleme aus unterschiedlichen Rechtskreisen*);
4. **help planning and linking done** (*weitgehend abgeschlossen … Hilfeplanung und
   Leistungssteuerung erfolgt*): the case has reached monitoring (or re-assessment, evaluation);
5. **medium difficulty** (*mittlerer Schwierigkeitsgrad*): each of its open goals, its contacts
   and the organisations involved lies within the middle band of the county's open cases —
   between the 25th and the 75th percentile (linear interpolation), bounds included;
6. **typical for the network**: its combination of topic areas is one of the county's frequent
   ones — shared by at least two open cases and among the five most common combinations (equal
   counts share a place).

Closed cases and cases transferred to another tenant are not open and drop out; the bands and
the frequent combinations are the county's (all open cases), also when a case manager sees only
her own candidates. Each candidate carries its reasons, criterion by criterion. Pure: the day is
a parameter, no clock, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .cases import CaseRecord

MIN_WEEKS_WITH_CASE_MANAGER = 8
TOPIC_AREAS_IN_PARALLEL = (2, 3)
MIN_LEGAL_AREAS = 2
PAST_LINKING = ("monitoring", "reassessment", "evaluation")
#: the middle band of the county's open cases, in percentiles
BAND = (25.0, 75.0)
#: a combination of topic areas is frequent when at least this many open cases share it …
MIN_SHARED = 2
#: … and no more than this many combinations are more common than it
FREQUENT_PLACES = 5

CRITERIA = ("with_case_manager", "topic_areas", "legal_areas", "past_linking",
            "medium_difficulty", "typical")
MEASURES = ("open_goals", "contacts", "organisations")


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile of ``values`` by linear interpolation between the closest ranks
    (the 'linear' method: position ``(n - 1) · p / 100`` in the sorted values)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclass(frozen=True)
class Band:
    low: float
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high


def measures(record: CaseRecord) -> dict[str, int]:
    return {"open_goals": record.open_goals, "contacts": record.contacts,
            "organisations": len(record.organisations)}


def combination(record: CaseRecord) -> tuple[str, ...]:
    return tuple(sorted(set(record.topic_areas)))


@dataclass(frozen=True)
class CountyProfile:
    """What the county's open cases say together: the middle band of each difficulty measure
    and the frequent combinations of topic areas."""

    open_cases: int
    bands: dict[str, Band]
    combinations: dict[tuple[str, ...], int]
    frequent: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, records: Iterable[CaseRecord]) -> CountyProfile:
        open_records = [r for r in records if r.is_open]
        bands = {}
        for measure in MEASURES:
            values = [measures(r)[measure] for r in open_records]
            bands[measure] = (Band(percentile(values, BAND[0]), percentile(values, BAND[1]))
                              if values else Band(0, 0))
        counted = Counter(combination(r) for r in open_records if r.topic_areas)
        return cls(len(open_records), bands, dict(counted), frequent_combinations(counted))


def frequent_combinations(counted: Counter[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    """Shared by at least ``MIN_SHARED`` cases and with fewer than ``FREQUENT_PLACES``
    combinations more common than it (equal counts share a place)."""
    return frozenset(combo for combo, n in counted.items()
                     if n >= MIN_SHARED
                     and sum(1 for m in counted.values() if m > n) < FREQUENT_PLACES)


@dataclass(frozen=True)
class Reason:
    """One criterion for one case: whether it holds, the case's value and the rule, in English
    and German (ids, codes and counts only)."""

    criterion: str
    met: bool
    value: str
    rule: str
    message: str
    message_de: str


@dataclass(frozen=True)
class Candidate:
    case_id: str
    case_manager_id: str
    area_id: str
    topic_areas: list[str]
    legal_areas: list[str]
    with_case_manager_since: date | None
    reasons: list[Reason]

    @property
    def qualifies(self) -> bool:
        return all(r.met for r in self.reasons)


def _fmt(value: float) -> str:
    return f"{value:g}"


def assess(record: CaseRecord, profile: CountyProfile, today: date) -> Candidate:
    """The case with its reasons, criterion by criterion (met or not)."""
    since = record.with_case_manager_since
    weeks = (today - since).days // 7 if since is not None else 0
    low, high = TOPIC_AREAS_IN_PARALLEL
    topics, legal = len(set(record.topic_areas)), len(set(record.legal_areas))
    linked = sorted(set(record.phases) & set(PAST_LINKING))
    values = measures(record)
    outside = [m for m in MEASURES if values[m] not in profile.bands[m]]
    band_text = ", ".join(f"{m} {values[m]} in {_fmt(profile.bands[m].low)}–"
                          f"{_fmt(profile.bands[m].high)}" for m in MEASURES)
    combo = combination(record)
    shared = profile.combinations.get(combo, 0)
    reasons = [
        Reason("with_case_manager", since is not None and weeks >= MIN_WEEKS_WITH_CASE_MANAGER,
               f"{weeks} weeks", f">= {MIN_WEEKS_WITH_CASE_MANAGER} weeks",
               f"{weeks} weeks with the current case manager (at least "
               f"{MIN_WEEKS_WITH_CASE_MANAGER})",
               f"{weeks} Wochen bei der aktuellen Case-Managerin (mindestens "
               f"{MIN_WEEKS_WITH_CASE_MANAGER})"),
        Reason("topic_areas", low <= topics <= high, str(topics), f"{low}–{high}",
               f"{topics} topic areas worked on in parallel ({low}–{high})",
               f"{topics} Problemkreise parallel in Bearbeitung ({low}–{high})"),
        Reason("legal_areas", legal >= MIN_LEGAL_AREAS, str(legal), f">= {MIN_LEGAL_AREAS}",
               f"problems from {legal} legal areas (at least {MIN_LEGAL_AREAS})",
               f"Probleme aus {legal} Rechtskreisen (mindestens {MIN_LEGAL_AREAS})"),
        Reason("past_linking", bool(linked), ", ".join(linked) or "-",
               "reached " + " | ".join(PAST_LINKING),
               "help planning and linking done (reached monitoring)" if linked
               else "help planning and linking not yet done (monitoring not reached)",
               "Hilfeplanung und Leistungssteuerung erfolgt (Monitoring erreicht)" if linked
               else "Hilfeplanung und Leistungssteuerung noch nicht erfolgt (kein Monitoring)"),
        Reason("medium_difficulty", not outside, band_text,
               f"each measure within the county's {_fmt(BAND[0])}th–{_fmt(BAND[1])}th "
               "percentile of open cases",
               "medium difficulty: " + band_text if not outside
               else "not of medium difficulty: outside the county's middle band in "
                    + ", ".join(outside),
               "mittlerer Schwierigkeitsgrad: " + band_text if not outside
               else "kein mittlerer Schwierigkeitsgrad: außerhalb des mittleren Bereichs bei "
                    + ", ".join(outside)),
        Reason("typical", combo in profile.frequent, f"{'+'.join(combo) or '-'}: {shared} cases",
               f"shared by >= {MIN_SHARED} open cases and among the {FREQUENT_PLACES} most "
               "common combinations",
               f"typical: {shared} open cases of the county share its topic areas"
               if combo in profile.frequent
               else f"not typical: its topic areas are not among the county's frequent "
                    f"combinations ({shared} cases)",
               f"typisch: {shared} offene Fälle des Kreises teilen seine Problemkreise"
               if combo in profile.frequent
               else f"nicht typisch: seine Problemkreise gehören nicht zu den häufigen "
                    f"Kombinationen des Kreises ({shared} Fälle)"),
    ]
    return Candidate(record.case_id, record.case_manager_id, record.area_id,
                     list(record.topic_areas), list(record.legal_areas), since, reasons)


def candidates(records: Iterable[CaseRecord], today: date) -> list[Candidate]:
    """The open cases that meet every criterion, with their reasons, oldest with their case
    manager first."""
    records = list(records)
    profile = CountyProfile.of(records)
    found = [assess(r, profile, today) for r in records if r.is_open]
    return sorted((c for c in found if c.qualifies),
                  key=lambda c: (c.with_case_manager_since or today, c.case_id))
