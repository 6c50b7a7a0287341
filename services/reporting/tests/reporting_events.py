"""Events as casework and network publish them, in envelopes, for reporting's tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform.contracts import Envelope, event_type_of


def envelope(event: Any, tenant: uuid.UUID, *, sequence: int | None = None,
             source: str = "/lotse/casework") -> Envelope:
    return Envelope(id=uuid.uuid4(), type=event_type_of(event), source=source,
                    time=datetime.now(UTC), data=event.SerializeToString(), tenant=tenant,
                    sequence=sequence)


def case_story(tenant: uuid.UUID, case_id: str, area: str,
               to_phase: int = casework.PHASE_ASSESSMENT, closed: bool = False,
               moved_to: str | None = None) -> list[tuple[Envelope, Any]]:
    """A case opened in ``area``, moved on to ``to_phase``, maybe transferred to ``moved_to``
    (an area of the county) and closed — its events numbered as casework numbers them."""
    facts = casework.CaseFacts(case_id=case_id, area_id=area, case_manager_id="cm-1")
    events: list[Any] = [casework.CaseOpened(case=facts),
                         casework.PhaseChanged(case=facts, from_phase=casework.PHASE_INTAKE,
                                               to_phase=to_phase)]
    if moved_to:
        moved = casework.CaseFacts(case_id=case_id, area_id=moved_to, case_manager_id="cm-2")
        events.append(casework.CaseTransferred(case=moved, from_area_id=area))
        facts = moved
    if closed:
        events.append(casework.CaseClosed(case=facts,
                                           reason=casework.CLOSURE_REASON_GOALS_REACHED))
    return [(envelope(e, tenant, sequence=n), e) for n, e in enumerate(events, start=1)]


def referral_story(tenant: uuid.UUID, partner: str, outcome: str,
                   topic: int = kim.TOPIC_AREA_WORK_TRAINING) -> list[tuple[Envelope, Any]]:
    """A referral to ``partner``, sent, then taking ``outcome`` (arrived → completed included)."""
    facts = network.ReferralFacts(referral_id=str(uuid.uuid4()), partner_org_id=partner,
                                  topic_area=topic, source=network.REFERRAL_SOURCE_CASE)
    steps: list[Any] = [network.ReferralSent(referral=facts)]
    if outcome in ("accepted", "arrived", "completed", "not_arrived"):
        steps.append(network.ReferralAccepted(referral=facts))
    if outcome in ("arrived", "completed"):
        steps.append(network.ReferralArrived(referral=facts, days_since_sent=5))
    if outcome == "completed":
        steps.append(network.ReferralCompleted(referral=facts))
    if outcome == "not_arrived":
        steps.append(network.ReferralNotArrived(referral=facts))
    if outcome == "declined":
        steps.append(network.ReferralDeclined(referral=facts))
    if outcome == "cancelled":
        steps.append(network.ReferralCancelled(referral=facts))
    return [(envelope(e, tenant, source="/lotse/network"), e) for e in steps]
