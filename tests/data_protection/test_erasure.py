"""The right to erasure and the retention policy (Art. 17, Art. 5(1)(e) GDPR, ADR 0106) across
intake, casework, network and reporting, on the real PostgreSQL and RabbitMQ.

A person recorded at intake (name, birth date, phone, a note), admitted to a case in casework
(an assessment, a goal, a contact's note — free text of her), known to network (her case, for
referrals); reporting counts her through the events. The tenant's data-protection officer
erases her at intake (the coordinator): every service erases through the bus (outbox, broker,
inbox) and reports back. Then every text, JSON, binary and date column of every table of every
service's database (read as the superuser, past row-level security), every message left on the
broker's queues and every log record the test captured are searched for her values: none may
remain. Reporting's tables are the same before and after (its figures unchanged). An erasure
delivered again erases nothing twice; a retention sweep at a frozen date erases a first contact
whose period ended and leaves a recent one.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import uuid
from contextlib import ExitStack
from datetime import UTC, date, datetime

import pika
import pytest
import sqlalchemy as sa

from lotse.subject_rights.v1.erasure_pb2 import ErasureRequested
from lotse_casework.bootstrap import CaseworkService
from lotse_casework.domain.handover import HandoverPackage
from lotse_casework.domain.model import AwaitingHandover
from lotse_casework.service_layer.admission import open_case
from lotse_intake.bootstrap import IntakeService
from lotse_network.bootstrap import NetworkService
from lotse_platform.auth import CASE_MANAGER, DATA_PROTECTION_OFFICER
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.crypto import PREFIX
from lotse_platform.subject_rights.erasure import MARKER
from lotse_platform.testing import (
    Running,
    TokenCaller,
    broker_listing,
    days_ago,
    days_ahead,
    frozen_clock,
    known_directory,
    poll,
    publish_event,
    put_directory,
    service_on,
    today,
)
from lotse_reporting.bootstrap import ReportingService

pytestmark = pytest.mark.integration

AREA, ORG, CASE_MANAGER_ID = "area-hoexter", "org-stadt-hoexter", "cm-lea"
#: the partner a referral goes to (the immigration office)
PARTNER = str(uuid.uuid5(uuid.NAMESPACE_DNS, "abh.erasure"))
DPO_ID = "dsb-mueller"
#: a working day's morning in Berlin; the test's clock stands still there
MORNING = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
SERVICES = ("intake", "casework", "network")


class Person:
    """One person's values, unique to the test run: what must be gone after her erasure."""

    def __init__(self) -> None:
        self.tag = tag = uuid.uuid4().hex[:12]
        self.given_name = f"Yasmin{tag}"
        self.family_name = f"Loeschmann{tag}"
        self.birth_date = "1987-11-23"
        self.phone = f"+49 5271 {int(tag, 16) % 10_000_000:07d}"
        self.intake_note = f"Wohnt bei der Tante in Brakel {tag}"
        self.assessment_text = f"Angst vor der Abschiebung des Bruders {tag}"
        self.goal_text = f"Antrag auf Aufenthaltserlaubnis für Yasmin {tag} ist gestellt"
        self.contact_note = f"Klientin berichtet von Druck der Ausländerbehörde {tag}"
        self.referral_reason = f"Hilfe bei der Verlängerung der Aufenthaltserlaubnis {tag}"

    @property
    def values(self) -> list[str]:
        """What is searched for: the tag in each of her texts (ASCII, so also where JSON
        escaped her umlauts), her phone number and her birth date as text."""
        return [self.tag, self.phone, self.birth_date]


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def casework_database(databases):
    return databases.create("er_casework")


@pytest.fixture(scope="module")
def platform(databases, broker_url, issuer, tmp_path_factory, casework_database):
    """Intake (the coordinator), casework, network and reporting, each on its own database."""
    made = {
        "intake": databases.create("er_intake"), "casework": casework_database,
        "network": databases.create("er_network"), "reporting": databases.create("er_reporting")}
    found = {
        "intake": service_on(IntakeService, made["intake"], broker_url, issuer,
                             relay_poll_interval=0.02, subject_access_services=list(SERVICES)),
        "casework": service_on(CaseworkService, made["casework"], broker_url, issuer,
                               relay_poll_interval=0.02,
                               key_dir=tmp_path_factory.mktemp("er-casework-keys")),
        "network": service_on(NetworkService, made["network"], broker_url, issuer,
                              relay_poll_interval=0.02),
        "reporting": service_on(ReportingService, made["reporting"], broker_url, issuer,
                                relay_poll_interval=0.02),
    }
    apps = {name: service.create_app() for name, service in found.items()}
    admins = {name: sa.create_engine(database.admin_url, poolclass=sa.pool.NullPool)
              for name, database in made.items()}
    yield found, apps, admins
    for service in found.values():
        service.engine.dispose()
    for engine in admins.values():
        engine.dispose()


