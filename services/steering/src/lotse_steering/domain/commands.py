from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from .reconstructions import ReconstructedCase, ThemeProposal


@dataclass(frozen=True)
class HoldReconstruction:
    """Record a case reconstruction session held by the coordinating office (the moderator)."""

    held_on: date
    moderator_id: str
    cases: tuple[ReconstructedCase, ...]
    themes: tuple[ThemeProposal, ...] = ()


@dataclass(frozen=True)
class AttachReportedTopics:
    """Attach topics flagged in 2-week reports to a theme as its evidence (coordinating office)."""

    theme_id: uuid.UUID
    candidate_ids: tuple[str, ...]
