"""Cooperation agreements, bodies and meetings, and the knowledge base through the network's
API on the real PostgreSQL (row-level security, the app role): what the coordinating office,
case managers, provider staff and an organisation's administrator rely on (ADR 0085)."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from lotse_platform.auth import (
    CASE_MANAGER,
    COORDINATOR,
    ORG_ADMIN,
    PROVIDER_STAFF,
    STEERING_MEMBER,
)
from network_helpers import organization
from lotse_platform.testing import (
    days_ago,
    days_ahead,
    frozen_clock,
    known_directory,
    put_directory,
    today,
    TokenCaller,
)

pytestmark = pytest.mark.integration

KREIS, ABH, BAMF, AWO, CARITAS = (f"org-{k}" for k in ("kreis", "abh", "bamf", "awo", "caritas"))
BRAKEL, WARBURG = "area-brakel", "area-warburg"


@pytest.fixture
def as_user(network, issuer, tenant):
    put_directory(network, tenant, known_directory(
        organisations=[KREIS, ABH, BAMF, AWO, CARITAS], areas=[BRAKEL, WARBURG]))
    client = network.create_app().test_client()

    def caller(roles, org: str = KREIS, subject: str = "user-koch",
               tenant_id: uuid.UUID | None = None) -> TokenCaller:
        return TokenCaller(client, issuer.issue(subject, tenant_id or tenant, org,
                                                   list(roles), areas=[BRAKEL]))
    return caller


def _agreement(**overrides) -> dict:
    return {"title": "Kooperationsvereinbarung Fallweitergabe", "party_org_ids": [KREIS, AWO],
            "topic_areas": ["housing", "residence"], "area_ids": [BRAKEL],
            "cases_taken": "Fälle mit mehreren Handlungsbedarfen übernimmt die CMS.",
            "data_handling": "Nur mit Einwilligung und Schweigepflichtentbindung.",
            "valid_from": days_ago(365), "valid_until": days_ahead(365), "status": "signed",
            "signed_on": days_ago(370), "document_ref": "KI-HX 50.2/2021-017", **overrides}


def test_a_referral_finds_the_agreement_that_covers_it_and_an_expired_one_is_flagged(
        as_user, superuser, tenant):
    """001 L140: "Fallweitergabe zwischen der CMS und den Wohlfahrtsverbänden nach Absprache
    (siehe auch Kooperationsvereinbarungen)"; 001 L343: the agreement records "wie der Umgang
    mit Daten gesichert wird"; issue 11: an expired agreement is flagged."""
    office = as_user([COORDINATOR])
    made = office.post("/agreements", _agreement())
    assert made.status_code == 201, made.get_json()
    current = made.get_json()
    assert (current["status_label"], current["expired"]) == ("unterzeichnet", False)
    expired = office.post("/agreements", _agreement(
        title="Pilotvereinbarung", valid_until=days_ago(1))).get_json()
    assert expired["expired"] is True
    office.post("/agreements", _agreement(title="Andere", party_org_ids=[KREIS, CARITAS]))

    staff = as_user([PROVIDER_STAFF], org=AWO, subject="user-awo")
    covering = staff.get("/agreements", query_string={
        "partner_org_id": AWO, "topic_area": "housing", "area_id": BRAKEL,
        "valid_on": today(tenant).isoformat()}).get_json()
    assert [a["id"] for a in covering] == [current["id"]]
    assert staff.get("/agreements", query_string={
        "partner_org_id": AWO, "area_id": WARBURG}).get_json() == []
    everything = staff.get("/agreements", query_string={"partner_org_id": AWO}).get_json()
    assert {(a["title"], a["expired"]) for a in everything} == {
        ("Kooperationsvereinbarung Fallweitergabe", False), ("Pilotvereinbarung", True)}

    with superuser.connect() as connection:
        audited = connection.execute(sa.text(
            "SELECT action, record_type FROM audit_log WHERE tenant_id = :t AND "
            "record_id = :r ORDER BY id"), {"t": tenant, "r": current["id"]}).all()
    assert [tuple(row) for row in audited] == [("create", "agreement"), ("read", "agreement")]


