"""A client moves to a county served by another Lotse deployment (federation, ADR 0051).

Two casework deployments in one test: each with its own PostgreSQL database, its own RabbitMQ
vhost, its own identity (an HTTP stand-in with a JWKS and a client-credentials endpoint), its
API served over HTTP on 127.0.0.1 and its relay and consumer running; each trusts the other's
issuer (``LOTSE_TRUSTED_ISSUERS``) and names the other's tenant as a peer
(``LOTSE_CASEWORK_PEERS``). Höxter (deployment A) sends, Paderborn (deployment B) receives. A
third county, Lippe, is a configured peer of Höxter too — for proving that a peer cannot act
for another tenant.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from kombu import Connection

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.auth import CASE_MANAGER, TENANT_ADMIN
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.bus import deadletters
from lotse_platform.subject_rights import erasure_handlers
from lotse_platform.testing import AMQP_HOST, Running, poll, put_directory, queue_depth, rabbitmqctl

from casework_steps import drive, ok
from casework_support import PERSON_NAME, ConsentsAsKept, open_test_case, published_directory
from federation_support import IssuerStandIn, Served, call
from lotse_casework.bootstrap import CaseworkService
from lotse_casework.settings import CaseworkSettings

pytestmark = pytest.mark.integration

HOEXTER, PADERBORN, LIPPE = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


class Caller:
    """Requests as one user of one deployment (its own identity's token), in process."""

    def __init__(self, app, token: str) -> None:
        self.client, self.headers = app.test_client(), {"Authorization": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(path, headers=self.headers)

    def post(self, path, json=None):
        return self.client.post(path, headers=self.headers, json=json or {})

    def put(self, path, json):
        return self.client.put(path, headers=self.headers, json=json)


@dataclass
class Deployment:
    container: CaseworkService
    app: object
    served: Served
    identity: IssuerStandIn
    tenant: uuid.UUID
    superuser: sa.Engine

    @property
    def url(self) -> str:
        return self.served.url

    def user(self, subject: str, roles=(CASE_MANAGER,), areas=(), org="org-stadt") -> Caller:
        return Caller(self.app, self.identity.user_token(subject, roles, areas, org=org))

    def sql(self, statement: str, **params):
        with self.superuser.connect() as connection:
            return connection.execute(sa.text(statement), params).all()


@pytest.fixture(scope="module")
def vhosts(run_id):
    """A RabbitMQ vhost per deployment: their queues (both ``casework.events``) never meet."""
    names = [f"lotse_t_{run_id}_fed_{side}" for side in ("a", "b")]
    for name in names:
        rabbitmqctl("add_vhost", name)
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    yield [f"amqp://guest:guest@{AMQP_HOST}/{name}" for name in names]
    for name in names:
        rabbitmqctl("delete_vhost", name)


def _deployment(databases, broker_url, identity: IssuerStandIn, served: Served, *,
                peers: dict, trusted: list[IssuerStandIn]) -> Deployment:
    database = databases.create(f"casework_fed_{identity.issuer.issuer.split('.')[1]}")
    container = CaseworkService(CaseworkSettings(
        database_url=database.app_url, migration_database_url=database.owner_url,
        broker_url=broker_url, relay_poll_interval=0.02,
        key_dir=tempfile.mkdtemp(prefix="lotse-keys-"),
        trusted_issuers=[peer.trusted_as_peer() for peer in trusted],
        peers={str(tenant): url for tenant, url in peers.items()}, federation_url=served.url,
        token_url=identity.token_url, client_id="casework",
        client_secret=identity.clients["casework"], federation_timeout=3))
    container.migrate()
    # what the county's identity published (ADR 0054): the test organisations
    put_directory(container, identity.tenant, published_directory())
    container.trust(identity.issuer.keys(), identity.issuer.issuer)
    container.declare_topology()
    app = container.create_app()
    served.app = app
    served.start()
    superuser = sa.create_engine(database.admin_url, poolclass=sa.pool.NullPool)
    # intake's consent check (ADR 0053) agrees with each deployment's copy here
    container.__dict__["consent_client"] = ConsentsAsKept(superuser)
    return Deployment(container, app, served, identity, identity.tenant, superuser)


@pytest.fixture(scope="module")
def counties(databases, vhosts):
    hoexter_id = IssuerStandIn("hoexter", HOEXTER, "org-kreis-hx", {"casework": "secret-hx"})
    paderborn_id = IssuerStandIn("paderborn", PADERBORN, "org-kreis-pb",
                                 {"casework": "secret-pb"})
    lippe_id = IssuerStandIn("lippe", LIPPE, "org-kreis-lip", {"casework": "secret-lip"})
    served_a, served_b = Served(), Served()
    a = _deployment(databases, vhosts[0], hoexter_id, served_a,
                    peers={PADERBORN: served_b.url, LIPPE: "http://127.0.0.1:9"},
                    trusted=[paderborn_id, lippe_id])
    b = _deployment(databases, vhosts[1], paderborn_id, served_b,
                    peers={HOEXTER: served_a.url}, trusted=[hoexter_id])
    admin = b.user("admin-pb", roles=(TENANT_ADMIN,), org="org-kreis-pb")
    for manager, area in (("cm-jana", "area-paderborn"), ("cm-ole", "area-delbrueck")):
        ok(admin.put(f"/case-managers/{manager}", {"organisation_id": "org-stadt-pb",
                                                   "fte": 1.0, "areas": [area]}))
    yield a, b, lippe_id
    for deployment in (a, b):
        deployment.served.stop()
        deployment.container.close_http_clients()
        deployment.container.engine.dispose()
        deployment.superuser.dispose()
    for identity in (hoexter_id, paderborn_id, lippe_id):
        identity.close()


@pytest.fixture
def running(counties):
    """Both deployments' relays and consumers, as their workers run them."""
    a, b, _ = counties
    with ExitStack() as stack:
        for deployment in (a, b):
            stack.enter_context(Running(deployment.container.relay().run))
            stack.enter_context(Running(deployment.container.consumer().run))
        yield


def _case_in_monitoring(a: Deployment) -> tuple[uuid.UUID, str]:
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    case_id = open_test_case(a.container, a.tenant, "cm-lea", releases=[
        {"partner_org_id": "org-jobcenter", "topic_areas": ["work_training"]}])
    return case_id, drive(lea, case_id, "monitoring")["goal_id"]


def _offer(a: Deployment, case_id) -> str:
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    return ok(lea.post(f"/cases/{case_id}/transfers", {
        "to_tenant_id": str(PADERBORN), "to_area_id": "area-paderborn"}), 201)["id"]


def _incoming(caller, transfer_id: str) -> list:
    return [t for t in caller.get("/my-day").get_json()["incoming_transfers"]
            if t["transfer_id"] == transfer_id]


def _notices(caller, kind: str, reference: str) -> list:
    return [n for n in caller.get("/my-day").get_json()["notices"]
            if n["kind"] == kind and n["reference"] == reference]


def _handled(deployment: Deployment, event_type: str, case_id) -> bool:
    """Whether the deployment's consumer has processed (committed) its own event of the case."""
    return bool(deployment.sql(
        "SELECT 1 FROM inbox i JOIN outbox o ON o.event_id = i.event_id "
        "WHERE o.event_type = :e AND o.aggregate_id = :c", e=event_type, c=str(case_id)))


def test_a_case_moves_to_a_county_of_another_deployment_and_the_sender_reads_nothing_after(
        counties, running):
    a, b, _ = counties
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    ole = b.user("cm-ole", areas=("area-delbrueck",), org="org-stadt-pb")
    case_id, goal_id = _case_in_monitoring(a)

    transfer_id = _offer(a, case_id)
    offered = poll(lambda: _incoming(jana, transfer_id), message="the offer to reach Paderborn")
    assert offered[0]["from_tenant_id"] == str(HOEXTER)
    notices = jana.get("/my-day").get_json()["notices"]
    assert any(n["kind"] == "transfer_offered" and n["reference"] == transfer_id
               for n in notices), notices
    assert _incoming(ole, transfer_id) == [] and ole.get(f"/transfers/{transfer_id}") \
        .status_code == 404, "a case manager of another area sees nothing"
    [(source_url,)] = b.sql("SELECT source_url FROM inbound_transfers WHERE id = :t",
                            t=transfer_id)
    assert source_url == a.url

    handover = ok(jana.get(f"/transfers/{transfer_id}"), 200)
    assert handover["person"]["name"] == PERSON_NAME
    assert [g["id"] for g in handover["goals"]] == [goal_id]
    read = a.sql("SELECT actor, reason FROM audit_log WHERE tenant_id = :t AND action = 'read' "
                 "AND record_type = 'transfer_package' AND record_id = :c",
                 t=HOEXTER, c=str(case_id))
    assert [actor for actor, _ in read] == ["cm-jana"], "the sender audits the read"
    assert str(PADERBORN) in read[0][1]

    accepted = []

    def accept():
        accepted.append(jana.post(f"/transfers/{transfer_id}/accept"))

    twins = [threading.Thread(target=accept) for _ in range(2)]
    for thread in twins:
        thread.start()
    for thread in twins:
        thread.join(timeout=30)
    new_ids = {ok(response, 200)["id"] for response in accepted}
    assert len(new_ids) == 1, "two acceptances at once open one case"
    new_case_id = new_ids.pop()
    assert ok(jana.post(f"/transfers/{transfer_id}/accept"), 200)["id"] == new_case_id
    assert len(b.sql("SELECT id FROM cases WHERE intake_id = :t", t=transfer_id)) == 1

    taken = ok(jana.get(f"/cases/{new_case_id}"), 200)
    assert (taken["case_manager_id"], taken["area_id"], taken["phase"]) == (
        "cm-jana", "area-paderborn", "monitoring")
    assert taken["person"]["name"] == PERSON_NAME
    assert [g["statement"] for g in taken["goals"]] and taken["help_plan"]["version"] == 1
    assert {c["kind"] for c in taken["consents"]} == {"data_protection_information",
                                                      "counselling_agreement"}, \
        "releases for the sending county's partners do not travel"

    poll(lambda: a.sql("SELECT 1 FROM cases WHERE id = :c AND phase = 'closed' "
                       "AND closure_reason = 'moved_away' AND handed_over_at IS NOT NULL",
                       c=case_id), message="the sending case to be handed over")
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/contacts"):
        assert lea.get(path).status_code == 404, path
    assert lea.get("/cases").get_json() == []
    [(payload,)] = a.sql("SELECT payload FROM outbox WHERE event_type = "
                         "'casework.case.transferred.v1' AND aggregate_id = :c", c=str(case_id))
    assert ev.CaseTransferred.FromString(payload).to_tenant_id == str(PADERBORN)

    events = b.sql("SELECT payload FROM outbox WHERE event_type = "
                   "'casework.case.transfer_accepted.v1' AND aggregate_id = :c",
                   c=str(new_case_id))
    assert len(events) == 1
    assert ev.CaseTransferAccepted.FromString(events[0][0]).transfer_id == transfer_id
    offers = a.sql("SELECT payload FROM outbox WHERE event_type = "
                   "'casework.case.transfer_offered.v1' AND aggregate_id = :c", c=str(case_id))
    for (payload,) in events + offers:
        assert b"Haddad" not in bytes(payload) and b"Amira" not in bytes(payload)
    assert _incoming(jana, transfer_id) == [], "accepted: no longer incoming"


def _erase_at(deployment: Deployment, intake_id: str) -> uuid.UUID:
    """The person's erasure on her request in the deployment's tenant, as its intake (the
    coordinator) publishes it; casework there erases its rows about her."""
    container = deployment.container
    with container.uow(deployment.tenant) as uow:
        erasure_id = erasure_handlers.start(
            uow, container.tables, person_id=intake_id, trigger=erasure_handlers.REQUEST,
            record_kind=None, reference="Art. 17 Abs. 1 lit. a DSGVO", requested_by="dsb-hx",
            services=["casework"], coordinator="intake")
        uow.commit()
    return erasure_id


def test_an_erasure_on_her_request_reaches_the_county_of_another_deployment_that_took_her_case(
        counties, running):
    """Art. 17(2), 19 GDPR (ADR 0109): Höxter erases the person whose case Paderborn (another
    deployment) took over; its casework tells Paderborn's federation endpoint, which forwards
    the erasure to its tenant, and Paderborn's casework erases its copy."""
    a, b, _ = counties
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    intake_id = str(uuid.uuid4())  # as intake names a person: her intake's id
    case_id = open_test_case(a.container, a.tenant, "cm-lea", intake_id=intake_id)
    transfer_id = _offer(a, case_id)
    poll(lambda: _incoming(jana, transfer_id), message="the offer to reach Paderborn")
    new_case_id = ok(jana.post(f"/transfers/{transfer_id}/accept"), 200)["id"]
    poll(lambda: a.sql("SELECT 1 FROM cases WHERE id = :c AND handed_over_at IS NOT NULL",
                       c=case_id), message="the sending case to be handed over")
    assert b.sql("SELECT name FROM persons WHERE case_id = :c", c=new_case_id) == [
        (PERSON_NAME,)]

    erasure_id = _erase_at(a, intake_id)

    forwarded = erasure_handlers.forwarded_id(erasure_id, PADERBORN, transfer_id)
    poll(lambda: b.sql("SELECT 1 FROM erasure_done WHERE erasure_id = :e", e=forwarded),
         message="Paderborn's casework to erase its copy")
    assert b.sql("SELECT name FROM persons WHERE case_id = :c", c=new_case_id) == [], \
        "her person record in the copy is gone"
    assert b.sql("SELECT count(*) FROM cases WHERE id = :c", c=new_case_id) == [(1,)], \
        "the case stays, anonymised, for the counts"
    assert a.sql("SELECT 1 FROM erasure_done WHERE erasure_id = :e", e=erasure_id), \
        "Höxter erased its own rows without waiting for the peer"
    # the forward is audited on both sides, and what travelled names no one
    assert a.sql("SELECT 1 FROM audit_log WHERE action = 'erasure.forward' "
                 "AND record_type = 'transfer' AND record_id = :t", t=transfer_id)
    assert b.sql("SELECT 1 FROM audit_log WHERE tenant_id = :t AND action = 'erasure.forward' "
                 "AND record_id = :p", t=PADERBORN, p=transfer_id)
    [(payload,)] = a.sql("SELECT payload FROM outbox WHERE event_type = "
                         "'casework.case.transfer_erasure_requested.v1' AND aggregate_id = :t",
                         t=transfer_id)
    told = ev.CaseTransferErasureRequested.FromString(payload)
    assert (told.transfer_id, told.to_tenant_id, told.erasure_id) == (
        transfer_id, str(PADERBORN), str(erasure_id))
    assert b"Haddad" not in bytes(payload)

    # delivered again (a redelivery after a lost answer): forwarded under the same id, erased once
    peer_client = a.identity.service_token()
    body = {"from_tenant_id": str(HOEXTER), "to_tenant_id": str(PADERBORN),
            "erasure_id": str(erasure_id)}
    erasure_url = f"{b.url}/federation/transfers/{transfer_id}/erasure"
    assert call("POST", erasure_url, peer_client, body)[0] == 204
    poll(lambda: len(b.sql("SELECT 1 FROM inbox i JOIN outbox o ON o.event_id = i.event_id "
                           "WHERE o.event_type = 'erasure.requested.v1' "
                           "AND o.aggregate_id = :e", e=str(forwarded))) == 2,
         message="the repeated forward to be consumed")
    assert len(b.sql("SELECT 1 FROM erasure_done WHERE erasure_id = :e", e=forwarded)) == 1
    # only the peer that handed the case over may forward an erasure of it, only for an
    # accepted transfer, and the body is checked field by field
    assert call("POST", erasure_url, b.identity.service_token(), body)[0] == 403
    status, problem = call("POST", erasure_url, peer_client, {**body, "erasure_id": "x"})
    assert status == 422 and "erasure_id" in str(problem.get("errors")), problem
    assert call("POST", f"{b.url}/federation/transfers/{uuid.uuid4()}/erasure", peer_client,
                body)[0] == 404


def test_an_offer_to_a_peer_that_is_down_is_dead_lettered_and_delivered_once_it_is_back(
        counties, running):
    a, b, _ = counties
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    case_id = open_test_case(a.container, a.tenant, "cm-lea")
    b.served.stop()
    try:
        with Connection(a.container.settings.broker_url) as connection:
            transfer_id = _offer(a, case_id)
            poll(lambda: queue_depth(connection, "casework.dead") == 1, timeout=60,
                 message="the offer to be dead-lettered after the delivery limit")
    finally:
        b.served.start()
    assert b.sql("SELECT id FROM inbound_transfers WHERE id = :t", t=transfer_id) == []
    with Connection(a.container.settings.broker_url) as connection:
        assert len(deadletters.replay(connection, "casework", None).replayed) == 1
    poll(lambda: _incoming(jana, transfer_id), message="the replayed offer to arrive")


def test_the_federation_endpoints_refuse_anyone_but_the_peer_of_the_tenant_concerned(
        counties, running):
    a, b, lippe = counties
    case_id = open_test_case(a.container, a.tenant, "cm-lea")
    transfer_id = _offer(a, case_id)
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    poll(lambda: _incoming(jana, transfer_id), message="the offer to arrive")
    package = (f"{a.url}/federation/transfers/{transfer_id}/package"
               f"?from_tenant_id={HOEXTER}&case_manager_id=cm-jana")
    accepted = f"{a.url}/federation/transfers/{transfer_id}/accepted"
    acceptance = {"from_tenant_id": str(HOEXTER), "accepted_by": "cm-jana"}

    stranger = DevIssuer(issuer=b.identity.issuer.issuer)  # claims Paderborn's issuer name
    assert call("GET", package, stranger.issue("casework", PADERBORN, "org-kreis-pb",
                                               ["service"], client_id="casework"))[0] == 401
    own_user = a.identity.user_token("cm-lea", [CASE_MANAGER], ["area-hoexter"])
    own_client = a.identity.service_token()
    peer_user = b.identity.user_token("cm-jana", [CASE_MANAGER, "service"], ["area-paderborn"])
    for token in (own_user, own_client, peer_user):
        status, problem = call("GET", package, token)
        assert status == 403, problem
        assert call("POST", accepted, token, acceptance)[0] == 403

    lippe_client = lippe.service_token()
    assert call("GET", package, lippe_client)[0] == 404, "addressed to another tenant"
    assert call("POST", accepted, lippe_client, acceptance)[0] == 404
    offer = {"transfer_id": str(uuid.uuid4()), "from_tenant_id": str(PADERBORN),
             "to_tenant_id": str(HOEXTER), "to_area_id": "area-hoexter",
             "from_case_id": str(uuid.uuid4()), "callback_url": b.url,
             "topic_areas": ["housing"], "phase": "intake"}
    assert call("POST", f"{a.url}/federation/transfers", lippe_client, offer)[0] == 403, \
        "a peer offers only from its own tenant"

    peer_client = a.identity.service_token()  # Höxter's casework calling Paderborn
    offers = f"{b.url}/federation/transfers"
    for changes, field in (({"to_tenant_id": str(HOEXTER)}, "to_tenant_id"),
                           ({"to_tenant_id": str(uuid.uuid4())}, "to_tenant_id"),
                           ({"to_area_id": "area-bielefeld"}, "to_area_id"),
                           ({"callback_url": "http://127.0.0.1:1/elsewhere"}, "callback_url"),
                           ({"phase": "somewhere"}, "phase")):
        body = {**offer, "from_tenant_id": str(HOEXTER), "to_tenant_id": str(PADERBORN),
                "to_area_id": "area-paderborn", "callback_url": a.url, **changes}
        status, problem = call("POST", offers, peer_client, body)
        assert status == 422, (changes, problem)
        assert field in str(problem.get("errors")), problem
    status, problem = call("POST", offers, b.identity.service_token(), {
        **offer, "from_tenant_id": str(PADERBORN), "to_tenant_id": str(PADERBORN)})
    assert status == 403, "Paderborn does not take Paderborn's own clients for a peer"
    assert call("GET", package, b.identity.service_token())[0] == 200, "the peer reads it"


def test_a_cancel_reaches_the_peer_at_once_and_the_offer_leaves_her_day_untouched(
        counties, running):
    a, b, _ = counties
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    case_id = open_test_case(a.container, a.tenant, "cm-lea")
    transfer_id = _offer(a, case_id)
    poll(lambda: _incoming(jana, transfer_id), message="the offer to arrive")
    assert _notices(jana, "transfer_offered", transfer_id)

    ok(lea.post(f"/transfers/{transfer_id}/cancel"))
    poll(lambda: _incoming(jana, transfer_id) == [],
         message="the pushed cancel to take the offer out of her day")
    assert _notices(jana, "transfer_offered", transfer_id) == [], "its notice is withdrawn"
    assert b.sql("SELECT status FROM inbound_transfers WHERE id = :t",
                 t=transfer_id) == [("cancelled",)]
    [(actor, reason)] = b.sql("SELECT actor, reason FROM audit_log WHERE tenant_id = :t AND "
                              "action = 'transfer.cancel' AND record_id = :r",
                              t=PADERBORN, r=transfer_id)
    assert actor == "casework" and str(HOEXTER) in reason, "audited as the peer's call"
    assert jana.get(f"/transfers/{transfer_id}").status_code == 404
    assert jana.post(f"/transfers/{transfer_id}/accept").status_code == 409
    assert b.sql("SELECT id FROM cases WHERE intake_id = :t", t=transfer_id) == []
    assert lea.get(f"/cases/{case_id}").status_code == 200, "still hers"
    [(payload,)] = a.sql("SELECT payload FROM outbox WHERE event_type = "
                         "'casework.case.transfer_cancelled.v1' AND aggregate_id = :c",
                         c=str(case_id))
    cancelled = ev.CaseTransferCancelled.FromString(payload)
    assert (cancelled.transfer_id, cancelled.to_tenant_id) == (transfer_id, str(PADERBORN))
    assert b"Haddad" not in bytes(payload) and b"Amira" not in bytes(payload)


def test_a_cancelled_remote_offer_cannot_be_accepted_before_the_cancel_arrives(counties):
    """The pull path stays: while the pushed cancel waits (here: the sender's consumer is
    stopped), the receiver's read and accept ask the sender, which answers 409."""
    a, b, _ = counties
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    case_id = open_test_case(a.container, a.tenant, "cm-lea")
    with Running(a.container.relay().run), Running(b.container.relay().run), \
            Running(b.container.consumer().run):
        with Running(a.container.consumer().run):
            transfer_id = _offer(a, case_id)
            poll(lambda: _incoming(jana, transfer_id), message="the offer to arrive")

        ok(lea.post(f"/transfers/{transfer_id}/cancel"))
        assert jana.get(f"/transfers/{transfer_id}").status_code == 409
        assert jana.post(f"/transfers/{transfer_id}/accept").status_code == 409
        assert _incoming(jana, transfer_id) == [], "the withdrawn offer leaves her day"
        assert b.sql("SELECT id FROM cases WHERE intake_id = :t", t=transfer_id) == []
        assert lea.get(f"/cases/{case_id}").status_code == 200, "still hers"

        with Running(a.container.consumer().run):  # the late cancel: the peer answers 204
            poll(lambda: _handled(a, "casework.case.transfer_cancelled.v1", case_id),
                 message="the cancel to be delivered after all")
    assert b.sql("SELECT status FROM inbound_transfers WHERE id = :t",
                 t=transfer_id) == [("cancelled",)]


def test_a_cancel_while_the_peer_is_down_is_dead_lettered_and_delivered_once_it_is_back(
        counties, running):
    a, b, _ = counties
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    case_id = open_test_case(a.container, a.tenant, "cm-lea")
    transfer_id = _offer(a, case_id)
    poll(lambda: _incoming(jana, transfer_id), message="the offer to arrive")
    b.served.stop()
    try:
        with Connection(a.container.settings.broker_url) as connection:
            ok(lea.post(f"/transfers/{transfer_id}/cancel"))
            poll(lambda: queue_depth(connection, "casework.dead") == 1, timeout=60,
                 message="the cancel to be dead-lettered after the delivery limit")
    finally:
        b.served.start()
    assert _incoming(jana, transfer_id), "not lost: still waiting for delivery"
    with Connection(a.container.settings.broker_url) as connection:
        assert len(deadletters.replay(connection, "casework", None).replayed) == 1
    poll(lambda: _incoming(jana, transfer_id) == [],
         message="the replayed cancel to take the offer out of her day")
    assert _notices(jana, "transfer_offered", transfer_id) == []


def test_a_cancel_after_the_receiver_accepted_is_not_retried_and_the_case_is_handed_over(
        counties):
    """The cancel and the acceptance cross: Paderborn accepted (its report still in its outbox)
    when Höxter's case manager cancels. Paderborn answers the cancel 409 — handled once, with a
    notice to her — and its acceptance report then hands the case over as usual."""
    a, b, _ = counties
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    jana = b.user("cm-jana", areas=("area-paderborn",), org="org-stadt-pb")
    case_id = open_test_case(a.container, a.tenant, "cm-lea")
    with Running(a.container.relay().run), Running(a.container.consumer().run), \
            Running(b.container.consumer().run):
        transfer_id = _offer(a, case_id)
        poll(lambda: _incoming(jana, transfer_id), message="the offer to arrive")
        new_case_id = ok(jana.post(f"/transfers/{transfer_id}/accept"), 200)["id"]

        ok(lea.post(f"/transfers/{transfer_id}/cancel"))  # pending here until the report
        poll(lambda: _notices(lea, "transfer_cancel_too_late", transfer_id),
             message="the sender to learn that the receiver had accepted")
        assert _handled(a, "casework.case.transfer_cancelled.v1", case_id), "handled, once"
        with Connection(a.container.settings.broker_url) as connection:
            assert queue_depth(connection, "casework.dead") == 0
            assert queue_depth(connection, "casework.events") == 0, "nothing redelivered"
        assert b.sql("SELECT status FROM inbound_transfers WHERE id = :t",
                     t=transfer_id) == [("accepted",)], "the acceptance stands"

        with Running(b.container.relay().run):  # the acceptance report goes out
            poll(lambda: a.sql("SELECT 1 FROM cases WHERE id = :c AND phase = 'closed' "
                               "AND closure_reason = 'moved_away' "
                               "AND handed_over_at IS NOT NULL", c=case_id),
                 message="the sending case to be handed over")
            poll(lambda: _handled(b, "casework.case.transfer_accepted.v1", new_case_id),
                 message="the report to be done")
    assert lea.get(f"/cases/{case_id}").status_code == 404
    assert a.sql("SELECT status FROM transfers WHERE id = :t", t=transfer_id) == [("accepted",)]
    assert len(_notices(lea, "transfer_cancel_too_late", transfer_id)) == 1
    assert ok(jana.get(f"/cases/{new_case_id}"), 200)["case_manager_id"] == "cm-jana"
    assert not [n for n in jana.get("/my-day").get_json()["notices"]
                if n["kind"] == "transfer_withdrawn_by_sender"]


def test_only_the_peer_that_offered_a_case_may_cancel_it(counties, running):
    """Paderborn offers a case to Höxter (its casework's call, as its consumer makes it);
    Lippe — also a configured peer of Höxter — cannot withdraw it."""
    a, b, lippe = counties
    admin = a.user("admin-hx", roles=(TENANT_ADMIN,), org="org-kreis-hx")
    ok(admin.put("/case-managers/cm-mia", {"organisation_id": "org-stadt-hoexter", "fte": 1.0,
                                           "areas": ["area-hoexter"]}))
    mia = a.user("cm-mia", areas=("area-hoexter",), org="org-stadt-hoexter")
    transfer_id = str(uuid.uuid4())
    paderborn_client = b.identity.service_token()
    status, _ = call("POST", f"{a.url}/federation/transfers", paderborn_client, {
        "transfer_id": transfer_id, "from_tenant_id": str(PADERBORN),
        "to_tenant_id": str(HOEXTER), "to_area_id": "area-hoexter",
        "from_case_id": str(uuid.uuid4()), "callback_url": b.url,
        "topic_areas": ["housing"], "phase": "intake"})
    assert status == 201
    assert _incoming(mia, transfer_id) and _notices(mia, "transfer_offered", transfer_id)
    cancelled = f"{a.url}/federation/transfers/{transfer_id}/cancelled"
    cancel = {"from_tenant_id": str(PADERBORN), "to_tenant_id": str(HOEXTER)}

    lippe_client = lippe.service_token()
    assert call("POST", cancelled, lippe_client, cancel)[0] == 403, \
        "a peer cancels only its own tenant's offers"
    assert call("POST", cancelled, lippe_client, {**cancel, "from_tenant_id": str(LIPPE)})[0] \
        == 404, "Lippe offered nothing of that id"
    stranger = DevIssuer(issuer=b.identity.issuer.issuer)
    assert call("POST", cancelled, stranger.issue("casework", PADERBORN, "org-kreis-pb",
                                                  ["service"], client_id="casework"),
                cancel)[0] == 401
    for token in (a.identity.user_token("cm-mia", [CASE_MANAGER], ["area-hoexter"]),
                  a.identity.service_token(),
                  b.identity.user_token("cm-jana", [CASE_MANAGER, "service"])):
        assert call("POST", cancelled, token, cancel)[0] == 403
    assert call("POST", f"{a.url}/federation/transfers/{uuid.uuid4()}/cancelled",
                paderborn_client, cancel)[0] == 404
    assert call("POST", cancelled, paderborn_client,
                {**cancel, "to_tenant_id": str(LIPPE)})[0] == 404, "not a tenant served here"
    for body, field in (({"to_tenant_id": str(HOEXTER)}, "from_tenant_id"),
                        ({**cancel, "to_tenant_id": "hoexter"}, "to_tenant_id")):
        status, problem = call("POST", cancelled, paderborn_client, body)
        assert status == 422, problem
        assert field in str(problem.get("errors")), problem
    assert _incoming(mia, transfer_id), "still offered"

    assert call("POST", cancelled, paderborn_client, cancel)[0] == 204
    assert call("POST", cancelled, paderborn_client, cancel)[0] == 204, "idempotent"
    assert _incoming(mia, transfer_id) == []
    assert _notices(mia, "transfer_offered", transfer_id) == []
    assert len(a.sql("SELECT 1 FROM audit_log WHERE tenant_id = :t AND "
                     "action = 'transfer.cancel' AND record_id = :r",
                     t=HOEXTER, r=transfer_id)) == 1


def test_an_offer_to_a_tenant_neither_served_here_nor_a_peer_is_refused(counties):
    a, _, _ = counties
    lea = a.user("cm-lea", areas=("area-hoexter",), org="org-stadt-hoexter")
    case_id = open_test_case(a.container, a.tenant, "cm-lea")
    response = lea.post(f"/cases/{case_id}/transfers", {"to_tenant_id": str(uuid.uuid4()),
                                                        "to_area_id": "area-x"})
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["to_tenant_id"]
