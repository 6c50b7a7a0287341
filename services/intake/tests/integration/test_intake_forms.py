"""Printable forms of an intake (issue 10, ADR 0080): the data-protection information and the
release from confidentiality as PDF, in German and the client's language where the county has
configured a translation, filled with the intake's consents; authorised like reading the intake
and audited without the name."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest

from intake_helpers import HOEXTER_TENANT
from intake_helpers import BRAKEL, audit_entries, days_ago, person
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import put_directory, today

pytestmark = pytest.mark.integration

PRIVACY = "/intakes/{}/forms/data-protection-information"
RELEASE = "/intakes/{}/forms/release-of-confidentiality"


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    # words as printed, however the lines were wrapped
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_release_names_the_partners_and_topics_the_person_released_in_german_and_ukrainian(
    api, intake, tenant
):
    """001 L229 "Ohne die Einwilligungserklärung zur Schweigepflichtentbindung ist die
    Kooperation … nicht möglich"; L231 "Dokumentationsvorlage: Datenschutz und
    Schweigepflichtsentbindung": the form to sign, in German and the client's language."""
    # identity published the Jobcenter with its name (ADR 0086); the AWO's has not arrived yet
    put_directory(intake, tenant, [Known(ORGANISATION, "org-jobcenter", version=1,
                                         name="Jobcenter Kreis Höxter")])
    intake_id = api.record(who=person(given="Olena", family="Kovalenko"))["id"]
    api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-awo",
                topic_areas=["housing"], valid_from=days_ago(1))
    api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-jobcenter",
                topic_areas=["work_training", "livelihood"], valid_from=days_ago(1),
                valid_until=days_ago(-365))
    withdrawn = api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-abh",
                            topic_areas=["residence"])
    api.post(f"/intakes/{intake_id}/consents/{withdrawn['id']}/withdrawal",
             api.actors.case_manager())

    text = pdf_text(api.get(RELEASE.format(intake_id), api.actors.case_manager(),
                            {"language": "uk"}))

    assert "Schweigepflichtentbindung" in text
    assert "Звільнення від обов'язку конфіденційності" in text
    assert "Verbindlich ist der deutsche Text." in text
    assert "Olena Kovalenko" in text
    assert "Jobcenter Kreis Höxter" in text and "Arbeit / Ausbildung, Existenzsicherung" in text
    assert "org-jobcenter" not in text and "org-awo" not in text, \
        "a client reads the partner's name, or a blank to fill in — never an id"
    assert "Wohnen" in text, "the release whose partner's name is not known yet still prints"
    assert "Робота / професійне навчання, Засоби до існування" in text
    assert "org-abh" not in text  # withdrawn: no longer released


def test_the_data_protection_information_says_when_it_was_handed_over(api):
    """001 L229 "die Datenschutzinformationen … zu besprechen": German by default, with the day
    and language it was handed over in."""
    intake_id = api.record(who=person(given="Zeynep", family="Yıldırım"))["id"]
    api.consent(intake_id, "data_protection_information", language="tr")

    text = pdf_text(api.get(PRIVACY.format(intake_id), api.actors.case_manager()))

    assert "Datenschutzinformation" in text and "Zeynep Yıldırım" in text
    assert date.fromisoformat(days_ago(1)).strftime("%d.%m.%Y") in text and "Türkçe" in text
    assert "Verbindlich" not in text  # German only: nothing to say about a translation


def test_printing_is_audited_as_an_export_without_the_name(api, intake, tenant):
    """001 L229: the form carries the name (it is handed to the client); the audit trail says who
    printed which form in which language, never the name."""
    intake_id = api.record(who=person(given="Amira", family="Saleh"))["id"]

    pdf_text(api.get(PRIVACY.format(intake_id), api.actors.case_manager(), {"language": "en"}))

    printed = [e for e in audit_entries(intake, tenant) if e.action == "export"]
    assert [(e.record_type, e.record_id, e.reason, e.actor) for e in printed] == [
        ("intake", intake_id, "print:data_protection_information:en", "cm-hoexter")]
    assert "Saleh" not in repr([tuple(e) for e in audit_entries(intake, tenant)])


