"""Events as casework publishes them, in envelopes, for steering's tests: a case's story from
its opening, numbered in the case's own sequence."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_platform.contracts import Envelope, event_type_of


def topic(name: str) -> int:
    return kim.TopicArea.Value(f"TOPIC_AREA_{name.upper()}")


def legal(name: str) -> int:
    return kim.LegalArea.Value(f"LEGAL_AREA_{name.upper()}")


def envelope(event: Any, tenant: uuid.UUID, *, sequence: int | None = None) -> Envelope:
    return Envelope(id=uuid.uuid4(), type=event_type_of(event), source="/lotse/casework",
                    time=datetime.now(UTC), data=event.SerializeToString(), tenant=tenant,
                    sequence=sequence)


@dataclass
class CaseStory:
    """One case told as casework's events: opened ``weeks`` weeks before ``today`` with its
    topic and legal areas, through to monitoring, with ``goals`` open goals, ``contacts``
    contacts and ``organisations`` involved."""

    today: date
    case_manager: str = "cm-lea"
    area: str = "area-hoexter"
    topics: tuple[str, ...] = ("housing", "work_training")
    legal_areas: tuple[str, ...] = ("tenancy_law", "sgb_ii")
    weeks: int = 12
    goals: int = 2
    contacts: int = 4
    organisations: int = 2
    monitoring: bool = True
    case_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def facts(self) -> casework.CaseFacts:
        opened = self.today - timedelta(weeks=self.weeks)
        return casework.CaseFacts(case_id=self.case_id, area_id=self.area,
                                  case_manager_id=self.case_manager,
                                  topic_areas=[topic(t) for t in self.topics],
                                  legal_areas=[legal(a) for a in self.legal_areas],
                                  opened_on=opened.isoformat())

    def events(self) -> list[Any]:
        facts = self.facts()
        found: list[Any] = [casework.CaseOpened(case=facts)]
        phases = ["assessment", "goal_agreement", "linking"] + (
            ["monitoring"] if self.monitoring else [])
        previous = "intake"
        for phase in phases:
            found.append(casework.PhaseChanged(
                case=facts, from_phase=casework.Phase.Value(f"PHASE_{previous.upper()}"),
                to_phase=casework.Phase.Value(f"PHASE_{phase.upper()}")))
            previous = phase
        for n in range(self.goals):
            found.append(casework.GoalSet(case=facts, goal_id=f"{self.case_id}-g{n}",
                                          topic_area=topic(self.topics[0])))
        for n in range(self.organisations):
            found.append(casework.StepDone(case=facts, goal_id=f"{self.case_id}-g0",
                                           step_id=f"{self.case_id}-s{n}",
                                           responsible=casework.RESPONSIBLE_PARTNER_ORGANISATION,
                                           responsible_org_id=f"org-{n}"))
        for n in range(self.contacts):
            found.append(casework.ContactRecorded(case=facts, contact_id=f"{self.case_id}-c{n}",
                                                  type=casework.CONTACT_TYPE_APPOINTMENT))
        return found

    def closed(self) -> casework.CaseClosed:
        return casework.CaseClosed(case=self.facts(),
                                   reason=casework.CLOSURE_REASON_GOALS_REACHED)

    def enveloped(self, tenant: uuid.UUID, extra: list[Any] = ()) -> list[tuple[Envelope, Any]]:
        return [(envelope(e, tenant, sequence=n), e)
                for n, e in enumerate([*self.events(), *extra], start=1)]