def test_mettmanns_decision_of_2023_05_10_becomes_two_initiated_agreements(as_user):
    """004 L124–L126: "Initiierung einer Kooperationsvereinbarung zwischen ABH und
    Beratungsakteuren … zwischen BAMF und Beratungsakteuren"; L130: "Die Lenkungsgruppe hat
    diesen Beschlussvorschlägen in der Sitzung vom 10.05.2023 zugestimmt." """
    office = as_user([COORDINATOR])
    for partner, point in ((ABH, "2a"), (BAMF, "2b")):
        answer = office.post("/agreements", {
            "title": f"Kooperationsvereinbarung {partner} – Beratungsakteure",
            "party_org_ids": [partner, AWO, CARITAS], "topic_areas": ["residence"],
            "status": "initiated", "basis": f"Lenkungsgruppe 10.05.2023, Beschluss {point}"})
        assert answer.status_code == 201, answer.get_json()
    found = as_user([CASE_MANAGER]).get("/agreements", query_string={
        "partner_org_id": CARITAS, "topic_area": "residence"}).get_json()
    assert sorted((a["status_label"], a["basis"]) for a in found) == [
        ("initiiert", "Lenkungsgruppe 10.05.2023, Beschluss 2a"),
        ("initiiert", "Lenkungsgruppe 10.05.2023, Beschluss 2b")]
    signed = office.patch(f"/agreements/{found[0]['id']}", {
        "status": "signed", "signed_on": days_ago(0), "valid_from": days_ago(0)})
    assert (signed.status_code, signed.get_json()["status"]) == (200, "signed")


def test_bad_agreements_are_refused_with_422_naming_the_fields(as_user):
    """001 L343: "je eine Kooperationsvereinbarungsvorlage" with parties, scope and data
    handling — what cannot be is refused by field, unknown ids included (ADR 0054)."""
    office = as_user([COORDINATOR])
    cases = [
        (_agreement(party_org_ids=[AWO]), "party_org_ids"),
        (_agreement(valid_until=days_ago(400)), "valid_until"),
        (_agreement(topic_areas=["nonsense"]), "topic_areas.0"),
        (_agreement(party_org_ids=[KREIS, "org-nowhere"]), "party_org_ids.1"),
        (_agreement(area_ids=["area-nowhere"]), "area_ids.0"),
        (_agreement(status="signed", signed_on=None), "signed_on"),
        (_agreement(cases_taken="a\x00b"), "cases_taken"),
    ]
    for body, field in cases:
        answer = office.post("/agreements", body)
        assert answer.status_code == 422, (field, answer.get_json())
        assert field in {e["field"] for e in answer.get_json()["errors"]}, answer.get_json()


def test_who_may_keep_and_read_agreements(as_user, tenant):
    """002 L227: the coordinating office prepares the cooperation agreements; an
    organisation's administrator reads her organisation's; the steering group and another
    tenant see none."""
    office = as_user([COORDINATOR])
    awo_side = office.post("/agreements", _agreement()).get_json()
    other = office.post("/agreements", _agreement(party_org_ids=[KREIS, CARITAS])).get_json()
    assert as_user([CASE_MANAGER]).post("/agreements", _agreement()).status_code == 403
    assert as_user([STEERING_MEMBER]).get("/agreements").status_code == 403

    awo_admin = as_user([ORG_ADMIN], org=AWO, subject="admin-awo")
    assert [a["id"] for a in awo_admin.get("/agreements").get_json()] == [awo_side["id"]]
    assert awo_admin.get(f"/agreements/{other['id']}").status_code == 404
    elsewhere = as_user([COORDINATOR], tenant_id=uuid.uuid4())
    assert elsewhere.get(f"/agreements/{awo_side['id']}").status_code == 404
    assert elsewhere.get("/agreements").get_json() == []


