"""The steps of a transfer, without database or broker: casework's commands and event handlers,
through its message bus, on the in-memory unit of work (casework_fakes.py). A case of Höxter moves to Paderborn, another tenant
of the same deployment (offer → the consumer records it there → package → accept: a copy opens
in Paderborn, Höxter hands its case over), to a tenant of a peer deployment (the consumer
delivers the offer there), and within Höxter to another case manager.

The same paths against PostgreSQL, RabbitMQ and HTTP: integration/test_casework_transfer_to_tenant.py
and integration/test_casework_federation.py."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.auth import CASE_MANAGER, Principal

from casework_fakes import FakeCasework
from lotse_casework.domain.commands import AcceptTransfer, CancelTransfer, OfferTransfer
from lotse_casework.domain.errors import Incomplete, NotVisible, Refused
from lotse_casework.domain.model import (
    Case,
    CaseManager,
    Consent,
    InboundTransfer,
    Notice,
    Person,
    Transfer,
)
from lotse_casework.domain.planning import Assessment, Goal, HelpPlan, Step
from lotse_casework.service_layer import transfer_in_county, transfer_to_tenant
from lotse_casework.settings import CaseworkSettings

HOEXTER, PADERBORN, PEER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PEER_URL = "https://lotse.lippe.example/api/v1/casework"


def case_manager(subject: str, tenant=HOEXTER, areas=("area-hoexter",)) -> Principal:
    return Principal(subject=subject, tenant=tenant, organisation=f"org-{subject}",
                     areas=frozenset(areas), roles=frozenset({CASE_MANAGER}))


LEA = case_manager("cm-lea")
JANA = case_manager("cm-jana", PADERBORN, ("area-paderborn",))
OLE = case_manager("cm-ole", PADERBORN, ("area-delbrueck",))


def staffed(service: FakeCasework) -> FakeCasework:
    """Paderborn's case managers as identity's events made them known to casework."""
    with service.uow(PADERBORN) as uow:
        uow.add(CaseManager(user_id="cm-jana", organisation_id="org-pb", fte=1.0,
                            areas=["area-paderborn"]),
                CaseManager(user_id="cm-ole", organisation_id="org-pb", fte=1.0,
                            areas=["area-delbrueck"]),
                CaseManager(user_id="cm-mia", organisation_id="org-pb", fte=1.0,
                            areas=["area-paderborn"], active=False))
        uow.commit()
    return service


def a_case_in_monitoring(service: FakeCasework, case_manager_id: str = "cm-lea") -> Case:
    """Lea's case with a person, consents (one a release for a partner), an assessment, an open
    and a reached goal with steps, a help plan."""
    with service.uow(HOEXTER) as uow:
        today = uow.today()
        case = Case.open(intake_id=f"intake-{uuid.uuid4()}", operator_org_id="",
                         area_id="area-hoexter", organisation_id="org-cm-lea",
                         case_manager_id=case_manager_id, opened_on=today - timedelta(days=90),
                         topic_areas=["residence", "work_training"], target_group_ids=[])
        case.phase = "monitoring"
        case.phases_visited = ["intake", "assessment", "goal_agreement", "linking", "monitoring"]
        goal = Goal(case_id=case.id, topic_area="work_training", statement="Praktikum",
                    indicator="Vertrag", responsible="client", realism_note="erreichbar",
                    due_on=today + timedelta(days=30), set_on=today - timedelta(days=40))
        reached = Goal(case_id=case.id, topic_area="residence", statement="Antrag",
                       indicator="Bestätigung", responsible="client", realism_note="erreichbar",
                       due_on=today, set_on=today - timedelta(days=40), status="reached")
        uow.add(case, Person(case_id=case.id, name="Amira Haddad-Testfall"),
                Consent(case_id=case.id, consent_id="dp", kind="data_protection_information"),
                Consent(case_id=case.id, consent_id="ca", kind="counselling_agreement"),
                Consent(case_id=case.id, consent_id="rel", kind="release_of_confidentiality",
                        partner_org_id="org-jobcenter", topic_areas=["work_training"]),
                Assessment(case_id=case.id, version=1, recorded_by="cm-lea",
                           life_areas=[{"area": "housing", "client_view": "eng"}]),
                goal, reached,
                Step(case_id=case.id, goal_id=goal.id, description="Bewerbung",
                     responsible="client", due_on=today + timedelta(days=7)),
                HelpPlan(case_id=case.id, version=1, created_by="cm-lea",
                         monitoring_every_days=14, monitoring_contact_types=["appointment"]))
        uow.commit()
    return case


def offer_to(service: FakeCasework, case: Case, tenant=PADERBORN,
             area: str = "area-paderborn") -> uuid.UUID:
    return service.handle(OfferTransfer(case.id, to_area_id=area, note="Umzug",
                                        to_tenant_id=str(tenant)), LEA)


def run_consumer(service: FakeCasework, event) -> None:
    """Casework's consumer: the event's handler in a unit of work of its (sending) tenant."""
    service.consume(event, HOEXTER)


def read_package(service: FakeCasework, principal: Principal, transfer_id):
    """The handover package of an offer from another tenant (a read: no command)."""
    return transfer_to_tenant.package(service.uow, service.federation_client, principal,
                                      transfer_id, service.consent_client)


def accept(service: FakeCasework, principal: Principal, transfer_id):
    return service.handle(AcceptTransfer(transfer_id), principal)


def cancel(service: FakeCasework, transfer_id) -> None:
    service.handle(CancelTransfer(transfer_id), LEA)


def the_offer(service: FakeCasework) -> ev.CaseTransferOffered:
    [offered] = service.database.events(HOEXTER, ev.CaseTransferOffered)
    return offered


# -- transfer to another tenant of this deployment ------------------------------------------------
def test_an_offer_to_another_tenant_goes_through_the_outbox_with_ids_only():
    service = staffed(FakeCasework())
    case = a_case_in_monitoring(service)

    transfer_id = offer_to(service, case)

    with service.uow(HOEXTER) as uow:
        transfer = uow.transfer(transfer_id)
    assert (transfer.status, transfer.to_tenant_id, transfer.to_area_id) == (
        "pending", str(PADERBORN), "area-paderborn")
    offered = the_offer(service)
    assert (offered.transfer_id, offered.to_tenant_id, offered.case.case_id) == (
        str(transfer_id), str(PADERBORN), str(case.id))
    assert [(a.action, a.reason) for a in service.database.audit_log] == [
        ("transfer.offer", f"to tenant {PADERBORN}")]
    assert service.database.all(PADERBORN, InboundTransfer) == [], "only the consumer writes there"


def test_the_consumer_records_the_offer_in_the_receiving_tenant_for_the_area_s_case_managers():
    service = staffed(FakeCasework())
    transfer_id = offer_to(service, a_case_in_monitoring(service))

    run_consumer(service, the_offer(service))
    run_consumer(service, the_offer(service))  # redelivered

    [inbound] = service.database.all(PADERBORN, InboundTransfer)
    assert (inbound.id, inbound.from_tenant_id, inbound.status, inbound.source_url) == (
        transfer_id, str(HOEXTER), "pending", None)
    notices = service.database.all(PADERBORN, Notice)
    assert [(n.recipient_id, n.kind, n.reference) for n in notices] == [
        ("cm-jana", "transfer_offered", str(transfer_id))], \
        "once, to the active case managers of that area only"
    assert service.database.all(HOEXTER, InboundTransfer) == []
    with service.uow(PADERBORN) as uow:
        assert [t.id for t in uow.inbound_for_areas(JANA.areas)] == [transfer_id]
        assert uow.inbound_for_areas(OLE.areas) == []


def test_an_offer_withdrawn_before_the_consumer_ran_is_not_recorded():
    service = staffed(FakeCasework())
    transfer_id = offer_to(service, a_case_in_monitoring(service))
    cancel(service, transfer_id)

    run_consumer(service, the_offer(service))

    assert service.database.all(PADERBORN, InboundTransfer) == []
    assert service.database.all(PADERBORN, Notice) == []


def test_accepting_opens_a_copy_in_the_receiving_tenant_and_closes_the_sender_s_case():
    service = staffed(FakeCasework())
    case = a_case_in_monitoring(service)
    transfer_id = offer_to(service, case)
    run_consumer(service, the_offer(service))

    package = read_package(service, JANA, transfer_id)
    new_case_id = accept(service, JANA, transfer_id)

    assert package["person"].name == "Amira Haddad-Testfall"
    assert [g.statement for g in package["goals"]] == ["Praktikum"], "the open goals only"
    assert accept(service, JANA, transfer_id) == new_case_id, \
        "accepting again opens nothing twice"
    [copy] = service.database.all(PADERBORN, Case)
    assert (copy.id, copy.case_manager_id, copy.area_id, copy.phase, copy.operator_org_id) == (
        new_case_id, "cm-jana", "area-paderborn", "monitoring", f"transfer:{HOEXTER}")
    with service.uow(PADERBORN) as uow:
        assert uow.person(copy.id).name == "Amira Haddad-Testfall"
        assert {c.kind for c in uow.consents(copy.id)} == {
            "data_protection_information", "counselling_agreement"}, \
            "releases for the sending county's partners do not travel"
        assert [g.statement for g in uow.goals(copy.id)] == ["Praktikum"]
        assert [s.description for s in uow.steps(copy.id)] == ["Bewerbung"]
        assert uow.help_plans(copy.id)[0].version == 1
        inbound = uow.inbound(transfer_id)
        assert (inbound.status, inbound.accepted_by, inbound.accepted_case_id) == (
            "accepted", "cm-jana", new_case_id)
    assert [e.case.case_id for e in service.database.events(PADERBORN, ev.CaseOpened)] == [
        str(new_case_id)]

    with service.uow(HOEXTER) as uow:
        sent, transfer = uow.case(case.id), uow.transfer(transfer_id)
    assert (sent.phase, sent.closure_reason, transfer.status) == (
        "closed", "moved_away", "accepted")
    assert sent.handed_over_at is not None, "nobody in Höxter opens it any more"
    [transferred] = service.database.events(HOEXTER, ev.CaseTransferred)
    assert transferred.to_tenant_id == str(PADERBORN)
    [closed] = service.database.events(HOEXTER, ev.CaseClosed)
    assert (closed.goals_reached, closed.goals_total) == (1, 2)
    with pytest.raises(NotVisible):
        read_package(service, JANA, transfer_id)


def test_a_case_manager_of_another_area_neither_reads_nor_accepts_the_offer():
    service = staffed(FakeCasework())
    transfer_id = offer_to(service, a_case_in_monitoring(service))
    run_consumer(service, the_offer(service))

    for step in (read_package, accept):
        with pytest.raises(NotVisible):
            step(service, OLE, transfer_id)
    assert transfer_to_tenant.accept(service.uow, service.federation_client, JANA,
                                     uuid.uuid4(), service.consent_client) is None, "no offer from another tenant here"
    with pytest.raises(NotVisible):
        accept(service, JANA, uuid.uuid4())  # nor one of this tenant


def test_a_cancelled_offer_is_refused_at_once_and_leaves_the_receiving_day_with_its_event():
    service = staffed(FakeCasework())
    transfer_id = offer_to(service, a_case_in_monitoring(service))
    run_consumer(service, the_offer(service))

    cancel(service, transfer_id)
    with pytest.raises(Refused):
        accept(service, JANA, transfer_id)  # before the consumer ran

    [cancelled] = service.database.events(HOEXTER, ev.CaseTransferCancelled)
    run_consumer(service, cancelled)
    with service.uow(PADERBORN) as uow:
        assert uow.inbound(transfer_id).status == "cancelled"
        assert uow.inbound_for_areas(JANA.areas) == []
        assert uow.notices("cm-jana") == [], "the offer's notice is withdrawn"
    assert service.database.all(PADERBORN, Case) == []


def test_a_cancel_arriving_after_the_acceptance_leaves_it_accepted():
    service = staffed(FakeCasework())
    transfer_id = offer_to(service, a_case_in_monitoring(service))
    run_consumer(service, the_offer(service))
    accept(service, JANA, transfer_id)
    late = ev.CaseTransferCancelled(transfer_id=str(transfer_id), to_tenant_id=str(PADERBORN))

    run_consumer(service, late)

    with service.uow(PADERBORN) as uow:
        assert uow.inbound(transfer_id).status == "accepted"


@pytest.mark.parametrize("tenant, field", [(HOEXTER, "to_tenant_id"),
                                           ("not-a-tenant", "to_tenant_id")])
def test_an_offer_to_the_own_or_no_tenant_is_incomplete_and_writes_nothing(tenant, field):
    service = FakeCasework()
    case = a_case_in_monitoring(service)
    with pytest.raises(Incomplete) as refused:
        offer_to(service, case, tenant=tenant)
    assert field in refused.value.fields
    assert service.database.outbox == [] and service.database.audit_log == []
    assert service.database.all(HOEXTER, Transfer) == []


def test_a_case_with_a_pending_transfer_is_not_offered_twice():
    service = FakeCasework()
    case = a_case_in_monitoring(service)
    offer_to(service, case)
    with pytest.raises(Refused):
        offer_to(service, case)


# -- transfer to a tenant of a peer deployment -----------------------------------------------------
def with_a_peer() -> FakeCasework:
    return FakeCasework(CaseworkSettings(
        database_url="sqlite://", federation_url="https://lotse.hx.example/api/v1/casework",
        trusted_issuers=[{"issuer": "https://identity.lippe.example",
                          "jwks_uri": "https://identity.lippe.example/jwks",
                          "tenant": str(PEER), "organisation_claim": "org",
                          "role_map": {"service": "service"}, "client_id_claim": "client_id"}],
        peers={str(PEER): PEER_URL}))


def test_with_peers_an_offer_to_a_tenant_nobody_serves_is_incomplete():
    service = with_a_peer()
    case = a_case_in_monitoring(service)
    with pytest.raises(Incomplete) as refused:
        offer_to(service, case, tenant=uuid.uuid4())
    assert "to_tenant_id" in refused.value.fields
    staffed(service)
    assert offer_to(service, case, tenant=PADERBORN), "a tenant served here is known"


def test_the_consumer_delivers_an_offer_to_a_peer_s_tenant_there_and_records_nothing_here():
    service = with_a_peer()
    case = a_case_in_monitoring(service)
    transfer_id = offer_to(service, case, tenant=PEER, area="area-detmold")

    run_consumer(service, the_offer(service))

    [(what, url, offer)] = service.federation_client.calls
    assert (what, url) == ("offer", PEER_URL)
    assert (offer["transfer_id"], offer["from_tenant_id"], offer["to_tenant_id"],
            offer["to_area_id"], offer["callback_url"], offer["phase"]) == (
        str(transfer_id), str(HOEXTER), str(PEER), "area-detmold",
        "https://lotse.hx.example/api/v1/casework", "monitoring")
    assert "Amira" not in str(offer), "ids and facts only"
    assert service.database.all(PEER, InboundTransfer) == []


def test_an_offer_the_peer_cannot_receive_is_declined_for_the_sender():
    service = with_a_peer()
    transfer_id = offer_to(service, a_case_in_monitoring(service), tenant=PEER)
    service.federation_client.refuse = 422

    run_consumer(service, the_offer(service))

    with service.uow(HOEXTER) as uow:
        assert uow.transfer(transfer_id).status == "declined"
        assert [n.kind for n in uow.notices("cm-lea")] == ["transfer_declined"]


# -- transfer inside the county ---------------------------------------------------------------------
def test_inside_the_county_the_named_case_manager_accepts_and_the_case_is_hers():
    service = FakeCasework()
    case = a_case_in_monitoring(service)
    with service.uow(HOEXTER) as uow:
        uow.add(CaseManager(user_id="cm-tom", organisation_id="org-brakel", fte=0.5,
                            areas=["area-brakel"]))
        uow.commit()
    tom = case_manager("cm-tom", areas=("area-brakel",))

    transfer_id = service.handle(OfferTransfer(case.id, to_case_manager_id="cm-tom",
                                               note="Umzug nach Brakel"), LEA)
    package = transfer_in_county.transfer_package(service.uow(HOEXTER, principal=tom), tom,
                                                  transfer_id, service.consent_client)
    assert accept(service, tom, transfer_id) == case.id

    assert package["person"].name == "Amira Haddad-Testfall"
    with service.uow(HOEXTER) as uow:
        moved = uow.case(case.id)
        assert (moved.case_manager_id, moved.area_id, moved.organisation_id) == (
            "cm-tom", "area-brakel", "org-brakel")
        assert [n.kind for n in uow.notices("cm-lea")] == ["transfer_accepted"]
    [transferred] = service.database.events(HOEXTER, ev.CaseTransferred)
    assert (transferred.from_case_manager_id, transferred.to_tenant_id) == ("cm-lea", "")


def test_inside_the_county_an_unknown_receiver_is_incomplete():
    service = FakeCasework()
    case = a_case_in_monitoring(service)
    with pytest.raises(Incomplete) as refused:
        service.handle(OfferTransfer(case.id, to_case_manager_id="cm-nobody"), LEA)
    assert "to_case_manager_id" in refused.value.fields
