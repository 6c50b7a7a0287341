"""Signed copies of the data-protection consent and the release from confidentiality: attached
to the intake, stored sealed with the tenant's key, read back by whoever may work the intake,
every upload and download audited (ADR 0082)."""

from __future__ import annotations

import hashlib
import io
import logging
import uuid

import pytest
import sqlalchemy as sa

from intake_helpers import BRAKEL, audit_entries
from lotse_intake.adapters import orm
from lotse_platform.cli import service_main
from lotse_platform.sealing import Binding, Envelopes, LocalKeyDirectory, Sealed, SealBroken

pytestmark = pytest.mark.integration

#: a one-page PDF as a scanner writes it (enough of one: the first bytes tell the type)
PDF = (b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
       b"% Einwilligungserklaerung Amina Haddad, unterschrieben\n%%EOF\n")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
#: what a scanner names a file: the person's name, which must not be kept or logged
FILE_NAME = "Amina_Haddad_Einwilligung.pdf"


def upload(api, intake_id, content=PDF, content_type="application/pdf",
           form="data_protection_consent", token=None, filename=FILE_NAME):
    return api.client.post(
        f"/intakes/{intake_id}/signed-copies",
        headers={"Authorization": f"Bearer {token or api.actors.case_manager()}"},
        data={"form": form, "file": (io.BytesIO(content), filename, content_type)},
        content_type="multipart/form-data")


def stored(intake, tenant) -> list:
    table = orm.platform.signed_copy
    with intake.uow(tenant) as uow:
        return uow.session.execute(sa.select(table).order_by(table.c.uploaded_at)).all()


def fields(response) -> list[str]:
    return [e["field"] for e in response.get_json()["errors"]]


