"""A welfare provider runs its own intake (docs/provider-intake.md): its own database, its own
broker user whose topic permissions allow only ``intake.*.awo`` routing keys. Its events reach
the county's flow; a publication as another provider, or without its suffix, is refused by the
broker and reaches nobody; the county's case manager gets the handover only with the person's
release of confidentiality for her organisation."""

from __future__ import annotations

import secrets
import uuid

import amqp.exceptions
import pytest
from kombu import Connection

from intake_helpers import HOEXTER, STADT_HOEXTER, Actors, Api, drain
from lotse.intake.v1 import events_pb2
from lotse_intake.bootstrap import IntakeService
from lotse_intake.settings import IntakeSettings
from lotse_platform.contracts import Envelope
from lotse_platform.testing import AMQP_HOST, Running, poll, publish_raw, rabbitmqctl

pytestmark = pytest.mark.integration

AWO = "org-awo"  # the provider's organisation id (LOTSE_INTAKE_OPERATOR)


@pytest.fixture(scope="module")
def awo_broker_user(broker_vhost, run_id):
    """A broker user for AWO's intake: may write to lotse.events only, configure and read
    nothing, and publish only routing keys ending in .awo."""
    user, password = f"awo-{run_id}", secrets.token_hex(12)
    rabbitmqctl("add_user", user, password)
    try:
        rabbitmqctl("set_permissions", "-p", broker_vhost, user, "^$", r"^lotse\.events$", "^$")
        rabbitmqctl("set_topic_permissions", "-p", broker_vhost, user, "lotse.events",
                    r"^intake\..*\.awo$", "^$")
        yield f"amqp://{user}:{password}@{AMQP_HOST}/{broker_vhost}"
    finally:
        rabbitmqctl("delete_user", user)


@pytest.fixture(scope="module")
def awo_intake(databases, awo_broker_user, issuer, intake_settings):
    """AWO's own intake instance: own database, restricted broker user, declares nothing (the
    county declared the exchange)."""
    with Connection(intake_settings.broker_url) as county:
        IntakeService(intake_settings).topology.declare_exchanges(county)
    database = databases.create("intake_awo")
    settings = IntakeSettings(database_url=database.app_url,
                              migration_database_url=database.owner_url,
                              broker_url=awo_broker_user, operator=AWO,
                              routing_key_suffix="awo", declare_topology=False,
                              relay_poll_interval=0.02)
    service = IntakeService(settings, keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    yield service
    service.engine.dispose()


@pytest.fixture(scope="module")
def awo_app(awo_intake):
    return awo_intake.create_app()


@pytest.fixture
def awo_api(awo_app, actors) -> Api:
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
