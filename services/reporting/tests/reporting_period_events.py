"""Events of one case manager's two weeks, as intake, casework and network publish them, for the
2-week reports' tests (ADR 0089)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from lotse.casework.v1 import events_pb2 as casework
from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform.contracts import Envelope

from reporting_events import envelope

Delivered = list[tuple[Envelope, Any]]


def two_weeks(tenant: uuid.UUID, cm: str, first: date, second: date, tag: str = "") -> Delivered:
    """What ``cm`` did on ``first`` and ``second`` (two days of one period): 2 first contacts,
    1 admission, 3 contacts (one a home visit), a referral sent and arrived, another declined,
    a goal reached, two cases opened (one moved on to linking), one closed (goals reached), an
    anonymous short consultation (3 people, 15 minutes) and an information event (12 people) —
    and one first contact of another case manager. ``tag`` makes the cases others."""
    d1, d2 = first.isoformat(), second.isoformat()
    case_a = casework.CaseFacts(case_id=f"a-{cm}{tag}", area_id="area-hoexter", case_manager_id=cm,
                                opened_on=d1)
    case_b = casework.CaseFacts(case_id=f"b-{cm}{tag}", area_id="area-hoexter", case_manager_id=cm,
                                opened_on=d1)
    referral = network.ReferralFacts(referral_id=str(uuid.uuid4()), partner_org_id="org-jc",
                                     topic_area=kim.TOPIC_AREA_WORK_TRAINING, case_id=case_a.case_id,
                                     case_manager_id=cm, sent_on=d1)
    other = network.ReferralFacts(referral_id=str(uuid.uuid4()), partner_org_id="org-caritas",
                                  case_manager_id=cm, sent_on=d2)
    delivered: Delivered = []
    for event in (
            intake.ContactRecorded(intake_id="i-1", recorded_by=cm, contact_date=d1),
            intake.ContactRecorded(intake_id="i-2", recorded_by=cm, contact_date=d2),
            intake.ContactRecorded(intake_id="i-3", recorded_by="cm-other", contact_date=d2),
            intake.CaseAdmitted(intake_id="i-1", case_manager_id=cm, admitted_on=d1),
            intake.AnonymousContactRecorded(
                contact_id="an-1", kind=intake.AnonymousContactRecorded.KIND_SHORT_QUERY,
                held_on=d1, people=3, duration_minutes=15, recorded_by=cm),
            intake.AnonymousContactRecorded(
                contact_id="an-2", kind=intake.AnonymousContactRecorded.KIND_INFORMATION_EVENT,
                held_on=d2, people=12, duration_minutes=90, recorded_by=cm),
    ):
        delivered.append((envelope(event, tenant, source="/lotse/intake"), event))
    for sequence, event in enumerate((
            casework.CaseOpened(case=case_a),
            casework.PhaseChanged(case=case_a, from_phase=casework.PHASE_INTAKE,
                                  to_phase=casework.PHASE_LINKING, changed_at=f"{d2}T10:00:00Z"),
            casework.ContactRecorded(case=case_a, contact_id="k-1",
                                     type=casework.CONTACT_TYPE_HOME_VISIT, contact_on=d1),
            casework.ContactRecorded(case=case_a, contact_id="k-2",
                                     type=casework.CONTACT_TYPE_PHONE_CALL, contact_on=d2),
            casework.GoalReached(case=case_a, goal_id="g-1", reached_on=d2),
    ), start=1):
        delivered.append((envelope(event, tenant, sequence=sequence), event))
    for sequence, event in enumerate((
            casework.CaseOpened(case=case_b),
            casework.ContactRecorded(case=case_b, contact_id="k-3",
                                     type=casework.CONTACT_TYPE_APPOINTMENT, contact_on=d1),
            casework.CaseClosed(case=case_b, reason=casework.CLOSURE_REASON_GOALS_REACHED,
                                closed_on=d2),
    ), start=1):
        delivered.append((envelope(event, tenant, sequence=sequence), event))
    for event in (network.ReferralSent(referral=referral),
                  network.ReferralArrived(referral=referral, arrived_on=d2),
                  network.ReferralSent(referral=other),
                  network.ReferralDeclined(referral=other, declined_on=d2)):
        delivered.append((envelope(event, tenant, source="/lotse/network"), event))
    return delivered


#: what :func:`two_weeks` counts for its case manager (every other figure is 0)
COUNTED = {"first_contacts": 2, "admissions": 1, "contacts.home_visit": 1,
           "contacts.phone_call": 1, "contacts.appointment": 1, "referrals.sent": 2,
           "referrals.arrived": 1, "referrals.declined": 1, "goals_reached": 1,
           "closures.goals_reached": 1, "open_cases.linking": 1, "short_queries": 1,
           "short_query_people": 3, "short_query_minutes": 15, "information_events": 1,
           "information_event_people": 12}