def test_a_blank_form_carries_no_personal_data_and_is_not_audited(api, intake, tenant):
    """001 L231: a form printed ahead, to fill in by hand."""
    intake_id = api.record(who=person(given="Amira", family="Saleh"))["id"]
    api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-jobcenter",
                topic_areas=["housing"])

    text = pdf_text(api.get(RELEASE.format(intake_id), api.actors.case_manager(),
                            {"blank": "true", "language": "tr"}))

    assert "Schweigepflichtentbindung" in text and "Sır saklama" in text
    assert "Saleh" not in text and "org-jobcenter" not in text
    assert "Blanko-Vordruck" in text
    assert not [e for e in audit_entries(intake, tenant) if e.action == "export"]


@pytest.mark.parametrize("language", ["ar", "xx", "DE", "ukr", ""])
def test_a_language_without_a_translation_is_refused_naming_language(api, language):
    """Issue 10: "in the client's language where a translation is configured" — another is a
    422 naming ``language``."""
    intake_id = api.record()["id"]

    response = api.get(PRIVACY.format(intake_id), api.actors.case_manager(),
                       {"language": language})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["language"]


def test_a_county_hands_out_only_the_translations_it_configured(county_api):
    """Issue 10: a tenant setting lists the configured translations (here Ukrainian and
    English): Turkish is shipped but not this county's."""
    api = county_api(HOEXTER_TENANT)
    intake_id = api.record()["id"]

    refused = api.get(PRIVACY.format(intake_id), api.actors.case_manager(), {"language": "tr"})
    printed = api.get(PRIVACY.format(intake_id), api.actors.case_manager(), {"language": "uk"})

    assert refused.status_code == 422
    assert refused.get_json()["errors"][0] == {"field": "language", "message": "one of: de, uk, en"}
    assert "Інформація про захист даних" in pdf_text(printed)


def test_only_who_may_read_the_intake_prints_its_forms(api, actors):
    """Forms are personal data: a case manager of another area gets 403, a partner 403, the
    office prints (it works every intake)."""
    intake_id = api.record()["id"]

    assert api.get(RELEASE.format(intake_id), actors.case_manager(
        subject="cm-brakel", areas=(BRAKEL,))).status_code == 403
    assert api.get(RELEASE.format(intake_id), actors.partner()).status_code == 403
    assert api.get(RELEASE.format(intake_id), None).status_code == 401
    assert api.get(RELEASE.format(intake_id), actors.coordinator()).status_code == 200


def test_the_form_of_an_unknown_intake_is_not_found(api, actors):
    """No such intake in the tenant: 404."""
    import uuid

    response = api.get(PRIVACY.format(uuid.uuid4()), actors.case_manager())

    assert response.status_code == 404


def test_the_form_is_issued_on_the_tenants_day(api):
    """The issue date printed is the tenant's today."""
    intake_id = api.record()["id"]

    text = pdf_text(api.get(PRIVACY.format(intake_id), api.actors.case_manager()))

    assert today().strftime("%d.%m.%Y") in text


def test_printing_logs_no_personal_data(api, capfd, caplog):
    """No personal data in logs: the name is printed on the form, and nowhere else (the font
    library's glyph logging, which spells out the letters printed, is silenced)."""
    caplog.set_level("DEBUG")
    intake_id = api.record(who=person(given="Zeynep", family="Kanarienvogel"))["id"]

    pdf_text(api.get(PRIVACY.format(intake_id), api.actors.case_manager(), {"language": "uk"}))

    logged = capfd.readouterr().err + capfd.readouterr().out + caplog.text
    assert "Kanarienvogel" not in logged and "Zeynep" not in logged
    assert "Glyph" not in logged
