"""The steering group's target-group decisions reach intake (issue 13, ADR 0095): a consumer of
``steering.target_group.decided.v1`` creates the target group the steering group decided —
name, criteria (as the group's description), validity, areas, the decision's reference — or ends
one on the day the decision names.

The decision's criteria are text, kept as the group's description; its machine-checkable
conditions come with the decision when the steering group's proposal gave them (intake's
vocabulary, checked here). A value intake does not know leaves the group without conditions —
logged, never guessed; the case manager confirms membership at screening. Idempotent: the consumer's inbox skips an event
it has seen, and the group's id comes from the decision, so a decision delivered again under
another event id creates nothing twice.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import date
from typing import Any

from lotse.steering.v1.events_pb2 import TargetGroupDecided
from lotse_platform.contracts import Envelope

from ..domain.errors import InvalidField
from ..domain.target_groups import Conditions, TargetGroup
from .unit_of_work import IntakeUnitOfWork

log = logging.getLogger("lotse.intake.steering")


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _conditions(conditions_json: str, group_id: uuid.UUID) -> Conditions:
    if not conditions_json:
        return Conditions()
    try:
        return Conditions.from_dict(json.loads(conditions_json))
    except (ValueError, TypeError, InvalidField):
        log.warning("target_group.decided.conditions_refused",
                    extra={"target_group_id": str(group_id)})
        return Conditions()


def receive_target_group_decision(event: Any, envelope: Envelope,
                                  uow: IntakeUnitOfWork) -> None:
    """Create or end the target group; runs in the consumer's transaction (it commits)."""
    group_id = uuid.UUID(event.target_group_id)
    group = uow.target_groups.get(group_id)
    if event.change == TargetGroupDecided.CHANGE_CREATE:
        if group is not None:
            return
        valid_from = _day(event.valid_from) or envelope.time.date()
        uow.target_groups.add(TargetGroup.define(
            event.name, _conditions(event.conditions_json, group_id), valid_from, valid_until=_day(event.valid_until),
            area_ids=list(event.area_ids), description=event.criteria or None,
            steering_decision_ref=event.decision_ref or event.decision_id, id=group_id))
        uow.audit("create", "target_group", group_id, reason="steering_decision")
        log.info("target_group.decided", extra={"target_group_id": str(group_id),
                                                "change": "create"})
    elif event.change == TargetGroupDecided.CHANGE_END:
        valid_until = _day(event.valid_until)
        if group is None or valid_until is None:
            log.warning("target_group.decided.unknown", extra={
                "target_group_id": str(group_id), "change": "end"})
            return
        group.end(valid_until)
        if not group.steering_decision_ref:
            group.steering_decision_ref = event.decision_ref or event.decision_id
        uow.audit("update", "target_group", group_id, reason="steering_decision")
        log.info("target_group.decided", extra={"target_group_id": str(group_id),
                                                "change": "end"})


EVENT_HANDLERS = {"steering.target_group.decided.v1": receive_target_group_decision}
