"""Printable forms of a case (issue 10, ADR 0080): the counselling agreement and the help plan
as PDF, in German and the client's language where the county has configured a translation;
authorised like reading the case file and audited without the name."""

from __future__ import annotations

import io
import uuid

import pypdf
import pytest
import sqlalchemy as sa

from casework_steps import drive, goal, ok
from casework_support import PERSON_NAME, open_test_case
from lotse_demo import COUNTY
from lotse_demo.county import demo_id
from lotse_platform.auth import COORDINATOR, PROVIDER_STAFF
from lotse_platform.testing import days_ahead

pytestmark = pytest.mark.integration

AGREEMENT = "/cases/{}/forms/counselling-agreement"
HELP_PLAN = "/cases/{}/forms/help-plan"


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    # words as printed, however the lines were wrapped
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def exports(superuser, tenant) -> list[tuple]:
    with superuser.connect() as connection:
        return connection.execute(sa.text(
            "SELECT actor, record_type, record_id, reason FROM audit_log "
            "WHERE tenant_id = :t AND action = 'export' ORDER BY seq, id"), {"t": tenant}).all()


def test_the_help_plan_prints_the_goals_steps_and_review_in_german_and_turkish(
        casework, tenant, as_user):
    """001 L262 "Dokumentationsvorlage: Hilfeplan; SMART-Methode": goals, steps, who is
    responsible, by when — to hand out in German and the client's language."""
    case_id = open_test_case(casework, tenant, "cm-lea")
    lea = as_user("cm-lea")
    made = drive(lea, case_id, "linking")
    ok(lea.post(f"/cases/{case_id}/steps", {
        "goal_id": made["goal_id"], "description": "Passkopie und Arbeitsvertrag einreichen",
        "responsible": "client", "due_on": days_ahead(20)}), 201)

    text = pdf_text(lea.get(HELP_PLAN.format(case_id), query_string={"language": "tr"}))

    assert "Hilfeplan" in text and "Yardım planı" in text
    assert "Verbindlich ist der deutsche Text." in text
    assert PERSON_NAME in text
    assert goal()["statement"] in text and goal()["indicator"] in text
    assert "Passkopie und Arbeitsvertrag einreichen" in text
    assert "Überprüfung des Hilfeplans alle 14 Tage" in text
    assert "Yardım planı her 14 günde bir gözden geçirilir" in text


def test_the_counselling_agreement_binds_both_sides_and_lists_the_goals(casework, tenant, as_user):
    """001 L256 "Zielvereinbarungen werden … formalisiert, sodass eine Verbindlichkeit für beide
    Seiten gegeben ist": both sides' commitments, the goals agreed, two signatures."""
    case_id = open_test_case(casework, tenant, "cm-lea")
    lea = as_user("cm-lea")
    drive(lea, case_id, "linking")

    text = pdf_text(lea.get(AGREEMENT.format(case_id)))

    assert "Beratungsvereinbarung" in text and "verbindlich für beide Seiten" in text
    assert goal()["statement"] in text
    assert "Unterschrift Klientin / Klient" in text
    assert "Unterschrift Case Managerin / Case Manager" in text


def test_printing_is_audited_as_an_export_and_the_office_states_its_purpose(
        casework, tenant, as_user, superuser):
    """Every read of personal data is audited: the case manager's print with its form and
    language, the office's supervision print with its purpose — never the name."""
    case_id = open_test_case(casework, tenant, "cm-lea")
    koch = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis")

    pdf_text(as_user("cm-lea").get(HELP_PLAN.format(case_id), query_string={"language": "uk"}))
    refused = koch.get(HELP_PLAN.format(case_id))
    pdf_text(koch.get(HELP_PLAN.format(case_id), query_string={"purpose": "quality_assurance"}))

    assert refused.status_code == 403
    assert exports(superuser, tenant) == [
        ("cm-lea", "help_plan", str(case_id), "print:help_plan:uk"),
        ("ks-koch", "help_plan", str(case_id), "purpose:quality_assurance")]
    assert "Haddad" not in repr(exports(superuser, tenant))


def test_a_blank_help_plan_has_no_personal_data_and_is_not_audited(
        casework, tenant, as_user, superuser):
    """001 L262: a help plan printed ahead, to fill in by hand."""
    case_id = open_test_case(casework, tenant, "cm-lea")
    lea = as_user("cm-lea")
    drive(lea, case_id, "linking")

    text = pdf_text(lea.get(HELP_PLAN.format(case_id), query_string={"blank": "true"}))

    assert "Hilfeplan" in text and "Blanko-Vordruck" in text
    assert PERSON_NAME not in text and goal()["statement"] not in text
    assert exports(superuser, tenant) == []


@pytest.mark.parametrize("language", ["ar", "zz", "Deutsch"])
def test_a_language_without_a_translation_is_refused_naming_language(casework, tenant, as_user,
                                                                     language):
    """Issue 10: "where a translation is configured" — another is a 422 naming ``language``."""
    case_id = open_test_case(casework, tenant, "cm-lea")

    response = as_user("cm-lea").get(AGREEMENT.format(case_id),
                                     query_string={"language": language})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["language"]


def test_only_who_may_read_the_case_file_prints_its_forms(casework, tenant, as_user):
    """The forms are the case file's: another case manager 404, another tenant 404, a partner
    403."""
    case_id = open_test_case(casework, tenant, "cm-lea")

    assert as_user("cm-tobias").get(AGREEMENT.format(case_id)).status_code == 404
    assert as_user("cm-lea", tenant_id=uuid.uuid4()).get(
        AGREEMENT.format(case_id)).status_code == 404
    assert as_user("awo", roles=(PROVIDER_STAFF,), org="org-awo").get(
        AGREEMENT.format(case_id)).status_code == 403


def test_the_demo_cases_help_plan_prints(casework, app, issuer, superuser):
    """001 L262 "Dokumentationsvorlage: Hilfeplan": in the demo county (``make run``) the help
    plan of a case in monitoring prints with its goals, in German and Ukrainian."""
    casework.seed_demo(COUNTY)
    lea = COUNTY.user("cm.hoexter")
    token = issuer.issue(str(lea.id), COUNTY.tenant_id,
                         str(COUNTY.organisation(lea.organisation).id), lea.roles,
                         areas=[str(COUNTY.area(a).id) for a in lea.areas])
    headers = {"Authorization": f"Bearer {token}"}
    case_id = demo_id("case:hoexter-5")
    case = app.test_client().get(f"/cases/{case_id}", headers=headers).get_json()

    text = pdf_text(app.test_client().get(HELP_PLAN.format(case_id), headers=headers,
                                          query_string={"language": "uk"}))

    assert "Hilfeplan" in text and "План допомоги" in text
    assert case["goals"] and all(" ".join(g["statement"].split()) in text
                                 for g in case["goals"] if g["status"] != "dropped")
