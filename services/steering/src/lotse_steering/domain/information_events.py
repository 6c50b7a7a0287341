"""Information events with a professional input (*Informationsveranstaltungen mit einem
fachlichen Input*, seed 004 L123): the steering group decided on 2023-05-10 that the coordinating
office initiates them and, where needed, organises them.

An event has a date, a topic, its audience, the organisation giving the input, its status
(planned → held) and, once held, the attendance as a count (no list of who came). It may name the
theme it serves and the steering decision that asked for it, as plain ids.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lotse_platform.errors import Conflict

from .forum import InvalidForumInput

PLANNED, HELD = "planned", "held"
#: the statuses with their German labels
STATUSES = {PLANNED: "geplant", HELD: "durchgeführt"}


class AlreadyHeld(Conflict):
    def __init__(self) -> None:
        super().__init__("the information event is held; it goes back to planned no more",
                         errors=[{"field": "status", "message": "held already"}])


@dataclass
class InformationEvent:
    held_on: date
    topic: str
    audience: str
    speaker_organisation: str  # the institution giving the input (a name, not a person)
    status: str = PLANNED
    attendance: int | None = None
    theme_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @property
    def status_de(self) -> str:
        return STATUSES[self.status]


#: the fields a change may set
CHANGEABLE = ("held_on", "topic", "audience", "speaker_organisation", "status", "attendance",
              "theme_id", "decision_id")


def check(event: InformationEvent, today: date) -> InformationEvent:
    """The event's rules, or the refusal naming the field: a held event has happened (not after
    today, tenant's time zone) and has its attendance; a planned one has none yet."""
    if event.status not in STATUSES:
        raise InvalidForumInput("status", "planned or held")
    if not event.topic.strip():
        raise InvalidForumInput("topic", "an information event has a topic")
    if event.status == HELD:
        if event.held_on > today:
            raise InvalidForumInput("held_on", "an event held has taken place (today or "
                                               "before)")
        if event.attendance is None:
            raise InvalidForumInput("attendance", "how many attended a held event")
    elif event.attendance is not None:
        raise InvalidForumInput("attendance", "the attendance is recorded once it is held")
    if event.attendance is not None and event.attendance < 0:
        raise InvalidForumInput("attendance", "0 or more")
    return event


def change(event: InformationEvent, changes: dict[str, Any], today: date) -> None:
    """Apply ``changes`` (any of :data:`CHANGEABLE`); a held event stays held (409)."""
    if event.status == HELD and changes.get("status", HELD) != HELD:
        raise AlreadyHeld()
    for name, value in changes.items():
        if name in CHANGEABLE:
            setattr(event, name, value)
    check(event, today)
