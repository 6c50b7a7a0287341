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

import itertools
import logging
import os
import subprocess
import sys
import uuid
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta

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
from lotse_platform.auth import CASE_MANAGER, DATA_PROTECTION_OFFICER, TENANT_ADMIN
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.crypto import PREFIX
from lotse_platform.datamap.platform_map import PLATFORM_MAP
from lotse_platform.subject_rights.erasure import MARKER
from lotse_platform.subject_rights.erasure_handlers import forwarded_id
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
#: the colleague of another area of the county a case is transferred to (ADR 0050)
OTHER_AREA, COLLEAGUE_ID = "area-brakel", "cm-jonas"
#: the county the client moves on to (another tenant of the deployment) and its case manager
PB_AREA, PB_ORG, PB_CASE_MANAGER_ID = "area-paderborn", "org-stadt-pb", "cm-jana"
#: the partner a referral goes to (the immigration office)
PARTNER = str(uuid.uuid5(uuid.NAMESPACE_DNS, "abh.erasure"))
DPO_ID = "dsb-mueller"
#: a working day's morning in Berlin; the test's clock stands still there
MORNING = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
SERVICES = ("intake", "casework", "network")


#: a birth date of her own for every person of the run
_BIRTHS = itertools.count(1)


class Person:
    """One person's values, unique to the test run: what must be gone after her erasure."""

    def __init__(self) -> None:
        self.tag = tag = uuid.uuid4().hex[:12]
        self.given_name = f"Yasmin{tag}"
        self.family_name = f"Loeschmann{tag}"
        # her own birth date: another test's people, kept on purpose, must not be taken for her
        self.birth_date = (date(1950, 1, 1) + timedelta(days=next(_BIRTHS))).isoformat()
        self.phone = f"+49 5271 {int(tag, 16) % 10_000_000:07d}"
        self.intake_note = f"Wohnt bei der Tante in Brakel {tag}"
        self.assessment_text = f"Angst vor der Abschiebung des Bruders {tag}"
        self.goal_text = f"Antrag auf Aufenthaltserlaubnis für Yasmin {tag} ist gestellt"
        self.contact_note = f"Klientin berichtet von Druck der Ausländerbehörde {tag}"
        self.referral_reason = f"Hilfe bei der Verlängerung der Aufenthaltserlaubnis {tag}"
        self.transfer_note = f"Zieht zu ihrer Schwester {tag}"

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
    directory = known_directory(organisations=[ORG, PARTNER], areas=[AREA, OTHER_AREA],
                                users=[(CASE_MANAGER_ID, ORG, [CASE_MANAGER]),
                                       (COLLEAGUE_ID, ORG, [CASE_MANAGER])])
    for service in found.values():
        put_directory(service, tenant, directory)
    return tenant


@pytest.fixture
def paderborn(platform, issuer, tenant) -> uuid.UUID:
    """Another county served by the same deployment (another tenant), whose case manager of
    Paderborn takes cases over; and casework's case managers of both counties."""
    found, apps, admins = platform
    county = uuid.uuid4()
    directory = known_directory(organisations=[PB_ORG], areas=[PB_AREA],
                                users=[(PB_CASE_MANAGER_ID, PB_ORG, [CASE_MANAGER])])
    for service in found.values():
        put_directory(service, county, directory)
    for at, org, user, area in ((tenant, ORG, CASE_MANAGER_ID, AREA),
                                (tenant, ORG, COLLEAGUE_ID, OTHER_AREA),
                                (county, PB_ORG, PB_CASE_MANAGER_ID, PB_AREA)):
        admin = _caller(apps, issuer, "casework", at, "admin", [TENANT_ADMIN], org=org)
        _ok(admin.put(f"/case-managers/{user}", {"organisation_id": org, "fte": 1.0,
                                                 "areas": [area]}), 204)
    # intake's consent check at the moment of handing the file on (ADR 0053): as kept
    found["casework"].__dict__["consent_client"] = _ConsentsAsKept(admins["casework"])
    return county


