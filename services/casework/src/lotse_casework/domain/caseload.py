"""The caseload guideline (MKJFGFI 2023): 1.0 FTE → 50–60 cases, 0.75 → 37–45, 0.5 → 25–30.

Linear in the FTE share, rounded down (0.75 × 50 = 37.5 → 37). A case manager above the upper
bound is flagged; below the lower bound is shown, not flagged (she may be new, or part-time on
other tasks).
"""

from __future__ import annotations

import math
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


@dataclass(frozen=True)
class CaseloadAfter:
    """A case manager's caseload once a step is done (an admission, a transfer to her), and
    whether it is then above the guideline: a warning, never a refusal — the coordinating
    office decides (DOMAIN.md §5). ``open_cases`` counts her open cases and the admissions
    waiting for their handover, the step included."""

    case_manager_id: str
    fte: float | None
    open_cases: int
    norm_low: int | None
    norm_high: int | None

    @classmethod
    def of(cls, case_manager_id: str, fte: float | None, open_cases: int) -> CaseloadAfter:
        low, high = norm(fte) if fte else (None, None)
        return cls(case_manager_id, fte, open_cases, low, high)

    @property
    def above_guideline(self) -> bool:
        return self.norm_high is not None and self.open_cases > self.norm_high

    @property
    def warning(self) -> dict[str, str] | None:
        """What the answer says when she is above the guideline after the step (English and
        German); counts only."""
        if not self.above_guideline:
            return None
        share = f"{self.fte:g}"
        return {
            "code": "caseload_above_guideline",
            "message": f"{self.open_cases} open cases after this step, above the guideline of "
                       f"{self.norm_low}–{self.norm_high} for a {share} FTE post; the "
                       "coordinating office decides",
            "message_de": f"{self.open_cases} offene Fälle nach diesem Schritt, über dem "
                          f"Richtwert von {self.norm_low}–{self.norm_high} für "
                          f"{share.replace('.', ',')} Stellen; die Koordinierungsstelle "
                          "entscheidet"}


# -- the case manager's judgement for a case reconstruction (seed 001 L450–L451); the candidates
# themselves are steering's, computed from this service's events (ADR 0094) --
DIFFICULTIES = ("low", "medium", "high")  # Schwierigkeitsgrad, the case manager's judgement