def test_a_signed_consent_is_attached_listed_and_downloaded_as_it_was(api):
    # 000 L98: "die Schweigepflichtentbindung … und die Beratungsvereinbarung werden
    # unterzeichnet" — the signed paper is kept with the intake and read back unchanged
    intake_id = api.record()["id"]

    created = upload(api, intake_id)
    listed = api.get(f"/intakes/{intake_id}/signed-copies", api.actors.case_manager())
    copy = created.get_json()
    download = api.get(f"/intakes/{intake_id}/signed-copies/{copy['id']}",
                       api.actors.case_manager())

    assert created.status_code == 201, created.get_json()
    assert (copy["form"], copy["content_type"], copy["size"], copy["sha256"]) == (
        "data_protection_consent", "application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest())
    assert copy["uploaded_by"] == "cm-hoexter"
    assert [c["id"] for c in listed.get_json()] == [copy["id"]]
    assert download.status_code == 200
    assert (download.mimetype, download.data) == ("application/pdf", PDF)
    assert download.headers["Cache-Control"] == "no-store"
    assert "Haddad" not in download.headers["Content-Disposition"]


def test_the_database_holds_ciphertext_only_and_no_file_name(api, intake, tenant):
    # 001 L242: "Dokumentationsvorlage: Datenschutz und Schweigepflichtsentbindung" — the
    # signed form is special personal data: stored encrypted, its name nowhere
    intake_id = api.record()["id"]
    upload(api, intake_id)

    (row,) = stored(intake, tenant)

    assert PDF not in row.ciphertext and b"Amina Haddad" not in row.ciphertext
    assert FILE_NAME not in repr(row)
    assert row.key_id in LocalKeyDirectory(intake.settings.key_dir).key_ids(tenant)


def test_a_sealed_copy_moved_to_another_intake_or_tenant_does_not_open(api, intake, tenant):
    # 001 L242: the consent of one person is evidence for her intake only: a blob copied to
    # another record (or county) does not decrypt
    first, second = api.record()["id"], api.record()["id"]
    copy = upload(api, first).get_json()
    other = upload(api, second, content=PDF.replace(b"Amina", b"Jonas")).get_json()
    table = orm.platform.signed_copy
    with intake.uow(tenant) as uow:
        blob = uow.session.execute(sa.select(table.c.ciphertext, table.c.key_id)
                                   .where(table.c.id == uuid.UUID(copy["id"]))).one()
        uow.session.execute(sa.update(table).where(table.c.id == uuid.UUID(other["id"]))
                            .values(ciphertext=blob.ciphertext, key_id=blob.key_id))
        uow.commit()

    moved = api.get(f"/intakes/{second}/signed-copies/{other['id']}", api.actors.case_manager())
    envelopes = Envelopes(LocalKeyDirectory(intake.settings.key_dir))
    sealed = Sealed.from_bytes(blob.key_id, blob.ciphertext)

    assert moved.status_code == 500
    assert b"Jonas" not in moved.data and b"Amina" not in moved.data
    with pytest.raises(SealBroken):
        envelopes.open(sealed, Binding(uuid.uuid4(), f"signed_copy:intake:{copy['form']}",
                                       f"{first}/{copy['id']}"))


def test_after_a_key_rotation_old_copies_open_and_new_ones_use_the_new_key(api, intake, tenant,
                                                                           capsys):
    # 001 L242: the signed forms stay readable for as long as they are kept, keys change
    intake_id = api.record()["id"]
    before = upload(api, intake_id).get_json()

    status = service_main("intake", lambda: intake, ["keys", "rotate", "--tenant", str(tenant)])
    after = upload(api, intake_id, content=PNG, content_type="image/png",
                   form="confidentiality_release").get_json()

    assert status == 0 and "older keys stay readable" in capsys.readouterr().out
    keys = LocalKeyDirectory(intake.settings.key_dir).key_ids(tenant)
    assert len(keys) == 2
    assert service_main("intake", lambda: intake, ["keys", "list", "--tenant", str(tenant)]) == 0
    assert capsys.readouterr().out.split() == keys
    assert [row.key_id for row in stored(intake, tenant)] == keys
    for copy, content in ((before, PDF), (after, PNG)):
        response = api.get(f"/intakes/{intake_id}/signed-copies/{copy['id']}",
                           api.actors.case_manager())
        assert (response.status_code, response.data) == (200, content)


@pytest.mark.parametrize("content, content_type, status", [
    (b"Hallo, ich bin ein Text", "text/plain", 415),
    (PNG, "application/pdf", 422),
    (PDF, "image/jpeg", 422),
    (b"", "application/pdf", 422),
])
def test_a_file_of_another_type_or_a_type_its_content_belies_is_refused_naming_file(
    api, content, content_type, status
):
    # 001 L242: a scan of the signed form — PDF or image — and nothing else
    intake_id = api.record()["id"]

    response = upload(api, intake_id, content=content, content_type=content_type)

    assert response.status_code == status, response.get_json()
    assert fields(response) == ["file"]


def test_a_file_over_the_limit_is_refused_with_413_naming_file(api, intake):
    # 001 L242: a scan, not an archive: LOTSE_SIGNED_COPY_MAX_BYTES (10 MiB)
    intake_id = api.record()["id"]
    too_big = PDF + b"\x00" * (intake.settings.signed_copy_max_bytes + 1 - len(PDF))

    response = upload(api, intake_id, content=too_big)

    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert fields(response) == ["file"]


def test_a_request_body_over_the_uploads_limit_is_refused_before_it_is_read(api, intake):
    # the limit of the upload view alone: the file's limit and the multipart framing
    intake_id = api.record()["id"]
    far_too_big = PDF + b"\x00" * (intake.settings.signed_copy_max_bytes + 65 * 1024)

    response = upload(api, intake_id, content=far_too_big)

    assert (response.status_code, response.mimetype) == (413, "application/problem+json")


def test_a_missing_file_or_unknown_form_is_refused_naming_the_field(api):
    intake_id = api.record()["id"]
    token = api.actors.case_manager()

    no_file = api.client.post(f"/intakes/{intake_id}/signed-copies",
                              headers={"Authorization": f"Bearer {token}"},
                              data={"form": "data_protection_consent"},
                              content_type="multipart/form-data")
    unknown = upload(api, intake_id, form="everything")

    assert (no_file.status_code, fields(no_file)) == (422, ["file"])
    assert (unknown.status_code, fields(unknown)) == (422, ["form"])


def test_only_who_may_work_the_intake_attaches_and_reads_its_copies(api):
    # 001 L240: the consent is between the person and her case manager (and the office)
    intake_id = api.record()["id"]
    copy = upload(api, intake_id).get_json()
    brakel = api.actors.case_manager("cm-brakel", areas=(BRAKEL,))
    partner = api.actors.partner()

    assert upload(api, intake_id, token=brakel).status_code == 403
    assert api.get(f"/intakes/{intake_id}/signed-copies", brakel).status_code == 403
    assert api.get(f"/intakes/{intake_id}/signed-copies/{copy['id']}",
                   brakel).status_code == 403
    assert upload(api, intake_id, token=partner).status_code == 403
    office = api.get(f"/intakes/{intake_id}/signed-copies/{copy['id']}",
                     api.actors.coordinator())
    assert (office.status_code, office.data) == (200, PDF)
    assert api.get(f"/intakes/{intake_id}/signed-copies/{uuid.uuid4()}",
                   api.actors.case_manager()).status_code == 404


def test_every_upload_and_download_is_audited_and_no_file_name_is_logged(api, intake, tenant,
                                                                       caplog):
    # 001 L240: who handled the person's signed consent, and when, is answered by the trail
    intake_id = api.record()["id"]
    with caplog.at_level(logging.DEBUG):
        copy = upload(api, intake_id).get_json()
        api.get(f"/intakes/{intake_id}/signed-copies", api.actors.case_manager())
        api.get(f"/intakes/{intake_id}/signed-copies/{copy['id']}", api.actors.coordinator())

    entries = [(e.action, e.actor, e.reason) for e in audit_entries(intake, tenant)
               if e.record_id == intake_id and (e.reason or "").startswith("signed_copy")]
    assert entries == [
        ("create", "cm-hoexter", f"signed_copy:upload:data_protection_consent:{copy['id']}"),
        ("read", "cm-hoexter", "signed_copy:list"),
        ("export", "ks-koch", f"signed_copy:download:data_protection_consent:{copy['id']}")]
    assert FILE_NAME not in caplog.text and "Haddad" not in caplog.text


def test_a_withdrawn_consent_keeps_its_signed_copy(api):
    # 001 L240: a withdrawal ends the processing from then on; the signed paper is evidence of
    # what was agreed before and stays
    intake_id = api.record()["id"]
    consent = api.consent(intake_id, "counselling_agreement")
    copy = upload(api, intake_id).get_json()

    withdrawn = api.post(f"/intakes/{intake_id}/consents/{consent['id']}/withdrawal",
                         api.actors.case_manager())
    listed = api.get(f"/intakes/{intake_id}/signed-copies", api.actors.case_manager())

    assert withdrawn.status_code == 200
    assert [c["id"] for c in listed.get_json()] == [copy["id"]]