class _ConsentsAsKept:
    """Intake's answer to casework's consent check at the moment of handing a file on (ADR
    0053), for this test about erasure: each asked consent as casework's copy has it (read past
    row-level security) — in place of the HTTP call between the processes."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def current_consents(self, operator_org_id: str, intake_id: str, consent_ids):
        from lotse_casework.domain.consent_check import CurrentConsent

        with self.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT c.consent_id, c.kind, c.partner_org_id, c.topic_areas, c.valid_from,"
                " c.valid_until, c.withdrawn_on FROM consents c JOIN cases k ON k.id = c.case_id"
                " WHERE k.operator_org_id = :operator AND k.intake_id = :intake"
                " AND c.consent_id = ANY(:ids)"),
                {"operator": operator_org_id, "intake": intake_id,
                 "ids": list(consent_ids)}).all()
        return {row.consent_id: CurrentConsent(
            consent_id=row.consent_id, kind=row.kind, partner_org_id=row.partner_org_id,
            topic_areas=tuple(row.topic_areas), valid_from=row.valid_from,
            valid_until=row.valid_until, withdrawn=row.withdrawn_on is not None,
            withdrawn_on=row.withdrawn_on) for row in rows}

    def close(self) -> None:
        """Holds no connection."""


def _caller(apps, issuer, service: str, tenant, subject: str, roles, *,
            org: str = ORG, areas=(AREA,)) -> TokenCaller:
    token = issuer.issue(subject, tenant, org, list(roles), areas=list(areas))
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


def _transferred(apps, issuer, tenant, paderborn, person: Person, case_id) -> tuple[str, str]:
    """Her case handed to a colleague of another area of the county, then — she moved — to
    Paderborn, another county of the deployment, whose case manager takes it over (ADR 0050):
    a new case opens there with a copy of her file. Needs casework's workers (the offer travels
    through the outbox). Answers the transfer's id (her reference in Paderborn) and the new
    case's id."""
    lea = _caller(apps, issuer, "casework", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    jonas = _caller(apps, issuer, "casework", tenant, COLLEAGUE_ID, [CASE_MANAGER],
                    areas=(OTHER_AREA,))
    jana = _caller(apps, issuer, "casework", paderborn, PB_CASE_MANAGER_ID, [CASE_MANAGER],
                   org=PB_ORG, areas=(PB_AREA,))
    within = _ok(lea.post(f"/cases/{case_id}/transfers", {
        "to_case_manager_id": COLLEAGUE_ID, "to_area_id": OTHER_AREA,
        "note": person.transfer_note}), 201)["id"]
    _ok(jonas.post(f"/transfers/{within}/accept"), 200)
    moved = _ok(jonas.post(f"/cases/{case_id}/transfers", {
        "to_tenant_id": str(paderborn), "to_area_id": PB_AREA}), 201)["id"]
    poll(lambda: jana.get("/my-day").get_json()["incoming_transfers"],
         message="the offer to reach Paderborn")
    new_case_id = _ok(jana.post(f"/transfers/{moved}/accept"), 200)["id"]
    assert _ok(jana.get(f"/cases/{new_case_id}"), 200)["person"]["name"] == (
        f"{person.given_name} {person.family_name}")
    return str(moved), str(new_case_id)


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
    """Every row of every reporting table of its own (its read models, event store and
    figures), in a fixed order — not the platform's (reporting answers the erasure too, ADR
    0108: its record of it is in ``erasure_done``)."""
    with admins["reporting"].connect() as connection:
        names = [name for name in connection.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "ORDER BY tablename")).scalars()
            if name not in PLATFORM_MAP.tables and name not in ("audit_head", "alembic_version")]
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
        platform, issuer, tenant, paderborn, broker_url, broker_vhost, caplog):
    """She went through intake, casework (handed to a colleague of another area, then taken
    over by Paderborn, another county of the deployment) and network (a referral). Erased on
    her request in Höxter, the erasure reaches Paderborn's copy of her case (Art. 17(2), 19
    GDPR): nothing of her is left in either county."""
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
            moved, new_case_id = _transferred(apps, issuer, tenant, paderborn, person, case_id)
            # Paderborn's network and intake learn of the new case from casework's event
            poll(lambda: _count(found["network"], paderborn, "referral_cases"),
                 message="Paderborn's network's copy of her case")
            poll(lambda: _count(found["intake"], paderborn, "case_closures"),
                 message="Paderborn's intake to know the case")
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
            # Paderborn's intake recorded the erasure Höxter's casework forwarded, and its
            # services erased the copy there and answered
            pb_dpo = _caller(apps, issuer, "intake", paderborn, DPO_ID,
                             [DATA_PROTECTION_OFFICER], org=PB_ORG, areas=(PB_AREA,))
            forwarded = str(forwarded_id(uuid.UUID(erasure_id), paderborn, moved))
            poll(lambda: pb_dpo.get(f"/erasure-requests/{forwarded}").status_code == 200
                 and _erasure(pb_dpo, forwarded)["state"] == "completed",
                 message="Paderborn's services to erase the copy")
            poll(lambda: _reporting_caught_up(found, admins), message="reporting to catch up")
            after = _reporting_tables(admins)

    there = _erasure(pb_dpo, forwarded)
    assert (there["trigger"], there["person_id"]) == ("recipient", moved)
    assert "Art. 19" in there["reference"]
    pb_services = {s["service"]: s for s in there["services"]}
    assert pb_services["casework"]["anonymised"] >= 1  # her case there
    assert pb_services["network"]["anonymised"] >= 1  # network's copy of it
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
        for service, path in (("intake", f"/intakes/{intake_id}"), ("casework", "/cases"),
                              ("network", "/referrals"), ("network", f"/referrals/{referral_id}")):
            reader = _caller(apps, issuer, service, tenant, CASE_MANAGER_ID, [CASE_MANAGER])
            served[path] = reader.get(path).status_code
        # the case is Paderborn's now: its case manager still loads it, anonymised
        jana = _caller(apps, issuer, "casework", paderborn, PB_CASE_MANAGER_ID, [CASE_MANAGER],
                       org=PB_ORG, areas=(PB_AREA,))
        served[f"/cases/{new_case_id}"] = jana.get(f"/cases/{new_case_id}").status_code
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


