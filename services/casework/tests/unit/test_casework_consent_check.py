"""The consent check at the moment of sharing (ADR 0053) on casework's message bus with the
in-memory unit of work: what intake answers now decides, not the copy; intake is asked only
about what the sharing rests on, only when the copy would allow it, and not answering means
nothing is shared. (Against the real intake over HTTP: test_casework_consent_at_once.py.)"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from lotse_platform import clock
from lotse_platform.auth import CASE_MANAGER, Principal
from lotse_platform.errors import ServiceUnavailable

from casework_fakes import FakeCasework
from lotse_casework.domain.commands import (
    AcceptTransfer,
    AddParticipant,
    OfferTransfer,
    PlanConference,
    ShareCase,
)
from lotse_casework.domain.consent_check import (
    CurrentConsent,
    confirmed,
    to_confirm_for_handing_on,
    to_confirm_for_partners,
)
from lotse_casework.domain.contacts import Conference
from lotse_casework.domain.errors import Refused
from lotse_casework.domain.model import Case, CaseManager, Consent, Transfer

TENANT = uuid.uuid4()
OWN_ORG = "org-stadt-hoexter"
LEA = Principal(subject="cm-lea", tenant=TENANT, organisation=OWN_ORG,
                areas=frozenset({"area-hoexter"}), roles=frozenset({CASE_MANAGER}))
TOM = Principal(subject="cm-tom", tenant=TENANT, organisation=OWN_ORG,
                areas=frozenset({"area-brakel"}), roles=frozenset({CASE_MANAGER}))
INTAKE = str(uuid.uuid4())
AGREEMENT, PROTECTION, CARITAS, JOBCENTER = (str(uuid.uuid4()) for _ in range(4))
SOON = clock.today() + timedelta(days=7)


def a_case(service: FakeCasework, operator: str = "") -> Case:
    with service.uow(TENANT) as uow:
        case = Case.open(intake_id=INTAKE, operator_org_id=operator, area_id="area-hoexter",
                         organisation_id=OWN_ORG, case_manager_id="cm-lea",
                         opened_on=uow.today() - timedelta(days=30),
                         topic_areas=["housing", "work_training"], target_group_ids=[])
        case.phase, case.phases_visited = "linking", ["intake", "linking"]
        start = uow.today() - timedelta(days=30)
        uow.add(case,
                Consent(case_id=case.id, consent_id=PROTECTION,
                        kind="data_protection_information", valid_from=start),
                Consent(case_id=case.id, consent_id=AGREEMENT, kind="counselling_agreement",
                        valid_from=start),
                Consent(case_id=case.id, consent_id=CARITAS, kind="release_of_confidentiality",
                        partner_org_id="org-caritas", topic_areas=["housing"],
                        valid_from=start),
                Consent(case_id=case.id, consent_id=JOBCENTER,
                        kind="release_of_confidentiality", partner_org_id="org-jobcenter",
                        topic_areas=["work_training"], valid_from=start),
                CaseManager(user_id="cm-tom", organisation_id=OWN_ORG, fte=1.0,
                            areas=["area-brakel"]))
        uow.commit()
    return case


def a_conference(service: FakeCasework, case: Case, topics=("housing",)) -> uuid.UUID:
    return service.handle(PlanConference(case.id, planned_on=SOON,
                                         topics=list(topics), agenda="Wohnungssuche"), LEA)


def participants(service: FakeCasework, case: Case) -> list[str]:
    with service.uow(TENANT) as uow:
        (conference,) = uow.conferences(case.id)
        return [p["organisation_id"] for p in conference.participants]


def test_a_release_withdrawn_at_intake_refuses_the_partner_before_the_event_arrives():
    service = FakeCasework()
    case = a_case(service)
    conference_id = a_conference(service, case)
    service.consent_client.withdrawn.add(CARITAS)  # committed at intake; no event here yet

    with pytest.raises(Refused) as refused:
        service.handle(AddParticipant(case.id, conference_id, "org-caritas"), LEA)

    assert refused.value.status == 409
    assert "no valid release of confidentiality for: housing" in refused.value.detail
    assert participants(service, case) == []
    with service.uow(TENANT) as uow:
        assert all(c.withdrawn_on is None for c in uow.consents(case.id)), \
            "the copy stays what intake's events made it"
    (call,) = service.consent_client.calls
    assert call == ("", INTAKE, [PROTECTION, AGREEMENT, CARITAS]), \
        "exactly what the sharing rests on: participation and Caritas' release for housing"


def test_a_partner_with_a_release_intake_confirms_joins():
    service = FakeCasework()
    case = a_case(service)
    conference_id = a_conference(service, case)

    service.handle(AddParticipant(case.id, conference_id, "org-caritas"), LEA)

    assert participants(service, case) == ["org-caritas"]


def test_an_unknown_consent_counts_as_withdrawn():
    service = FakeCasework()
    case = a_case(service)
    conference_id = a_conference(service, case)
    service.consent_client.unknown.add(CARITAS)

    with pytest.raises(Refused):
        service.handle(AddParticipant(case.id, conference_id, "org-caritas"), LEA)
    service.consent_client.unknown = {AGREEMENT}
    with pytest.raises(Refused) as refused:
        service.handle(AddParticipant(case.id, conference_id, "org-caritas"), LEA)
    assert "consent was withdrawn" in refused.value.detail
    assert participants(service, case) == []


def test_intake_not_answering_shares_nothing_and_says_when_to_try_again():
    service = FakeCasework()
    case = a_case(service)
    conference_id = a_conference(service, case)
    service.consent_client.unavailable = True

    with pytest.raises(ServiceUnavailable) as unavailable:
        service.handle(AddParticipant(case.id, conference_id, "org-caritas"), LEA)
    assert unavailable.value.status == 503
    assert unavailable.value.headers == {"Retry-After": "5"}
    assert participants(service, case) == []
    with pytest.raises(ServiceUnavailable):
        service.handle(PlanConference(case.id, planned_on=SOON,
                                      topics=["housing"], agenda="x",
                                      participants=[{"organisation_id": "org-caritas"}]), LEA)
    with pytest.raises(ServiceUnavailable):
        service.handle(OfferTransfer(case.id, to_case_manager_id="cm-tom"), LEA)
    with service.uow(TENANT) as uow:
        assert len(uow.conferences(case.id)) == 1 and uow.transfers(case.id) == []
        assert [a.action for a in service.database.audit_log].count("create") == 1


def test_nobody_is_asked_when_nothing_leaves_the_organisation_or_the_copy_refuses():
    service = FakeCasework()
    case = a_case(service)
    conference_id = a_conference(service, case, topics=("housing", "health"))

    service.handle(AddParticipant(case.id, conference_id, OWN_ORG), LEA)
    with pytest.raises(Refused):  # no release for health in the copy
        service.handle(AddParticipant(case.id, conference_id, "org-caritas"), LEA)
    with pytest.raises(Refused):  # takes part already
        service.handle(AddParticipant(case.id, conference_id, OWN_ORG), LEA)

    assert service.consent_client.calls == []


def test_planning_with_partners_asks_once_for_all_of_them():
    service = FakeCasework()
    case = a_case(service)
    service.handle(PlanConference(case.id, planned_on=SOON,
                                  topics=["housing", "work_training"], agenda="Netzwerk",
                                  participants=[]), LEA)
    service.consent_client.calls.clear()
    service.consent_client.withdrawn.add(JOBCENTER)

    with pytest.raises(Refused) as refused:
        service.handle(PlanConference(
            case.id, planned_on=SOON,
            topics=["housing", "work_training"], agenda="Netzwerk",
            participants=[{"organisation_id": "org-caritas"},
                          {"organisation_id": "org-jobcenter"}]), LEA)

    assert "org-caritas cannot take part" in refused.value.detail, \
        "Caritas' release covers housing only: the copy refuses before anybody is asked"
    assert service.consent_client.calls == []


def test_a_transfer_is_neither_offered_nor_accepted_once_intake_has_participation_withdrawn():
    service = FakeCasework()
    case = a_case(service)
    transfer_id = service.handle(OfferTransfer(case.id, to_case_manager_id="cm-tom"), LEA)
    service.consent_client.withdrawn.add(AGREEMENT)

    with pytest.raises(Refused) as refused:
        service.handle(AcceptTransfer(transfer_id), TOM)

    assert "consent was withdrawn: the case file is not handed on" in refused.value.detail
    with service.uow(TENANT) as uow:
        kept = uow.case(case.id)
        assert (kept.case_manager_id, kept.area_id) == ("cm-lea", "area-hoexter")
        assert uow.transfer(transfer_id).status == "pending", \
            "intake's event cancels it (the consumer); the refusal changes nothing"
    service2 = FakeCasework()  # a case whose agreement intake has withdrawn
    other = a_case(service2)
    service2.consent_client.withdrawn.add(AGREEMENT)
    with pytest.raises(Refused):
        service2.handle(OfferTransfer(other.id, to_case_manager_id="cm-tom"), LEA)
    with pytest.raises(Refused):
        service2.handle(ShareCase(other.id, "cm-tom", "deputy",
                                  valid_until=SOON), LEA)
    with service2.uow(TENANT) as uow:
        assert uow.transfers(other.id) == [] and uow.shares(other.id) == []


def test_a_case_opened_from_a_transfer_keeps_the_copy_that_travelled_with_it():
    service = FakeCasework()
    case = a_case(service, operator=f"transfer:{uuid.uuid4()}")
    conference_id = a_conference(service, case)

    service.handle(AddParticipant(case.id, conference_id, "org-caritas"), LEA)

    assert service.consent_client.calls == []


def test_what_the_sharing_rests_on_and_the_confirmed_state():
    case = Case.open(intake_id=INTAKE, operator_org_id="", area_id="a", organisation_id=OWN_ORG,
                     case_manager_id="cm-lea", opened_on=date(2026, 1, 1),
                     topic_areas=["housing"], target_group_ids=[])
    today = date(2026, 6, 1)
    agreement = Consent(case_id=case.id, consent_id="ca", kind="counselling_agreement")
    release = Consent(case_id=case.id, consent_id="rel", kind="release_of_confidentiality",
                      partner_org_id="org-caritas", topic_areas=["housing"])
    expired = Consent(case_id=case.id, consent_id="old", kind="release_of_confidentiality",
                      partner_org_id="org-caritas", topic_areas=["housing"],
                      valid_until=date(2026, 5, 1))
    kept = [agreement, release, expired]

    assert to_confirm_for_partners(case, kept, ["org-caritas"], ["housing"], today) == [
        agreement, release]
    assert to_confirm_for_partners(case, kept, [OWN_ORG], ["housing"], today) == []
    assert to_confirm_for_partners(case, kept, ["org-awo"], ["housing"], today) == []
    assert to_confirm_for_handing_on(case, kept) == [agreement]

    now = confirmed(kept, [agreement, release], {
        "ca": CurrentConsent("ca", "counselling_agreement"),
        "rel": CurrentConsent("rel", "release_of_confidentiality", "org-caritas", ("housing",),
                              withdrawn=True)}, today)
    assert [c.withdrawn_on for c in now] == [None, today, None]
    assert release.withdrawn_on is None, "the copy itself is not changed"
    assert confirmed(kept, [agreement], {}, today)[0].withdrawn_on == today, \
        "unknown to intake: withdrawn"
    with pytest.raises(Refused):
        Transfer.offer(case, confirmed(kept, [agreement], {}, today), "b", "cm-b", "o", "cm")
    conference = Conference(case_id=case.id, planned_on=today, topics=["housing"], agenda="",
                            created_by="cm-lea")
    with pytest.raises(Refused):
        conference.add_participant(case, now, {"organisation_id": "org-caritas"}, today)
