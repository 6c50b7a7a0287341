"""Signed copies of the counselling agreement and the help plan: attached to the case by whoever
may write it, read by whoever may read it (the office for supervision with a purpose), sealed
with the tenant's key, every upload and download audited (ADR 0082)."""

from __future__ import annotations

import io
import uuid

import pytest
import sqlalchemy as sa

from lotse_platform.auth import COORDINATOR, PROVIDER_STAFF

from casework_support import open_test_case

pytestmark = pytest.mark.integration

PDF = (b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n"
       b"% Beratungsvereinbarung Amina Haddad, unterschrieben\n%%EOF\n")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 64
FILE_NAME = "Hilfeplan_Amina_Haddad.jpg"


def upload(caller, case_id, content=PDF, content_type="application/pdf",
           form="counselling_agreement"):
    return caller.client.post(
        f"/cases/{case_id}/signed-copies", headers=caller.headers,
        data={"form": form, "file": (io.BytesIO(content), FILE_NAME, content_type)},
        content_type="multipart/form-data")


def audit_trail(superuser, tenant) -> list[tuple]:
    with superuser.connect() as connection:
        return connection.execute(sa.text(
            "SELECT actor, action, record_type, reason FROM audit_log "
            "WHERE tenant_id = :t AND (reason LIKE 'signed_copy%' OR reason LIKE 'purpose:%' "
            "OR record_type = 'case.signed_copies') ORDER BY id"), {"t": tenant}).all()


def test_the_signed_agreement_and_help_plan_are_kept_sealed_with_the_case(
        casework, tenant, as_user, superuser):
    # 000 L98: "die Beratungsvereinbarung werden unterzeichnet"; 001 L270: "Dokumentationsvorlage:
    # Hilfeplan" — the signed papers belong to the case file and come back unchanged
    case_id = open_test_case(casework, tenant, "cm-lea")
    lea = as_user("cm-lea")

    agreement = upload(lea, case_id)
    plan = upload(lea, case_id, content=JPEG, content_type="image/jpeg", form="help_plan")
    listed = lea.get(f"/cases/{case_id}/signed-copies")
    download = lea.get(f"/cases/{case_id}/signed-copies/{plan.get_json()['id']}")

    assert (agreement.status_code, plan.status_code) == (201, 201), agreement.get_json()
    assert [c["form"] for c in listed.get_json()] == ["counselling_agreement", "help_plan"]
    assert (download.status_code, download.mimetype, download.data) == (200, "image/jpeg", JPEG)
    with superuser.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT ciphertext, key_id FROM signed_copy WHERE tenant_id = :t"),
            {"t": tenant}).all()
    assert len(rows) == 2
    assert all(PDF not in bytes(r.ciphertext) and JPEG not in bytes(r.ciphertext) for r in rows)
    assert all(r.key_id.startswith(str(tenant)) for r in rows)


def test_others_neither_attach_nor_read_and_the_office_reads_for_supervision_with_a_purpose(
        casework, tenant, as_user, superuser):
    # 001 L197: "mit einer definierten Fallverantwortung" — the case manager's; the office
    # supervises (Fachaufsicht) and says why
    case_id = open_test_case(casework, tenant, "cm-lea")
    copy = upload(as_user("cm-lea"), case_id).get_json()
    path = f"/cases/{case_id}/signed-copies/{copy['id']}"
    office = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")

    assert upload(as_user("cm-tobias"), case_id).status_code == 404
    assert as_user("cm-tobias").get(path).status_code == 404
    assert as_user("cm-lea", tenant_id=uuid.uuid4()).get(path).status_code == 404
    assert as_user("awo", roles=(PROVIDER_STAFF,)).get(path).status_code == 403
    assert upload(office, case_id).status_code == 403
    assert office.get(path).status_code == 403  # no purpose stated
    supervised = office.get(path, query_string={"purpose": "supervision"})
    assert (supervised.status_code, supervised.data) == (200, PDF)
    assert audit_trail(superuser, tenant) == [
        ("cm-lea", "create", "case", f"signed_copy:upload:counselling_agreement:{copy['id']}"),
        ("ks-koch", "export", "case", "purpose:supervision")]


def test_wrong_types_and_a_foreign_copy_id_are_refused(casework, tenant, as_user):
    # 001 L270: a scan of the signed help plan — PDF or image, and only the case's own
    case_id = open_test_case(casework, tenant, "cm-lea")
    lea = as_user("cm-lea")
    other_case = open_test_case(casework, tenant, "cm-lea")
    copy = upload(lea, other_case).get_json()

    wrong = upload(lea, case_id, content=b"<html>", content_type="text/html")
    belied = upload(lea, case_id, content=JPEG, content_type="application/pdf")

    assert (wrong.status_code, [e["field"] for e in wrong.get_json()["errors"]]) == (415, ["file"])
    assert (belied.status_code, [e["field"] for e in belied.get_json()["errors"]]) == (
        422, ["file"])
    assert lea.get(f"/cases/{case_id}/signed-copies/{copy['id']}").status_code == 404
