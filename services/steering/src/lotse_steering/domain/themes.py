"""The lifecycle of a generative theme (DOMAIN.md §8, seed 001 L431–L470, 002 L367):

    proposed → established → in_project_group → result_adopted → implemented
         ↘            ↘               ↘                 ↘
                              escalated (to the state level)

A case reconstruction proposes a theme; a steering-group decision establishes it, mandates a
project group for it, adopts the group's result; the coordinating office records that the
result is implemented (the operational rules have changed), or escalates the theme to the state
level when there is no county-wide consensus, with a write-up. Any other move is a 409.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from lotse_platform.errors import Conflict

from .reconstructions import PROPOSED, Theme

ESTABLISHED = "established"
IN_PROJECT_GROUP = "in_project_group"
RESULT_ADOPTED = "result_adopted"
IMPLEMENTED = "implemented"
ESCALATED = "escalated"
STATUSES = (PROPOSED, ESTABLISHED, IN_PROJECT_GROUP, RESULT_ADOPTED, IMPLEMENTED, ESCALATED)

#: German labels (what the console shows)
LABELS_DE = {PROPOSED: "vorgeschlagen", ESTABLISHED: "festgestellt",
             IN_PROJECT_GROUP: "in Projektarbeitsgruppe", RESULT_ADOPTED: "Ergebnis beschlossen",
             IMPLEMENTED: "umgesetzt", ESCALATED: "an die Landesebene gegeben"}

#: status -> the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PROPOSED: (ESTABLISHED, ESCALATED),
    ESTABLISHED: (IN_PROJECT_GROUP, ESCALATED),
    IN_PROJECT_GROUP: (RESULT_ADOPTED, ESCALATED),
    RESULT_ADOPTED: (IMPLEMENTED, ESCALATED),
    IMPLEMENTED: (),
    ESCALATED: (),
}


class IllegalTransition(Conflict):
    """409: the theme's status does not allow the move."""

    def __init__(self, current: str, wanted: str, field_name: str = "status") -> None:
        super().__init__(
            f"a theme that is {current} cannot become {wanted}",
            errors=[{"field": field_name,
                     "message": f"{current} → {wanted} is not a step of the theme's lifecycle; "
                                f"from {current}: {', '.join(TRANSITIONS[current]) or 'none'}"}])


@dataclass
class ThemeTransition:
    """One step of a theme's lifecycle: when, by which decision or by whom, and for an
    escalation the write-up for the state level (organisational text)."""

    theme_id: uuid.UUID
    from_status: str
    to_status: str
    changed_on: date
    decision_id: uuid.UUID | None = None
    changed_by: str | None = None  # a user id (the office) where no decision moved it
    write_up: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


def may_move(theme: Theme, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(theme.status, ())


def move(theme: Theme, to_status: str, on: date, *, decision_id: uuid.UUID | None = None,
         by: str | None = None, write_up: str | None = None,
         field_name: str = "status") -> ThemeTransition:
    """Move ``theme`` to ``to_status`` (409 when its lifecycle does not allow it)."""
    if not may_move(theme, to_status):
        raise IllegalTransition(theme.status, to_status, field_name)
    step = ThemeTransition(theme_id=theme.id, from_status=theme.status, to_status=to_status,
                           changed_on=on, decision_id=decision_id, changed_by=by,
                           write_up=write_up)
    theme.status = to_status
    return step
