"""Printable forms (ADR 0080): the renderer, the catalogues, the tenant's configured languages."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date

import pypdf
import pytest
from flask import Flask

from lotse_platform.documents import (
    SHIPPED_LANGUAGES,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Signatures,
    Table,
    UnknownLanguage,
    texts,
)
from lotse_platform.documents.api import form_languages, pdf_response
from lotse_platform.documents.catalogue import keys
from lotse_platform.documents.forms import in_languages, signatures
from lotse_platform.documents.pdf import render_pdf
from lotse_platform.errors import Unprocessable
from lotse_platform.settings import ConfigurationError, ServiceSettings, load_settings


class _Settings(ServiceSettings):
    """Settings of no particular service: the platform's own (LOTSE_FORM_LANGUAGES …)."""


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def _help_plan(t) -> Document:
    return Document(t.language, t("helpplan.title"), (
        KeyValues(((t("field.name"), "Olena Kovalenko"),)),
        Heading(t("helpplan.goals.heading")),
        Table((t("helpplan.goal.statement"), t("helpplan.goal.due")),
              (("Deutschkurs B1 abschließen", t.date(date(2027, 6, 1))),)),
        Paragraph(t("helpplan.intro")),
        signatures(t)))


def test_a_form_prints_german_then_the_clients_language_and_says_german_binds():
    """001 L231 "Für jede Phase gibt es entsprechende Dokumentationsvorlagen": the form to hand
    out in German and the client's language; the German text is binding, and the page says so."""
    content = render_pdf(in_languages(_help_plan, ("de", "uk")), issued_on=date(2026, 12, 7))

    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    german, ukrainian = (page.extract_text() for page in reader.pages)
    assert "Hilfeplan" in german and "Verbindlich ist der deutsche Text." in german
    assert "Deutschkurs B1 abschließen" in german and "01.06.2027" in german
    assert "План допомоги" in ukrainian
    assert "Переклад для розуміння" in ukrainian
    assert "Verbindlich ist der deutsche Text." in ukrainian


def test_german_alone_carries_no_note_about_a_translation():
    """001 L231: the German form alone, as the default."""
    text = _text(render_pdf(in_languages(_help_plan, ("de",)), issued_on=date(2026, 12, 7)))

    assert "Hilfeplan" in text and "Verbindlich" not in text


def test_the_same_form_on_the_same_day_is_the_same_file():
    """001 L231: a form printed twice the same day is byte for byte the same (tests compare)."""
    parts = in_languages(_help_plan, ("de", "tr"))

    assert render_pdf(parts, issued_on=date(2026, 12, 7)) == render_pdf(
        parts, issued_on=date(2026, 12, 7))


def test_turkish_letters_and_signature_lines_print():
    """001 L231: Turkish text with its own letters, and the lines to sign with place and date."""
    t = texts("tr")
    document = Document("tr", t("agreement.title"), (
        Paragraph("Yıldırım-Özdemir, Şükrü, İğdır"),
        Signatures((t("sign.client"), t("sign.case_manager")), t("sign.place_date"))))

    text = _text(render_pdf([document], issued_on=date(2026, 12, 7)))

    assert "Danışmanlık anlaşması" in text and "Yıldırım-Özdemir, Şükrü, İğdır" in text
    assert "Danışanın imzası" in text and "Yer, tarih" in text


def test_a_blank_table_prints_empty_rows_to_fill_in():
    """001 L231: a form printed ahead, to fill in by hand."""
    document = Document("de", "Schweigepflichtentbindung", (
        Table(("Stelle", "Themen"), (), blank_rows=3),))

    assert "Stelle" in _text(render_pdf([document], issued_on=date(2026, 12, 7)))


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES[1:])
def test_every_translation_has_every_text_of_the_german_source(language):
    """001 L231: each form in each shipped language, none half-translated."""
    assert keys(language) == keys("de")


def test_a_value_is_never_read_as_a_template():
    """A name with braces prints as typed."""
    assert texts("de")("helpplan.monitoring", days="{days}") == (
        "Überprüfung des Hilfeplans alle {days} Tage")


def test_arabic_is_not_shipped():
    """ADR 0080: Arabic needs right-to-left shaping the renderer does not do yet."""
    assert "ar" not in SHIPPED_LANGUAGES
    with pytest.raises(UnknownLanguage):
        texts("ar")


def test_an_unconfigured_language_is_refused_naming_language():
    """A requested language the county has not configured: 422 naming ``language``."""
    assert form_languages("de", ("de",)) == ("de",)
    assert form_languages("uk", ("de", "uk")) == ("de", "uk")
    with pytest.raises(Unprocessable) as refused:
        form_languages("tr", ("de", "uk"))
    assert refused.value.errors[0]["field"] == "language"


def test_the_tenant_setting_lists_its_translations_and_defaults_to_all_shipped(monkeypatch):
    """Which translations a county hands out is its setting; German always."""
    tenant = uuid.uuid4()
    monkeypatch.setenv("LOTSE_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("LOTSE_FORM_LANGUAGES", json.dumps({str(tenant): ["uk"]}))
    settings = load_settings(_Settings)

    assert settings.form_languages_of(tenant) == ("de", "uk")
    assert settings.form_languages_of(uuid.uuid4()) == SHIPPED_LANGUAGES
    assert settings.form_languages_of(None) == SHIPPED_LANGUAGES


def test_a_language_without_a_catalogue_stops_the_start(monkeypatch, capsys):
    """A setting naming a language not shipped (Arabic) stops the service, naming it."""
    monkeypatch.setenv("LOTSE_DATABASE_URL", "sqlite://")
    monkeypatch.setenv("LOTSE_FORM_LANGUAGES", json.dumps({str(uuid.uuid4()): ["ar"]}))

    with pytest.raises(ConfigurationError) as stopped:
        load_settings(_Settings)

    assert "LOTSE_FORM_LANGUAGES" in str(stopped.value)


def test_the_answer_is_an_uncached_inline_pdf():
    """The PDF may carry a name: no cache keeps it."""
    with Flask(__name__).test_request_context():
        response = pdf_response(b"%PDF-1.4", "hilfeplan.pdf")

    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'inline; filename="hilfeplan.pdf"'


def test_a_service_loads_the_pdf_library_only_when_it_prints():
    # every process of every service imports the platform; fpdf2 (with fontTools and Pillow,
    # ~60 MB) is loaded by the first PDF, not at start (issue 16, the cell's footprint)
    import subprocess
    import sys

    script = ("import sys, datetime\n"
              "import lotse_platform.service, lotse_platform.documents.api\n"
              "from lotse_platform.documents import Document, Heading\n"
              "from lotse_platform.documents.pdf import render_pdf\n"
              "print('fpdf' in sys.modules)\n"
              "pdf = render_pdf([Document('de', 'Einwilligung', (Heading('Einwilligung'),))],\n"
              "                 issued_on=datetime.date(2026, 3, 1))\n"
              "print('fpdf' in sys.modules, pdf[:5].decode())\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.split("\n")[:2] == ["False", "True %PDF-"]
