"""The person's right of access (Art. 15 GDPR, ADR 0103) across intake, casework and network,
on the real PostgreSQL and RabbitMQ: a person recorded at intake and admitted to a case in
casework; the tenant's data-protection officer starts a request at intake (the coordinator);
every service answers through the bus (outbox, broker, inbox); the archive holds each
service's rows and the audit trail's accesses to them, and a German summary. A service that
does not answer shows as overdue once the deadline passed (the clock injected); a request or an
answer delivered twice is handled once; nobody but the tenant's data-protection officer starts
or reads a request.

The coordinator fetches the other services' parts over their internal API
(``GET /subject-access-parts/{id}``, role ``service``); here through each service's own Flask
app with a machine token of the test issuer, in place of HTTP between processes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
import zipfile
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa

from lotse.subject_rights.v1.events_pb2 import SubjectAccessAnswered, SubjectAccessRequested
from lotse_casework.bootstrap import CaseworkService
from lotse_casework.domain.handover import HandoverPackage
from lotse_casework.domain.model import AwaitingHandover
from lotse_casework.service_layer.admission import open_case
from lotse_intake.bootstrap import IntakeService
from lotse_network.bootstrap import NetworkService
from lotse_platform.auth import CASE_MANAGER, DATA_PROTECTION_OFFICER
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.subject_rights.parts import ServiceParts, read_part
from lotse_platform.testing import (
    Running,
    TokenCaller,
    days_ago,
    frozen_clock,
    known_directory,
    poll,
    publish_event,
    put_directory,
    service_on,
    today,
)

from .internal_api import InternalApi

pytestmark = pytest.mark.integration

AREA, ORG, CASE_MANAGER_ID = "area-hoexter", "org-stadt-hoexter", "cm-lea"
DPO_ID = "dsb-mueller"
GIVEN_NAME, FAMILY_NAME = "Amina", "Haddad-Auskunft"
#: a working day's morning in Berlin; the test's clock stands still there
MORNING = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def services(databases, broker_url, issuer, tmp_path_factory):
    """Intake (the coordinator; one hour for the answers), casework and network, each on its
    own database, on this run's broker."""
    intake = service_on(IntakeService, databases.create("sar_intake"), broker_url, issuer,
                        relay_poll_interval=0.02, subject_access_answer_hours=1,
                        subject_access_services=["intake", "casework", "network"])
    casework = service_on(CaseworkService, databases.create("sar_casework"), broker_url,
                          issuer, relay_poll_interval=0.02,
                          key_dir=tmp_path_factory.mktemp("sar-casework-keys"))
    network = service_on(NetworkService, databases.create("sar_network"), broker_url, issuer,
                         relay_poll_interval=0.02)
    found = {"intake": intake, "casework": casework, "network": network}
    apps = {name: service.create_app() for name, service in found.items()}
    yield found, apps
    for service in found.values():
        service.engine.dispose()



@pytest.fixture
def tenant(services, issuer) -> uuid.UUID:
    found, apps = services
    tenant = uuid.uuid4()
    directory = known_directory(organisations=[ORG], areas=[AREA],
                                users=[(CASE_MANAGER_ID, ORG, [CASE_MANAGER])])
    for service in found.values():
        put_directory(service, tenant, directory)
    intake = found["intake"]

    def own(tenant_id: uuid.UUID, request_id: uuid.UUID) -> bytes | None:
        with intake.uow(tenant_id) as uow:
            return read_part(uow.session, intake.tables, tenant_id, request_id)

    intake.__dict__["subject_access_parts"] = ServiceParts(
        "intake", own, lambda name: f"http://{name}", InternalApi(apps, issuer, tenant, "intake", ORG))
    yield tenant
    intake.__dict__.pop("subject_access_parts", None)


def _caller(apps, issuer, service: str, tenant, subject: str, roles) -> TokenCaller:
    token = issuer.issue(subject, tenant, ORG, list(roles), areas=[AREA])
    return TokenCaller(apps[service].test_client(), token, subject)


def _workers(found, names) -> ExitStack:
    stack = ExitStack()
    for name in names:
        stack.enter_context(Running(found[name].relay().run))
        stack.enter_context(Running(found[name].consumer().run))
    return stack


