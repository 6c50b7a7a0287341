"""The household (*Bedarfsgemeinschaft*, 001 L562; families and single parents, 002 L217) of
a case, as intake links it: intake's household id, its kind and the person's relation. Casework
keeps a copy on the case (``Case.household_id``, ``household_kind``, ``household_relation``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

#: the kinds and relations intake knows, with their German labels
KINDS = {"family": "Familie", "single_parent": "Alleinerziehende mit Kindern",
         "partners": "Paar ohne Kinder",
         "shared_household": "andere Bedarfs- oder Wohngemeinschaft"}
RELATIONS = {"applicant": "antragstellende Person", "partner": "Partner*in", "child": "Kind",
             "other_adult": "weitere erwachsene Person"}


@dataclass(frozen=True)
class HouseholdContactMember:
    """One member case of a joint contact, and the appointment of that case it took place as
    (a home visit: each member's own agreed appointment)."""

    case_id: uuid.UUID
    appointment_id: uuid.UUID | None = None
