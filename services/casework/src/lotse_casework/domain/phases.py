"""The case cycle (*Regelkreis*, DOMAIN.md §5) as a state machine.

    intake → assessment → goal_agreement → linking → monitoring → evaluation → closed
                              ⇅               ⇅          ⇅            ⇅
                                           reassessment

- Re-assessment (*erneute Einschätzung*) can be entered at any time once the first assessment is
  done — from goal agreement, linking, monitoring or evaluation: the assessment "ist nicht immer
  als chronologisch zu den anderen Schritten […] zu betrachten, da es immer wieder zu neuen
  Situationen kommen kann" (seed 000 L100). From it the case goes back to the phase it came from
  (nothing changes in the plan) or to goal_agreement (the plan review, *Überprüfung des
  Hilfeplans*, sets new or revised goals and then passes through linking again).
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
    "goal_agreement": ("linking", "reassessment"),
    "linking": ("monitoring", "reassessment"),
    "monitoring": ("reassessment", "evaluation"),
    # plus the phase the re-assessment was entered from (see ``allowed_transitions``)
    "reassessment": ("goal_agreement",),
    "evaluation": ("reassessment", CLOSED),
    CLOSED: (),
}

# reasons that close a case from any open phase (the others only from evaluation)
EARLY_CLOSURE_REASONS = frozenset({"moved_away", "consent_withdrawn", "not_reachable",
                                   "referred_on"})


# phases a re-assessment may be entered from, and so may return to
REASSESSED_FROM = ("goal_agreement", "linking", "monitoring", "evaluation")


def allowed_transitions(phase: str, came_from: str | None = None) -> list[str]:
    """Where a case in ``phase`` may go next, ``closed`` included where closing may be.

    ``came_from`` is the phase before the current one: a re-assessment returns to it (to
    monitoring when it is not known, e.g. a case copied in a transfer)."""
    targets = list(TRANSITIONS[phase])
    if phase == "reassessment":
        back = came_from if came_from in REASSESSED_FROM else "monitoring"
        targets = [back] + [t for t in targets if t != back]
    if phase != CLOSED and CLOSED not in targets:
        targets.append(CLOSED)  # by closing with an early reason
    return targets


def check_transition(current: str, target: str, came_from: str | None = None) -> None:
    """Raise :class:`IllegalTransition` unless ``current → target`` is a step of the cycle.

    ``closed`` is not a step: it needs a reason and goes through closing the case.
    """
    allowed = allowed_transitions(current, came_from)
    if target not in PHASES or target == CLOSED or target not in allowed:
        raise IllegalTransition(current, target, allowed)


def check_closure(current: str, reason: str) -> None:
    if current == CLOSED:
        raise IllegalTransition(current, CLOSED, [])
    if reason in EARLY_CLOSURE_REASONS or current == "evaluation":
        return
    raise IllegalTransition(
        current, CLOSED, [p for p in allowed_transitions(current) if p != CLOSED]
        + [f"closed (reason {r})" for r in sorted(EARLY_CLOSURE_REASONS)])