def _a_person_with_a_case(found, apps, issuer, tenant) -> tuple[str, uuid.UUID]:
    """A person recorded at intake through its API, her case opened in casework (as its
    admission handler does) and read by her case manager through casework's API."""
    case_manager = _caller(apps, issuer, "intake", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    created = case_manager.post("/intakes", {
        "person": {"given_name": GIVEN_NAME, "family_name": FAMILY_NAME,
                   "date_of_birth": "1990-04-12", "languages": ["ar", "de"],
                   "contact": {"phone": "+49 5271 123456"}, "interpreter_needed": True},
        "access_path": "self_referral", "area_id": AREA, "contact_date": days_ago(3)})
    assert created.status_code == 201, created.get_json()
    intake_id = created.get_json()["id"]
    assert case_manager.get(f"/intakes/{intake_id}").status_code == 200
    admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                 case_manager_id=CASE_MANAGER_ID, case_manager_org_id=ORG,
                                 area_id=AREA, admitted_on=today(), topic_areas=["residence"])
    handover = HandoverPackage.parse({
        "intake_id": intake_id, "operator_org_id": "", "area_id": AREA,
        "access_path": "self_referral",
        "person": {"given_name": GIVEN_NAME, "family_name": FAMILY_NAME,
                   "date_of_birth": "1990-04-12", "contact": {"phone": "+49 5271 123456"},
                   "languages": ["ar", "de"], "interpreter_needed": True,
                   "language_levels": []},
        "screening": {"criteria_met": ["multiple_dimensions", "several_actors"],
                      "topic_areas": ["residence"], "crisis": False, "target_group_ids": []},
        "admission": {"case_manager_id": CASE_MANAGER_ID, "admitted_on": days_ago(0)},
        "consents": [{"id": f"{intake_id}-ca", "kind": "counselling_agreement",
                      "valid_from": days_ago(3), "withdrawn": False}],
        "counselling_history": [], "released_under": "counselling_agreement"}, intake_id)
    with found["casework"].uow(tenant) as uow:
        case = open_case(uow, admission, handover)
        uow.commit()
        case_id = case.id
    reader = _caller(apps, issuer, "casework", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    assert reader.get(f"/cases/{case_id}").status_code == 200
    return intake_id, case_id


def _referral_cases(network, tenant) -> int:
    table = network.metadata.tables["referral_cases"]
    with network.uow(tenant) as uow:
        return uow.session.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def _state(dpo: TokenCaller, request_id: str) -> dict:
    response = dpo.get(f"/subject-access-requests/{request_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _audited(service, tenant, action: str, record_type: str) -> list[dict]:
    log = service.tables.audit_log
    with service.uow(tenant) as uow:
        return [dict(row) for row in uow.session.execute(sa.select(log).where(
            log.c.action == action, log.c.record_type == record_type)).mappings()]


def test_every_service_answers_and_the_archive_holds_their_rows_and_the_accesses(
        services, issuer, tenant):
    found, apps = services
    with frozen_clock(MORNING):
        intake_id, case_id = _a_person_with_a_case(found, apps, issuer, tenant)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        with _workers(found, ("intake", "casework", "network")):
            # network learns of the case from casework's event (for referrals to come)
            poll(lambda: _referral_cases(found["network"], tenant), message="network's copy")
            started = dpo.post("/subject-access-requests", {
                "person_id": intake_id, "reference": "Art. 15 DSGVO, Az. DS-2026-17"})
            assert started.status_code == 202, started.get_json()
            request_id = started.get_json()["id"]
            assert started.get_json()["reference"] == "Art. 15 DSGVO, Az. DS-2026-17"
            poll(lambda: _state(dpo, request_id)["state"] == "complete",
                 message="every service to answer")
        state = _state(dpo, request_id)
        by_service = {s["service"]: s for s in state["services"]}
        assert set(by_service) == {"intake", "casework", "network"}
        assert all(s["state"] == "answered" and not s["late"] for s in by_service.values())
        assert by_service["casework"]["rows"] > 0
        assert by_service["network"]["rows"] >= 1

        archive = dpo.get(f"/subject-access-requests/{request_id}/archive")
    assert archive.status_code == 200, archive.get_json()
    assert archive.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.get_data())) as opened:
        assert sorted(opened.namelist()) == [
            "casework.json", "intake.json", "network.json", "summary.pdf"]
        parts = {name: json.loads(opened.read(f"{name}.json"))
                 for name in ("intake", "casework", "network")}
        summary = opened.read("summary.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(summary)).pages)
    text = " ".join(text.split())
    assert "Auskunft nach Art. 15 DSGVO" in text and "Art. 15 DSGVO, Az. DS-2026-17" in text
    for words in ("Dienst intake: gespeicherte Daten", "Dienst casework: Zugriffe (Protokoll)",
                  "Dienst network: gespeicherte Daten", CASE_MANAGER_ID, "gelesen"):
        assert words in text, words
    assert GIVEN_NAME not in text  # the values are in the JSON, the summary names none

    # the encrypted columns (ADR 0104) reach the person as she can read them
    assert "lotse1$" not in json.dumps(parts)
    intake_tables = {t["name"]: t for t in parts["intake"]["tables"]}
    [person] = intake_tables["intakes"]["rows"]
    assert (person["id"], person["given_name"], person["family_name"]) == (
        intake_id, GIVEN_NAME, FAMILY_NAME)
    assert intake_tables["intakes"]["legal_basis"] == "task_sgb"
    casework_tables = {t["name"]: t for t in parts["casework"]["tables"]}
    assert [row["id"] for row in casework_tables["cases"]["rows"]] == [str(case_id)]
    assert [row["name"] for row in casework_tables["persons"]["rows"]] == [
        f"{GIVEN_NAME} {FAMILY_NAME}"]
    assert parts["casework"]["keys"]["case_id"] == [str(case_id)]
    # network learnt of her case from casework's event (for referrals to come): that row too
    network_tables = {t["name"]: t for t in parts["network"]["tables"]}
    assert [(r["case_id"], r["intake_id"]) for r in network_tables["referral_cases"]["rows"]] \
        == [(str(case_id), intake_id)]

    # who accessed her records, when and why: the case manager's reads and writes at intake and
    # in casework, from each service's audit trail
    intake_access = [a for a in parts["intake"]["accesses"] if a["actor"] == CASE_MANAGER_ID]
    assert {(a["action"], a["record_id"]) for a in intake_access} >= {("read", intake_id)}
    case_reads = [a for a in parts["casework"]["accesses"]
                  if a["actor"] == CASE_MANAGER_ID and a["action"] == "read"]
    assert case_reads and case_reads[0]["record_id"] == str(case_id)
    assert case_reads[0]["purpose"] == "task" and case_reads[0]["at"]

    # the request and its delivery are audited at the coordinator, the collection in each
    # service, the fetch of a part where it is served
    [created] = _audited(found["intake"], tenant, "create", "subject_access_request")
    assert created["actor"] == DPO_ID and created["record_id"] == request_id
    assert created["reason"] == "purpose:data_subject_request"
    [delivered] = _audited(found["intake"], tenant, "subject_access.deliver",
                           "subject_access_request")
    assert delivered["actor"] == DPO_ID
    for name in ("intake", "casework", "network"):
        [collected] = _audited(found[name], tenant, "subject_access.collect", "person")
        assert collected["record_id"] == intake_id
    for name in ("casework", "network"):
        [fetched] = _audited(found[name], tenant, "read", "subject_access_part")
        assert fetched["record_id"] == request_id
    assert _state(dpo, request_id)["delivered_at"] is not None
    # each service keeps its part until her erasure: encrypted with the tenant's keys (ADR 0104)
    for name in ("intake", "casework", "network"):
        with found[name].uow(tenant) as uow:
            [stored] = uow.session.execute(sa.text(
                "SELECT content FROM subject_access_part WHERE request_id = :r"),
                {"r": uuid.UUID(request_id)}).scalars().all()
        assert stored.startswith("lotse1$") and FAMILY_NAME not in stored, name


def test_a_service_that_does_not_answer_is_overdue_after_the_deadline(services, issuer, tenant):
    found, apps = services
    with frozen_clock(MORNING):
        intake_id, _ = _a_person_with_a_case(found, apps, issuer, tenant)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        request_id = dpo.post("/subject-access-requests", {
            "person_id": intake_id, "reference": "Art. 15 DSGVO"}).get_json()["id"]
        # network's worker is down: it does not answer
        with _workers(found, ("intake", "casework")):
            poll(lambda: {s["service"]: s["state"] for s in _state(dpo, request_id)["services"]}
                 == {"intake": "answered", "casework": "answered", "network": "pending"},
                 message="intake and casework to answer")
        assert _state(dpo, request_id)["state"] == "pending"
        assert dpo.get(f"/subject-access-requests/{request_id}/archive").status_code == 409

    with frozen_clock(MORNING + timedelta(hours=1, seconds=1)):
        state = _state(dpo, request_id)
        assert state["state"] == "incomplete"
        assert {s["service"]: s["state"] for s in state["services"]}["network"] == "overdue"
        archive = dpo.get(f"/subject-access-requests/{request_id}/archive")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.get_data())) as opened:
        assert sorted(opened.namelist()) == ["casework.json", "intake.json", "summary.pdf"]

    # network answers late once it runs again: shown as answered, after the deadline
    with frozen_clock(MORNING + timedelta(hours=2)), _workers(found, ("intake", "network")):
        poll(lambda: {s["service"]: s for s in _state(dpo, request_id)["services"]}
             ["network"]["state"] == "answered", message="network's late answer")
        network = {s["service"]: s for s in _state(dpo, request_id)["services"]}["network"]
        assert network["late"] is True


