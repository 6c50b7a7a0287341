"""What travels with a case to another tenant (:class:`CaseCopy`): the content of the handover
package, from which the receiving side opens its own case — the person, the participation
consents (releases for the sender's partners do not travel), the latest assessment, the open
goals with their open steps, the latest help plan, the phase. The same copy serves a tenant of
this deployment (built from the sending tenant's unit of work) and one of a peer deployment
(read from the JSON package the sender served, ADR 0051).
"""

from __future__ import annotations

import dataclasses
import typing
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .model import Case, Consent, Person
from .planning import Assessment, Goal, HelpPlan, Step
from .vocabulary import PARTICIPATION_CONSENTS

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


D = TypeVar("D", bound="DataclassInstance")


class CaseFileReader(Protocol):
    """What the copy reads of the sending case file (the sending tenant's unit of work)."""

    def person(self, case_id: uuid.UUID) -> Person | None: ...
    def consents(self, case_id: uuid.UUID) -> list[Consent]: ...
    def assessments(self, case_id: uuid.UUID) -> list[Assessment]: ...
    def goals(self, case_id: uuid.UUID) -> list[Goal]: ...
    def help_plans(self, case_id: uuid.UUID) -> list[HelpPlan]: ...
    def steps(self, case_id: uuid.UUID) -> list[Step]: ...


@dataclass
class CaseCopy:
    """What travels with a case to another tenant: the handover package's content, from which
    the receiving side opens its case. Built from the sending tenant's unit of work
    (:meth:`of`), or from the package a peer deployment served (:meth:`from_document`)."""

    phase: str
    opened_on: date
    topic_areas: list[str]
    legal_areas: list[str]
    motto_goal: str | None
    risk_flagged: bool
    person: Person
    consents: list[Consent]  # participation consents only, not withdrawn
    assessment: Assessment | None
    goals: list[Goal]  # the open ones
    help_plan: HelpPlan | None
    steps: list[Step]  # the open ones

    @classmethod
    def of(cls, sending: CaseFileReader, case: Case) -> CaseCopy:
        assessments, plans = sending.assessments(case.id), sending.help_plans(case.id)
        person = sending.person(case.id)
        if person is None:
            raise ValueError("the case has no person record to hand over")
        return cls(
            phase=case.phase, opened_on=case.opened_on, topic_areas=list(case.topic_areas),
            legal_areas=list(case.legal_areas), motto_goal=case.motto_goal,
            risk_flagged=case.risk_flagged, person=person,
            consents=[c for c in sending.consents(case.id)
                      if c.kind in PARTICIPATION_CONSENTS and c.withdrawn_on is None],
            assessment=assessments[-1] if assessments else None,
            goals=[g for g in sending.goals(case.id) if g.status == "open"],
            help_plan=plans[-1] if plans else None,
            steps=[s for s in sending.steps(case.id) if s.status == "open"])

    def document(self, transfer: object, from_tenant_id: str) -> dict[str, Any]:
        """The handover package as the receiving case manager reads it (``GET /transfers/<id>``)
        and as a peer deployment fetches it."""
        return {
            "transfer": transfer, "from_tenant_id": from_tenant_id,
            "case": {"phase": self.phase, "opened_on": self.opened_on,
                     "topic_areas": self.topic_areas, "legal_areas": self.legal_areas,
                     "risk_flagged": self.risk_flagged},
            "person": self.person, "motto_goal": self.motto_goal, "consents": self.consents,
            "goals": self.goals, "help_plan": self.help_plan, "assessment": self.assessment,
            "steps": self.steps,
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> CaseCopy:
        """The copy in a package served by a peer (JSON); ValueError when it is not one."""
        try:
            case = document["case"]
            return cls(
                phase=str(case["phase"]), opened_on=date.fromisoformat(case["opened_on"]),
                topic_areas=list(case["topic_areas"]), legal_areas=list(case["legal_areas"]),
                motto_goal=document.get("motto_goal"),
                risk_flagged=bool(case.get("risk_flagged")),
                person=_required(Person, document["person"]),
                consents=[_required(Consent, c) for c in document.get("consents") or []],
                assessment=_revive(Assessment, document.get("assessment")),
                goals=[_required(Goal, g) for g in document.get("goals") or []],
                help_plan=_revive(HelpPlan, document.get("help_plan")),
                steps=[_required(Step, s) for s in document.get("steps") or []])
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a handover package: {type(error).__name__}") from None


def _required(cls: type[D], data: dict[str, Any] | None) -> D:
    revived = _revive(cls, data)
    if revived is None:
        raise TypeError(f"a {cls.__name__} is missing")
    return revived


def _revive(cls: type[D], data: dict[str, Any] | None) -> D | None:
    """A domain dataclass from its JSON (dates, times and ids parsed by the field types)."""
    if data is None:
        return None
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in data and f.name != "tenant_id":
            values[f.name] = _typed(hints[f.name], data[f.name])
    return cls(**values)


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    kinds = typing.get_args(hint) or (hint,)
    if datetime in kinds:
        return datetime.fromisoformat(value)
    if date in kinds:
        return date.fromisoformat(value)
    if uuid.UUID in kinds:
        return uuid.UUID(value)
    return value
