"""The administration's forms beyond the lists, in a real browser against the embedded platform,
each within the rights the service behind it delegates: the county administrator creates an
area and a user (each refused first at a field), changes and ends an organisation and locks
the new user's access; the coordinating office ends a target group later (a last day before its
first refused at the field) and adds a place and a service to a partner of the directory (each
refused first at a field), then finds the service in the search; an organisation's
administrator is offered her own organisation's name alone, users of her organisation
without tenant-wide roles and her own organisation's directory entry. axe-core's WCAG 2.1 AA rules run on every page; the partner's page
reflows at 200 % zoom."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_console_in_browser import _nav, accessible, log_in
from .test_console_keyboard_and_zoom import ZOOMED, _reflows

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _in_days(page: Page, days: int) -> str:
    return page.evaluate(f"new Date(Date.now() + {days} * 864e5).toLocaleDateString('sv-SE', "
                         "{timeZone: 'Europe/Berlin'})")


def test_the_county_administrator_creates_an_area_and_a_user_and_changes_an_organisation(
        page: Page, console_url):
    log_in(page, console_url, "admin")
    _nav(page, "Verwaltung")

    # an area: without its kind refused at the field, then created below a town
    page.get_by_role("link", name="Gebiete", exact=True).click()
    page.get_by_label(re.compile(r"^Name")).fill("Bödexen")
    page.get_by_role("button", name="Gebiet anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Art")
    expect(page.get_by_label(re.compile(r"^Art "))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(re.compile(r"^Name"))).to_have_value("Bödexen")
    accessible(page)
    page.get_by_label(re.compile(r"^Art ")).select_option("district")
    page.get_by_label("gehört zu").select_option(label="Höxter")
    page.get_by_role("button", name="Gebiet anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("Angelegt")
    expect(page.get_by_role("row").filter(has_text="Bödexen")).to_contain_text("Höxter")
    page.get_by_role("link", name="Zurück zur Verwaltung").click()

    # an organisation: an emptied name refused at the field, then renamed and ended
    page.get_by_role("link", name="Organisationen", exact=True).click()
    page.get_by_role("link", name="Ändern – Kulturverein Brücke e. V.").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Organisation ändern")
    accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Name")
    expect(page.get_by_label(re.compile(r"^Name"))).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("Kulturverein Brücke Höxter e. V.")
    page.get_by_label(re.compile("^beendet")).check()
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Gespeichert")
    page.get_by_role("link", name="Zurück zu den Organisationen").click()
    expect(page.get_by_role("row").filter(has_text="Kulturverein Brücke Höxter e. V.")
           ).to_contain_text("nein")
    page.get_by_role("link", name="Zurück zur Verwaltung").click()

    # a user: a username identity does not take refused at the field, then created; locked
    page.get_by_role("link", name="Benutzerinnen und Benutzer").click()
    page.get_by_role("link", name="Benutzerin oder Benutzer anlegen").click()
    accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("Svenja Rieke")
    page.get_by_label(re.compile(r"^Benutzername")).fill("Svenja Rieke")
    page.get_by_label(re.compile(r"^Organisation")).select_option(label="Stadt Brakel")
    page.get_by_label("Case-Managerin / Case-Manager").check()
    page.get_by_role("group", name="Gebiete").get_by_label("Brakel", exact=True).check()
    page.get_by_label("Vorläufiges Passwort").fill("Kieselstein Wiesenweg Apfelbaum 47")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Benutzername")
    username = page.get_by_label(re.compile(r"^Benutzername"))
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-invalid .field-error")).to_contain_text("Kleinbuchstaben")
    accessible(page)
    username.fill("cm.rieke")
    page.get_by_label("Vorläufiges Passwort").fill("Kieselstein Wiesenweg Apfelbaum 47")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("Angelegt")
    row = page.get_by_role("row").filter(has_text="Svenja Rieke")
    expect(row).to_contain_text("Case-Managerin")
    row.get_by_role("button", name="Sperren – Svenja Rieke").click()
    expect(page.get_by_role("status")).to_contain_text("Gespeichert")
    row = page.get_by_role("row").filter(has_text="Svenja Rieke")
    expect(row.get_by_role("button", name="Freigeben – Svenja Rieke")).to_be_visible()
    expect(row.get_by_role("cell", name="nein", exact=True)).to_be_visible()
    accessible(page)


def test_the_office_ends_a_target_group_and_adds_a_place_and_a_service_to_a_partner(
        page: Page, console_url):
    log_in(page, console_url, "ks.koch")
    _nav(page, "Verwaltung")

    # a target group ended later: a last day before its first one refused at the field
    page.get_by_role("link", name="Zielgruppen").click()
    page.get_by_role("link", name="Beenden oder verlängern – Anerkannte Flüchtlinge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anerkannte Flüchtlinge")
    accessible(page)
    page.get_by_label(re.compile("^gültig bis")).fill("2000-01-31")
    page.get_by_role("button", name="Gültigkeit speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("gültig bis")
    expect(page.locator(".field-invalid .field-error")).to_contain_text("nicht vor dem Beginn")
    accessible(page)
    last_day = _in_days(page, 400)
    page.get_by_label(re.compile("^gültig bis")).fill(last_day)
    page.get_by_role("button", name="Gültigkeit speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Gespeichert")
    expect(page.locator("dl.summary")).to_contain_text(
        f"bis {last_day[8:10]}.{last_day[5:7]}.{last_day[0:4]}")
    page.get_by_role("link", name="Zurück zu den Zielgruppen").click()
    page.get_by_role("link", name="Zurück zur Verwaltung").click()

    # a partner's place (refused without its postal code) and a service (without its kind)
    page.get_by_role("link", name="Angebotsverzeichnis").click()
    page.get_by_role("link", name=re.compile("^Orte und Angebote – ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partner pflegen")
    accessible(page)
    place = page.get_by_role("region", name="Ort hinzufügen")
    place.get_by_label(re.compile("^Name des Ortes")).fill("Sprechstunde Bad Driburg")
    place.get_by_label(re.compile("^Straße und Hausnummer")).fill("Lange Straße 12")
    place.get_by_label(re.compile("^Ort ")).fill("Bad Driburg")
    place.get_by_label(re.compile("^Stadt / Gemeinde")).select_option(label="Bad Driburg")
    place.get_by_role("button", name="Ort hinzufügen").click()
    expect(page.get_by_role("alert")).to_contain_text("Postleitzahl")
    expect(place.get_by_label(re.compile("^Postleitzahl"))).to_have_attribute(
        "aria-invalid", "true")
    accessible(page)
    place.get_by_label(re.compile("^Postleitzahl")).fill("33014")
    place.get_by_role("button", name="Ort hinzufügen").click()
    expect(page.get_by_role("status")).to_contain_text("Der Ort ist eingetragen")
    expect(page.get_by_role("row").filter(has_text="Sprechstunde Bad Driburg")).to_contain_text(
        "33014 Bad Driburg")

    service = page.get_by_role("region", name="Angebot hinzufügen")
    service.get_by_label(re.compile("^Name des Angebots")).fill("Elterncafé Bad Driburg")
    service.get_by_label(re.compile("^Beschreibung des Angebots")).fill(
        "Offener Treff für Eltern mit Sprachmittlung")
    service.get_by_role("group", name="Themenbereiche des Angebots").get_by_label(
        "Familie / Kinderbetreuung").check()
    service.get_by_role("group", name="Orte des Angebots").get_by_label(
        "Sprechstunde Bad Driburg").check()
    service.get_by_role("button", name="Angebot hinzufügen").click()
    expect(page.get_by_role("alert")).to_contain_text("Art des Angebots")
    expect(service.get_by_label(re.compile("^Art des Angebots"))).to_have_attribute(
        "aria-invalid", "true")
    accessible(page)
    service.get_by_label(re.compile("^Art des Angebots")).select_option(label="Sonstiges")
    service.get_by_role("button", name="Angebot hinzufügen").click()
    expect(page.get_by_role("status")).to_contain_text("Das Angebot ist eingetragen")
    accessible(page)
    zoomed = page.context.browser.new_context(  # type: ignore[union-attr]
        locale="de-DE", storage_state=page.context.storage_state(), **ZOOMED).new_page()
    try:
        zoomed.goto(page.url.split("?")[0])
        expect(zoomed.get_by_role("heading", level=1)).to_contain_text("Partner pflegen")
        _reflows(zoomed)
    finally:
        zoomed.context.close()

    page.get_by_role("link", name="Zurück zum Angebotsverzeichnis").click()
    page.get_by_label("Angebote suchen").fill("Elterncafé")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("listitem").filter(has_text="Elterncafé Bad Driburg")
           ).to_contain_text("Bad Driburg")


def test_an_organisations_administrator_is_offered_only_what_identity_delegates_to_her(
        page: Page, console_url):
    log_in(page, console_url, "admin.awo")
    _nav(page, "Verwaltung")

    # her own organisation, its name alone; no other organisation, no new one
    page.get_by_role("link", name="Organisationen", exact=True).click()
    expect(page.get_by_role("link", name=re.compile("^Ändern – "))).to_have_count(1)
    expect(page.get_by_role("heading", name="Organisation anlegen")).to_have_count(0)
    page.get_by_role("link", name="Ändern – AWO Kreisverband Höxter").click()
    expect(page.get_by_label(re.compile(r"^Art "))).to_have_count(0)
    expect(page.get_by_role("group", name="Stand")).to_have_count(0)
    page.get_by_label(re.compile(r"^Name")).fill("")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Name")
    expect(page.get_by_label(re.compile(r"^Name"))).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_role("link", name="Zurück zu den Organisationen").click()
    page.get_by_role("link", name="Zurück zur Verwaltung").click()

    # a user of her organisation only, with no tenant-wide role on offer
    page.get_by_role("link", name="Benutzerinnen und Benutzer").click()
    page.get_by_role("link", name="Benutzerin oder Benutzer anlegen").click()
    organisation = page.get_by_label(re.compile(r"^Organisation"))
    expect(organisation.locator("option")).to_have_count(2)  # "Bitte wählen" and hers
    expect(organisation).to_have_value(re.compile(".+"))
    roles = page.get_by_role("group", name="Rollen")
    expect(roles.get_by_label("Administration des Kreises")).to_have_count(0)
    expect(roles.get_by_label("Koordinierende Stelle", exact=True)).to_have_count(0)
    accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("Jana Vogt")
    page.get_by_label(re.compile(r"^Benutzername")).fill("awo.vogt")
    roles.get_by_label("Fachkraft eines Trägers").check()
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("Angelegt")
    expect(page.get_by_role("row").filter(has_text="Jana Vogt")).to_contain_text(
        "AWO Kreisverband Höxter")

    # the directory: her own organisation's entry alone to keep
    page.get_by_role("link", name="Zurück zur Verwaltung").click()
    page.get_by_role("link", name="Angebotsverzeichnis").click()
    expect(page.get_by_role("link", name=re.compile("^Orte und Angebote – "))).to_have_count(1)
    page.get_by_role("link", name="Orte und Angebote – AWO Kreisverband Höxter e. V.").click()
    expect(page.get_by_role("row").filter(has_text="AWO-Zentrum Höxter")).to_contain_text(
        "Möllingerstraße 9")
    expect(page.get_by_role("button", name="Ort hinzufügen")).to_be_visible()
    accessible(page)

    # a target group's validity is the county's and the office's: a German 403
    response = page.goto(f"{console_url}/console/verwaltung/zielgruppen/"
                         "00000000-0000-4000-8000-000000000000")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")
    accessible(page)
