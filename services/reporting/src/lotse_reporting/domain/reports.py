"""The coordinating office's figures as tables (:mod:`.tables`) and as a caller may see them
(:mod:`.suppression`; ADR 0091):

- **cases per area and phase** (*Fälle je Gebiet und Phase*): areas down, the phases across,
  a total per area, per phase and the grand total;
- **referrals per partner** (*Vermittlungen je Partner*): (partner, topic area) down, the
  outcomes across, the referrals of a row as its total, a total per outcome and the grand
  total; beside it the arrived referrals of each row (one column, no total: its total with the
  outcomes' would be a second set of equations across the two tables, bounded rather than
  exact, since an arrived referral may still be cancelled). An arrival is (nearly) the outcomes
  ``arrived`` + ``completed``, so a row whose ``arrived`` or ``completed`` outcome is hidden has
  its arrived count hidden too, and the arrival rate is shown only where both the row's
  referrals and its arrivals are.

German labels first (the steering group's papers are German), the English ones beside them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .projections import PHASES, REFERRAL_STATES
from .suppression import publish
from .tables import Position, PublishedTable, Table

CASES_BY_AREA_AND_PHASE = "cases-by-area-and-phase"
REFERRALS_BY_PARTNER = "referrals-by-partner"

#: German labels of the phases (casework's ``Phase``), English in docs/reporting.md
PHASE_LABELS = {
    "intake": "Erstberatung/Aufnahme", "assessment": "Bestandsaufnahme",
    "goal_agreement": "Zielvereinbarung und Hilfeplan", "linking": "Leistungssteuerung",
    "monitoring": "Monitoring", "reassessment": "Re-Assessment", "evaluation": "Evaluation",
    "closed": "abgeschlossen", "transferred": "abgegeben (anderer Kreis)"}

#: German labels of a referral's states
OUTCOME_LABELS = {
    "sent": "gesendet", "accepted": "angenommen", "arrived": "angekommen",
    "declined": "abgelehnt", "not_arrived": "nicht angekommen", "completed": "abgeschlossen",
    "cancelled": "storniert"}

ARRIVED = "arrived"


def cases_table(found: Iterable[tuple[str, str, int]]) -> Table:
    """Cases per area and phase from ``(area, phase, count)``."""
    counted = {(area, phase): n for area, phase, n in found}
    areas = sorted({area for area, _ in counted})
    return Table(
        code=CASES_BY_AREA_AND_PHASE, title="Fälle je Gebiet und Phase",
        title_en="Cases per area and phase", row_dimensions=("area_id",),
        row_keys=tuple((a,) for a in areas), column_dimension="phase", column_keys=PHASES,
        counts=tuple(tuple(counted.get((a, p), 0) for p in PHASES) for a in areas))


@dataclass(frozen=True)
class Referrals:
    """Referrals per partner and topic area: the outcomes (``outcomes``) and the arrivals
    (``arrived``), row for row."""

    outcomes: Table
    arrived: Table


def referral_tables(found: Iterable[tuple[str, str, str, int, int]]) -> Referrals:
    """From ``(partner, topic area, state, referrals, arrived)``."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    arrivals: dict[tuple[str, str], int] = {}
    for partner, topic, status, n, n_arrived in found:
        counts.setdefault((partner, topic), {})[status] = n
        arrivals[(partner, topic)] = arrivals.get((partner, topic), 0) + n_arrived
    keys = tuple(sorted(counts))
    outcomes = Table(
        code=REFERRALS_BY_PARTNER, title="Vermittlungen je Partner und Themenbereich",
        title_en="Referrals per partner and topic area",
        row_dimensions=("partner_org_id", "topic_area"), row_keys=keys,
        column_dimension="outcome", column_keys=REFERRAL_STATES,
        counts=tuple(tuple(counts[k].get(s, 0) for s in REFERRAL_STATES) for k in keys))
    arrived = Table(
        code=f"{REFERRALS_BY_PARTNER}-arrived", title="Angekommene Vermittlungen",
        title_en="Referrals arrived", row_dimensions=outcomes.row_dimensions, row_keys=keys,
        column_dimension="measure", column_keys=(ARRIVED,),
        counts=tuple((arrivals[k],) for k in keys), row_totals=False, column_totals=False)
    return Referrals(outcomes, arrived)


@dataclass(frozen=True)
class PublishedReferrals:
    outcomes: PublishedTable
    arrived: PublishedTable

    def arrival_rate(self, i: int) -> float | None:
        """Arrived / referrals of row ``i``, where both are shown (and there are referrals)."""
        total, came = self.outcomes.row_total(i), self.arrived.cell(i, 0)
        if not isinstance(total, int) or not isinstance(came, int) or total == 0:
            return None
        return round(came / total, 3)


def publish_referrals(tables: Referrals, *, exact: bool) -> PublishedReferrals:
    outcomes = publish(tables.outcomes, exact=exact)
    if exact:
        return PublishedReferrals(outcomes, publish(tables.arrived, exact=True))
    columns = [REFERRAL_STATES.index(s) for s in ("arrived", "completed")]
    also: set[Position] = {(i, 0) for i in range(tables.outcomes.shape[0])
                           if any(not isinstance(outcomes.cell(i, j), int) for j in columns)}
    return PublishedReferrals(outcomes, publish(tables.arrived, exact=False, also=also))
