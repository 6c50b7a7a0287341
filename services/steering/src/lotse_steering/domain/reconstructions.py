"""Case reconstruction sessions and the generative themes they propose (DOMAIN.md §8 steps 1–2,
seed 001 L448–L470).

A session is held by the coordinating office (the moderator) with the case managers who present
their cases: at least four cases, up to four hours each. For each case it records organisational
facts — the actors involved, their process steps in order, interfaces, synergies and duplicate
structures — never personal data: a case is its pseudonymous id, which the presenting case
manager resolves in casework. Its outcome: proposed generative themes, each with the cases that
show it. A theme is kept here as proposed (title, description, status ``proposed``, evidence);
its lifecycle (established by the steering group, project group …) is :mod:`.themes`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lotse_platform.errors import Conflict, Unprocessable

MIN_CASES = 4
MAX_MINUTES_PER_CASE = 240
PROPOSED = "proposed"
THEME_STATUSES = (PROPOSED,)


class TooFewCases(Conflict):
    """A reconstruction needs at least four cases (seed 001 L452): 409 naming the count."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"a case reconstruction needs at least {MIN_CASES} cases; {count} given",
            errors=[{"field": "cases", "message": f"{count} cases, at least {MIN_CASES} needed"}])


class InvalidSession(Unprocessable):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


@dataclass(frozen=True)
class ProcessStep:
    actor: str
    step: str


@dataclass(frozen=True)
class ReconstructedCase:
    """One case of a session: who presented it, for how long, and what was found."""

    case_id: str
    presented_by: str  # the presenting case manager's user id
    planned_minutes: int
    actors: tuple[str, ...] = ()
    process_steps: tuple[ProcessStep, ...] = ()  # in order
    interfaces: tuple[str, ...] = ()
    synergies: tuple[str, ...] = ()
    duplicate_structures: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeProposal:
    title: str
    description: str
    case_ids: tuple[str, ...]


@dataclass
class Theme:
    """A generative theme, as far as this step keeps it: proposed with its evidence."""

    title: str
    description: str
    evidence: list[dict[str, str]]  # [{"kind": "reconstruction", "reconstruction_id": …, "case_id": …}]
    proposed_on: date
    status: str = PROPOSED
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @property
    def case_ids(self) -> list[str]:
        return [e["case_id"] for e in self.evidence if e.get("case_id")]

    @property
    def reconstruction_ids(self) -> list[str]:
        return sorted({e["reconstruction_id"] for e in self.evidence
                       if e.get("reconstruction_id")})


@dataclass
class Reconstruction:
    held_on: date
    moderator_id: str
    cases: list[dict[str, Any]]  # ReconstructedCase as stored (see :func:`case_document`)
    theme_ids: list[str]
    recorded_at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @property
    def planned_minutes(self) -> int:
        return sum(c["planned_minutes"] for c in self.cases)


def case_document(case: ReconstructedCase) -> dict[str, Any]:
    return {"case_id": case.case_id, "presented_by": case.presented_by,
            "planned_minutes": case.planned_minutes, "actors": list(case.actors),
            "process_steps": [{"actor": s.actor, "step": s.step} for s in case.process_steps],
            "interfaces": list(case.interfaces), "synergies": list(case.synergies),
            "duplicate_structures": list(case.duplicate_structures)}


def hold(held_on: date, moderator_id: str, cases: list[ReconstructedCase],
         proposals: list[ThemeProposal], recorded_at: datetime) -> tuple[Reconstruction,
                                                                         list[Theme]]:
    """The session and its proposed themes, or the refusal naming what is wrong: fewer than four
    cases (409), a case twice, more than 240 minutes for a case, a theme citing a case the
    session did not reconstruct (422 naming the field)."""
    if len(cases) < MIN_CASES:
        raise TooFewCases(len(cases))
    seen: set[str] = set()
    for i, case in enumerate(cases):
        if case.case_id in seen:
            raise InvalidSession(f"cases.{i}.case_id", "the case is in the session twice")
        seen.add(case.case_id)
        if not 1 <= case.planned_minutes <= MAX_MINUTES_PER_CASE:
            raise InvalidSession(f"cases.{i}.planned_minutes",
                                 f"between 1 and {MAX_MINUTES_PER_CASE} minutes per case")
    session = Reconstruction(held_on=held_on, moderator_id=moderator_id,
                             cases=[case_document(c) for c in cases], theme_ids=[],
                             recorded_at=recorded_at)
    themes = []
    for i, proposal in enumerate(proposals):
        if not proposal.title.strip():
            raise InvalidSession(f"themes.{i}.title", "a theme needs a title")
        unknown = [c for c in proposal.case_ids if c not in seen]
        if unknown or not proposal.case_ids:
            raise InvalidSession(f"themes.{i}.case_ids",
                                 "a theme is shown by cases of this session")
        evidence = [{"kind": "reconstruction", "reconstruction_id": str(session.id),
                     "case_id": c} for c in dict.fromkeys(proposal.case_ids)]
        themes.append(Theme(title=proposal.title.strip(), description=proposal.description,
                            evidence=evidence, proposed_on=held_on))
    session.theme_ids = [str(t.id) for t in themes]
    return session, themes
