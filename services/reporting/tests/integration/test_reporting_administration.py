"""The coordinating office's administration on PostgreSQL, through the API (001 L387:
"Verwaltung (Antrag, Mittelabrufe, Weiterleitungsverträge)"): the office keeps posts, funding
and forwarding contracts, the steering group reads the year's summary, a case manager nothing,
another tenant none of it; bad input is a 422 naming the field; every access is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from lotse_platform.auth import CASE_MANAGER, COORDINATION_ASSISTANT, STEERING_MEMBER
from lotse_platform.references import AREA, ORGANISATION, Known
from lotse_platform.testing import TokenCaller, frozen_clock, put_directory

pytestmark = pytest.mark.integration

KREIS, WARBURG, CARITAS = "org-kreis-hoexter", "org-stadt-warburg", "org-caritas"
WARBURG_AREA = "area-warburg"


@pytest.fixture
def directory(reporting, tenant):
    put_directory(reporting, tenant, [
        Known(ORGANISATION, KREIS, name="Kreis Höxter – Kommunales Integrationszentrum"),
        Known(ORGANISATION, WARBURG, name="Stadt Warburg"),
        Known(ORGANISATION, CARITAS, name="Caritasverband Brakel"),
        Known(AREA, WARBURG_AREA)])


def post(block="case_management", function="case_manager", employer=WARBURG, fte="1.00",
         filled="1.00", **extra) -> dict:
    return {"building_block": block, "function": function, "employer_org_id": employer,
            "area_id": WARBURG_AREA, "fte": fte, "filled_fte": filled,
            "valid_from": "2024-01-01", "label": "CMS Warburg", **extra}


def test_the_office_keeps_posts_funding_and_contracts_and_the_summary_adds_them_up(
        directory, as_user, superuser, tenant):
    office = as_user("ks-koch")
    assistant = as_user("ks-assistenz", roles=(COORDINATION_ASSISTANT,))
    for fte, filled in (("1.00", "1.00"), ("1.00", "1.00"), ("1.00", "0.00"),
                        ("0.50", "0.50")):
        made = office.post("/administration/posts", post(
            "coordination", "coordinator", KREIS, fte, filled, area_id=None, label="KS"))
        assert made.status_code == 201, made.get_json()
    cms = assistant.post("/administration/posts", post(fte="0.75", filled="0.75"))
    assert cms.status_code == 201, cms.get_json()
    assert cms.get_json()["vacant_fte"] == "0.00"
    vacated = office.put(f"/administration/posts/{cms.get_json()['id']}",
                         post(fte="0.75", filled="0.25"))
    assert vacated.get_json()["vacant_fte"] == "0.50", "partly vacant after a departure"

    year = office.put("/administration/funding/2026", {
        "applied_on": "2025-10-15", "requested": "600000.00", "notice_on": "2026-01-20",
        "granted": "580000.00", "granted_fte": {"coordination": "4.00",
                                                "case_management": "1.00"}})
    assert year.status_code == 200, year.get_json()
    called = assistant.put("/administration/funding/2026/calls/1", {
        "due_on": "2026-03-31", "amount": "290000.00", "called_on": "2026-03-16",
        "received_on": "2026-03-30"})
    assert called.status_code == 200, called.get_json()
    office.put("/administration/funding/2026/calls/2", {"due_on": "2026-09-30",
                                                         "amount": "290000.00"})
    contract = office.post("/administration/forwarding-contracts", {
        "year": 2026, "recipient_org_id": WARBURG, "building_block": "case_management",
        "fte": "0.75", "amount": "48000.00", "signed_on": "2026-02-01",
        "transfers": {"1": "2026-04-30"}})
    assert contract.status_code == 201, contract.get_json()
    assert contract.get_json()["transfers"] == {"1": "2026-04-30"}

    # the first of October in Berlin is still the 30th of September in UTC at 23:30
    with frozen_clock(datetime(2026, 9, 30, 23, 30, tzinfo=UTC)):
        summary = as_user("lenkung", roles=(STEERING_MEMBER,)).get(
            "/administration/summary?year=2026")
    assert summary.status_code == 200, summary.get_json()
    shown = summary.get_json()
    coordination = shown["posts"][0]
    assert (coordination["building_block"], coordination["posts"], coordination["fte"],
            coordination["filled_fte"], coordination["vacant_fte"],
            coordination["granted_fte"]) == ("coordination", 4, "3.50", "2.50", "1.00", "4.00")
    assert coordination["name"] == "Baustein I: Koordinierende Stelle"
    assert shown["posts"][1]["vacant_fte"] == "0.50"
    funding = shown["funding"]
    assert (funding["granted"], funding["called"], funding["received"]) == (
        "580000.00", "290000.00", "290000.00")
    assert [c["overdue"] for c in funding["calls"]] == [False, True], \
        "the second call was due on 30 September, the tenant's day is already 1 October"
    assert shown["forwarded"] == [{
        "recipient_org_id": WARBURG, "recipient_name": "Stadt Warburg",
        "building_block": "case_management", "fte": "0.75", "amount": "48000.00",
        "signed_on": "2026-02-01", "transfers_done": [1], "transfers_outstanding": [2]}]
    assert shown["forwarded_total"] == "48000.00"

    with superuser.connect() as connection:
        audited = connection.execute(sa.text(
            "SELECT action, reason FROM audit_log WHERE tenant_id = :t"), {"t": tenant}).all()
    assert ("read", "administration:2026") in audited
    assert sum(1 for action, reason in audited if reason == "post") >= 5


def test_bad_entries_are_refused_naming_the_field(directory, as_user):
    office = as_user("ks-koch")

    def refused(path, body, method="post") -> set[str]:
        answer = getattr(office, method)(path, body)
        assert answer.status_code == 422, answer.get_json()
        return {e["field"] for e in answer.get_json()["errors"]}

    assert refused("/administration/posts", post(fte="1.50")) == {"fte"}
    assert refused("/administration/posts", post(fte="0.50", filled="0.75")) == {"filled_fte"}
    assert refused("/administration/posts", post(building_block="baustein4")) == {
        "building_block"}
    assert refused("/administration/posts", post(employer="org-unknown")) == {"employer_org_id"}
    assert refused("/administration/posts", post(fte="viel")) == {"fte"}
    assert refused("/administration/funding/2026", {"granted": "-1"}, "put") == {"granted"}
    assert refused("/administration/forwarding-contracts", {
        "year": 2026, "recipient_org_id": CARITAS, "building_block": "case_management",
        "fte": "0.50", "amount": "1.00", "transfers": {"3": "2026-04-01"}}) == {"transfers.3.key"}
    missing = office.put("/administration/funding/2031/calls/1", {"due_on": "2031-03-31"})
    assert missing.status_code == 404, "record the year before its calls"
    office.put("/administration/funding/2026", {})
    assert refused("/administration/funding/2026/calls/1", {"due_on": "2027-03-31"},
                   "put") == {"due_on"}
    assert office.put("/administration/funding/2026/calls/3",
                      {"due_on": "2026-03-31"}).status_code == 422


def test_who_may_keep_and_read_it(directory, as_user, app, issuer):
    office = as_user("ks-koch")
    made = office.post("/administration/posts", post()).get_json()
    case_manager = as_user("cm-warburg", roles=(CASE_MANAGER,))
    steering = as_user("lenkung", roles=(STEERING_MEMBER,))
    assert case_manager.get("/administration/summary?year=2026").status_code == 403
    assert case_manager.get("/administration/posts").status_code == 403
    assert steering.get("/administration/posts").status_code == 200
    assert steering.post("/administration/posts", post()).status_code == 403, \
        "the steering group reads the office's figures, it does not keep them"
    assert steering.get(f"/administration/posts/{made['id']}").status_code == 200
    elsewhere = TokenCaller(app.test_client(), issuer.issue(
        "ks-other", uuid.uuid4(), KREIS, ["coordinator"], areas=[]))
    assert elsewhere.get(f"/administration/posts/{made['id']}").status_code == 404
    assert elsewhere.get("/administration/posts").get_json() == []
