"""Service chains (*Dienstleistungsketten*, seed 001 L643–L647; DOMAIN.md §8 step 4).

A service chain is the ordered sequence of activities of several actors that reaches a result:
which activity, in which order, by which organisation, to which professional standards, under
whose responsibility, and with which handover points (*Übergabepunkte*) — what the next actor
can take as done when the chain passes to it.

Rules (422 naming the field, ``steps.<i>.<field>`` by the step's place in the request):

- the order numbers are unique; the chain runs by them, not by the request's order;
- at least two actors (organisations) take part — one organisation alone is no chain;
- where the chain passes from one actor to another, the step before names the handover point;
  a handover is between different actors (none between two steps of the same organisation),
  and the last step hands over to no one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lotse_platform.errors import Unprocessable

MIN_ACTORS = 2


class InvalidServiceChain(Unprocessable):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("the service chain breaks a rule; see errors", errors=errors)


@dataclass(frozen=True)
class ChainStep:
    """One activity of the chain as a client sends it."""

    order: int
    organisation_id: str  # the actor
    activity: str
    responsibility: str = ""  # who answers for it inside the organisation (a role, no name)
    standards: tuple[str, ...] = ()  # professional standards (fachliche Standards)
    handover: str | None = None  # the handover point to the next step's actor

    def document(self) -> dict[str, Any]:
        return {"order": self.order, "organisation_id": self.organisation_id,
                "activity": self.activity, "responsibility": self.responsibility,
                "standards": list(self.standards), "handover": self.handover}


@dataclass
class ServiceChain:
    """A project group's service chain: title, what it serves (a goal of the group's goal
    system by its key, optional), its steps in order, a version for ``If-Match``."""

    group_id: uuid.UUID
    title: str
    description: str
    goal_key: str | None
    steps: list[dict[str, Any]]
    version: int
    updated_at: datetime
    updated_by: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @property
    def etag(self) -> str:
        return f'"service-chain-{self.version}"'

    @property
    def actors(self) -> list[str]:
        """The organisations in the order they first act."""
        return list(dict.fromkeys(s["organisation_id"] for s in self.steps))


def _error(errors: list[dict[str, str]], index: int, name: str, message: str) -> None:
    errors.append({"field": f"steps.{index}.{name}", "message": message})


def ordered(steps: list[ChainStep]) -> list[dict[str, Any]]:
    """The steps in their order as stored, or the refusal naming every offending field."""
    errors: list[dict[str, str]] = []
    seen: dict[int, int] = {}
    for i, step in enumerate(steps):
        if step.order in seen:
            _error(errors, i, "order", f"step {seen[step.order]} has this order already")
        seen.setdefault(step.order, i)
    if len({s.organisation_id for s in steps}) < MIN_ACTORS:
        errors.append({"field": "steps", "message": "a service chain has activities of at "
                                                    f"least {MIN_ACTORS} actors"})
    if errors:
        raise InvalidServiceChain(errors)
    places = sorted(range(len(steps)), key=lambda i: steps[i].order)
    for here, after in zip(places, [*places[1:], None], strict=True):
        step = steps[here]
        handover = (step.handover or "").strip()
        if after is None:
            if handover:
                _error(errors, here, "handover", "the last step hands over to no one")
        elif steps[after].organisation_id == step.organisation_id:
            if handover:
                _error(errors, here, "handover",
                       "a handover is between different actors; the next step is the same "
                       "organisation's")
        elif not handover:
            _error(errors, here, "handover",
                   "the chain passes to another actor here: name the handover point")
    if errors:
        raise InvalidServiceChain(errors)
    return [steps[i].document() for i in places]


def handovers(chain: ServiceChain) -> list[dict[str, Any]]:
    """The handover points: from which actor's step to which, with what is handed over."""
    found = []
    for step, after in zip(chain.steps, chain.steps[1:], strict=False):
        if step["handover"]:
            found.append({"from_order": step["order"], "to_order": after["order"],
                          "from_organisation_id": step["organisation_id"],
                          "to_organisation_id": after["organisation_id"],
                          "handover": step["handover"]})
    return found
