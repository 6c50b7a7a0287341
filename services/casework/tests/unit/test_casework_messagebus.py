"""Casework on the platform's message bus, without database or broker: every command of its API
has a handler, every handler names what it needs and the container provides exactly that;
commands run through ``MessageBus(CaseworkService.command_handlers, CaseworkService.event_handlers, deps)``
with the caller as the actor, and the event handlers get their dependencies injected (here the
fakes of casework_fakes.py: units of work in memory, a stand-in for intake)."""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from datetime import timedelta

import pytest

from lotse.casework.v1 import events_pb2 as ev
from lotse.intake.v1 import events_pb2 as intake_ev
from lotse_platform.auth import CASE_MANAGER, SERVICE, Principal
from lotse_platform.contracts import event_type_of
from lotse_platform.messagebus import MessageBus
from lotse_platform.references import replica

from casework_fakes import FakeCasework, FakeIntake
from casework_support import admitted, package
from lotse_casework.bootstrap import CaseworkService
from lotse_casework.domain import commands
from lotse_casework.domain.commands import (
    ChangePhase,
    EndShare,
    MarkNoticeRead,
    PutCaseManager,
    ReceivePeerOffer,
    RecordContact,
    ShareCase,
)
from lotse_casework.domain.errors import Incomplete, NotVisible
from lotse_casework.domain.model import (
    AwaitingHandover,
    Case,
    CaseManager,
    InboundTransfer,
    Notice,
    Share,
)
from lotse_casework.service_layer.transfer_to_peer import NotAPeer
from lotse_casework.settings import CaseworkSettings

TENANT, PEER = uuid.uuid4(), uuid.uuid4()
PEER_ISSUER = "https://identity.lippe.example"
LEA = Principal(subject="cm-lea", tenant=TENANT, organisation="org-stadt-hoexter",
                areas=frozenset({"area-hoexter"}), roles=frozenset({CASE_MANAGER}))
OLE = Principal(subject="cm-ole", tenant=TENANT, organisation="org-stadt-hoexter",
                areas=frozenset({"area-hoexter"}), roles=frozenset({CASE_MANAGER}))


def bus_of(service: FakeCasework) -> MessageBus:
    """Casework's own handler maps with the fakes' dependencies (CaseworkService.dependencies() names)."""
    return MessageBus(CaseworkService.command_handlers, CaseworkService.event_handlers, service.dependencies())


def run(service: FakeCasework, command, principal: Principal = LEA):
    """As a view does (lotse_platform.service.handle): in a unit of work of the caller."""
    return bus_of(service).handle(command, service.uow(principal.tenant, principal=principal))


def a_case(service: FakeCasework, phase: str = "assessment") -> Case:
    with service.uow(TENANT) as uow:
        case = Case.open(intake_id=f"intake-{uuid.uuid4()}", operator_org_id="",
                         area_id="area-hoexter", organisation_id="org-stadt-hoexter",
                         case_manager_id="cm-lea", opened_on=uow.today() - timedelta(days=10),
                         topic_areas=["residence", "housing"], target_group_ids=[])
        case.phase, case.phases_visited = phase, ["intake", phase]
        uow.add(case, CaseManager(user_id="cm-ole", organisation_id="org-stadt-hoexter",
                                  fte=1.0, areas=["area-hoexter"]))
        uow.commit()
    return case


def named(handler) -> list[str]:
    """What a handler names beyond (command, uow) / (event, envelope, uow)."""
    given = 3 if handler in CaseworkService.event_handlers.values() else 2
    return list(inspect.signature(handler).parameters)[given:]


