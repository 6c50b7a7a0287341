"""Reporting and steering take part in a data subject's requests (ADR 0108), on the real
PostgreSQL and RabbitMQ.

Reporting holds a person's pseudonymous facts, keyed by her intake's, her case's and her
events' ids: its part of a subject-access request lists those rows and the events it stores
about her records; an erasure leaves them as they are (its figures must not change) and
reporting says so — rows kept, none deleted. Steering knows a person's pseudonymous case facts
by the intake id of her case's opening (kept by an erasure, like reporting's), and her entries
on the forum's invitation list only by phone number and e-mail address: the officer adds them
to the request at intake, steering fetches them over intake's internal API (never on the
broker), answers with her entries, or deletes them for an erasure. A request without contacts
finds her case facts, not her entries.

The coordinator fetches the parts, and steering the contacts, over the services' internal APIs
— here through each service's own Flask app with a machine token of the test issuer, in place
of HTTP between processes.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from contextlib import ExitStack
from datetime import UTC, datetime

import pypdf
import pytest
import sqlalchemy as sa

from lotse_casework.bootstrap import CaseworkService
from lotse_casework.domain.handover import HandoverPackage
from lotse_casework.domain.model import AwaitingHandover
from lotse_casework.service_layer.admission import open_case
from lotse_intake.bootstrap import IntakeService
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, DATA_PROTECTION_OFFICER
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.datamap.platform_map import PLATFORM_MAP
from lotse_platform.subject_rights.contacts import CoordinatorContacts
from lotse_platform.subject_rights.parts import ServiceParts, read_part
from lotse_platform.testing import (
    Running,
    TokenCaller,
    days_ago,
    frozen_clock,
    known_directory,
    poll,
    put_directory,
    service_on,
    today,
)
from lotse_reporting.bootstrap import ReportingService
from lotse_steering.bootstrap import SteeringService

from .internal_api import InternalApi

pytestmark = pytest.mark.integration

AREA, ORG, CASE_MANAGER_ID = "area-hoexter", "org-stadt-hoexter", "cm-lea"
DPO_ID, OFFICE_ID = "dsb-mueller", "ks-koordination"
#: a working day's morning in Berlin; the test's clock stands still there
MORNING = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
SERVICES = ("intake", "casework", "reporting", "steering")


class Person:
    """One person's values, unique to the test run."""

    def __init__(self) -> None:
        self.tag = tag = uuid.uuid4().hex[:8]
        self.given_name, self.family_name = f"Samira{tag}", f"Forum{tag}"
        number = 1_000_000 + int(tag, 16) % 9_000_000
        #: as the office typed it into the invitation list (a German number, no country code)
        self.phone_national = f"05271 {number:07d}"
        #: as the officer names it in the request
        self.phone = f"+49 5271 {number:07d}"
        self.e164 = f"+495271{number:07d}"
        self.email = f"Samira.{tag}@Example.org"


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def platform(databases, broker_url, issuer):
    """Intake (the coordinator, asking every service here), casework, reporting and steering,
    each on its own database."""
    made = {name: databases.create(f"rs_{name}") for name in SERVICES}
    found = {
        "intake": service_on(IntakeService, made["intake"], broker_url, issuer,
                             relay_poll_interval=0.02, subject_access_services=list(SERVICES)),
        "casework": service_on(CaseworkService, made["casework"], broker_url, issuer,
                               relay_poll_interval=0.02),
        "reporting": service_on(ReportingService, made["reporting"], broker_url, issuer,
                                relay_poll_interval=0.02),
        "steering": service_on(SteeringService, made["steering"], broker_url, issuer,
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
def tenant(platform, issuer):
    found, apps, _ = platform
    tenant = uuid.uuid4()
    directory = known_directory(organisations=[ORG], areas=[AREA],
                                users=[(CASE_MANAGER_ID, ORG, [CASE_MANAGER])])
    for service in found.values():
        put_directory(service, tenant, directory)
    intake, steering = found["intake"], found["steering"]

    def own(tenant_id: uuid.UUID, request_id: uuid.UUID) -> bytes | None:
        with intake.uow(tenant_id) as uow:
            return read_part(uow.session, intake.tables, tenant_id, request_id)

    intake.__dict__["subject_access_parts"] = ServiceParts(
        "intake", own, lambda name: f"http://{name}", InternalApi(apps, issuer, tenant, "intake", ORG))
    steering.__dict__["subject_contacts"] = CoordinatorContacts(
        lambda name: f"http://{name}", InternalApi(apps, issuer, tenant, "steering", ORG))
    yield tenant
    intake.__dict__.pop("subject_access_parts", None)
    steering.__dict__.pop("subject_contacts", None)


def _caller(apps, issuer, service: str, tenant, subject: str, roles) -> TokenCaller:
    token = issuer.issue(subject, tenant, ORG, list(roles), areas=[AREA])
    return TokenCaller(apps[service].test_client(), token, subject)


def _ok(response, status: int):
    body = response.get_json(silent=True)
    assert response.status_code == status, body
    return body


def _workers(found, names=SERVICES) -> ExitStack:
    stack = ExitStack()
    for name in names:
        stack.enter_context(Running(found[name].relay().run))
        stack.enter_context(Running(found[name].consumer().run))
    return stack


def _a_person_with_a_case(found, apps, issuer, tenant, person: Person) -> tuple[str, str]:
    """Her intake through intake's API, her case opened in casework (as its admission handler
    does): both publish events reporting stores."""
    case_manager = _caller(apps, issuer, "intake", tenant, CASE_MANAGER_ID, [CASE_MANAGER])
    intake_id = str(_ok(case_manager.post("/intakes", {
        "person": {"given_name": person.given_name, "family_name": person.family_name,
                   "date_of_birth": "1991-02-03", "languages": ["ar"],
                   "contact": {"phone": person.phone}, "interpreter_needed": False},
        "access_path": "self_referral", "area_id": AREA, "contact_date": days_ago(2)}),
        201)["id"])
    admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                 case_manager_id=CASE_MANAGER_ID, case_manager_org_id=ORG,
                                 area_id=AREA, admitted_on=today(), topic_areas=["residence"])
    handover = HandoverPackage.parse({
        "intake_id": intake_id, "operator_org_id": "", "area_id": AREA,
        "access_path": "self_referral",
        "person": {"given_name": person.given_name, "family_name": person.family_name,
                   "date_of_birth": "1991-02-03", "contact": {"phone": person.phone},
                   "languages": ["ar"], "interpreter_needed": False, "language_levels": []},
        "screening": {"criteria_met": ["multiple_dimensions", "several_actors"],
                      "topic_areas": ["residence"], "crisis": False, "target_group_ids": []},
        "admission": {"case_manager_id": CASE_MANAGER_ID, "admitted_on": days_ago(0)},
        "consents": [{"id": f"{intake_id}-ca", "kind": "counselling_agreement",
                      "valid_from": days_ago(2), "withdrawn": False}],
        "counselling_history": [], "released_under": "counselling_agreement"}, intake_id)
    with found["casework"].uow(tenant) as uow:
        case = open_case(uow, admission, handover)
        uow.commit()
        return intake_id, str(case.id)


def _invited(apps, issuer, tenant, *, name: str, phone: str | None = None,
             email: str | None = None) -> tuple[str, str]:
    """(forum id, entry id): a forum of the office and one entry of its invitation list."""
    office = _caller(apps, issuer, "steering", tenant, OFFICE_ID, [COORDINATOR])
    forum_id = _ok(office.post("/forums", {"name": f"Beteiligungsforum {uuid.uuid4().hex[:6]}"}),
                   201)["id"]
    entry = _ok(office.post(f"/forums/{forum_id}/invitations", {
        "name": name, "phone": phone, "email": email,
        "consent": {"given_on": days_ago(30), "how": "written",
                    "purpose": "Einladungen zu weiteren Beteiligungsforen per SMS"}}), 201)
    return forum_id, entry["id"]


def _invitees(found, tenant) -> list[str]:
    table = found["steering"].metadata.tables["forum_invitees"]
    with found["steering"].uow(tenant) as uow:
        return [str(i) for i in uow.session.execute(sa.select(table.c.id)).scalars()]


def _stored(found, tenant, intake_id: str, case_id: str) -> bool:
    """Reporting stored intake's event of her first contact and casework's of her case (and
    projected them)."""
    tables = found["reporting"].metadata.tables
    cases, intakes = tables["case_projection"], tables["intake_report_projection"]
    with found["reporting"].uow(tenant) as uow:
        return (uow.session.execute(sa.select(cases.c.case_id).where(
            cases.c.case_id == case_id)).first() is not None
            and uow.session.execute(sa.select(intakes.c.intake_id).where(
                intakes.c.intake_id == intake_id)).first() is not None)


def _steering_has_case(found, tenant, intake_id: str, case_id: str) -> bool:
    """Steering took her case's opening into its pseudonymous case facts, with her intake id."""
    records = found["steering"].metadata.tables["case_records"]
    with found["steering"].uow(tenant) as uow:
        return uow.session.execute(sa.select(records.c.case_id).where(
            records.c.intake_id == intake_id)).scalars().all() == [case_id]


def _reporting_tables(admins) -> dict[str, list]:
    """Every row of reporting's own tables (read models, event store, figures)."""
    with admins["reporting"].connect() as connection:
        names = [name for name in connection.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))
            .scalars()
            if name not in PLATFORM_MAP.tables and name not in ("audit_head", "alembic_version")]
        return {name: sorted(map(repr, connection.execute(sa.text(
            f'SELECT * FROM "{name}"')).all())) for name in names}


