"""A welfare provider runs its own intake (docs/provider-intake.md): its own database, its own
broker user whose topic permissions allow only ``intake.*.awo`` routing keys. Its events reach
the county's flow; a publication as another provider, or without its suffix, is refused by the
broker and reaches nobody; the county's case manager gets the handover only with the person's
release of confidentiality for her organisation."""

from __future__ import annotations

import tempfile
import secrets
import uuid

import amqp.exceptions
import pytest
from kombu import Connection

from intake_helpers import (
    AREAS,
    CASE_MANAGERS,
    HOEXTER,
    ORGANISATIONS,
    STADT_HOEXTER,
    Actors,
    Api,
    drain,
)
from lotse.identity.v1 import events_pb2 as identity
from lotse.intake.v1 import events_pb2
from lotse_intake.bootstrap import IntakeService
from lotse_intake.settings import IntakeSettings
from lotse_platform.contracts import Envelope
from lotse_platform.references import AREA, ORGANISATION, USER
from lotse_platform.testing import (
    AMQP_HOST,
    Running,
    known_directory,
    poll,
    publish_event,
    publish_raw,
    put_directory,
    rabbitmqctl,
)

pytestmark = pytest.mark.integration

AWO = "org-awo"  # the provider's organisation id (LOTSE_INTAKE_OPERATOR)


@pytest.fixture(scope="module")
def awo_broker_user(broker_vhost, run_id):
    """A broker user for AWO's intake: may write to lotse.events only, read only its own queue
    (identity's directory events), configure nothing, and publish only routing keys ending in
    .awo."""
    user, password = f"awo-{run_id}", secrets.token_hex(12)
    rabbitmqctl("add_user", user, password)
    try:
        rabbitmqctl("set_permissions", "-p", broker_vhost, user, "^$", r"^lotse\.events$",
                    r"^intake-awo\.events$")
        rabbitmqctl("set_topic_permissions", "-p", broker_vhost, user, "lotse.events",
                    r"^intake\..*\.awo$", "^$")
        yield f"amqp://{user}:{password}@{AMQP_HOST}/{broker_vhost}"
    finally:
        rabbitmqctl("delete_user", user)


