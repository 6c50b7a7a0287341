"""The coordinating office's steps of a theme's lifecycle (ADR 0095): a theme whose adopted
result has changed the operational rules is ``implemented``; a theme without a county-wide
consensus is ``escalated`` to the state level with a write-up, which prints as a PDF
(*Darstellung für die Landesebene*). The other steps come with the steering group's decisions
(:mod:`.decisions`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from lotse.steering.v1.events_pb2 import ThemeStatusChanged
from lotse_platform.documents import Document, Heading, KeyValues, Note, Paragraph, Table
from lotse_platform.documents.pdf import render_pdf
from lotse_platform.errors import NotFound

from ..domain.reconstructions import Theme
from ..domain.steering_commands import EscalateTheme, MarkThemeImplemented
from ..domain.steering_group import InvalidSteeringGroup
from ..domain.themes import ESCALATED, IMPLEMENTED, LABELS_DE, ThemeTransition, move
from .steering_access import authorize_office
from .unit_of_work import SteeringUnitOfWork


def _step(uow: SteeringUnitOfWork, theme_id: uuid.UUID, to_status: str,
          write_up: str | None = None) -> None:
    theme = uow.get_theme(theme_id)
    if theme is None:
        raise NotFound("no such theme")
    earlier = len(uow.theme_transitions(theme.id))
    day = uow.today()
    step = move(theme, to_status, day,
                by=uow.principal.subject if uow.principal is not None else None,
                write_up=write_up)
    uow.add_theme_transition(step)
    uow.publish(ThemeStatusChanged(theme_id=str(theme.id), from_status=step.from_status,
                                   to_status=to_status, changed_on=day.isoformat()),
                aggregate_id=theme.id, sequence=earlier + 2)
    uow.audit("update", "theme", theme.id, reason=f"status:{to_status}")


def mark_implemented(cmd: MarkThemeImplemented, uow: SteeringUnitOfWork) -> None:
    """The adopted result is implemented: the operational rules have changed (step 6)."""
    with uow:
        authorize_office(uow.principal)
        _step(uow, cmd.theme_id, IMPLEMENTED)
        uow.commit()


def escalate_theme(cmd: EscalateTheme, uow: SteeringUnitOfWork) -> None:
    """No county-wide consensus: the theme goes to the state level with the office's write-up
    (organisational text)."""
    if not cmd.write_up.strip():
        raise InvalidSteeringGroup("write_up", "the write-up for the state level needs text")
    with uow:
        authorize_office(uow.principal)
        _step(uow, cmd.theme_id, ESCALATED, cmd.write_up.strip())
        uow.commit()


@dataclass(frozen=True)
class ThemeHistory:
    theme: Theme
    transitions: list[ThemeTransition]


def history(uow: SteeringUnitOfWork, theme_id: uuid.UUID) -> ThemeHistory:
    with uow:
        theme = uow.get_theme(theme_id)
        if theme is None:
            raise NotFound("no such theme")
        return ThemeHistory(theme, uow.theme_transitions(theme_id))


def escalation_document(found: ThemeHistory) -> Document:
    """The write-up for the state level: the theme, its evidence as counts, its way through the
    county's planning process and the office's write-up. No case ids, no names."""
    escalation = next((t for t in reversed(found.transitions) if t.to_status == ESCALATED), None)
    if escalation is None:
        raise NotFound("the theme has not been escalated to the state level")
    theme = found.theme
    return Document(
        language="de", title="Generatives Thema: Darstellung für die Landesebene",
        subtitle="Kommunales Integrationsmanagement (KIM) · Koordinierende Stelle",
        blocks=(
            KeyValues((("Thema", theme.title),
                       ("Vorgeschlagen am", theme.proposed_on.strftime("%d.%m.%Y")),
                       ("An die Landesebene gegeben am",
                        escalation.changed_on.strftime("%d.%m.%Y")),
                       ("Stand im Kreis", LABELS_DE[escalation.from_status]),
                       ("Fallrekonstruktionen", str(len(theme.reconstruction_ids))),
                       ("Fälle, die es zeigen", str(len(theme.case_ids))))),
            Heading("Beschreibung"),
            Paragraph(theme.description or "—"),
            Heading("Darstellung: warum es keinen kreisweiten Konsens gibt"),
            Paragraph(escalation.write_up or "—"),
            Heading("Verlauf im Planungsprozess"),
            Table(header=("Datum", "von", "nach", "durch"),
                  rows=tuple((t.changed_on.strftime("%d.%m.%Y"), LABELS_DE[t.from_status],
                              LABELS_DE[t.to_status],
                              "Beschluss der Lenkungsgruppe" if t.decision_id
                              else "Koordinierende Stelle")
                             for t in found.transitions),
                  empty="—"),
            Note("Enthält keine personenbezogenen Daten: Fälle erscheinen nur als Anzahl."),
        ))


def escalation_pdf(uow: SteeringUnitOfWork, theme_id: uuid.UUID, issued_on: date) -> bytes:
    return render_pdf([escalation_document(history(uow, theme_id))], issued_on=issued_on,
                      footer="Lotse · Lenkung")
