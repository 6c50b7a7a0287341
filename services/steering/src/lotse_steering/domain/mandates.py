"""A project group (*Projektarbeitsgruppe*, PAG) as the steering group mandates it (DOMAIN.md
§8 step 3; seed 001 L511): the written mandate — subject, objective, composition, working form,
expected form of the result, special requirements — for a theme, by a decision, on a day.

This is the group's minimal record (table ``project_groups``); its members, meetings, goal
systems and service chains are kept in their own tables keyed by ``project_group_id``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

MANDATED = "mandated"


@dataclass
class ProjectGroup:
    theme_id: uuid.UUID
    decision_id: uuid.UUID
    subject: str
    objective: str
    composition: str
    working_form: str
    expected_result: str
    special_requirements: str
    mandated_on: date
    status: str = MANDATED
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None