# -- the maps -------------------------------------------------------------------------------------
def test_every_command_of_the_api_has_its_handler_and_the_container_provides_what_they_name():
    declared = {c for c in vars(commands).values()
                if isinstance(c, type) and dataclasses.is_dataclass(c)
                and c.__module__ == commands.__name__}
    assert set(CaseworkService.command_handlers) == declared
    assert all(c.__dataclass_params__.frozen for c in declared)

    bus = CaseworkService(CaseworkSettings(database_url="sqlite://")).bus  # refuses what is not provided

    assert bus.commands == frozenset(declared)
    # its own, those of the directory replica (every organisation, area and user event), and
    # the data subject's requests it answers as a service holding data about people
    # (subject access and erasure, ADR 0103 and 0106)
    assert set(bus.event_handlers) == (set(CaseworkService.event_handlers) | set(replica.HANDLERS)
                                       | {"subject_access.requested.v1", "erasure.requested.v1"})


def test_handlers_name_each_dependency_no_catch_all_and_no_container():
    service = CaseworkService(CaseworkSettings(database_url="sqlite://"))
    assert set(service.dependencies()) == {"intake", "consent_owner", "peers", "settings", "units"}
    # and what the platform gives every service's handlers (signed copies, ADR 0082)
    # and the data subject's requests (ADR 0103, 0106)
    assert set(service.platform_dependencies()) == {"envelopes", "signed_copy_max_bytes",
                                                    "subject_access", "erasure"}
    provided = {*service.dependencies(), *service.platform_dependencies()}
    for handler in [*CaseworkService.command_handlers.values(), *CaseworkService.event_handlers.values()]:
        parameters = list(inspect.signature(handler).parameters.values())
        assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters), handler.__qualname__
        assert set(named(handler)) <= provided, handler.__qualname__

    events = CaseworkService.event_handlers
    assert named(events["intake.case.admitted.v1"]) == ["intake"]
    assert named(events["intake.consent.given.v1"]) == ["intake"]
    assert named(events["intake.consent.withdrawn.v1"]) == []
    assert named(events["identity.user.created.v1"]) == []
    assert named(events["casework.case.transfer_offered.v1"]) == ["settings", "units", "peers"]
    assert named(events["casework.case.transfer_cancelled.v1"]) == ["settings", "units", "peers"]
    assert named(events["casework.case.transfer_accepted.v1"]) == ["peers"]


# -- commands -------------------------------------------------------------------------------------
def test_a_command_acts_for_the_caller_of_its_unit_of_work_and_returns_the_new_id():
    service = FakeCasework()
    case = a_case(service)
    today = service.uow(TENANT).today()

    share_id = run(service, ShareCase(case.id, "cm-ole", "deputy",
                                      valid_until=today + timedelta(days=14)))
    contact_id = run(service, RecordContact(case.id, type="phone_call", occurred_on=today,
                                            duration_minutes=20, topics=["housing"]))

    [share] = service.database.all(TENANT, Share)
    assert (share.id, share.colleague_id, share.created_by) == (share_id, "cm-ole", "cm-lea")
    [recorded] = service.database.events(TENANT, ev.ContactRecorded)
    assert recorded.contact_id == str(contact_id)
    assert [(a.actor, a.action, a.record_type) for a in service.database.audit_log] == [
        ("cm-lea", "share", "case"), ("cm-lea", "create", "contact")]

    [notice] = [n for n in service.database.all(TENANT, Notice) if n.recipient_id == "cm-ole"]
    run(service, MarkNoticeRead(notice.id), OLE)  # the colleague's own notice
    run(service, EndShare(case.id, share_id), OLE)  # she may end the share herself
    assert notice.read_at is not None and share.ended_at is not None
    with pytest.raises(NotVisible):
        run(service, MarkNoticeRead(notice.id), LEA)  # not hers


def test_a_refused_command_writes_nothing():
    service = FakeCasework()
    case = a_case(service, phase="intake")

    with pytest.raises(Incomplete) as refused:
        run(service, PutCaseManager("cm-tom", "org-brakel", fte=1.5))
    with pytest.raises(NotVisible):
        run(service, ChangePhase(case.id, "assessment"), OLE)  # not her case, not shared

    assert "fte" in refused.value.fields
    assert service.database.outbox == [] and service.database.audit_log == []


