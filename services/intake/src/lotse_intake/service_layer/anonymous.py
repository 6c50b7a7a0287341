"""Work not tied to a named person (001 L134 short queries "maximal 20 Minuten", L205
"personenunabhängig … Informationsveranstaltungen"): recorded by case managers of the area
and the office, counted for the coordinating office. No person, so nothing is audited; the
event carries the counts only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lotse_platform.references import AREA, Wanted, check

from ..domain.anonymous import AnonymousContact
from ..domain.commands import RecordAnonymousContact
from ..domain.errors import InvalidField
from ..domain.vocabulary import AnonymousContactKind
from . import access, events
from .unit_of_work import IntakeUnitOfWork


def record_anonymous_contact(cmd: RecordAnonymousContact, uow: IntakeUnitOfWork, *,
                             operator_org_id: str) -> AnonymousContact:
    access.authorize_contact(uow.principal, cmd.area_id)
    with uow:
        check(uow.references, [Wanted("area_id", AREA, cmd.area_id)])
        contact = AnonymousContact.record(
            kind=cmd.kind, area_id=cmd.area_id, held_on=cmd.held_on, today=uow.today(),
            topic_areas=list(cmd.topic_areas), languages=list(cmd.languages),
            duration_minutes=cmd.duration_minutes, people=cmd.people,
            recorded_by=cmd.recorded_by, id=cmd.contact_id)
        uow.anonymous_contacts.add(contact)
        uow.publish(events.anonymous_contact_recorded(contact, operator_org_id),
                    aggregate_id=contact.id, sequence=1)
        uow.commit()
    return contact


@dataclass
class KindCount:
    kind: AnonymousContactKind
    records: int = 0
    people: int = 0
    minutes: int = 0
    by_topic_area: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)


def count_anonymous_contacts(first: date, last: date, area_id: str | None,
                             uow: IntakeUnitOfWork) -> list[KindCount]:
    """Per kind: records, people reached, minutes, and records per topic area and language,
    held from ``first`` to ``last`` — the caller's areas (the office: all), or ``area_id``."""
    if last < first:
        raise InvalidField("until", "must not lie before from")
    areas = access.area_scope(uow.principal)
    if area_id is not None:
        if areas is not None and area_id not in areas:
            access.authorize_contact(uow.principal, area_id)  # 403: not her area
        areas = {area_id}
    counts = {kind: KindCount(kind) for kind in AnonymousContactKind}
    with uow:
        for contact in uow.anonymous_contacts.held_between(first, last, areas):
            count = counts[contact.kind]
            count.records += 1
            count.people += contact.people
            count.minutes += contact.duration_minutes
            count.by_topic_area.update(str(t) for t in contact.topic_areas)
            count.by_language.update(contact.languages)
    return list(counts.values())