def _contacts_kept(admins, table: str, request_id: str) -> tuple:
    with admins["intake"].connect() as connection:
        return tuple(connection.execute(sa.text(
            f"SELECT contact_phone, contact_email FROM {table} WHERE id = :i"),
            {"i": uuid.UUID(request_id)}).one())


def _audited(service, tenant, action: str, record_type: str) -> list[dict]:
    log = service.tables.audit_log
    with service.uow(tenant) as uow:
        return [dict(row) for row in uow.session.execute(sa.select(log).where(
            log.c.action == action, log.c.record_type == record_type)).mappings()]


def test_the_archive_holds_reportings_and_steerings_parts(platform, issuer, tenant):
    found, apps, admins = platform
    person = Person()
    with frozen_clock(MORNING):
        intake_id, case_id = _a_person_with_a_case(found, apps, issuer, tenant, person)
        _, entry_id = _invited(apps, issuer, tenant, name=person.given_name,
                               phone=person.phone_national)
        _invited(apps, issuer, tenant, name="Jemand anderes", phone="+49 5271 999888")
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        with _workers(found):
            poll(lambda: _stored(found, tenant, intake_id, case_id),
                 message="reporting to store her intake and case")
            poll(lambda: _steering_has_case(found, tenant, intake_id, case_id),
                 message="steering to take in her case")
            started = _ok(dpo.post("/subject-access-requests", {
                "person_id": intake_id, "reference": "Art. 15 DSGVO, Az. DS-2026-31",
                "phone": person.phone}), 202)
            request_id = started["id"]
            assert started["contacts"] == ["phone"]  # which were given, never their values
            poll(lambda: _ok(dpo.get(f"/subject-access-requests/{request_id}"), 200)["state"]
                 == "complete", message="every service to answer")
        state = _ok(dpo.get(f"/subject-access-requests/{request_id}"), 200)
        archive = dpo.get(f"/subject-access-requests/{request_id}/archive")
    by_service = {s["service"]: s for s in state["services"]}
    assert set(by_service) == set(SERVICES)
    # steering: her entry of the invitation list and her pseudonymous case facts
    assert by_service["reporting"]["rows"] > 0 and by_service["steering"]["rows"] == 2
    # the contacts left intake's row once every service answered
    assert state["contacts"] == []
    assert _contacts_kept(admins, "subject_access_request", request_id) == (None, None)

    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.get_data())) as opened:
        assert sorted(opened.namelist()) == [
            "casework.json", "intake.json", "reporting.json", "steering.json", "summary.pdf"]
        reporting = json.loads(opened.read("reporting.json"))
        steering = json.loads(opened.read("steering.json"))
        summary = opened.read("summary.pdf")

    # reporting: her cases found through the events it stores, her rows of the read models
    # keyed by her intake's and her case's ids, the stored events about them
    assert reporting["keys"]["case_id"] == [case_id]
    tables = {t["name"]: t for t in reporting["tables"]}
    assert [r["case_id"] for r in tables["case_projection"]["rows"]] == [case_id]
    assert [r["intake_id"] for r in tables["intake_report_projection"]["rows"]] == [intake_id]
    stored = tables["event_store"]["rows"]
    assert {r["subject"] for r in stored} == {intake_id, case_id}
    # each stored event also decoded, as the person can read it
    [opened] = [r for r in stored if r["type"] == "casework.case.opened.v1"]
    assert (opened["event"]["intake_id"], opened["event"]["case"]["case_id"]) == (
        intake_id, case_id)
    assert opened["payload"]["base64"]  # and as stored
    assert {r["event_id"] for r in stored} == set(reporting["keys"]["event_id"])
    assert tables["event_store"]["legal_basis"] == "task_sgb"

    # steering: her entry of the invitation list (found by her number as the office typed
    # it), not the other person's
    [invitees] = [t for t in steering["tables"] if t["name"] == "forum_invitees"]
    assert [(r["id"], r["name"], r["phone"]) for r in invitees["rows"]] == [
        (entry_id, person.given_name, person.e164)]
    # and her case facts, found by the intake id of her case's opening (no name in them)
    assert steering["keys"]["case_id"] == [case_id]
    [records] = [t for t in steering["tables"] if t["name"] == "case_records"]
    assert [(r["case_id"], r["intake_id"], r["area_id"]) for r in records["rows"]] == [
        (case_id, intake_id, AREA)]
    created = [a for a in steering["accesses"] if a["record_id"] == entry_id]
    assert {a["action"] for a in created} >= {"create"}

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(summary)).pages)
    text = " ".join(text.split())
    for words in ("Dienst reporting: gespeicherte Daten", "Dienst steering: gespeicherte Daten"):
        assert words in text, words
    # the tables' names, wherever a cell's line breaks them
    for name in ("forum_invitees", "event_store", "case_projection"):
        assert name in text.replace(" ", ""), name
    assert person.given_name not in text and person.e164 not in text

    # steering read the contacts at intake (audited there), and nothing of them went on the
    # broker or into the trail: the request's event says only that there are some
    [read] = _audited(found["intake"], tenant, "read", "subject_contacts")
    assert read["record_id"] == request_id and "steering" in read["actor"]
    with admins["intake"].connect() as connection:
        payloads = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'subject_access.requested.v1'"))
        assert all(person.e164.encode() not in bytes(p) and b"5271" not in bytes(p)
                   for p in payloads.scalars())
        trail = connection.execute(sa.text("SELECT * FROM audit_log")).all()
    assert not [row for row in trail if person.e164 in repr(row)]