def test_bodies_show_their_next_dates_and_hold_meetings_with_follow_ups(
        as_user, superuser, tenant):
    """001 L399: "jeder dritte Mittwochnachmittag im Monat"; 004 L91: each actor presents
    "Zielgruppe, Angebot und (bestehende) Kooperationsvereinbarung"; 004 L93: missing
    agreements were identified — follow-ups with an owner and a due date."""
    office = as_user([COORDINATOR])
    exchange = office.post("/bodies", {
        "name": "Austauschtreffen Case Management", "kind": "case_manager_exchange",
        "member_org_ids": [KREIS, AWO], "rhythm": "monthly", "weekday": 2, "nth": 3,
        "starts_at": "14:00"})
    assert exchange.status_code == 201, exchange.get_json()
    dates = exchange.get_json()["next_dates"]
    assert len(dates) == 3 and all("T14:00:00+01:00" in d or "T14:00:00+02:00" in d
                                   for d in dates)
    assert office.post("/bodies", {"name": "x", "kind": "jour_fixe", "member_org_ids": [KREIS],
                                   "rhythm": "monthly", "weekday": 9}).get_json()[
        "errors"][0]["field"] == "weekday"

    meeting_body = office.post("/bodies", {
        "name": "Netzwerktreffen Brakel", "kind": "network_meeting",
        "member_org_ids": [KREIS, AWO, CARITAS], "area_id": BRAKEL}).get_json()
    held = office.post(f"/bodies/{meeting_body['id']}/meetings", {
        "held_on": days_ago(2), "participant_org_ids": [KREIS, CARITAS],
        "contributions": [{"org_id": CARITAS, "target_group": "Zugewanderte in Brakel",
                           "offers": "Migrationsberatung", "agreements": "keine"}],
        "minutes": "Fehlende Kooperationsvereinbarung festgestellt.",
        "follow_ups": [{"what": "Entwurf der Vereinbarung", "owner_org_id": KREIS,
                        "due_on": days_ahead(30)}]})
    assert held.status_code == 201, held.get_json()
    meeting = held.get_json()
    with superuser.connect() as connection:
        outbox = connection.execute(sa.text(
            "SELECT event_type, aggregate_id FROM outbox WHERE tenant_id = :t"),
            {"t": tenant}).all()
    assert [tuple(row) for row in outbox] == [("network.meeting.held.v1", meeting["id"])], \
        "reporting counts the meetings held"
    follow_up = meeting["follow_ups"][0]
    done = office.post(f"/meetings/{meeting['id']}/follow-ups/{follow_up['id']}/done")
    assert done.get_json()["follow_ups"][0]["done_on"] == today(tenant).isoformat()
    future = office.post(f"/bodies/{meeting_body['id']}/meetings", {
        "held_on": (today(tenant) + timedelta(days=1)).isoformat(),
        "participant_org_ids": [KREIS]})
    assert future.get_json()["errors"][0]["field"] == "held_on"
    listed = as_user([PROVIDER_STAFF], org=AWO).get(f"/bodies/{meeting_body['id']}/meetings")
    assert [m["minutes"] for m in listed.get_json()] == [
        "Fehlende Kooperationsvereinbarung festgestellt."]
    with superuser.connect() as connection:  # the minutes' free text is encrypted (ADR 0104)
        kept = connection.execute(sa.text(
            "SELECT minutes, contributions, follow_ups FROM body_meetings WHERE id = :m"),
            {"m": meeting["id"]}).one()
    assert all(value.startswith("lotse1$") for value in kept)
    assert not any(word in value for value in kept
                   for word in ("Kooperationsvereinbarung", "Migrationsberatung", "Entwurf"))
    assert as_user([PROVIDER_STAFF], org=AWO).post(
        f"/bodies/{meeting_body['id']}/meetings", {"held_on": days_ago(1),
                                                    "participant_org_ids": [AWO]}
    ).status_code == 403


def test_the_knowledge_base_is_searchable_paginated_and_keeps_every_version(as_user):
    """001 L169: "Wissensdatenbanken nutzen und pflegen"; 002 L283: procedures of other
    programmes delimited — short articles kept by the coordinating office and case managers,
    who changed what and when."""
    lea = as_user([CASE_MANAGER], subject="user-lea")
    office = as_user([COORDINATOR])
    abh = office.post("/directory/organizations", organization(
        name="Ausländerbehörde Kreis Höxter", identity_org_id=None)).get_json()["id"]
    unknown = str(uuid.uuid4())
    linked = {"title": "Beschäftigungsduldung beantragen",
              "body": "Zuständig ist die Ausländerbehörde.", "topic_areas": ["residence"]}
    refused = lea.post("/articles", {**linked, "entry_ids": [abh, unknown]})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [{
        "field": "entry_ids.1", "message": "no organisation or service of this directory"}], \
        "a link goes to an entry of this directory"
    first = lea.post("/articles", {**linked, "entry_ids": [abh]})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["entry_ids"] == [abh]
    article = first.get_json()
    for n in range(3):
        lea.post("/articles", {"title": f"Integrationskurs {n}", "body": "Anmeldung beim "
                               "Kursträger", "topic_areas": ["language"]})
    revised = office.put(f"/articles/{article['id']}", {
        "title": "Beschäftigungsduldung beantragen", "topic_areas": ["residence"],
        "body": "Zuständig ist die Ausländerbehörde. Unterlagen: Arbeitsvertrag."})
    assert (revised.get_json()["version"], revised.get_json()["updated_by"]) == (2, "user-koch")

    reader = as_user([PROVIDER_STAFF], org=AWO)
    page = reader.get("/articles", query_string={"q": "ausländerBEHÖRDE"}).get_json()
    assert ([a["id"] for a in page["items"]], page["total"]) == ([article["id"]], 1)
    language = reader.get("/articles", query_string={"topic_area": "language", "limit": 2,
                                                      "offset": 2}).get_json()
    assert (len(language["items"]), language["total"]) == (1, 3)
    assert reader.get("/articles", query_string={"q": "100%"}).get_json()["total"] == 0
    # full text in German (PostgreSQL "german"): inflected words, not side by side, ranked
    stemmed = reader.get("/articles", query_string={"q": "Anmeldungen Kursträgern"}).get_json()
    assert stemmed["total"] == 3, stemmed
    ranked = lea.post("/articles", {"title": "Ausländerbehörde: Sprechzeiten",
                                    "body": "Die Ausländerbehörde ist dienstags geöffnet; "
                                            "Termine bei der Ausländerbehörde online."}).get_json()
    order = reader.get("/articles", query_string={"q": "Ausländerbehörde"}).get_json()["items"]
    assert [a["id"] for a in order] == [ranked["id"], article["id"]]
    versions = reader.get(f"/articles/{article['id']}/versions").get_json()
    assert [(v["version"], v["changed_by"]) for v in versions] == [(1, "user-lea"),
                                                                    (2, "user-koch")]
    assert lea.post("/articles", {"title": "", "body": "x"}).get_json()[
        "errors"][0]["field"] == "title"
    assert lea.post("/articles", {"title": "x", "body": "y", "entry_ids": ["kein-uuid"]}
                    ).get_json()["errors"][0]["field"] == "entry_ids.0"
    assert reader.post("/articles", {"title": "x", "body": "y"}).status_code == 403


