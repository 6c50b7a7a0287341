"""The referral rates' read model (issue 12, "Speed"; ADR 0101): one row per referral with what
the report counts, narrows and groups it by, so that the report is one grouped select over
these rows instead of grouping the referrals' monthly facts per referral on every request.

A row is a pure function of the referral's events ``sent``, ``accepted`` and ``arrived`` (the
events that give a ``referrals`` fact, :func:`~lotse_reporting.service_layer.standard.facts_of`),
in any order, any of them repeated:

- **the states reached**: ``sent``, ``accepted`` (accepted or arrived) and ``arrived``, each
  once seen kept — the flags the report counted per referral from its facts;
- **topic area and kind**: those of the smallest ``topic/kind/state`` detail in byte order (as
  the facts' ``min(detail)`` chose them; a referral keeps its topic area and kind, so they
  agree but for a correction);
- **partner, month sent, case manager, area and target groups**: the step earliest in the
  referral's story (sent before accepted before arrived; between steps of the same state the
  smaller values). Network puts the referral's own partner, ``sent_on`` and case manager into
  each of its events, so every step says the same; the month is the one the referral was sent
  in (the day the event happened, in the tenant's time zone, where it says none). Referral
  events carry no area and no target groups: both stay empty, as in the facts, and a report
  narrowed to an area or a target group counts no referral — as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .standard import Filters, ReferralTotal

#: the referral's states this read model keeps, earliest in a referral's story first
STEP_RANKS = {"sent": 1, "accepted": 2, "arrived": 3}


@dataclass(frozen=True)
class ReferralRateRow:
    """A referral as the referral rates count it."""

    referral_id: str
    partner_org_id: str = ""
    kind: str = ""
    topic_area: str = ""
    #: the month it was sent (YYYY-MM): the report's period
    month: str = ""
    case_manager_id: str = ""
    area_id: str = ""
    target_group_ids: tuple[str, ...] = ()
    sent: bool = False
    #: accepted, or arrived (an arrival implies the acceptance)
    accepted: bool = False
    arrived: bool = False
    #: the rank (:data:`STEP_RANKS`) of the step the partner, month and people came from
    step: int = 0


@dataclass(frozen=True)
class ReferralStep:
    """What one referral event says of its referral."""

    referral_id: str
    state: str
    partner_org_id: str
    kind: str
    topic_area: str
    month: str
    case_manager_id: str
    area_id: str = ""
    target_group_ids: tuple[str, ...] = ()


def _detail(topic_area: str, kind: str) -> str:
    """The part of a fact's ``topic/kind/state`` detail that decides its order (neither code
    holds a ``/``, so comparing these compares the details)."""
    return f"{topic_area}/{kind}/"


def _dimensions(row: ReferralRateRow | ReferralStep) -> tuple[str, str, str, str,
                                                               tuple[str, ...]]:
    return (row.month, row.partner_org_id, row.case_manager_id, row.area_id,
            row.target_group_ids)


def apply_referral_step(row: ReferralRateRow | None, step: ReferralStep) -> ReferralRateRow:
    """The row after ``step`` (the rules of the module's docstring)."""
    rank = STEP_RANKS[step.state]
    row = row or ReferralRateRow(step.referral_id)
    updated = replace(row, sent=row.sent or step.state == "sent",
                      accepted=row.accepted or step.state in ("accepted", "arrived"),
                      arrived=row.arrived or step.state == "arrived")
    if not row.step or _detail(step.topic_area, step.kind) < _detail(row.topic_area, row.kind):
        updated = replace(updated, topic_area=step.topic_area, kind=step.kind)
    if (not row.step or rank < row.step
            or (rank == row.step and _dimensions(step) < _dimensions(row))):
        updated = replace(updated, partner_org_id=step.partner_org_id, month=step.month,
                          case_manager_id=step.case_manager_id, area_id=step.area_id,
                          target_group_ids=step.target_group_ids, step=rank)
    return updated


def in_filters(row: ReferralRateRow, filters: Filters) -> bool:
    """Sent in the period's months, in the area, by one of the case managers, in the group."""
    return (filters.month(row.month) and filters.area(row.area_id)
            and filters.person(row.case_manager_id) and filters.group(row.target_group_ids))


def referral_rate_totals(rows: Iterable[ReferralRateRow],
                         filters: Filters) -> list[ReferralTotal]:
    """The referrals :func:`in_filters` counted per partner, kind and topic area: how many were
    sent (or got further), accepted (or arrived), arrived — the rule the store's
    ``referral_totals`` follows in SQL."""
    totals: dict[tuple[str, str, str], Counter[str]] = {}
    for row in rows:
        if not in_filters(row, filters):
            continue
        counted = totals.setdefault((row.partner_org_id, row.kind, row.topic_area), Counter())
        counted["sent"] += row.sent or row.accepted
        counted["accepted"] += row.accepted
        counted["arrived"] += row.arrived
    return [(partner, kind, topic, c["sent"], c["accepted"], c["arrived"])
            for (partner, kind, topic), c in sorted(totals.items())]
