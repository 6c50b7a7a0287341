"""The case file shows its referrals and their state as the network service reports them
(issue 11: in linking "the case manager keeps case responsibility and must know whether the
client arrived", DOMAIN.md §5) — from network's events, late and repeated ones changing nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.testing import days_ago

from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network

from casework_steps import ok
from casework_support import open_test_case

pytestmark = pytest.mark.integration


def deliver(casework, tenant, event) -> str:
    envelope = Envelope(id=uuid.uuid4(), type=event_type_of(event), source="/lotse/network",
                        time=datetime.now(UTC), data=event.SerializeToString(), tenant=tenant)
    return casework.consumer().process(envelope, event)


def test_the_case_file_shows_whether_the_client_arrived_whatever_the_order_of_the_events(
        casework, tenant, as_user):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    facts = network.ReferralFacts(
        referral_id=str(uuid.uuid4()), partner_org_id="org-jobcenter",
        mode=network.REFERRAL_MODE_WARM_HANDOVER, topic_area=kim.TOPIC_AREA_WORK_TRAINING,
        source=network.REFERRAL_SOURCE_CASE, case_id=str(case_id), case_manager_id="cm-lea",
        sent_on=days_ago(9))
    # the arrival overtakes the acceptance on the way
    arrived = network.ReferralArrived(referral=facts, arrived_on=days_ago(2), days_since_sent=7)
    assert deliver(casework, tenant, network.ReferralSent(referral=facts)) == "processed"
    assert deliver(casework, tenant, arrived) == "processed"
    assert deliver(casework, tenant, network.ReferralAccepted(
        referral=facts, accepted_on=days_ago(8), accepted_by="jc-1")) == "processed"

    [referral] = ok(lea.get(f"/cases/{case_id}"), 200)["referrals"]
    assert referral == {"referral_id": facts.referral_id, "partner_org_id": "org-jobcenter",
                        "mode": "warm_handover", "topic_area": "work_training",
                        "status": "arrived", "sent_on": days_ago(9), "status_on": days_ago(2),
                        "arrived_on": days_ago(2)}

    # an intake's referral (no case) and another tenant's case are not this case file's
    intake_only = network.ReferralFacts(referral_id=str(uuid.uuid4()), intake_id="i-1",
                                        source=network.REFERRAL_SOURCE_INTAKE)
    assert deliver(casework, tenant, network.ReferralSent(referral=intake_only)) == "processed"
    assert deliver(casework, uuid.uuid4(), network.ReferralCompleted(
        referral=facts, completed_on=days_ago(0))) == "processed"
    assert [r["status"] for r in ok(lea.get(f"/cases/{case_id}"), 200)["referrals"]] == [
        "arrived"]
