"""Demo data of a project group at work (issue 13, "Demo county: … one project group with a
goal system and a service chain"): the steering group mandated a group on the demo
reconstruction's theme "Aufenthaltsstatus und Leistungsbezug abstimmen" four months ago, modelled
on Mettmann's group on residence and qualified work (seed 004 L119–L132). Members from the town,
the foreigners' authority, the AWO and the Jobcenter; three meetings; a goal system from the
principle goal to activities; the chain from a job offer to the work permit. Ids and
organisational facts only."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from lotse_demo.county import DemoCounty, demo_id

from ..domain.goal_systems import GoalNode
from ..domain.project_groups import MemberEntry
from ..domain.service_chains import ChainStep
from .project_groups import (
    ChainDraft,
    Mandate,
    create_service_chain,
    mandate_project_group,
    record_meeting,
    replace_goal_system,
    replace_members,
)
from .unit_of_work import SteeringUnitOfWork

THEME_TITLE = "Aufenthaltsstatus und Leistungsbezug abstimmen"
MANDATED_DAYS_AGO = 120
#: the mandate's fields (the steering group's decision in seed_steering_group carries them)
DEMO_MANDATE = {
    "subject": THEME_TITLE,
    "objective": "Die Aufenthaltssicherung steht der Aufnahme einer qualifizierten Arbeit oder "
                 "Ausbildung nicht im Wege.",
    "composition": "Expertinnen und Experten aus ABH, Jobcenter, Beratungsstellen und Case "
                   "Management; die Koordinierende Stelle moderiert",
    "working_form": "drei Termine à drei Stunden, vorbereitet von der Koordinierenden Stelle",
    "expected_result": "Zielsystem und Dienstleistungskette als Beschlussvorlage für die "
                       "Lenkungsgruppe",
    "special_requirements": "keine Fallbeispiele mit personenbezogenen Daten",
}
MEETINGS = ((100, 180, ("Arbeitsauftrag", "Zusammensetzung")),
            (60, 150, ("Zielsystem: Rahmen- und Ergebnisziele",)),
            (20, 180, ("Dienstleistungskette Beschäftigungserlaubnis",)))
#: (username, organisation key, role in the group)
MEMBERS = (("cm.hoexter", "stadt-hoexter", "chair"), ("abh.lotsin", "abh", "member"),
           ("awo.beratung", "awo", "member"), ("jobcenter.ip", "jobcenter", "expert"))


def _goal_nodes(org: Callable[[str], str]) -> list[GoalNode]:
    return [
        GoalNode("L", None, "principle",
                 "Die Aufenthaltssicherung steht der Aufnahme einer qualifizierten Arbeit oder "
                 "Ausbildung nicht im Wege.",
                 ("Anteil der Fälle mit Beschäftigungserlaubnis innerhalb von 8 Wochen",),
                 ("Fallstatistik des Case Managements",),
                 ("Die Bundesagentur stimmt im üblichen Rahmen zu",)),
        GoalNode("R1", "L", "framework",
                 "Beratung zu Aufenthalt und Arbeit ist zwischen Behörden und Beratung "
                 "abgestimmt.",
                 ("Abgestimmte Verfahrensbeschreibung liegt allen Beteiligten vor",),
                 ("Protokolle der Projektarbeitsgruppe",)),
        GoalNode("E1", "R1", "result",
                 "Eine Kooperationsvereinbarung zwischen ABH und Beratungsakteuren besteht.",
                 ("Unterzeichnete Vereinbarung",), ("Vereinbarungsregister des Netzwerks",),
                 ("Die Leitungen der Beratungsstellen tragen die Vereinbarung mit",)),
        GoalNode("E2", "R1", "result",
                 "Eine Kooperationsvereinbarung zwischen BAMF und Beratungsakteuren besteht.",
                 ("Unterzeichnete Vereinbarung",), ("Vereinbarungsregister des Netzwerks",)),
        GoalNode("A1", "E1", "activity",
                 "Entwurf der Kooperationsvereinbarung ABH–Beratung abstimmen",
                 responsible_organisation_id=org("abh")),
        GoalNode("A2", "E1", "activity",
                 "Informationsveranstaltung mit fachlichem Input organisieren",
                 responsible_organisation_id=org("kreis")),
        GoalNode("A3", "E2", "activity",
                 "Gespräch mit der BAMF-Regionalkoordination vereinbaren",
                 responsible_organisation_id=org("bamf")),
    ]


def _chain(org: Callable[[str], str]) -> ChainDraft:
    return ChainDraft(
        title="Vom Arbeitsangebot zur Beschäftigungserlaubnis",
        description="Wer prüft was, in welcher Reihenfolge, und was am Übergabepunkt vorliegt.",
        goal_key="E1",
        steps=[
            ChainStep(1, org("awo"), "Arbeitsangebot und Unterlagen prüfen",
                      "Migrationsberatung", ("Checkliste Beschäftigung",),
                      "vollständige Unterlagen mit Einwilligung an die ABH"),
            ChainStep(2, org("abh"), "Zustimmung der Bundesagentur einholen",
                      "Sachbearbeitung Aufenthalt", ("Bearbeitung binnen 2 Wochen",)),
            ChainStep(3, org("abh"), "Beschäftigungserlaubnis erteilen",
                      "Sachbearbeitung Aufenthalt", (),
                      "Bescheid an das Jobcenter (mit Einwilligung)"),
            ChainStep(4, org("jobcenter"), "Leistungen und Eingliederungsvereinbarung anpassen",
                      "Integrationsfachkraft", ()),
        ])


def seed_project_group(units: Callable[[uuid.UUID], SteeringUnitOfWork],
                       county: DemoCounty) -> int:
    """The demo group with its members, meetings, goal system and service chain (once)."""
    tenant = county.tenant_id
    with units(tenant) as uow:
        theme = next((t for t in uow.list_themes() if t.title == THEME_TITLE), None)
        groups = uow.list_project_groups()
        # the group the steering group's seeded decision mandated (seed_steering_group), if any
        mandated = next((g for g in groups if theme is not None and g.theme_id == theme.id),
                        None)
        if theme is None or (mandated is not None and uow.group_members(mandated.id)) or (
                groups and mandated is None):
            return 0
        today = uow.today()

    def org(key: str) -> str:
        return str(county.organisation(key).id)

    if mandated is not None:
        group_id, written = mandated.id, 2
    else:  # no steering group's decision seeded: the group as its mandate would create it
        group_id, written = mandate_project_group(units(tenant), Mandate(
            theme_id=theme.id, decision_id=demo_id("steering:decision:mandate-1"),
            **DEMO_MANDATE), today - timedelta(days=MANDATED_DAYS_AGO)), 3
    replace_members(units(tenant), group_id, [
        MemberEntry(str(county.user(username).id), org(organisation), role)
        for username, organisation, role in MEMBERS])
    for days_ago, minutes, topics in MEETINGS:
        record_meeting(units(tenant), group_id, today - timedelta(days=days_ago), minutes,
                       list(topics), "")
    replace_goal_system(units(tenant), group_id, _goal_nodes(org), None)
    create_service_chain(units(tenant), group_id, _chain(org))
    return written  # the group (unless a decision made it), its goal system, its chain