def _a_case(found, apps, issuer, tenant, person: Person) -> tuple[str, uuid.UUID]:
    """Her intake through intake's API and her case opened in casework (as its admission
    handler does), on the day the clock shows."""
    intake_id = _record_intake(apps, issuer, tenant, person, contact_date=days_ago(1))
    admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                 case_manager_id=CASE_MANAGER_ID, case_manager_org_id=ORG,
                                 area_id=AREA, admitted_on=today(), topic_areas=["residence"])
    handover = HandoverPackage.parse({
        "intake_id": intake_id, "operator_org_id": "", "area_id": AREA,
        "access_path": "self_referral",
        "person": {"given_name": person.given_name, "family_name": person.family_name,
                   "date_of_birth": person.birth_date, "contact": {"phone": person.phone},
                   "languages": ["ar"], "interpreter_needed": False, "language_levels": []},
        "screening": {"criteria_met": ["multiple_dimensions", "several_actors"],
                      "topic_areas": ["residence"], "crisis": False, "target_group_ids": []},
        "admission": {"case_manager_id": CASE_MANAGER_ID, "admitted_on": today().isoformat()},
        "consents": [{"id": f"{intake_id}-ca", "kind": "counselling_agreement",
                      "valid_from": days_ago(1), "withdrawn": False}],
        "counselling_history": [], "released_under": "counselling_agreement"}, intake_id)
    with found["casework"].uow(tenant) as uow:
        case = open_case(uow, admission, handover)
        uow.commit()
        return intake_id, case.id


def _closures(found, tenant) -> dict[str, object]:
    """Intake's record of casework's closures: intake reference -> closure date (None: open)."""
    table = found["intake"].metadata.tables["case_closures"]
    with found["intake"].uow(tenant) as uow:
        return {row.intake_id: row.closed_on for row in uow.session.execute(
            sa.select(table.c.intake_id, table.c.closed_on)) if row.intake_id}


def _person_named(admins, tenant, person: Person) -> bool:
    """Whether casework still holds a person record of hers in ``tenant``."""
    with admins["casework"].connect() as connection:
        return bool(connection.execute(sa.text(
            "SELECT count(*) FROM persons p JOIN cases c ON c.id = p.case_id "
            "WHERE c.tenant_id = :t AND strpos(p.name, :v) > 0"),
            {"t": tenant, "v": person.tag}).scalar_one())


