"""Casework refuses hostile text wherever a caller can put it, on PostgreSQL, naming where it is
(ADR 0060): a path segment (a case manager's user id), the purpose of a supervision read (query
or header; it goes into the audit trail) and a contact's notes. Before, a NUL in any of them
reached PostgreSQL and was a 500."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lotse_platform.auth import COORDINATOR, TENANT_ADMIN
from lotse_platform.testing import days_ago

from casework_support import open_test_case

pytestmark = pytest.mark.integration


def refused(response, field: str, character: str) -> None:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    errors = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    assert character in errors[field]


def rows(superuser, table: str, tenant) -> int:
    with superuser.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"),
                                  {"t": tenant}).scalar_one()


def test_a_user_id_in_the_path_with_a_nul_is_refused_naming_it(as_user, superuser, tenant):
    admin = as_user("admin", roles=(TENANT_ADMIN,), org="org-kreis")

    response = admin.put("/case-managers/cm%00lea", {"organisation_id": "org-stadt-hoexter",
                                                      "fte": 1.0, "areas": ["area-hoexter"]})

    refused(response, "user_id", "U+0000")
    assert rows(superuser, "case_managers", tenant) == 0


@pytest.mark.parametrize("argument", ["purpose", "purpose_note"])
def test_a_supervision_purpose_with_a_control_character_is_refused_and_nothing_is_read(
    casework, as_user, superuser, tenant, argument
):
    case_id = open_test_case(casework, tenant, "cm-lea")
    koch = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")
    audited = rows(superuser, "audit_log", tenant)

    query = ("purpose=supervision%00" if argument == "purpose"
             else "purpose=supervision&purpose_note=Beschwerde%0042")
    response = koch.get(f"/cases/{case_id}/contacts?{query}")

    refused(response, argument, "U+0000")
    assert rows(superuser, "audit_log", tenant) == audited


def test_contact_notes_with_a_nul_are_refused_and_several_lines_are_kept(
    casework, as_user, superuser, tenant
):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    contact = {"type": "phone_call", "occurred_on": days_ago(0), "duration_minutes": 15}

    refused(lea.post(f"/cases/{case_id}/contacts", {**contact, "notes": "Rückruf\x00"}),
            "notes", "U+0000")
    assert rows(superuser, "contacts", tenant) == 0

    kept = lea.post(f"/cases/{case_id}/contacts", {**contact, "notes": "Rückruf:\n\tTermin"})
    assert kept.status_code == 201, kept.get_json()
    [read] = lea.get(f"/cases/{case_id}/contacts").get_json()["contacts"]
    assert read["notes"] == "Rückruf:\n\tTermin"
