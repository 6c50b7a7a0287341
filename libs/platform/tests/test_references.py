"""References to identity's organisations, areas and users (ADR 0054): the check a command
makes, and the replica it checks against, kept from identity's events in the order of their
versions, on SQLite and PostgreSQL, per tenant."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from lotse.identity.v1 import events_pb2 as identity
from lotse_example.bootstrap import ExampleService
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.references import (
    AREA,
    ORGANISATION,
    USER,
    Known,
    UnknownReference,
    Wanted,
    area_names,
    check,
    from_directory,
    organisation_names,
    replica,
    wanted_all,
)
from lotse_platform.testing import FakeReferences


def fake(*known: Known) -> FakeReferences:
    references = FakeReferences()
    references.put_all(known)
    return references


DIRECTORY = fake(Known(ORGANISATION, "org-awo"), Known(ORGANISATION, "org-closed", active=False),
                 Known(AREA, "area-hoexter"),
                 Known(USER, "u-lea", parent_id="org-stadt", roles=("case_manager",)),
                 Known(USER, "u-koch", parent_id="org-kreis", roles=("coordinator",)))


def refused(*wanted: Wanted) -> list[dict[str, str]]:
    with pytest.raises(UnknownReference) as error:
        check(DIRECTORY, wanted)
    assert error.value.status == 422
    return error.value.errors


def test_known_active_references_pass_and_what_is_not_given_is_not_checked():
    check(DIRECTORY, [Wanted("partner_org_id", ORGANISATION, "org-awo"),
                      Wanted("area_id", AREA, "area-hoexter"),
                      Wanted("referring_org_id", ORGANISATION, None),
                      Wanted("second_staff_id", USER, ""),
                      Wanted("case_manager_id", USER, "u-lea", role="case_manager",
                             organisation="org-stadt")])


def test_every_offending_field_is_named_with_its_reason_and_without_the_value():
    errors = refused(Wanted("partner_org_id", ORGANISATION, "Amina Haddad 12.04.1990"),
                     Wanted("area_id", AREA, "area-hoexter"),
                     Wanted("referral.org_id", ORGANISATION, "org-closed"),
                     Wanted("case_manager_id", USER, "u-koch", role="case_manager"),
                     Wanted("colleague_id", USER, "u-lea", organisation="org-kreis",
                            organisation_field="case_manager_org_id"))
    assert [e["field"] for e in errors] == ["partner_org_id", "referral.org_id",
                                            "case_manager_id", "colleague_id"]
    assert [e["message"] for e in errors[1:]] == [
        "this organisation is disabled", "this user does not hold the role case_manager",
        "this user does not belong to the organisation in case_manager_org_id"]
    assert "no organisation of this tenant has this id" in errors[0]["message"]
    assert not any("Amina" in e["message"] for e in errors)


def test_an_area_is_not_an_organisation_and_list_items_are_named_by_index():
    assert [e["field"] for e in refused(*wanted_all("area_ids", AREA,
                                                    ["area-hoexter", "org-awo"]))] == ["area_ids.1"]


# -- the replica ------------------------------------------------------------------------------
def deliver(service, tenant: uuid.UUID, event) -> None:
    with service.uow(tenant) as uow:
        replica.HANDLERS[event_type_of(event)](event, None, uow)
        uow.commit()


def kept(service, tenant: uuid.UUID, kind, ref_id: str) -> Known | None:
    with service.uow(tenant) as uow:
        return uow.references.known(kind, [ref_id]).get(ref_id)


def test_the_replica_keeps_the_newest_version_whatever_the_order_of_arrival(any_example):
    tenant, user = uuid.uuid4(), "u-nina"
    deliver(any_example, tenant, identity.UserRolesChanged(
        user_id=user, organisation_id="org-b", roles=["case_manager", "coordinator"], version=3))
    # created arrives after a later change: the change stands
    deliver(any_example, tenant, identity.UserCreated(
        user_id=user, organisation_id="org-b", roles=["case_manager"], version=1))
    assert kept(any_example, tenant, USER, user).roles == ("case_manager", "coordinator")
    deliver(any_example, tenant, identity.UserDisabled(user_id=user, organisation_id="org-b",
                                                       version=4))
    deliver(any_example, tenant, identity.UserEnabled(user_id=user, organisation_id="org-b",
                                                      version=4))  # a redelivery of version 4
    now = kept(any_example, tenant, USER, user)
    assert (now.active, now.roles, now.version) == (False, ("case_manager", "coordinator"), 4)
    deliver(any_example, tenant, identity.UserMembershipChanged(
        user_id=user, organisation_id="org-c", previous_organisation_id="org-b", version=5))
    now = kept(any_example, tenant, USER, user)
    assert (now.active, now.parent_id, now.roles) == (False, "org-c",
                                                      ("case_manager", "coordinator"))

    deliver(any_example, tenant, identity.AreaCreated(area_id="a-1", kind="town",
                                                      parent_area_id="a-0", version=1))
    deliver(any_example, tenant, identity.AreaChanged(area_id="a-1", kind="town", active=False,
                                                      version=2))
    deliver(any_example, tenant, identity.OrganisationChanged(
        organisation_id="o-1", kind="school", active=False, version=2))
    deliver(any_example, tenant, identity.OrganisationCreated(
        organisation_id="o-1", kind="school", active=True, version=1))
    assert not kept(any_example, tenant, AREA, "a-1").active
    assert not kept(any_example, tenant, ORGANISATION, "o-1").active


def test_a_seeded_directory_gives_way_to_identitys_events(any_example):
    tenant = uuid.uuid4()
    with any_example.uow(tenant) as uow:
        uow.references.put_all(from_directory([("organisation", "o-1", None, ()),
                                               ("user", "u-1", "o-1", ("case_manager",))]))
        uow.commit()
    deliver(any_example, tenant, identity.OrganisationChanged(
        organisation_id="o-1", kind="school", active=False, version=1))
    assert not kept(any_example, tenant, ORGANISATION, "o-1").active
    assert kept(any_example, tenant, USER, "u-1").roles == ("case_manager",)


def test_an_organisations_name_is_kept_from_identitys_events_and_a_rename_reaches_it(any_example):
    # ADR 0086: forms print a partner's name, reports show it — an institution's name, never a
    # person's (user events carry none)
    tenant = uuid.uuid4()
    with any_example.uow(tenant) as uow:
        uow.references.put_all(from_directory([("organisation", "o-1", None, ())],
                                              {"o-1": "Jobcenter Kreis Höxter"}))
        uow.commit()
    assert kept(any_example, tenant, ORGANISATION, "o-1").name == "Jobcenter Kreis Höxter"
    deliver(any_example, tenant, identity.OrganisationChanged(
        organisation_id="o-1", kind="jobcenter", active=True, version=2,
        name="Jobcenter Höxter – Integration Point"))
    deliver(any_example, tenant, identity.OrganisationCreated(  # late: changes nothing
        organisation_id="o-1", kind="jobcenter", active=True, version=1, name="Jobcenter"))
    with any_example.uow(tenant) as uow:
        assert organisation_names(uow.references, ["o-1", "o-unknown", None]) == {
            "o-1": "Jobcenter Höxter – Integration Point"}


def test_an_areas_name_is_kept_too_and_a_rename_reaches_it(any_example):
    # reports and exports show "Brakel", not an id (ADR 0086, areas since stop 11)
    tenant = uuid.uuid4()
    with any_example.uow(tenant) as uow:
        uow.references.put_all(from_directory([("area", "a-1", None, ()),
                                               ("user", "u-1", "o-1", ("case_manager",))],
                                              {"a-1": "Brakel", "u-1": "Lea Schulte"}))
        uow.commit()
    assert kept(any_example, tenant, USER, "u-1").name is None, "never a person's name"
    deliver(any_example, tenant, identity.AreaChanged(area_id="a-1", kind="town", active=True,
                                                      version=2, name="Stadt Brakel"))
    deliver(any_example, tenant, identity.AreaCreated(area_id="a-2", kind="town", version=1,
                                                      name="Nieheim"))
    with any_example.uow(tenant) as uow:
        assert area_names(uow.references, ["a-1", "a-2", "a-unknown", None]) == {
            "a-1": "Stadt Brakel", "a-2": "Nieheim"}
        assert organisation_names(uow.references, ["a-1"]) == {}, "an area is no organisation"


def test_one_tenants_directory_is_not_another_tenants(any_example):
    """On SQLite too (embedded mode), where no row-level security stands behind the query."""
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    deliver(any_example, mine, identity.OrganisationCreated(organisation_id="o-1",
                                                            kind="school", active=True,
                                                            version=1))
    assert kept(any_example, mine, ORGANISATION, "o-1") is not None
    assert kept(any_example, theirs, ORGANISATION, "o-1") is None


class WithDirectory(ExampleService):
    directory_replica = True


def test_a_service_with_the_replica_consumes_identitys_events_beside_its_own(sqlite_example):
    service = WithDirectory(sqlite_example.settings)
    assert {"identity.user.created.v1", "identity.area.changed.v1"} <= set(
        service.bus.event_handlers)
    assert set(ExampleService(sqlite_example.settings).bus.event_handlers).isdisjoint(
        replica.HANDLERS), "the example service does not keep one"
    tenant = uuid.uuid4()
    event = identity.OrganisationCreated(organisation_id="o-9", kind="school", active=True,
                                         version=1)
    envelope = Envelope(id=uuid.uuid4(), type=event_type_of(event), source="/lotse/identity",
                        time=datetime.now(UTC), data=event.SerializeToString(), tenant=tenant)
    consumer = service.consumer()
    assert consumer.process(envelope, event) == "processed"
    assert consumer.process(envelope, event) == "duplicate"
    assert kept(service, tenant, ORGANISATION, "o-9").active