def test_a_case_closed_longer_ago_than_its_period_is_swept_and_the_others_are_not(
        platform, issuer, tenant, paderborn):
    """Casework's closures reach intake (ADR 0109). With the default period of a case record
    (36 months after closure), the sweep on 7 December 2026 in Berlin erases a person whose case
    was closed 37 months before and one whose case Paderborn took over 37 months before (the
    handover closed it here); not one closed 35 months before, nor one whose case is still
    open. Paderborn's copy of the transferred case is a live case of that county: the sending
    county's retention does not touch it, and Paderborn's sweep does not take it."""
    found, apps, admins = platform
    lea = _caller(apps, issuer, "casework", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    closed_37, closed_35, still_open, moved_away = Person(), Person(), Person(), Person()
    ids: dict[str, str] = {}
    with _workers(found, ("intake", "casework", "network")):
        with frozen_clock(datetime(2023, 6, 1, 9, 0, tzinfo=UTC)):
            for name, person in (("37", closed_37), ("35", closed_35), ("open", still_open),
                                 ("moved", moved_away)):
                ids[name], case_id = _a_case(found, apps, issuer, tenant, person)
                ids[f"{name}-case"] = str(case_id)
        with frozen_clock(datetime(2023, 11, 6, 9, 0, tzinfo=UTC)):  # 37 months and a day
            _ok(lea.post(f"/cases/{ids['37-case']}/closure", {"reason": "not_reachable"}), 204)
            moved, _ = _transferred(apps, issuer, tenant, paderborn, moved_away,
                                    ids["moved-case"])
        with frozen_clock(datetime(2024, 1, 8, 9, 0, tzinfo=UTC)):  # 35 months before
            _ok(lea.post(f"/cases/{ids['35-case']}/closure", {"reason": "not_reachable"}), 204)
        poll(lambda: len([d for d in _closures(found, tenant).values() if d]) == 3,
             message="intake to learn of the three closures")
        poll(lambda: moved in _closures(found, paderborn),
             message="Paderborn's intake to learn of the case it took over")
    closures = _closures(found, tenant)
    assert closures == {ids["37"]: date(2023, 11, 6), ids["moved"]: date(2023, 11, 6),
                        ids["35"]: date(2024, 1, 8), ids["open"]: None}
    assert _closures(found, paderborn) == {moved: None}, "open in Paderborn"

    intake = found["intake"]
    dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
    with frozen_clock(MORNING):
        assert intake.retention_sweep([tenant, paderborn]) == {tenant: 2, paderborn: 0}
        assert intake.retention_sweep([tenant, paderborn]) == {tenant: 0, paderborn: 0}, \
            "once per person"
        with admins["intake"].connect() as connection:
            swept = dict(connection.execute(sa.text(
                "SELECT person_id, id::text FROM erasure_request WHERE tenant_id = :t "
                "AND trigger = 'retention' AND record_kind = 'case_record'"),
                {"t": tenant}).all())
        assert set(swept) == {ids["37"], ids["moved"]}
        with _workers(found, SERVICES):
            for erasure_id in swept.values():
                poll(lambda e=erasure_id: _erasure(dpo, e)["state"] == "completed",
                     message="the sweep's erasures to complete")
    assert not _person_named(admins, tenant, closed_37)
    assert not _person_named(admins, tenant, moved_away)
    assert _person_named(admins, tenant, closed_35)
    assert _person_named(admins, tenant, still_open)
    # Paderborn's case of hers goes on: her copy there is untouched
    assert _person_named(admins, paderborn, moved_away)
    with admins["intake"].connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM erasure_request WHERE tenant_id = :t"),
            {"t": paderborn}).scalar_one() == 0


def test_the_coordinators_worker_sweeps_and_the_other_services_do_not(platform):
    """Intake's worker runs the daily sweep (ADR 0109) in every run mode; the services that
    only erase do not; LOTSE_RETENTION_SWEEP=false turns it off where a job runs the CLI."""
    found, _, _ = platform
    assert "retention" in found["intake"].worker_loops()
    assert "retention" not in found["casework"].worker_loops()
    assert "retention" not in found["network"].worker_loops()
    off = IntakeService(found["intake"].settings.model_copy(update={"retention_sweep": False}))
    assert "retention" not in off.worker_loops()


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


