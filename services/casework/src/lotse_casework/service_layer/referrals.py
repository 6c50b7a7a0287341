"""A case's referrals as the network service reports them (domain/referrals.py): the consumer
of ``network.referral.*.v1``. Referrals from an intake (no case) and of cases not kept here are
not casework's; a late or redelivered event changes nothing (the states only move forward, and
the inbox makes each event count once)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network

from ..domain.referrals import CaseReferral
from .unit_of_work import CaseworkUnitOfWork

#: event type → the state it reports and the field of its day
STATES = {
    "network.referral.sent.v1": ("sent", None),
    "network.referral.accepted.v1": ("accepted", "accepted_on"),
    "network.referral.declined.v1": ("declined", "declined_on"),
    "network.referral.arrived.v1": ("arrived", "arrived_on"),
    "network.referral.not_arrived.v1": ("not_arrived", "recorded_on"),
    "network.referral.completed.v1": ("completed", "completed_on"),
    "network.referral.cancelled.v1": ("cancelled", "cancelled_on"),
}


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _code(name: str, prefix: str) -> str:
    return name.removeprefix(prefix).lower()


def record_referral_state(event: Any, envelope: Any, uow: CaseworkUnitOfWork) -> None:
    facts: network.ReferralFacts = event.referral
    if not facts.case_id:
        return  # an intake's referral: no case here
    try:
        case_id = uuid.UUID(facts.case_id)
    except ValueError:
        return
    if uow.case(case_id) is None:
        return
    status, day_field = STATES[envelope.type]
    on = _day(getattr(event, day_field)) if day_field else _day(facts.sent_on)
    kept = uow.case_referral(facts.referral_id)
    if kept is None:
        kept = CaseReferral(
            referral_id=facts.referral_id, case_id=case_id, partner_org_id=facts.partner_org_id,
            mode=_code(network.ReferralMode.Name(facts.mode), "REFERRAL_MODE_"),
            topic_area=_code(kim.TopicArea.Name(facts.topic_area), "TOPIC_AREA_"),
            status=status, sent_on=_day(facts.sent_on), status_on=on,
            arrived_on=on if status == "arrived" else None)
        uow.add(kept)
    elif kept.advance(status, on):
        kept.sent_on = kept.sent_on or _day(facts.sent_on)
    uow.audit("update", "case_referral", case_id, reason=f"network: {status}")


EVENT_HANDLERS = {event_type: record_referral_state for event_type in STATES}