def test_a_command_outside_a_request_has_no_actor_and_is_refused():
    service = FakeCasework()
    case = a_case(service, phase="intake")

    with pytest.raises(RuntimeError, match="caller"):
        bus_of(service).handle(ChangePhase(case.id, "assessment"), service.uow(TENANT))

    assert service.database.outbox == []


def test_a_peer_s_offer_is_a_command_of_its_machine_client_recorded_once():
    service = FakeCasework(CaseworkSettings(
        database_url="sqlite://", federation_url="https://lotse.hx.example/api/v1/casework",
        trusted_issuers=[{"issuer": PEER_ISSUER, "jwks_uri": f"{PEER_ISSUER}/jwks",
                          "tenant": str(PEER), "organisation_claim": "org",
                          "role_map": {"service": "service"}, "client_id_claim": "client_id"}],
        peers={str(PEER): "https://lotse.lippe.example/api/v1/casework"}))
    a_case(service)  # Ole serves area-hoexter here
    peer = Principal(subject="casework", tenant=PEER, organisation="org-lippe",
                     roles=frozenset({SERVICE}), kind="client", issuer=PEER_ISSUER)
    offer = ReceivePeerOffer(transfer_id=uuid.uuid4(), from_tenant_id=PEER, to_tenant_id=TENANT,
                             to_area_id="area-hoexter", from_case_id=uuid.uuid4(),
                             callback_url="https://lotse.lippe.example/api/v1/casework/",
                             topic_areas=["housing"], phase="monitoring")

    with pytest.raises(NotAPeer):
        run(service, offer, LEA)
    assert run(service, offer, peer) == offer.transfer_id
    assert run(service, offer, peer) == offer.transfer_id  # delivered again

    [inbound] = service.database.all(TENANT, InboundTransfer)
    assert (inbound.id, inbound.from_tenant_id, inbound.status) == (
        offer.transfer_id, str(PEER), "pending")
    assert [(a.tenant_id, a.actor, a.action) for a in service.database.audit_log] == [
        (TENANT, "casework", "transfer.receive")]


# -- an event handler with its dependencies injected ----------------------------------------------
def test_an_admission_opens_the_case_with_the_package_of_the_injected_intake():
    service = FakeCasework()
    service.intake_client.packages["intake-7"] = package("intake-7")

    service.consume(admitted("intake-7", "cm-lea"), TENANT)

    assert service.intake_client.calls == [("", "intake-7")]
    [case] = service.database.all(TENANT, Case)
    assert (case.intake_id, case.case_manager_id, case.phase) == ("intake-7", "cm-lea", "intake")
    [opened] = service.database.events(TENANT, ev.CaseOpened)
    assert opened.case.case_id == str(case.id)
    assert {a.actor for a in service.database.audit_log} == {"system:/lotse/casework"}


def test_a_refused_handover_waits_for_consent_and_the_intake_asked_is_the_current_one():
    service = FakeCasework()
    service.intake_client.refused.add("intake-8")
    bus = bus_of(service)  # built once, as the consumer's: its providers are asked per event

    def consume(event) -> None:
        with service.uow(TENANT) as uow:
            bus.event_handlers[event_type_of(event)](event, None, uow)
            uow.commit()

    consume(admitted("intake-8", "cm-lea"))
    assert service.database.all(TENANT, Case) == []
    [waiting] = service.database.all(TENANT, AwaitingHandover)
    assert waiting.intake_id == "intake-8"

    service.intake_client = FakeIntake()  # e.g. a test's stand-in, swapped after the start
    service.intake_client.packages["intake-8"] = package("intake-8")
    consume(intake_ev.ConsentGiven(intake_id="intake-8", operator_org_id="",
                                   consent_id="c-1", kind=1))

    assert service.intake_client.calls == [("", "intake-8")]
    assert [c.intake_id for c in service.database.all(TENANT, Case)] == ["intake-8"]
    assert service.database.all(TENANT, AwaitingHandover) == []
