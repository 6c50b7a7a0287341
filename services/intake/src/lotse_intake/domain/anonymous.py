"""Work not tied to a named person (*personenunabhängig*, 001 L134, L205): short queries of at
most 20 minutes and information events, counted for the coordinating office — topic areas,
languages, duration, number of people — without a name or anything else about a person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .errors import InvalidField
from .vocabulary import AnonymousContactKind, TopicArea, in_order

#: a short query takes "maximal 20 Minuten" (001 L134)
SHORT_QUERY_MAX_MINUTES = 20
#: an information event of a (long) day at most
EVENT_MAX_MINUTES = 600
#: people at one information event
EVENT_MAX_PEOPLE = 1000


@dataclass
class AnonymousContact:
    kind: AnonymousContactKind
    area_id: str
    held_on: date
    topic_areas: list[TopicArea]
    languages: list[str]
    duration_minutes: int
    people: int
    recorded_by: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    recorded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    @classmethod
    def record(cls, *, kind: AnonymousContactKind, area_id: str, held_on: date, today: date,
               topic_areas: list[TopicArea], languages: list[str], duration_minutes: int,
               people: int, recorded_by: str, id: uuid.UUID | None = None) -> AnonymousContact:
        if held_on > today:
            raise InvalidField("held_on", "cannot lie in the future")
        if not topic_areas:
            raise InvalidField("topic_areas", "name at least one topic area")
        limit = (SHORT_QUERY_MAX_MINUTES if kind == AnonymousContactKind.SHORT_QUERY
                 else EVENT_MAX_MINUTES)
        if not 1 <= duration_minutes <= limit:
            raise InvalidField("duration_minutes", f"from 1 to {limit} minutes for a {kind}"
                               + (" (longer: record a first contact)"
                                  if kind == AnonymousContactKind.SHORT_QUERY else ""))
        if not 1 <= people <= EVENT_MAX_PEOPLE:
            raise InvalidField("people", f"from 1 to {EVENT_MAX_PEOPLE}")
        return cls(kind=kind, area_id=area_id, held_on=held_on,
                   topic_areas=in_order(topic_areas, TopicArea),
                   languages=sorted(set(languages)), duration_minutes=duration_minutes,
                   people=people, recorded_by=recorded_by, id=id or uuid.uuid4())
