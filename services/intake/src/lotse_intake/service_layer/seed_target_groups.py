"""Demo data (make run, make up): Kreis Höxter's target groups per town, as its case-management concept 2023 (§3) sets them:

- only recognised refugees: Borgentreich, Bad Driburg;
- tolerated people and asylum seekers: Nieheim, Marienmünster, Steinheim, Warburg,
  Willebadessen, Brakel, Beverungen;
- tolerated people and recognised refugees, and disadvantaged people from the EU: Höxter.

The demo county uses them; the tests define them for a tenant of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from ..domain.commands import DefineTargetGroup
from ..domain.target_groups import Conditions
from ..domain.vocabulary import ResidenceStatus

CONCEPT = "Case-Management-Konzept Kreis Höxter 2023, Abschnitt 3 (Zielgruppe)"
VALID_FROM = date(2023, 1, 1)

RECOGNISED_ONLY = ("borgentreich", "bad-driburg")
TOLERATED_AND_ASYLUM = ("nieheim", "marienmuenster", "steinheim", "warburg", "willebadessen",
                        "brakel", "beverungen")
HOEXTER_TOWN = "hoexter"


def hoexter_target_groups(area_id: Callable[[str], str], defined_by: str,
                          group_id: Callable[[str], uuid.UUID] | None = None) -> list[DefineTargetGroup]:
    """The groups as commands; ``area_id`` maps a town key (``brakel``) to the tenant's area id."""

    def make(key: str, name: str, conditions: Conditions, towns) -> DefineTargetGroup:
        return DefineTargetGroup(
            name=name, conditions=conditions, valid_from=VALID_FROM, defined_by=defined_by,
            area_ids=[area_id(t) for t in towns], steering_decision_ref=CONCEPT,
            target_group_id=group_id(key) if group_id else None)

    return [
        make("recognised-refugees", "Anerkannte Flüchtlinge",
             Conditions(residence_statuses=(ResidenceStatus.RECOGNISED_REFUGEE,)),
             (*RECOGNISED_ONLY, HOEXTER_TOWN)),
        make("tolerated-and-asylum-seekers", "Geduldete und Asylbewerberinnen und -bewerber",
             Conditions(residence_statuses=(ResidenceStatus.DULDUNG, ResidenceStatus.GESTATTUNG)),
             TOLERATED_AND_ASYLUM),
        make("tolerated-hoexter", "Geduldete (Stadt Höxter)",
             Conditions(residence_statuses=(ResidenceStatus.DULDUNG,)), (HOEXTER_TOWN,)),
        make("disadvantaged-eu-citizens", "Benachteiligte Personen aus der EU (Stadt Höxter)",
             Conditions(residence_statuses=(ResidenceStatus.EU_CITIZEN,), disadvantaged=True),
             (HOEXTER_TOWN,)),
    ]
