"""The cycle view (*Planungskreislauf*, DOMAIN.md §8 steps 1–6): where every generative theme
stands, derived from its status alone, with its evidence counted per kind.

| status | step |
|---|---|
| proposed | 2 theme (prepared by the office and the case managers, waiting for the steering group) |
| established | 3 steering decision (the group established it) |
| in_project_group | 4 project group (mandated) |
| result_adopted | 5 result adopted |
| implemented | 6 implemented (the rules have changed; the cycle starts again) |
| escalated | 6 escalated to the state level (no county-wide consensus) |

Step 1 (case reconstruction) lies behind every theme that reconstructed cases show. The
transitions between statuses are the steering group's decisions (ADR 0095); this module only
reads where a theme stands.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from .evidence import PERIOD_REPORT
from .forum import FORUM_STATEMENT
from .reconstructions import Theme


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    label_de: str


STEPS = (
    Step(1, "reconstruction", "Fallrekonstruktion"),
    Step(2, "theme", "Generatives Thema"),
    Step(3, "steering_decision", "Beschluss der Lenkungsgruppe"),
    Step(4, "project_group", "Projektarbeitsgruppe"),
    Step(5, "result_adopted", "Ergebnis beschlossen"),
    Step(6, "implemented_or_escalated", "Umgesetzt oder an die Landesebene gegeben"),
)

#: a theme's status → its step and the German label of where it stands
STATUS_STEPS: dict[str, tuple[int, str]] = {
    "proposed": (2, "Thema vorgeschlagen, Beschluss der Lenkungsgruppe steht aus"),
    "established": (3, "Thema von der Lenkungsgruppe beschlossen"),
    "in_project_group": (4, "in einer Projektarbeitsgruppe"),
    "result_adopted": (5, "Ergebnis der Projektarbeitsgruppe beschlossen"),
    "implemented": (6, "umgesetzt – die Regeln haben sich geändert"),
    "escalated": (6, "an die Landesebene gegeben (kein kreisweiter Konsens)"),
}

#: evidence kinds as the cycle counts them; 2-week reports' topics are stored as
#: ``period_report`` (ADR 0089) and shown as ``reported_topic``
EVIDENCE_KINDS = ("reconstruction", "reported_topic", "forum_statement")
_KIND_NAMES = {"reconstruction": "reconstruction", PERIOD_REPORT: "reported_topic",
               FORUM_STATEMENT: "forum_statement"}

DONE, CURRENT, OPEN, SKIPPED = "done", "current", "open", "skipped"


@dataclass(frozen=True)
class StepState:
    number: int
    label_de: str
    state: str  # done | current | open | skipped


@dataclass(frozen=True)
class ThemeInCycle:
    theme_id: str
    title: str
    status: str
    step: int | None  # None: a status this view does not know (shown, never guessed)
    label_de: str
    evidence: dict[str, int]
    conference_links: int
    changed_on: date | None
    steps: tuple[StepState, ...]


def evidence_counts(theme: Theme) -> dict[str, int]:
    """Evidence entries per kind (reconstructed cases, 2-week reports' topics, forum
    statements); every kind present, 0 where none."""
    counted = Counter(_KIND_NAMES.get(e.get("kind", ""), "") for e in theme.evidence)
    return {kind: counted.get(kind, 0) for kind in EVIDENCE_KINDS}


def latest_change(theme: Theme, linked_on: list[date],
                  moved_on: list[date] | None = None) -> date | None:
    """The latest day known to have changed the theme: proposed, evidence attached, a case
    conference linked, its status moved (a steering decision, the office's implementation or
    escalation: ADR 0095)."""
    days = [theme.proposed_on, *linked_on, *(moved_on or [])]
    days += [date.fromisoformat(e["attached_on"]) for e in theme.evidence if e.get("attached_on")]
    return max(days) if days else None


def place(theme: Theme, linked_on: list[date],
          moved_on: list[date] | None = None) -> ThemeInCycle:
    counts = evidence_counts(theme)
    step, label = STATUS_STEPS.get(theme.status, (None, "Stand unbekannt"))
    states = []
    for s in STEPS:
        if s.number == 1:
            state = DONE if counts["reconstruction"] else SKIPPED
        elif step is None:
            state = OPEN
        else:
            state = DONE if s.number < step else CURRENT if s.number == step else OPEN
        states.append(StepState(s.number, s.label_de, state))
    return ThemeInCycle(theme_id=str(theme.id), title=theme.title, status=theme.status,
                        step=step, label_de=label, evidence=counts,
                        conference_links=len(linked_on),
                        changed_on=latest_change(theme, linked_on, moved_on),
                        steps=tuple(states))


def cycle(themes: list[Theme], links: dict[str, list[date]],
          moves: dict[str, list[date]] | None = None) -> list[ThemeInCycle]:
    """Every theme where it stands, earliest step first, then by title; ``links``: the days its
    conference links were made, ``moves``: the days its status moved."""
    placed = [place(t, links.get(str(t.id), []), (moves or {}).get(str(t.id), []))
              for t in themes]
    return sorted(placed, key=lambda t: (t.step or 99, t.title))