@pytest.fixture
def tenant(platform) -> uuid.UUID:
    found, _, _ = platform
    tenant = uuid.uuid4()
    directory = known_directory(organisations=[ORG, PARTNER], areas=[AREA],
                                users=[(CASE_MANAGER_ID, ORG, [CASE_MANAGER])])
    for service in found.values():
        put_directory(service, tenant, directory)
    return tenant


def _caller(apps, issuer, service: str, tenant, subject: str, roles) -> TokenCaller:
    token = issuer.issue(subject, tenant, ORG, list(roles), areas=[AREA])
    return TokenCaller(apps[service].test_client(), token, subject)


def _ok(response, status: int):
    body = response.get_json(silent=True)
    assert response.status_code == status, body
    return body


def _workers(found, names) -> ExitStack:
    stack = ExitStack()
    for name in names:
        stack.enter_context(Running(found[name].relay().run))
        stack.enter_context(Running(found[name].consumer().run))
    return stack


def _record_intake(apps, issuer, tenant, person: Person, *, contact_date: str) -> str:
    case_manager = _caller(apps, issuer, "intake", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    created = _ok(case_manager.post("/intakes", {
        "person": {"given_name": person.given_name, "family_name": person.family_name,
                   "date_of_birth": person.birth_date, "languages": ["ar", "de"],
                   "contact": {"phone": person.phone}, "interpreter_needed": True},
        "access_path": "self_referral", "area_id": AREA, "contact_date": contact_date,
        "note": person.intake_note}), 201)
    return str(created["id"])


def _a_person_through_intake_and_casework(found, apps, issuer, tenant,
                                          person: Person) -> tuple[str, uuid.UUID]:
    """Her intake through intake's API; her case opened in casework (as its admission handler
    does); an assessment, a goal and a contact with her free text through casework's API."""
    intake_id = _record_intake(apps, issuer, tenant, person, contact_date=days_ago(3))
    admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                 case_manager_id=CASE_MANAGER_ID, case_manager_org_id=ORG,
                                 area_id=AREA, admitted_on=today(), topic_areas=["residence"])
    handover = HandoverPackage.parse({
        "intake_id": intake_id, "operator_org_id": "", "area_id": AREA,
        "access_path": "self_referral",
        "person": {"given_name": person.given_name, "family_name": person.family_name,
                   "date_of_birth": person.birth_date, "contact": {"phone": person.phone},
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
    lea = _caller(apps, issuer, "casework", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    _ok(lea.post(f"/cases/{case_id}/phase", {"to": "assessment"}), 204)
    _ok(lea.post(f"/cases/{case_id}/assessments", {
        "life_areas": [
            {"area": "residence_status", "client_view": person.assessment_text,
             "case_manager_view": "Duldung, Chance auf § 25b AufenthG",
             "disagreement": "Klientin sieht keine Perspektive, CM sieht Bleiberecht"},
            {"area": "housing", "client_view": "Gemeinschaftsunterkunft, zu eng",
             "case_manager_view": "Gemeinschaftsunterkunft, zu eng"}],
        "resources": [{"kind": "personal", "description": "spricht drei Sprachen"}],
        "network": [{"label": "Ausländerbehörde", "kind": "authorities",
                     "quality": "straining", "intensity": "monthly"}]}), 201)
    _ok(lea.post(f"/cases/{case_id}/phase", {"to": "goal_agreement"}), 204)
    _ok(lea.post(f"/cases/{case_id}/goals", {
        "topic_area": "residence", "statement": person.goal_text,
        "indicator": "Eingangsbestätigung liegt vor", "responsible": "client",
        "realism_note": "Unterlagen sind fast vollständig", "due_on": days_ahead(60)}), 201)
    _ok(lea.post(f"/cases/{case_id}/contacts", {
        "type": "appointment", "occurred_on": days_ago(0), "duration_minutes": 60,
        "topics": ["residence"], "notes": person.contact_note}), 201)
    return intake_id, case_id


class _IntakesConsents:
    """Intake's answer to network's consent check at the moment of sharing (ADR 0053), read
    from intake's own database — in place of the HTTP call between the processes."""

    def __init__(self, intake, tenant: uuid.UUID) -> None:
        self.intake, self.tenant = intake, tenant

    def current_consents(self, operator_org_id: str, intake_id: str, consent_ids):
        from lotse_network.domain.referrals import ConsentCopy

        consents = self.intake.metadata.tables["consents"]
        with self.intake.uow(self.tenant) as uow:
            rows = uow.session.execute(sa.select(consents).where(
                sa.cast(consents.c.intake_id, sa.String) == intake_id,
                sa.cast(consents.c.id, sa.String).in_(list(consent_ids)))).mappings().all()
        return {str(row["id"]): ConsentCopy(
            consent_id=str(row["id"]), intake_id=intake_id, operator_org_id=operator_org_id,
            kind="release_of_confidentiality", partner_org_id=row["partner_org_id"] or "",
            topic_areas=list(row["topic_areas"] or []), valid_from=row["valid_from"],
            valid_until=row["valid_until"], withdrawn_on=row["withdrawn_on"]) for row in rows}

    def close(self) -> None:
        """Holds no connection."""


def _released(found, apps, issuer, tenant, intake_id: str) -> str:
    """Her release of confidentiality towards the partner for residence, given at intake."""
    case_manager = _caller(apps, issuer, "intake", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    return str(_ok(case_manager.post(f"/intakes/{intake_id}/consents", {
        "kind": "release_of_confidentiality", "given_on": days_ago(1),
        "partner_org_id": PARTNER, "topic_areas": ["residence"]}), 201)["id"])


def _referred(found, apps, issuer, tenant, person: Person, intake_id: str) -> str:
    """Her referral to the partner through network's API, with her free text and phone."""
    found["network"].__dict__["consent_client"] = _IntakesConsents(found["intake"], tenant)
    lea = _caller(apps, issuer, "network", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    made = _ok(lea.post("/referrals", {
        "intake_id": intake_id, "partner_org_id": PARTNER, "mode": "warm_handover",
        "topic_area": "residence", "reason": person.referral_reason, "urgency": "urgent",
        "shared": [{"category": "contact", "content": person.phone}]}), 201)
    return str(made["id"])


def _count(service, tenant, table_name: str) -> int:
    table = service.metadata.tables[table_name]
    with service.uow(tenant) as uow:
        return int(uow.session.execute(sa.select(sa.func.count()).select_from(table)).scalar())


def _erasure(dpo: TokenCaller, erasure_id: str) -> dict:
    return _ok(dpo.get(f"/erasure-requests/{erasure_id}"), 200)


def _reporting_caught_up(found, admins) -> bool:
    """Reporting has processed every event the others published that it consumes."""
    consumed = sorted(found["reporting"].consumed_events())
    published = 0
    for name in SERVICES:
        with admins[name].connect() as connection:
            published += connection.execute(sa.text(
                "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL "
                "AND event_type = ANY(:types)"), {"types": consumed}).scalar_one()
    with admins["reporting"].connect() as connection:
        processed = connection.execute(sa.text(
            "SELECT count(*) FROM inbox WHERE event_type = ANY(:types)"),
            {"types": consumed}).scalar_one()
    return bool(published and processed >= published)


def _reporting_tables(admins) -> dict[str, list]:
    """Every row of every reporting table (its read models and figures), in a fixed order."""
    with admins["reporting"].connect() as connection:
        names = connection.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN "
            "('inbox', 'outbox', 'audit_log', 'audit_note', 'audit_head', 'alembic_version') "
            "ORDER BY tablename")).scalars().all()
        return {name: sorted(map(repr, connection.execute(sa.text(
            f'SELECT * FROM "{name}"')).all())) for name in names}


def _found_in_databases(admins, person: Person, services) -> list[str]:
    """table.column of every service database where one of her values is left: every text,
    JSON, array and binary column searched for her texts — the encrypted values (ADR 0104)
    decrypted with the service's keys —, every date column for her birth date."""
    hits = []
    for service, engine in admins.items():
        with engine.connect() as connection:
            columns = connection.execute(sa.text(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', "
                "'json', 'jsonb', 'ARRAY', 'bytea', 'date')")).all()
            for table, column, data_type in columns:
                if data_type == "text" and _decrypted_hit(services[service], connection, table,
                                                          column, person):
                    hits.append(f"{service}.{table}.{column}")
                if data_type == "date":
                    found = connection.execute(sa.text(
                        f'SELECT count(*) FROM "{table}" WHERE "{column}" = :d'),
                        {"d": date.fromisoformat(person.birth_date)}).scalar_one()
                    if found:
                        hits.append(f"{service}.{table}.{column}")
                    continue
                where = (f'position(convert_to(:v, \'UTF8\') in "{column}") > 0'
                         if data_type == "bytea" else f'strpos("{column}"::text, :v) > 0')
                for value in person.values:
                    found = connection.execute(sa.text(
                        f'SELECT count(*) FROM "{table}" WHERE {where}'),
                        {"v": value}).scalar_one()
                    if found:
                        hits.append(f"{service}.{table}.{column}")
    return sorted(set(hits))


def _decrypted_hit(service, connection, table: str, column: str, person: Person) -> bool:
    """Whether an encrypted value of ``table.column`` holds one of her values in its plaintext:
    each decrypted with the keys of its row's tenant."""
    tenant_owned = connection.execute(sa.text(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = :t AND column_name = 'tenant_id'"), {"t": table}).scalar_one()
    if not tenant_owned:
        return False
    rows = connection.execute(sa.text(
        f'SELECT tenant_id, "{column}" FROM "{table}" WHERE "{column}" LIKE :encrypted'),
        {"encrypted": PREFIX + "%"}).all()
    return any(value in service.field_cipher.decrypt(tenant_id, f"{table}.{column}", stored)
               for tenant_id, stored in rows for value in person.values)


def _found_on_the_broker(broker_url, broker_vhost, person: Person) -> tuple[int, list[str]]:
    """(messages read, queues holding one of her values): every message still on the run's
    queues is read without acknowledging it (it stays), its body searched."""
    queues = [q["name"] for q in broker_listing("queues", broker_vhost, "name", "messages")
              if q["messages"]]
    read, hits = 0, []
    connection = pika.BlockingConnection(pika.URLParameters(broker_url))
    try:
        channel = connection.channel()
        for queue in queues:
            while True:
                method, _, body = channel.basic_get(queue, auto_ack=False)
                if method is None:
                    break
                read += 1
                if any(v.encode() in body for v in person.values):
                    hits.append(queue)
        channel.close()
    finally:
        connection.close()
    return read, sorted(set(hits))


def test_an_erased_person_is_gone_from_every_database_the_broker_and_the_logs(
        platform, issuer, tenant, broker_url, broker_vhost, caplog):
    found, apps, admins = platform
    person = Person()
    caplog.set_level(logging.DEBUG)
    with frozen_clock(MORNING):
        intake_id, case_id = _a_person_through_intake_and_casework(found, apps, issuer, tenant,
                                                                   person)
        _released(found, apps, issuer, tenant, intake_id)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        with _workers(found, (*SERVICES, "reporting")):
            # network learns of her case from casework's event (for referrals to come)
            poll(lambda: _count(found["network"], tenant, "referral_cases"),
                 message="network's copy of her case")
            poll(lambda: _count(found["network"], tenant, "referral_consents"),
                 message="network's copy of her release")
            referral_id = _referred(found, apps, issuer, tenant, person, intake_id)
            poll(lambda: _reporting_caught_up(found, admins), message="reporting to catch up")
            before = _reporting_tables(admins)
            there = _found_in_databases(admins, person, found)
            # her values are there before: in intake, casework and network (her referral)
            assert {hit.split(".")[0] for hit in there} == set(SERVICES), there
            assert "network.referrals.reason" in there
            counts = {name: _count(found[name], tenant, table) for name, table in
                      (("intake", "intakes"), ("casework", "cases"),
                       ("network", "referral_cases"), ("network", "referrals"))}

            started = dpo.post("/erasure-requests", {
                "person_id": intake_id, "reference": "Art. 17 Abs. 1 lit. a DSGVO, Az. DS-1"})
            erasure_id = _ok(started, 202)["id"]
            poll(lambda: _erasure(dpo, erasure_id)["state"] == "completed",
                 message="every service to erase")
            poll(lambda: _reporting_caught_up(found, admins), message="reporting to catch up")
            after = _reporting_tables(admins)

    state = _erasure(dpo, erasure_id)
    assert state["trigger"] == "request" and state["requested_by"] == DPO_ID
    by_service = {s["service"]: s for s in state["services"]}
    assert set(by_service) == set(SERVICES)
    assert by_service["casework"]["deleted"] > 0 and by_service["casework"]["anonymised"] >= 1
    assert by_service["intake"]["anonymised"] >= 1
    assert by_service["network"]["anonymised"] >= 2  # her case's copy and her referral

    # nothing of her is left in any table of any service
    assert _found_in_databases(admins, person, found) == []
    # her records stay as counts, without personal content
    assert counts == {name: _count(found[name], tenant, table) for name, table in
                      (("intake", "intakes"), ("casework", "cases"),
                       ("network", "referral_cases"), ("network", "referrals"))}
    with admins["intake"].connect() as connection:
        kept = connection.execute(sa.text(
            "SELECT given_name, family_name, phone, note FROM intakes WHERE id = :i"),
            {"i": uuid.UUID(intake_id)}).one()
    assert set(kept) <= {MARKER, None}
    # reporting's read models and figures are the same
    assert after == before
    # the services still serve their lists and the anonymised records to her case manager
    with frozen_clock(MORNING):
        served = {}
        for service, path in (("intake", f"/intakes/{intake_id}"),
                              ("casework", "/cases"), ("casework", f"/cases/{case_id}"),
                              ("network", "/referrals"), ("network", f"/referrals/{referral_id}")):
            reader = _caller(apps, issuer, service, tenant, CASE_MANAGER_ID, [CASE_MANAGER])
            served[path] = reader.get(path).status_code
    assert set(served.values()) == {200}, served
    # the audit trail's entries stay (the erasure itself audited in every service)
    for name in SERVICES:
        with admins[name].connect() as connection:
            erased = connection.execute(sa.text(
                "SELECT count(*) FROM audit_log WHERE action = 'erasure.erase' "
                "AND record_id = :p"), {"p": intake_id}).scalar_one()
        assert erased == 1, name
    with admins["casework"].connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM audit_log WHERE record_id = :c"),
            {"c": str(case_id)}).scalar_one() > 0

    # nothing on the broker, nothing in the logs
    _, on_the_broker = _found_on_the_broker(broker_url, broker_vhost, person)
    assert on_the_broker == []
    logged = [record for record in caplog.records
              if any(value in f"{record.getMessage()} {record.__dict__}"
                     for value in person.values)]
    assert logged == []


def test_an_erasure_delivered_again_erases_nothing_twice(platform, issuer, tenant, broker_url):
    found, apps, admins = platform
    person = Person()
    with frozen_clock(MORNING):
        intake_id, _ = _a_person_through_intake_and_casework(found, apps, issuer, tenant, person)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        with _workers(found, SERVICES):
            erasure_id = _ok(dpo.post("/erasure-requests", {
                "person_id": intake_id, "reference": "Art. 17 DSGVO"}), 202)["id"]
            poll(lambda: _erasure(dpo, erasure_id)["state"] == "completed",
                 message="every service to erase")
            first = _erasure(dpo, erasure_id)
            # the same erasure again under a new event id (a coordinator re-publishing it)
            publish_event(broker_url, tenant, ErasureRequested(
                erasure_id=erasure_id, person_id=intake_id, trigger="request",
                requested_at=MORNING.isoformat(), coordinator="intake"), source="/lotse/intake")
            # a later erasure behind it in every queue: once it completed, the duplicate ahead
            # of it was consumed
            other = Person()
            later_intake = _record_intake(apps, issuer, tenant, other, contact_date=days_ago(1))
            later = _ok(dpo.post("/erasure-requests", {
                "person_id": later_intake, "reference": "Art. 17 DSGVO"}), 202)["id"]
            poll(lambda: _erasure(dpo, later)["state"] == "completed",
                 message="the later erasure to complete")
    assert _erasure(dpo, erasure_id) == first
    for name in SERVICES:
        with admins[name].connect() as connection:
            done = connection.execute(sa.text(
                "SELECT count(*) FROM erasure_done WHERE erasure_id = :e"),
                {"e": uuid.UUID(erasure_id)}).scalar_one()
            audited = connection.execute(sa.text(
                "SELECT count(*) FROM audit_log WHERE action = 'erasure.erase' "
                "AND record_id = :p"), {"p": intake_id}).scalar_one()
        assert (done, audited) == (1, 1), name


def test_the_retention_sweep_erases_an_expired_first_contact_and_leaves_a_recent_one(
        platform, issuer, tenant):
    found, apps, admins = platform
    intake = found["intake"]
    dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
    case_manager = _caller(apps, issuer, "intake", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    expired_person, recent_person = Person(), Person()
    # a first contact decided (guidance, no admission) in January, another in November
    with frozen_clock(datetime(2026, 1, 12, 9, 0, tzinfo=UTC)):
        expired_id = _record_intake(apps, issuer, tenant, expired_person,
                                    contact_date=days_ago(2))
        _ok(case_manager.post(f"/intakes/{expired_id}/decisions", {
            "depth": "guidance", "decided_on": days_ago(1)}), 201)
    with frozen_clock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)):
        recent_id = _record_intake(apps, issuer, tenant, recent_person,
                                   contact_date=days_ago(2))
        _ok(case_manager.post(f"/intakes/{recent_id}/decisions", {
            "depth": "guidance", "decided_on": days_ago(1)}), 201)

    with frozen_clock(MORNING):
        policy = {p["record_kind"]: p for p in _ok(dpo.get("/retention-policy"), 200)["periods"]}
        assert policy["intake_without_admission"]["months"] == 6
        assert "SGB X" in policy["intake_without_admission"]["legal_basis"]
        assert policy["directory"]["months"] is None
        # the county keeps first contacts without admission for 9 months: January's has ended
        # (9 months before 7 December is 7 March), November's has not
        _ok(dpo.put("/retention-policy/intake_without_admission", {
            "months": 9, "legal_basis": "§ 84 Abs. 2 SGB X, Art. 17 Abs. 1 lit. a DSGVO"}), 200)
        assert intake.retention_sweep([tenant]) == {tenant: 1}
        assert intake.retention_sweep([tenant]) == {tenant: 0}  # started once
        with _workers(found, SERVICES):
            with admins["intake"].connect() as connection:
                [erasure_id] = connection.execute(sa.text(
                    "SELECT id FROM erasure_request WHERE person_id = :p AND trigger = "
                    "'retention' AND record_kind = 'intake_without_admission'"),
                    {"p": expired_id}).scalars().all()
            poll(lambda: _erasure(dpo, str(erasure_id))["state"] == "completed",
                 message="the sweep's erasure to complete")
    with admins["intake"].connect() as connection:
        names = dict(connection.execute(sa.text(
            "SELECT id::text, family_name FROM intakes WHERE id IN (:a, :b)"),
            {"a": uuid.UUID(expired_id), "b": uuid.UUID(recent_id)}).all())
    assert names == {expired_id: MARKER, recent_id: recent_person.family_name}


def test_only_the_tenants_data_protection_officer_erases_or_sets_the_policy(
        platform, issuer, tenant):
    found, apps, _ = platform
    with frozen_clock(MORNING):
        intake_id = _record_intake(apps, issuer, tenant, Person(), contact_date=days_ago(1))
        body = {"person_id": intake_id, "reference": "Art. 17 DSGVO"}
        period = {"months": 12, "legal_basis": "Art. 17 DSGVO"}
        for roles in ([CASE_MANAGER], ["coordinator"], ["auditor"], ["tenant_admin"]):
            other = _caller(apps, issuer, "intake", tenant, "someone", roles)
            assert other.post("/erasure-requests", body).status_code == 403, roles
            assert other.get("/retention-policy").status_code == 403, roles
            assert other.put("/retention-policy/case_record", period).status_code == 403, roles
        elsewhere = _caller(apps, issuer, "intake", uuid.uuid4(), DPO_ID,
                            [DATA_PROTECTION_OFFICER])
        refused = elsewhere.post("/erasure-requests", body)
        assert refused.status_code == 404
        assert refused.get_json()["errors"][0]["field"] == "person_id"
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        for bad in ({"reference": "x"}, {"person_id": "not-a-uuid", "reference": "x"},
                    {"person_id": intake_id, "reference": ""}):
            response = dpo.post("/erasure-requests", bad)
            assert response.status_code == 422, bad
            assert response.mimetype == "application/problem+json"
        unknown = dpo.put("/retention-policy/forever", period)
        assert unknown.status_code == 404
        assert unknown.get_json()["errors"][0]["field"] == "record_kind"
        assert dpo.put("/retention-policy/case_record", {"months": 0, "legal_basis": "x"}
                       ).status_code == 422


@pytest.mark.slow
def test_an_erasure_survives_a_kill_9_of_the_worker_and_completes_once(
        platform, issuer, tenant, broker_url, casework_database, tmp_path):
    """Casework's consumer, a process of its own, is killed (SIGKILL) after it erased in its
    open transaction: nothing of it is committed; the broker hands the request to the next
    consumer, which erases and answers once."""
    found, apps, admins = platform
    person = Person()
    env = {**os.environ,
           "LOTSE_CASEWORK_DATABASE_URL": casework_database.app_url,
           "LOTSE_CASEWORK_MIGRATION_DATABASE_URL": casework_database.owner_url,
           "LOTSE_KEY_DIR": str(found["casework"].settings.key_dir),
           "LOTSE_BROKER_URL": broker_url, "LOTSE_FAULT_POINTS": "erasure.erased",
           "LOTSE_FAULT_DIR": str(tmp_path)}
    with frozen_clock(MORNING):
        intake_id, _ = _a_person_through_intake_and_casework(found, apps, issuer, tenant, person)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        with _workers(found, ("intake", "network")), Running(found["casework"].relay().run):
            crashing = subprocess.Popen(
                [sys.executable, "-m", "lotse_casework.cli", "worker", "--only", "consumer"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                erasure_id = _ok(dpo.post("/erasure-requests", {
                    "person_id": intake_id, "reference": "Art. 17 DSGVO"}), 202)["id"]
                poll(lambda: (tmp_path / "erasure.erased.reached").exists()
                     or crashing.poll() is not None, timeout=60,
                     message="casework's worker to erase and reach the fault point")
                assert crashing.poll() is None, crashing.stderr.read().decode()[-2000:]
            finally:
                crashing.kill()  # SIGKILL: no rollback by the process, no acknowledgement
                crashing.wait(timeout=10)
            # nothing of the killed worker's erasure is committed
            with admins["casework"].connect() as connection:
                assert connection.execute(sa.text(
                    "SELECT count(*) FROM erasure_done WHERE erasure_id = :e"),
                    {"e": uuid.UUID(erasure_id)}).scalar_one() == 0
                assert connection.execute(sa.text(
                    "SELECT count(*) FROM persons WHERE strpos(name, :t) > 0"),
                    {"t": person.tag}).scalar_one() == 1
            states = {s["service"]: s["state"] for s in _erasure(dpo, erasure_id)["services"]}
            assert states["casework"] == "pending"

            with Running(found["casework"].consumer().run):
                poll(lambda: _erasure(dpo, erasure_id)["state"] == "completed",
                     message="casework to erase after the restart")
    with admins["casework"].connect() as connection:
        done = connection.execute(sa.text(
            "SELECT count(*) FROM erasure_done WHERE erasure_id = :e"),
            {"e": uuid.UUID(erasure_id)}).scalar_one()
        audited = connection.execute(sa.text(
            "SELECT count(*) FROM audit_log WHERE action = 'erasure.erase' AND record_id = :p"),
            {"p": intake_id}).scalar_one()
        completions = connection.execute(sa.text(
            "SELECT count(*) FROM outbox WHERE event_type = 'erasure.completed.v1' "
            "AND aggregate_id = :e"), {"e": erasure_id}).scalar_one()
    assert (done, audited, completions) == (1, 1, 1)
    assert [hit for hit in _found_in_databases(admins, person, found)
            if hit.startswith("casework.")] == []