def test_a_request_without_contacts_finds_her_case_facts_in_steering_not_her_invitation(
        platform, issuer, tenant):
    found, apps, _ = platform
    person = Person()
    with frozen_clock(MORNING):
        intake_id, case_id = _a_person_with_a_case(found, apps, issuer, tenant, person)
        _invited(apps, issuer, tenant, name=person.given_name, phone=person.phone)
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        # a number that is none, an address that is none: refused, naming the field
        for field, bad in (("phone", "12"), ("phone", "+49 abc"), ("email", "not-an-address")):
            refused = dpo.post("/subject-access-requests", {
                "person_id": intake_id, "reference": "Art. 15 DSGVO", field: bad})
            assert refused.status_code == 422, (field, bad)
            assert field in json.dumps(refused.get_json()), refused.get_json()
        with _workers(found):
            poll(lambda: _steering_has_case(found, tenant, intake_id, case_id),
                 message="steering to take in her case")
            request_id = _ok(dpo.post("/subject-access-requests", {
                "person_id": intake_id, "reference": "Art. 15 DSGVO"}), 202)["id"]
            erasure_id = _ok(dpo.post("/erasure-requests", {
                "person_id": intake_id, "reference": "Art. 17 DSGVO"}), 202)["id"]
            poll(lambda: _ok(dpo.get(f"/subject-access-requests/{request_id}"), 200)["state"]
                 == "complete", message="every service to answer")
            poll(lambda: _ok(dpo.get(f"/erasure-requests/{erasure_id}"), 200)["state"]
                 == "completed", message="every service to erase")
        access = {s["service"]: s for s in _ok(
            dpo.get(f"/subject-access-requests/{request_id}"), 200)["services"]}
        erasure = {s["service"]: s for s in _ok(
            dpo.get(f"/erasure-requests/{erasure_id}"), 200)["services"]}
    # steering: her case facts (by her intake id), kept by the erasure as pseudonymous
    # statistics the theme finding counts; deleted: its part of her subject-access request
    assert (access["steering"]["tables"], access["steering"]["rows"]) == (1, 1)
    assert (erasure["steering"]["deleted"], erasure["steering"]["anonymised"],
            erasure["steering"]["kept"]) == (1, 0, 1)
    parts = found["steering"].tables.subject_access_part
    with found["steering"].uow(tenant) as uow:
        assert uow.session.execute(sa.select(parts.c.request_id)).all() == []
    assert _steering_has_case(found, tenant, intake_id, case_id)
    # steering did not ask intake for contacts, and her entry stays: nothing named it
    assert _audited(found["intake"], tenant, "read", "subject_contacts") == []
    assert len(_invitees(found, tenant)) == 1


