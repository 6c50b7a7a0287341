"""The referral use cases on the in-memory unit of work: the consent check asks intake for the
releases relied on, a withdrawal event cancels the open referrals to that partner only, and the
events carry no text. Seeds: DOMAIN.md §4 "release from confidentiality per problem area and per
partner … consent can be withdrawn"; 001 L276 (the CM knows whether the client arrived)."""

from __future__ import annotations

import uuid

import pytest
from lotse.intake.v1 import events_pb2 as intake_ev

from lotse_network.domain.referrals import ConsentCopy, MissingRelease
from lotse_network.service_layer import referrals
from lotse_platform.auth import CASE_MANAGER, Principal
from lotse_platform.references import ORGANISATION, Known
from network_fakes import FakeNetworkUnitOfWork, IntakeAsTestSays

ABH, JOBCENTER = "org-abh", "org-jobcenter"
INTAKE = str(uuid.uuid4())


@pytest.fixture
def uow():
    unit = FakeNetworkUnitOfWork(principal=Principal(
        subject="cm-lea", tenant=uuid.uuid4(), organisation="org-stadt",
        roles=frozenset({CASE_MANAGER})))
    unit.references.put_all([Known(ORGANISATION, ABH), Known(ORGANISATION, JOBCENTER)])
    return unit


@pytest.fixture
def intake(uow):
    stand_in = IntakeAsTestSays()
    for partner, topic in ((ABH, "residence"), (JOBCENTER, "work_training")):
        copy = ConsentCopy(consent_id=f"c-{partner}", intake_id=INTAKE, operator_org_id="",
                           kind="release_of_confidentiality", partner_org_id=partner,
                           topic_areas=[topic])
        uow.add(copy)
        stand_in.give(copy)
    return stand_in


def make(uow, intake, partner=ABH, topic="residence"):
    return referrals.make_referral(referrals.MakeReferral(
        intake_id=uuid.UUID(INTAKE), partner_org_id=partner, mode="referral_counselling",
        topic_area=topic, reason="Geheimer Anlass"), uow, intake)


def test_the_referral_asks_intake_for_the_release_it_rests_on(uow, intake):
    made = make(uow, intake)
    assert intake.calls == [("", INTAKE, [f"c-{ABH}"])]
    assert uow.referral(made).status == "sent"
    assert [a[:2] for a in uow.audited] == [("create", "referral")]
    intake.withdraw(f"c-{ABH}", uow.today())
    with pytest.raises(MissingRelease) as refused:
        make(uow, intake)
    assert refused.value.missing == [(ABH, "residence")]


def test_a_withdrawal_event_cancels_the_open_referrals_to_that_partner_only(uow, intake):
    to_abh, to_jobcenter = make(uow, intake), make(uow, intake, JOBCENTER, "work_training")
    uow.principal = None  # the consumer
    with uow:
        referrals.consent_withdrawn(intake_ev.ConsentWithdrawn(
            consent_id=f"c-{ABH}", intake_id=INTAKE, kind=2, partner_org_id=ABH,
            topic_areas=[1], withdrawn_on=uow.today().isoformat()), None, uow)
        uow.commit()
    assert uow.referral(to_abh).status == "cancelled"
    assert uow.referral(to_abh).shared_hidden_on == uow.today()
    assert uow.referral(to_jobcenter).status == "sent"
    cancelled = [e for e, _, _ in uow.published if type(e).__name__ == "ReferralCancelled"]
    assert len(cancelled) == 1 and cancelled[0].from_status == "sent"
    assert all(b"Geheimer Anlass" not in e.SerializeToString() for e, _, _ in uow.published)
