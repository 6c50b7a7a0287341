"""The case cycle (*Regelkreis*, DOMAIN.md §5) as a state machine.

    intake → assessment → goal_agreement → linking → monitoring ⇄ reassessment
                                              monitoring → evaluation → closed

- Re-assessment can be entered from monitoring at any time; from it the case goes back to
  monitoring (nothing changes in the plan) or to goal_agreement (the plan review,
  *Überprüfung des Hilfeplans*, sets new or revised goals and then passes through linking again).
- ``closed`` is reached only by closing the case (:meth:`Case.close`): from evaluation for the
  regular reasons (goals reached, client steers the network), from any open phase for moved
  away, consent withdrawn, not reachable, referred on. A transfer to another case manager keeps
  the phase.
"""

from __future__ import annotations

from .errors import IllegalTransition

PHASES = ("intake", "assessment", "goal_agreement", "linking", "monitoring", "reassessment",
          "evaluation", "closed")
OPEN_PHASES = PHASES[:-1]
CLOSED = "closed"

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "intake": ("assessment",),
    "assessment": ("goal_agreement",),
    "goal_agreement": ("linking",),
    "linking": ("monitoring",),
    "monitoring": ("reassessment", "evaluation"),
    "reassessment": ("monitoring", "goal_agreement"),
    "evaluation": (CLOSED,),
    CLOSED: (),
}

# reasons that close a case from any open phase (the others only from evaluation)
EARLY_CLOSURE_REASONS = frozenset({"moved_away", "consent_withdrawn", "not_reachable",
                                   "referred_on"})


def allowed_transitions(phase: str) -> list[str]:
    """Where a case in ``phase`` may go next, ``closed`` included where closing may be."""
    targets = list(TRANSITIONS[phase])
    if phase != CLOSED and CLOSED not in targets:
        targets.append(CLOSED)  # by closing with an early reason
    return targets


def check_transition(current: str, target: str) -> None:
    """Raise :class:`IllegalTransition` unless ``current → target`` is a step of the cycle.

    ``closed`` is not a step: it needs a reason and goes through closing the case.
    """
    if target not in PHASES:
        raise IllegalTransition(current, target, allowed_transitions(current))
    if target == CLOSED or target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target, allowed_transitions(current))


def check_closure(current: str, reason: str) -> None:
    if current == CLOSED:
        raise IllegalTransition(current, CLOSED, [])
    if reason in EARLY_CLOSURE_REASONS or current == "evaluation":
        return
    raise IllegalTransition(
        current, CLOSED, [p for p in allowed_transitions(current) if p != CLOSED]
        + [f"closed (reason {r})" for r in sorted(EARLY_CLOSURE_REASONS)])