def test_an_erasure_with_her_phone_number_removes_her_from_steering_and_leaves_reporting(
        platform, issuer, tenant):
    found, apps, admins = platform
    person = Person()
    with frozen_clock(MORNING):
        intake_id, case_id = _a_person_with_a_case(found, apps, issuer, tenant, person)
        _, hers = _invited(apps, issuer, tenant, name=person.given_name,
                           phone=person.phone_national)
        _, by_email = _invited(apps, issuer, tenant, name=None, email=person.email.lower())
        _, other = _invited(apps, issuer, tenant, name="Jemand anderes",
                            phone="+49 5271 999777")
        dpo = _caller(apps, issuer, "intake", tenant, DPO_ID, [DATA_PROTECTION_OFFICER])
        with _workers(found):
            poll(lambda: _stored(found, tenant, intake_id, case_id),
                 message="reporting to store her intake and case")
            poll(lambda: _steering_has_case(found, tenant, intake_id, case_id),
                 message="steering to take in her case")
            before = _reporting_tables(admins)
            started = _ok(dpo.post("/erasure-requests", {
                "person_id": intake_id, "reference": "Art. 17 Abs. 1 lit. a DSGVO, Az. DS-7",
                "phone": person.phone, "email": person.email}), 202)
            erasure_id = started["id"]
            assert sorted(started["contacts"]) == ["email", "phone"]
            poll(lambda: _ok(dpo.get(f"/erasure-requests/{erasure_id}"), 200)["state"]
                 == "completed", message="every service to erase")
            state = _ok(dpo.get(f"/erasure-requests/{erasure_id}"), 200)
            after = _reporting_tables(admins)
    by_service = {s["service"]: s for s in state["services"]}
    # steering deleted her two entries (by number and by address, in any case), not the other
    assert by_service["steering"]["deleted"] == 2
    assert by_service["steering"]["kept"] == 1  # her pseudonymous case facts
    assert _invitees(found, tenant) == [other]
    assert hers != by_email
    # reporting: nothing deleted or changed, her rows counted as kept — its figures the same
    assert (by_service["reporting"]["deleted"], by_service["reporting"]["anonymised"]) == (0, 0)
    assert by_service["reporting"]["kept"] > 0
    assert after == before
    # the contacts left intake's row once every service answered
    assert state["contacts"] == []
    assert _contacts_kept(admins, "erasure_request", erasure_id) == (None, None)
    with admins["steering"].connect() as connection:
        erased = connection.execute(sa.text(
            "SELECT count(*) FROM audit_log WHERE action = 'erasure.erase' AND record_id = :p"),
            {"p": intake_id}).scalar_one()
    assert erased == 1