def test_the_signed_agreement_is_kept_sealed_and_read_by_those_who_read_the_agreement(
        as_user, superuser, tenant):
    """001 L286: "Dokumentationsvorlage: Kooperationsvereinbarungen" — the signed document is
    kept with the agreement, sealed with the tenant's key (ADR 0082): uploaded by the
    coordinating office, downloaded by the partners it binds, never in clear in the database."""
    office = as_user([COORDINATOR])
    agreement = office.post("/agreements", _agreement()).get_json()
    scan = b"%PDF-1.7\n% Kooperationsvereinbarung unterzeichnet\n%%EOF\n"
    path = f"/agreements/{agreement['id']}/signed-copies"

    def upload(caller, content, media_type="application/pdf"):
        return caller.client.post(path, headers=caller.headers, data={
            "form": "signed_agreement", "file": (io.BytesIO(content), "file.bin", media_type)},
            content_type="multipart/form-data")

    made = upload(office, scan)
    assert made.status_code == 201, made.get_json()
    copy = made.get_json()
    assert upload(office, b"not a pdf").status_code == 422
    assert upload(as_user([CASE_MANAGER]), scan).status_code == 403

    awo_admin = as_user([ORG_ADMIN], org=AWO, subject="admin-awo")
    assert [c["id"] for c in awo_admin.get(path).get_json()] == [copy["id"]]
    downloaded = awo_admin.get(f"{path}/{copy['id']}")
    assert (downloaded.status_code, downloaded.data) == (200, scan)
    caritas_admin = as_user([ORG_ADMIN], org=CARITAS, subject="admin-caritas")
    assert caritas_admin.get(f"{path}/{copy['id']}").status_code == 404
    with superuser.connect() as connection:
        stored = connection.execute(sa.text("SELECT * FROM signed_copy WHERE tenant_id = :t"),
                                    {"t": tenant}).mappings().all()
    assert len(stored) == 1
    assert not any(b"Kooperationsvereinbarung" in bytes(value) for value in stored[0].values()
                   if isinstance(value, bytes | memoryview)), "sealed, never in clear"


def test_the_next_dates_follow_the_tenants_day_at_2330_utc(as_user):
    """001 L399: "jeder dritte Mittwochnachmittag im Monat" — at 23:30 UTC on the third
    Wednesday of December it is Thursday in Höxter: the next exchange is in January."""
    office = as_user([COORDINATOR])
    body = office.post("/bodies", {"name": "Austauschtreffen", "kind": "case_manager_exchange",
                                   "member_org_ids": [KREIS], "rhythm": "monthly",
                                   "weekday": 2, "nth": 3}).get_json()
    with frozen_clock(datetime(2026, 12, 16, 22, 30, tzinfo=UTC)):
        still_today = office.get(f"/bodies/{body['id']}").get_json()["next_dates"]
    with frozen_clock(datetime(2026, 12, 16, 23, 30, tzinfo=UTC)):
        next_month = office.get(f"/bodies/{body['id']}").get_json()["next_dates"]
    assert still_today[0].startswith("2026-12-16T00:00:00+01:00")
    assert [d[:10] for d in next_month] == ["2027-01-20", "2027-02-17", "2027-03-17"]