@pytest.fixture(scope="module")
def awo_intake(databases, awo_broker_user, issuer, intake_settings):
    """AWO's own intake instance: own database, restricted broker user, declares nothing (the
    county declared the exchange)."""
    # the county declares the exchange, and AWO's queue (``lotse-intake declare`` with the
    # county's broker user and AWO's operator and suffix)
    IntakeService(IntakeSettings(database_url=intake_settings.database_url,
                                 broker_url=intake_settings.broker_url, operator=AWO,
                                 routing_key_suffix="awo")).declare_topology()
    database = databases.create("intake_awo")
    settings = IntakeSettings(database_url=database.app_url,
                              migration_database_url=database.owner_url,
                              broker_url=awo_broker_user, operator=AWO,
                              routing_key_suffix="awo", declare_topology=False,
                              relay_poll_interval=0.02,
                              key_dir=tempfile.mkdtemp(prefix="lotse-keys-"))
    service = IntakeService(settings, keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    yield service
    service.engine.dispose()


@pytest.fixture(scope="module")
def awo_app(awo_intake):
    return awo_intake.create_app()


@pytest.fixture
def awo_api(awo_intake, awo_app, actors, tenant) -> Api:
    put_directory(awo_intake, tenant, known_directory(
        organisations=ORGANISATIONS, areas=AREAS,
        users=[(user, org, ["case_manager"]) for user, org in CASE_MANAGERS]))
    return Api(awo_app.test_client(), actors)


def awo_staff(actors: Actors) -> str:
    return actors.case_manager("awo-cm-1", areas=(HOEXTER,), org=AWO)


def test_a_provider_instance_publishes_into_the_county_flow_and_cannot_publish_as_another(
    awo_intake, awo_api, awo_broker_user, actors, tenant, county_flow, intake_settings
):
    staff = awo_staff(actors)
    intake_id = awo_api.ready_for_admission(staff)
    admitted = awo_api.admit(intake_id, staff, justification="Einzelfall",
                             case_manager_id="cm-hoexter", case_manager_org_id=STADT_HOEXTER)
    assert admitted.status_code == 201, admitted.get_json()

    connection, queue = county_flow
    arrived = []
    with Running(awo_intake.relay().run):
        poll(lambda: arrived.extend(m for m in drain(connection, queue)
                                    if m[1].tenant == tenant)
             or any(m[1].type == "intake.case.admitted.v1" for m in arrived),
             timeout=20, message="AWO's admission to reach the county's queue")

    assert {m[1].type for m in arrived} == {
        "intake.contact.recorded.v1", "intake.screening.completed.v1",
        "intake.counselling_depth.decided.v1", "intake.consent.given.v1",
        "intake.case.admitted.v1"}
    assert all(key == f"{envelope.type}.awo" for key, envelope, _ in arrived)
    assert all(event.operator_org_id == AWO for _, _, event in arrived)
    (_, _, case) = next(m for m in arrived if m[1].type == "intake.case.admitted.v1")
    assert (case.intake_id, case.case_manager_id, case.case_manager_org_id) == (
        intake_id, "cm-hoexter", STADT_HOEXTER)

    # AWO's broker user trying to publish as Caritas, or without its suffix, or to configure
    forged = Envelope(id=uuid.uuid4(), type="intake.case.admitted.v1", source="/lotse/intake",
                      time=case_time(), data=events_pb2.CaseAdmitted(intake_id="forged")
                      .SerializeToString(), tenant=tenant)
    with Connection(awo_broker_user) as awo:
        for routing_key in ("intake.case.admitted.v1.caritas", "intake.case.admitted.v1"):
            with pytest.raises(amqp.exceptions.AccessRefused):
                publish_raw(awo, intake_settings.exchange, routing_key, forged.data,
                            headers=forged.headers(), message_id=str(forged.id))
        with pytest.raises(amqp.exceptions.AccessRefused):
            awo.channel().exchange_declare("lotse.awo-own", "topic", durable=True)
    leaked = [m for m in drain(connection, queue) if m[1].id == forged.id]
    assert leaked == []


def case_time():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_the_county_case_manager_gets_the_handover_only_with_a_release_for_her_organisation(
    awo_api, actors
):
    staff = awo_staff(actors)
    intake_id = awo_api.ready_for_admission(staff)
    awo_api.admit(intake_id, staff, justification="Einzelfall", case_manager_id="cm-hoexter",
                  case_manager_org_id=STADT_HOEXTER)
    casework = actors.casework_client()

    without = awo_api.get(f"/handovers/{intake_id}", casework)
    awo_api.consent(intake_id, "release_of_confidentiality", staff, partner_org_id="org-caritas",
                    topic_areas=["residence", "housing"])
    for_another_organisation = awo_api.get(f"/handovers/{intake_id}", casework)
    awo_api.consent(intake_id, "release_of_confidentiality", staff, partner_org_id=STADT_HOEXTER,
                    topic_areas=["residence"])
    not_all_topics = awo_api.get(f"/handovers/{intake_id}", casework)
    release = awo_api.consent(intake_id, "release_of_confidentiality", staff,
                              partner_org_id=STADT_HOEXTER, topic_areas=["housing"])
    released = awo_api.get(f"/handovers/{intake_id}", casework)
    awo_api.post(f"/intakes/{intake_id}/consents/{release['id']}/withdrawal", staff)
    after_withdrawal = awo_api.get(f"/handovers/{intake_id}", casework)

    def missing(response):
        assert response.status_code == 409, response.get_json()
        return [e["field"] for e in response.get_json()["errors"]]

    assert missing(without) == ["consents.release_of_confidentiality"]
    assert missing(for_another_organisation) == ["consents.release_of_confidentiality"]
    assert missing(not_all_topics) == ["consents.release_of_confidentiality.topic_areas"]
    assert "housing" in not_all_topics.get_json()["detail"]
    assert released.status_code == 200
    assert released.get_json()["released_under"] == "release_of_confidentiality"
    assert released.get_json()["operator_org_id"] == AWO
    assert missing(after_withdrawal) == ["consents.release_of_confidentiality.topic_areas"]


def test_the_provider_instance_serves_only_the_providers_staff(awo_api, actors):
    staff = awo_staff(actors)
    intake_id = awo_api.record(staff)["id"]

    assert awo_api.get(f"/intakes/{intake_id}", staff).status_code == 200
    assert awo_api.get(f"/intakes/{intake_id}", actors.coordinator()).status_code == 403
    assert awo_api.get(f"/intakes/{intake_id}", actors.case_manager()).status_code == 403


def test_the_provider_instance_serves_machine_clients_the_handover_only(awo_api, actors):
    staff = awo_staff(actors)
    intake_id = awo_api.record(staff)["id"]
    # a machine client of the county with office and partner roles: no way to the records
    integration = actors.token("client-integration", "org-kreis",
                               ["coordinator", "case_manager", "provider_staff"], (HOEXTER,),
                               client_id="integration")
    for path in (f"/intakes/{intake_id}", "/intakes/awaiting-decision", "/target-groups",
                 "/case-proposals/mine"):
        assert awo_api.get(path, integration).status_code == 403, path
    # even with the provider's own organisation in its token
    own_machine = actors.token("client-awo", AWO, ["case_manager"], (HOEXTER,),
                               client_id="awo-machine")
    assert awo_api.get(f"/intakes/{intake_id}", own_machine).status_code == 403
    # casework's machine still reaches the handover (refused here only because not admitted)
    handover = awo_api.get(f"/handovers/{intake_id}", actors.casework_client())
    assert handover.status_code == 409
    assert [e["field"] for e in handover.get_json()["errors"]] == ["admission"]
    # … and the consent check at the moment of sharing (ADR 0053), which the integration
    # client, whatever its roles, does not
    release = awo_api.consent(intake_id, "release_of_confidentiality", staff,
                              partner_org_id=STADT_HOEXTER, topic_areas=["housing"])
    path = f"/intakes/{intake_id}/consents/current"
    checked = awo_api.get(path, actors.casework_client(), query={"consent_id": release["id"]})
    assert checked.status_code == 200, checked.get_json()
    assert [c["id"] for c in checked.get_json()["consents"]] == [release["id"]]
    assert awo_api.get(path, integration, query={"consent_id": release["id"]}).status_code == 403


def test_the_providers_administrator_keeps_its_copy_of_the_target_groups(awo_api, actors):
    administrator = actors.token("admin-awo", AWO, ["org_admin"])
    group = {"name": "Geduldete und Asylbewerber", "valid_from": "2023-01-01",
             "conditions": {"residence_statuses": ["duldung", "gestattung"]}}

    assert awo_api.post("/target-groups", administrator, group).status_code == 201
    assert awo_api.post("/target-groups", actors.tenant_admin(), group).status_code == 403


def test_the_provider_instance_must_name_the_county_case_manager_at_admission(awo_api, actors):
    staff = awo_staff(actors)
    intake_id = awo_api.ready_for_admission(staff)

    response = awo_api.admit(intake_id, staff, justification="Einzelfall")

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["case_manager_id"]


def test_the_provider_instance_learns_the_countys_directory_from_identitys_events(
        awo_intake, awo_api, actors, tenant, intake_settings):
    """AWO's instance keeps its own replica of the county's organisations, areas and users from
    identity's events on its own queue (read-only for AWO's broker user): the county case
    manager it names at admission must be one identity published, and stop being one when
    identity disables her."""
    nina, stadt, town = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    staff = awo_staff(actors)
    intake_id = awo_api.ready_for_admission(staff)

    def admit():
        return awo_api.admit(intake_id, staff, justification="Einzelfall",
                             case_manager_id=nina, case_manager_org_id=stadt)

    unknown = admit()
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.get_json()["errors"]} == {
        "case_manager_id", "case_manager_org_id"}

    def known(kind, ref_id):
        with awo_intake.uow(tenant) as uow:
            return uow.references.known(kind, [ref_id]).get(ref_id)

    def identity_publishes(event) -> None:
        publish_event(intake_settings.broker_url, tenant, event, source="/lotse/identity")

    with Running(awo_intake.consumer().run):
        identity_publishes(identity.AreaCreated(area_id=town, kind="town", version=1))
        identity_publishes(identity.OrganisationCreated(
            organisation_id=stadt, kind="municipality", area_id=town, active=True, version=1))
        identity_publishes(identity.UserCreated(
            user_id=nina, organisation_id=stadt, roles=["case_manager"], area_ids=[town],
            version=1))
        poll(lambda: known(USER, nina) is not None, message="identity's user event")
        assert known(ORGANISATION, stadt).active and known(AREA, town).active
        assert admit().status_code == 201

        second = awo_api.ready_for_admission(staff)
        identity_publishes(identity.UserDisabled(user_id=nina, organisation_id=stadt, version=2))
        poll(lambda: not known(USER, nina).active, message="identity's disabled event")
    refused = awo_api.admit(second, staff, justification="Einzelfall", case_manager_id=nina,
                            case_manager_org_id=stadt)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"field": "case_manager_id", "message": "this user is disabled"}]
    # what was recorded with her stays readable
    assert awo_api.get(f"/intakes/{intake_id}", staff).get_json()["admission"][
        "case_manager_id"] == nina
