"""A client moves to another county running Lotse: the case is offered to an area of that
tenant, one of its case managers reads the handover package and accepts; a new case opens
there with a copy of the file, and the sending county closes its case and opens it no more."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.auth import TENANT_ADMIN
from lotse_platform.testing import Running, poll, put_directory

from casework_steps import drive, ok
from casework_support import PERSON_NAME, open_test_case, published_directory

pytestmark = pytest.mark.integration


def test_a_case_moves_to_another_tenant_and_the_sender_reads_nothing_afterwards(
        casework, tenant, as_user, superuser):
    paderborn = uuid.uuid4()
    put_directory(casework, paderborn, published_directory())  # Paderborn's organisations
    admin = as_user("admin-pb", roles=(TENANT_ADMIN,), org="org-kreis-pb", tenant_id=paderborn)
    ok(admin.put("/case-managers/cm-jana", {"organisation_id": "org-stadt-pb", "fte": 1.0,
                                           "areas": ["area-paderborn"]}))
    lea = as_user("cm-lea")
    jana = as_user("cm-jana", org="org-stadt-pb", areas=("area-paderborn",),
                   tenant_id=paderborn)
    stranger = as_user("cm-ole", org="org-stadt-pb", areas=("area-delbrueck",),
                       tenant_id=paderborn)
    case_id = open_test_case(casework, tenant, "cm-lea", releases=[
        {"partner_org_id": "org-jobcenter", "topic_areas": ["work_training"]}])
    goal_id = drive(lea, case_id, "monitoring")["goal_id"]

    assert lea.post(f"/cases/{case_id}/transfers", {"to_tenant_id": str(tenant),
                                                    "to_area_id": "x"}).status_code == 422
    with Running(casework.relay().run), Running(casework.consumer().run):
        transfer_id = ok(lea.post(f"/cases/{case_id}/transfers", {
            "to_tenant_id": str(paderborn), "to_area_id": "area-paderborn",
            "note": "Umzug nach Paderborn"}), 201)["id"]
        offered = poll(lambda: jana.get("/my-day").get_json()["incoming_transfers"],
                       message="the offer to reach the receiving county")
    assert [t["transfer_id"] for t in offered] == [transfer_id]
    assert stranger.get("/my-day").get_json()["incoming_transfers"] == [], "another area"
    assert stranger.get(f"/transfers/{transfer_id}").status_code == 404

    handover = jana.get(f"/transfers/{transfer_id}").get_json()
    assert handover["person"]["name"] == PERSON_NAME
    assert [g["id"] for g in handover["goals"]] == [goal_id]

    new_case_id = ok(jana.post(f"/transfers/{transfer_id}/accept"), 200)["id"]
    assert ok(jana.post(f"/transfers/{transfer_id}/accept"), 200)["id"] == new_case_id, \
        "accepting again opens nothing twice"
    taken = jana.get(f"/cases/{new_case_id}").get_json()
    assert (taken["case_manager_id"], taken["area_id"], taken["phase"]) == (
        "cm-jana", "area-paderborn", "monitoring")
    assert taken["person"]["name"] == PERSON_NAME
    assert [g["statement"] for g in taken["goals"]] and taken["help_plan"]["version"] == 1
    assert {c["kind"] for c in taken["consents"]} == {"data_protection_information",
                                                      "counselling_agreement"}, \
        "releases for the sending county's partners do not travel"

    for path in (f"/cases/{case_id}", f"/cases/{case_id}/contacts"):
        assert lea.get(path).status_code == 404, path
    assert lea.get("/cases").get_json() == []
    assert as_user("cm-lea", tenant_id=paderborn).get(f"/cases/{new_case_id}").status_code == 404
    with superuser.connect() as connection:
        phase, reason = connection.execute(sa.text(
            "SELECT phase, closure_reason FROM cases WHERE id = :c"), {"c": case_id}).one()
        payload = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.case.transferred.v1' "
            "AND aggregate_id = :a"), {"a": str(case_id)}).scalar_one()
    assert (phase, reason) == ("closed", "moved_away")
    assert ev.CaseTransferred.FromString(payload).to_tenant_id == str(paderborn)


def test_a_cancelled_offer_cannot_be_accepted(casework, tenant, as_user):
    paderborn = uuid.uuid4()
    lea = as_user("cm-lea")
    jana = as_user("cm-jana", org="org-stadt-pb", areas=("area-paderborn",),
                   tenant_id=paderborn)
    case_id = open_test_case(casework, tenant, "cm-lea")
    with Running(casework.relay().run), Running(casework.consumer().run):
        transfer_id = ok(lea.post(f"/cases/{case_id}/transfers", {
            "to_tenant_id": str(paderborn), "to_area_id": "area-paderborn"}), 201)["id"]
        poll(lambda: jana.get("/my-day").get_json()["incoming_transfers"],
             message="the offer to arrive")
        ok(lea.post(f"/transfers/{transfer_id}/cancel"))
        assert jana.post(f"/transfers/{transfer_id}/accept").status_code == 409, \
            "refused at once, before the consumer has told the receiving tenant"
        # the cancel travels as casework.case.transfer_cancelled.v1 through the outbox
        poll(lambda: jana.get("/my-day").get_json()["incoming_transfers"] == [],
             message="the withdrawn offer to leave the receiving day")
    assert jana.get(f"/transfers/{transfer_id}").status_code == 404
    assert jana.post(f"/transfers/{transfer_id}/accept").status_code == 409
    assert lea.get(f"/cases/{case_id}").status_code == 200, "still hers"
