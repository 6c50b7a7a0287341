"""Demo data of the participation forum: the demo county's forum with a session held seven
weeks ago, three anonymous statements (two of them evidence of the seeded themes) and an
information event planned in three weeks (issue 13, "Demo county: a planning cycle in
progress"). No invitation list: the demo holds no one's phone number or e-mail address."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from lotse_demo.county import DemoCounty

from ..domain.forum_commands import (
    AttachForumStatements,
    PlanInformationEvent,
    RecordForumSession,
    RecordStatement,
    SetUpForum,
)
from .forum import (
    attach_forum_statements,
    plan_information_event,
    record_forum_session,
    record_statement,
    set_up_forum,
)
from .unit_of_work import SteeringUnitOfWork

HELD_DAYS_AGO = 49
EVENT_IN_DAYS = 21

#: (the words, the topic area, the seeded theme it is evidence of — by its title, or None)
STATEMENTS = (
    ("Bis die Ausländerbehörde den Titel verlängert, zahlt das Jobcenter nicht; wir wissen "
     "nicht, wer zuständig ist.", "residence", "Aufenthaltsstatus und Leistungsbezug abstimmen"),
    ("Für Familien mit vier Kindern gibt es keine Wohnung, die das Amt bezahlt.", "housing",
     "Wohnraum für große Haushalte"),
    ("Der Sprachkurs ist vormittags, die Maßnahme auch.", "language", None),
)


def seed_forum(units: Callable[[uuid.UUID], SteeringUnitOfWork], county: DemoCounty) -> int:
    tenant = county.tenant_id
    with units(tenant) as uow:
        if uow.forum.forums():
            return 0
        today = uow.today()
        themes = {t.title: t.id for t in uow.list_themes()}
    forum = set_up_forum(SetUpForum("Beteiligungsforum Kreis Höxter",
                                    "Zugewanderte Menschen gestalten KIM mit: Erfahrungen, "
                                    "Wünsche, Verbesserungen"), units(tenant))
    session = record_forum_session(RecordForumSession(
        forum.id, today - timedelta(days=HELD_DAYS_AGO), "Bürgerhaus Brakel",
        "Welche Erfahrungen haben Sie mit Behörden und Beratungsstellen gemacht?", 11),
        units(tenant))
    written = 2
    for text, area, theme_title in STATEMENTS:
        statement = record_statement(RecordStatement(session.id, text, area), units(tenant))
        written += 1
        if theme_title in themes:
            attach_forum_statements(AttachForumStatements(themes[theme_title], (statement.id,)),
                                    units(tenant))
    plan_information_event(PlanInformationEvent(
        today + timedelta(days=EVENT_IN_DAYS), "Aufenthaltssicherung und Ausbildung",
        "Beratungsakteure und Case Management", "Ausländerbehörde",
        theme_id=themes.get(STATEMENTS[0][2])), units(tenant))
    return written + 1