def test_a_request_or_an_answer_delivered_again_is_handled_once(
        services, issuer, tenant, broker_url):
    found, apps = services
    with frozen_clock(MORNING):
        intake_id, _ = _a_person_with_a_case(found, apps, issuer, tenant)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        request_id = dpo.post("/subject-access-requests", {
            "person_id": intake_id, "reference": "Art. 15 DSGVO"}).get_json()["id"]
        with _workers(found, ("intake", "casework", "network")):
            poll(lambda: _state(dpo, request_id)["state"] == "complete",
                 message="every service to answer")
            first = {s["service"]: s for s in _state(dpo, request_id)["services"]}
            # the same request again under a new event id (a coordinator re-publishing it),
            # and casework's answer again
            publish_event(broker_url, tenant, SubjectAccessRequested(
                request_id=request_id, person_id=intake_id, coordinator="intake",
                requested_at=MORNING.isoformat(), deadline=MORNING.isoformat()),
                source="/lotse/intake")
            publish_event(broker_url, tenant, SubjectAccessAnswered(
                request_id=request_id, service="casework", tables=99, rows=99, accesses=99,
                sha256="0" * 64, answered_at=MORNING.isoformat()), source="/lotse/casework")
            marker = uuid.uuid4()
            # a later request behind them in every queue: once it is answered, the two
            # duplicates ahead of it were consumed
            later = dpo.post("/subject-access-requests", {
                "person_id": intake_id, "reference": f"Az. {marker}"}).get_json()["id"]
            poll(lambda: _state(dpo, later)["state"] == "complete",
                 message="the later request to be answered")
    again = {s["service"]: s for s in _state(dpo, request_id)["services"]}
    assert again == first  # the duplicated answer changed nothing
    for name in ("intake", "casework", "network"):
        parts = found[name].tables.subject_access_part
        with found[name].uow(tenant) as uow:
            kept = uow.session.execute(sa.select(sa.func.count()).select_from(parts).where(
                parts.c.request_id == uuid.UUID(request_id))).scalar()
        assert kept == 1, name
        assert len([e for e in _audited(found[name], tenant, "subject_access.collect", "person")
                    if e["record_id"] == intake_id]) == 2, name  # one per request


