"""Demo data of steering: a past case reconstruction of the demo county — four of its cases,
each presented by its case manager, with what was found, and the two generative themes it
proposed (issue 13, "Demo county: a planning cycle in progress"), the steering group that
established one of them and mandated its project group (:mod:`.seed_steering_group`), and the
project group at work on it (:mod:`.seed_project_groups`). Organisational facts only, as every
session.

The candidates need no seed: they come from casework's events of the demo county."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from lotse_demo.county import DemoCounty, demo_id
from lotse_demo.people import admitted as demo_admissions

from ..domain.commands import HoldReconstruction
from ..domain.reconstructions import ProcessStep, ReconstructedCase, ThemeProposal
from .handlers import hold_reconstruction
from .seed_project_groups import seed_project_group
from .seed_steering_group import seed_steering_group
from .unit_of_work import SteeringUnitOfWork

#: the case managers who presented, as casework's demo seed gives them their cases
PRESENTERS = ("cm.hoexter", "cm.brakel", "cm.warburg", "cm.beverungen")
#: before the steering group's meeting that established a theme (:mod:`.seed_steering_group`)
HELD_DAYS_AGO = 150

FINDINGS = (
    (("Ausländerbehörde", "Jobcenter", "Migrationsberatung"),
     (("Ausländerbehörde", "Fiktionsbescheinigung ausgestellt"),
      ("Jobcenter", "Leistungsantrag wegen fehlendem Aufenthaltstitel zurückgestellt"),
      ("Migrationsberatung", "Nachweise gesammelt und nachgereicht")),
     ("Ausländerbehörde → Jobcenter: Status nicht abgestimmt",),
     ("Migrationsberatung kennt beide Verfahren",),
     ("zwei Stellen fordern dieselben Nachweise an",)),
    (("Jobcenter", "Wohnungsamt", "Vermieter"),
     (("Wohnungsamt", "Wohnberechtigungsschein ausgestellt"),
      ("Jobcenter", "Angemessenheit der Miete geprüft"),
      ("Vermieter", "Wohnungsangebot zurückgezogen")),
     ("Jobcenter → Wohnungsamt: Mietobergrenzen für große Haushalte",),
     (),
     ("Wohnungssuche doppelt durch Case Management und Beratungsstelle",)),
    (("Ausländerbehörde", "Jobcenter", "Integrationskursträger"),
     (("Integrationskursträger", "Kursplatz angeboten"),
      ("Ausländerbehörde", "Verpflichtung zum Integrationskurs erteilt"),
      ("Jobcenter", "Eingliederungsvereinbarung ohne Kurszeiten geschlossen")),
     ("Jobcenter → Kursträger: Kurszeiten und Maßnahmen überschneiden sich",),
     ("gemeinsame Sprechstunde von Jobcenter und Kursträger",),
     ()),
    (("Wohnungsamt", "Jugendamt", "Schulamt"),
     (("Wohnungsamt", "Unterbringung in Notunterkunft"),
      ("Schulamt", "Schulplatz im bisherigen Ort"),
      ("Jugendamt", "Hilfe zur Erziehung angefragt")),
     ("Wohnungsamt → Schulamt: Schulweg nach Umzug",),
     (),
     ("Hilfeplanung doppelt in Jugendamt und Case Management",)),
)


def demo_case(county: DemoCounty, username: str) -> str:
    """The case manager's first case of casework's own invented people (after the admitted
    ones), as casework's demo seed names it."""
    user = county.user(username)
    admitted = [a for a in demo_admissions() if a.town in user.areas]
    return str(demo_id(f"case:{username.removeprefix('cm.')}-{len(admitted) + 1}"))


def seed_demo(units: Callable[[uuid.UUID], SteeringUnitOfWork], county: DemoCounty) -> int:
    """The past reconstruction with its themes, the steering group's decisions on the first
    (established, project group mandated), then the project group's work."""
    return (seed_reconstruction(units, county) + seed_steering_group(units, county)
            + seed_project_group(units, county))


def seed_reconstruction(units: Callable[[uuid.UUID], SteeringUnitOfWork],
                        county: DemoCounty) -> int:
    with units(county.tenant_id) as uow:
        if uow.list_reconstructions():
            return 0
        held_on = uow.today() - timedelta(days=HELD_DAYS_AGO)
    cases = []
    for username, (actors, steps, interfaces, synergies, duplicates) in zip(
            PRESENTERS, FINDINGS, strict=True):
        cases.append(ReconstructedCase(
            case_id=demo_case(county, username), presented_by=str(county.user(username).id),
            planned_minutes=180, actors=actors,
            process_steps=tuple(ProcessStep(actor, step) for actor, step in steps),
            interfaces=interfaces, synergies=synergies, duplicate_structures=duplicates))
    ids = [c.case_id for c in cases]
    themes = (
        ThemeProposal("Aufenthaltsstatus und Leistungsbezug abstimmen",
                      "Ausländerbehörde und Jobcenter prüfen denselben Status nacheinander; "
                      "Leistungen warten auf Titel, Titel auf Nachweise.", (ids[0], ids[2])),
        ThemeProposal("Wohnraum für große Haushalte",
                      "Mietobergrenzen und das Angebot passen für Haushalte ab fünf Personen "
                      "nicht zusammen; die Suche läuft doppelt.", (ids[1], ids[3])),
    )
    hold_reconstruction(HoldReconstruction(held_on, str(county.user("ks.koch").id),
                                           tuple(cases), themes), units(county.tenant_id))
    return 1 + len(themes)