@pytest.mark.slow
def test_an_erasure_forwarded_to_the_receiving_county_survives_a_kill_9_and_completes_once(
        platform, issuer, tenant, paderborn, broker_url, casework_database, tmp_path):
    """Casework's consumer forwards the erasure to Paderborn (committed in Paderborn's own
    transaction) and is killed (SIGKILL) after erasing in its open transaction in Höxter: the
    forward stands, Höxter's erasure does not. The next consumer forwards the same erasure again
    under the same id and erases; Paderborn records the erasure once and each of its services
    erases the copy once."""
    found, apps, admins = platform
    person = Person()
    env = {**os.environ,
           "LOTSE_CASEWORK_DATABASE_URL": casework_database.app_url,
           "LOTSE_CASEWORK_MIGRATION_DATABASE_URL": casework_database.owner_url,
           "LOTSE_KEY_DIR": str(found["casework"].settings.key_dir),
           "LOTSE_BROKER_URL": broker_url, "LOTSE_FAULT_POINTS": "erasure.erased",
           "LOTSE_FAULT_DIR": str(tmp_path)}
    with frozen_clock(MORNING):
        intake_id, case_id = _a_case(found, apps, issuer, tenant, person)
        with _workers(found, SERVICES):
            moved, _ = _transferred(apps, issuer, tenant, paderborn, person, case_id)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        pb_dpo = _caller(apps, issuer, "intake", paderborn, DPO_ID, [DATA_PROTECTION_OFFICER],
                         org=PB_ORG, areas=(PB_AREA,))
        with _workers(found, ("intake", "network")), Running(found["casework"].relay().run):
            crashing = subprocess.Popen(
                [sys.executable, "-m", "lotse_casework.cli", "worker", "--only", "consumer"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                erasure_id = _ok(dpo.post("/erasure-requests", {
                    "person_id": intake_id, "reference": "Art. 17 DSGVO"}), 202)["id"]
                poll(lambda: (tmp_path / "erasure.erased.reached").exists()
                     or crashing.poll() is not None, timeout=60,
                     message="casework's worker to forward, erase and reach the fault point")
                assert crashing.poll() is None, crashing.stderr.read().decode()[-2000:]
            finally:
                crashing.kill()  # SIGKILL: no rollback by the process, no acknowledgement
                crashing.wait(timeout=10)
            forwarded = str(forwarded_id(uuid.UUID(erasure_id), paderborn, moved))
            with admins["casework"].connect() as connection:
                # the forward to Paderborn was committed, Höxter's erasure was not
                assert connection.execute(sa.text(
                    "SELECT count(*) FROM outbox WHERE event_type = 'erasure.requested.v1' "
                    "AND aggregate_id = :f"), {"f": forwarded}).scalar_one() == 1
                assert connection.execute(sa.text(
                    "SELECT count(*) FROM erasure_done WHERE erasure_id = :e"),
                    {"e": uuid.UUID(erasure_id)}).scalar_one() == 0
            with Running(found["casework"].consumer().run):
                poll(lambda: _erasure(dpo, erasure_id)["state"] == "completed",
                     message="Höxter's erasure to complete after the restart")
                poll(lambda: pb_dpo.get(f"/erasure-requests/{forwarded}").status_code == 200
                     and _erasure(pb_dpo, forwarded)["state"] == "completed",
                     message="Paderborn's erasure of the copy to complete")
    with admins["casework"].connect() as connection:
        forwards = connection.execute(sa.text(
            "SELECT count(*) FROM outbox WHERE event_type = 'erasure.requested.v1' "
            "AND aggregate_id = :f"), {"f": forwarded}).scalar_one()
        erased_there = connection.execute(sa.text(
            "SELECT count(*) FROM audit_log WHERE action = 'erasure.erase' AND record_id = :p "
            "AND tenant_id = :t"), {"p": moved, "t": paderborn}).scalar_one()
        completions = connection.execute(sa.text(
            "SELECT count(*) FROM outbox WHERE event_type = 'erasure.completed.v1' "
            "AND aggregate_id = :f"), {"f": forwarded}).scalar_one()
    assert forwards == 2, "forwarded again after the restart, under the same id"
    assert (erased_there, completions) == (1, 1)
    with admins["intake"].connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM erasure_request WHERE id = :f"),
            {"f": uuid.UUID(forwarded)}).scalar_one() == 1
    assert _found_in_databases(admins, person, found) == []