def test_only_the_tenants_data_protection_officer_starts_or_reads_a_request(
        services, issuer, tenant):
    found, apps = services
    with frozen_clock(MORNING):
        intake_id, _ = _a_person_with_a_case(found, apps, issuer, tenant)
        body = {"person_id": intake_id, "reference": "Art. 15 DSGVO"}
        for roles in ([CASE_MANAGER], ["coordinator"], ["auditor"], ["tenant_admin"]):
            other = _caller(apps, issuer, "intake", tenant, "someone", roles)
            assert other.post("/subject-access-requests", body).status_code == 403, roles
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        started = dpo.post("/subject-access-requests", body)
        assert started.status_code == 202
        request_id = started.get_json()["id"]
        case_manager = _caller(apps, issuer, "intake", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
        assert case_manager.get(f"/subject-access-requests/{request_id}").status_code == 403
        assert case_manager.get(
            f"/subject-access-requests/{request_id}/archive").status_code == 403

        # another tenant's data-protection officer sees nothing of it, and cannot ask about
        # this tenant's person
        elsewhere = _caller(apps, issuer, "intake", uuid.uuid4(), DPO_ID,
                            [DATA_PROTECTION_OFFICER])
        assert elsewhere.get(f"/subject-access-requests/{request_id}").status_code == 404
        assert elsewhere.get(
            f"/subject-access-requests/{request_id}/archive").status_code == 404
        refused = elsewhere.post("/subject-access-requests", body)
        assert refused.status_code == 404
        assert refused.get_json()["errors"][0]["field"] == "person_id"

        # bad input: a problem document naming the field
        for bad in ({"reference": "x"}, {"person_id": "not-a-uuid", "reference": "x"},
                    {"person_id": intake_id, "reference": ""}):
            response = dpo.post("/subject-access-requests", bad)
            assert response.status_code == 422, bad
            assert response.mimetype == "application/problem+json"

        # a part is served to a machine client only
        assert _caller(apps, issuer, "casework", tenant, DPO_ID, [DATA_PROTECTION_OFFICER]).get(
            f"/subject-access-parts/{request_id}").status_code == 403


def test_a_worker_killed_while_answering_answers_once_after_its_restart(
        services, issuer, tenant, tmp_path):
    """Casework's worker is killed with SIGKILL after collecting its part, before the commit
    (the fault point ``subject_access.collected``): nothing of it is kept, the broker
    redelivers the request, and the restarted worker answers once."""
    found, apps = services
    casework = found["casework"]
    env = {**os.environ,
           "LOTSE_CASEWORK_DATABASE_URL": casework.settings.database_url,
           "LOTSE_CASEWORK_MIGRATION_DATABASE_URL": casework.settings.owner_database_url,
           "LOTSE_BROKER_URL": casework.settings.broker_url, "LOTSE_LOG_LEVEL": "WARNING",
           # the case's encrypted columns are read with the tenant's keys (ADR 0104)
           "LOTSE_KEY_DIR": str(casework.settings.key_dir),
           "LOTSE_FAULT_POINTS": "subject_access.collected", "LOTSE_FAULT_DIR": str(tmp_path)}
    with frozen_clock(MORNING):
        intake_id, _ = _a_person_with_a_case(found, apps, issuer, tenant)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        with _workers(found, ("intake", "network")):
            crashing = subprocess.Popen(
                [str(Path(sys.executable).parent / "lotse-casework"), "worker", "--only",
                 "consumer"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                request_id = dpo.post("/subject-access-requests", {
                    "person_id": intake_id, "reference": "Art. 15 DSGVO"}).get_json()["id"]
                poll(lambda: crashing.poll() is not None
                     or (tmp_path / "subject_access.collected.reached").exists(), timeout=60,
                     message="casework's worker to collect its part")
                assert crashing.poll() is None, crashing.stderr.read().decode()[-2000:]
            finally:
                crashing.kill()  # SIGKILL: no cleanup, no commit
                crashing.wait(timeout=10)
            parts = casework.tables.subject_access_part
            with casework.uow(tenant) as uow:
                assert uow.session.execute(sa.select(sa.func.count()).select_from(parts).where(
                    parts.c.request_id == uuid.UUID(request_id))).scalar() == 0
            assert {s["service"]: s["state"] for s in _state(dpo, request_id)["services"]}[
                "casework"] == "pending"

            with _workers(found, ("casework",)):
                poll(lambda: _state(dpo, request_id)["state"] == "complete",
                     message="casework's restarted worker to answer")
    outbox = casework.tables.outbox
    with casework.uow(tenant) as uow:
        kept = uow.session.execute(sa.select(sa.func.count()).select_from(parts).where(
            parts.c.request_id == uuid.UUID(request_id))).scalar()
        answers = uow.session.execute(sa.select(sa.func.count()).select_from(outbox).where(
            outbox.c.event_type == "subject_access.answered.v1",
            outbox.c.aggregate_id == request_id)).scalar()
    assert (kept, answers) == (1, 1)
    assert len(_audited(casework, tenant, "subject_access.collect", "person")) == 1
