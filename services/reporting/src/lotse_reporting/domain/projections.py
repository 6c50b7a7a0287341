"""The projections: pure functions from the stored events to the rows of the read models.

Each read model keeps one row per aggregate (a case, a referral), and its figures are counts over
those rows. An event changes a row only when it is newer than what the row holds:

- **Cases** (``casework.case.*``): casework numbers each case's events (the envelope's
  ``sequence``, ARCHITECTURE.md reliability invariant 3). The area comes from the newest event's
  facts, the phase from the newest event that says one (opened → intake, phase changed → its new
  phase, closed → closed, transferred to another county → transferred); an older event arriving
  late changes neither. An event without a sequence falls back to a forward-only rule (a phase is
  taken only after the one kept).
- **Referrals** (``network.referral.*``): no sequence; a referral's states only move forward
  (sent → accepted | declined → arrived | not arrived → completed; cancelled from any open one),
  so a late event of a lower rank changes nothing. Arrival is kept apart from the state: a
  referral that arrived and was then completed counts as arrived.

The same events in any order, any of them repeated, give the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .standard import STANDARD_PROJECTIONS

#: the phases in their order (casework's ``Phase``); ``transferred`` = moved to another county
PHASES = ("intake", "assessment", "goal_agreement", "linking", "monitoring", "reassessment",
          "evaluation", "closed", "transferred")

#: the order of a referral's states; a terminal state ranks above what can follow it
REFERRAL_RANKS = {"sent": 1, "accepted": 2, "arrived": 3, "declined": 6, "not_arrived": 6,
                  "completed": 6, "cancelled": 6}
REFERRAL_STATES = tuple(REFERRAL_RANKS)


@dataclass(frozen=True)
class CaseRow:
    """A case as the cases-per-area-and-phase projection keeps it."""

    case_id: str
    area_id: str
    phase: str
    area_seq: int = 0
    phase_seq: int = 0


@dataclass(frozen=True)
class CaseChange:
    """What one casework event says of its case: its area, maybe a phase, its sequence."""

    case_id: str
    area_id: str
    phase: str | None
    sequence: int | None


def apply_case_change(row: CaseRow | None, change: CaseChange) -> CaseRow:
    """The row after ``change`` (phase ``""``: no event that says one has arrived yet)."""
    seq = change.sequence or 0
    if row is None:
        return CaseRow(change.case_id, change.area_id, change.phase or "", seq,
                       seq if change.phase else 0)
    if change.sequence is None:
        later = change.phase is not None and (
            not row.phase or PHASES.index(change.phase) > PHASES.index(row.phase))
        return replace(row, phase=change.phase) if later and change.phase else row
    updated = row
    if change.sequence > row.area_seq:
        updated = replace(updated, area_id=change.area_id, area_seq=change.sequence)
    if change.phase is not None and (not row.phase or change.sequence > row.phase_seq):
        updated = replace(updated, phase=change.phase, phase_seq=change.sequence)
    return updated


@dataclass(frozen=True)
class ReferralRow:
    """A referral as the referrals-per-partner projection keeps it."""

    referral_id: str
    partner_org_id: str
    topic_area: str
    status: str
    arrived: bool = False


@dataclass(frozen=True)
class ReferralChange:
    referral_id: str
    partner_org_id: str
    topic_area: str
    status: str


def apply_referral_change(row: ReferralRow | None, change: ReferralChange) -> ReferralRow:
    """The row after ``change``: the state moves forward only; arrival, once seen, stays."""
    arrived = change.status in ("arrived", "completed")
    if row is None:
        return ReferralRow(change.referral_id, change.partner_org_id, change.topic_area,
                           change.status, arrived)
    status = (change.status if REFERRAL_RANKS[change.status] > REFERRAL_RANKS[row.status]
              else row.status)
    return replace(row, status=status, arrived=row.arrived or arrived,
                   partner_org_id=change.partner_org_id or row.partner_org_id,
                   topic_area=row.topic_area if change.topic_area == "unspecified"
                   else change.topic_area)


#: the projections and their versions: a projection whose version is higher than the one its
#: rows were built with is rebuilt from the store on deployment (``lotse-reporting migrate``)
PROJECTIONS = {"cases_by_area_and_phase": 1, "referrals_by_partner": 1,
               "period_figures": 1, "period_case_steps": 1,  # the 2-week reports (ADR 0089)
               **STANDARD_PROJECTIONS}  # the standard reports (ADR 0090)

#: the smallest count a steering member sees as a number; smaller ones are "<5"
SMALL_CELL = 5


def suppressed(count: int, exact: bool) -> int | str:
    """``count`` as a caller may see it: exact, or ``"<5"`` for a small cell (1–4)."""
    if exact or count == 0 or count >= SMALL_CELL:
        return count
    return f"<{SMALL_CELL}"
