"""The caseload guideline (MKJFGFI 2023): 1.0 FTE → 50–60 cases, 0.75 → 37–45, 0.5 → 25–30.

Linear in the FTE share, rounded down (0.75 × 50 = 37.5 → 37). A case manager above the upper
bound is flagged; below the lower bound is shown, not flagged (she may be new, or part-time on
other tasks).
"""

from __future__ import annotations

import math
from datetime import date
from dataclasses import dataclass

CASES_PER_FTE = (50, 60)


def norm(fte: float) -> tuple[int, int]:
    low, high = CASES_PER_FTE
    return math.floor(low * fte + 1e-9), math.floor(high * fte + 1e-9)


@dataclass(frozen=True)
class CaseloadLine:
    case_manager_id: str
    organisation_id: str
    fte: float | None
    open_cases: int
    norm_low: int | None
    norm_high: int | None

    @property
    def above_range(self) -> bool:
        return self.norm_high is not None and self.open_cases > self.norm_high

    @property
    def below_range(self) -> bool:
        return self.norm_low is not None and self.open_cases < self.norm_low

    @classmethod
    def of(cls, case_manager_id: str, organisation_id: str, fte: float | None,
           open_cases: int) -> CaseloadLine:
        low, high = norm(fte) if fte else (None, None)
        return cls(case_manager_id, organisation_id, fte, open_cases, low, high)


# -- candidates for case reconstruction (Fallrekonstruktion, DOMAIN.md §8) ----------------------
MIN_WEEKS_OPEN = 8
PROBLEM_AREAS = (2, 3)
MIN_LEGAL_AREAS = 2


def reconstruction_candidate(opened_on: date, today: date, topic_areas: list[str],
                             legal_areas: list[str]) -> bool:
    """Not new (at least 8 weeks with the case manager), 2–3 problem areas handled in
    parallel, problems from at least two legal areas."""
    low, high = PROBLEM_AREAS
    return ((today - opened_on).days >= MIN_WEEKS_OPEN * 7
            and low <= len(topic_areas) <= high and len(legal_areas) >= MIN_LEGAL_AREAS)
