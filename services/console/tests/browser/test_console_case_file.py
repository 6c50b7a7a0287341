"""The case file's working pages in a real browser, one test per area, against the embedded
platform: the assessment recorded (a disagreement missing refused at its field) with its
resource and network maps drawn, the help plan reviewed and its versions side by side (the
SMART checks explained beside the goal form), language levels recorded in the assessment, a
goal revised and reached and another dropped (each refused first without its reason), a case
conference planned with two partners and a teacher (a partner without a release refused at its
row, the teacher without the person's agreement at hers) and recorded as held, and a transfer offered to a colleague,
seen on her *Mein Tag*, declined and accepted, both answers then among the sender's notices
(one marked read). axe-core's WCAG 2.1 AA rules run on every page;
the new pages reflow at 200 % zoom."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lotse_demo import COUNTY

from .test_console_in_browser import accessible, log_in
from .test_console_keyboard_and_zoom import ZOOMED, _reflows

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _own_case(page: Page, phases: str, nth: int = 0) -> str:
    """Open an own case of the case manager in one of ``phases`` (labels, a regex), the first
    or the ``nth``; its URL."""
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Meine Fälle").click()
    row = page.get_by_role("row").filter(has_text="eigener Fall").filter(
        has_text=re.compile(phases)).nth(nth)
    row.get_by_role("link", name=re.compile("^Fallakte")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    return page.url.split("#")[0]


def _in_days(page: Page, days: int) -> str:
    return page.evaluate(f"new Date(Date.now() + {days} * 864e5).toLocaleDateString('sv-SE', "
                         "{timeZone: 'Europe/Berlin'})")


def _at_200_percent(page: Page, url: str) -> None:
    zoomed = page.context.browser.new_context(  # type: ignore[union-attr]
        locale="de-DE", storage_state=page.context.storage_state(), **ZOOMED).new_page()
    try:
        zoomed.goto(url)
        expect(zoomed.get_by_role("heading", level=1)).to_be_visible()
        _reflows(zoomed)
    finally:
        zoomed.context.close()


def test_an_assessment_is_recorded_and_its_maps_are_drawn(page: Page, console_url):
    log_in(page, console_url, "cm.hoexter")
    _own_case(page, "Bestandsaufnahme|Re-Assessment")
    page.get_by_role("link", name=re.compile("^Bestandsaufnahme")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bestandsaufnahme")
    assert re.search(r"/fall/[0-9a-f-]{36}/bestandsaufnahme$", page.url), page.url
    accessible(page)

    # two views that differ, no disagreement: casework refuses it, shown at the field
    qualifications = page.get_by_role("group", name="Qualifikationen")
    qualifications.get_by_label("Sicht der Person").fill("Ausbildung als Pflegehelferin")
    qualifications.get_by_label("Sicht der Case-Managerin / des Case-Managers").fill(
        "Ausbildung nicht anerkannt")
    first_row = page.get_by_role("group", name=re.compile(r"^Eintrag \d+$")).last
    first_row = page.get_by_role("group", name=first_row.locator("legend").inner_text(),
                                 exact=True)  # the same row after the answer, however many
    first_row.get_by_label("Wer (Person oder Stelle)").fill("Nachbarin Frau K.")
    first_row.get_by_label("Art").select_option("friends")
    first_row.get_by_label("Qualität").select_option("ambivalent")
    first_row.get_by_label("Kontakthäufigkeit").select_option("daily")
    page.get_by_label("Ressource 2 (materielle Ressourcen)").fill("Monatskarte")
    page.get_by_role("button", name="Bestandsaufnahme speichern").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Qualifikationen: Dissens")
    disagreement = page.get_by_role("group", name="Qualifikationen").get_by_label("Dissens")
    expect(disagreement).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("group", name="Qualifikationen").locator(".field-error")
           ).to_contain_text("Dissens festhalten")
    expect(first_row.get_by_label("Wer (Person oder Stelle)")).to_have_value("Nachbarin Frau K.")
    accessible(page)

    disagreement.fill("Anerkennung wird geprüft; die Klientin sieht sich als Fachkraft")
    page.get_by_role("button", name="Bestandsaufnahme speichern").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Version \d+ vom"))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Qualifikationen")).to_contain_text(
        "Anerkennung wird geprüft")

    # the maps drawn (an image with its title and description) with their tables beside them
    network = page.get_by_role("img", name="Netzwerkkarte")
    expect(network).to_be_visible()
    expect(network.locator("desc")).to_contain_text("Personen und Stellen")
    expect(network.locator("text.map-label")).to_contain_text(["Nachbarin Frau K."])
    expect(network.locator("line.map-ambivalent")).to_have_count(1)
    expect(page.get_by_role("table", name="Netzwerk als Tabelle").get_by_role("row").filter(
        has_text="Nachbarin Frau K.")).to_contain_text("zwiespältig")
    resources = page.get_by_role("img", name="Ressourcenkarte")
    expect(resources.locator("text.map-label")).to_contain_text(["Monatskarte"])
    expect(page.get_by_role("table", name="Ressourcen als Tabelle")).to_contain_text(
        "materielle Ressourcen")
    # the form of the next version starts from this one
    expect(page.get_by_role("group", name="Qualifikationen").get_by_label("Dissens")).to_have_value(
        "Anerkennung wird geprüft; die Klientin sieht sich als Fachkraft")
    accessible(page)
    _at_200_percent(page, page.url.split("#")[0])


def test_language_levels_are_recorded_in_the_assessment_and_shown_in_the_case_file(
        page: Page, console_url):
    log_in(page, console_url, "cm.hoexter")
    case_file = _own_case(page, "Bestandsaufnahme|Re-Assessment")
    page.get_by_role("link", name=re.compile("^Bestandsaufnahme")).click()
    languages = page.get_by_role("group", name="Sprachkenntnisse")
    for view in ("Sicht der Person", "Sicht der Case-Managerin / des Case-Managers"):
        languages.get_by_label(view).fill("Versteht Alltagsgespräche auf Deutsch")
    levels = page.get_by_role("group", name="Sprachniveaus (GER)")
    row = levels.get_by_role("group", name=re.compile(r"^Sprache \d+$")).last
    row = levels.get_by_role("group", name=row.locator("legend").inner_text(), exact=True)
    row.get_by_label("Sprache", exact=True).select_option(label="Tigrinya")
    row.get_by_label("Niveau").select_option(label="B1 – Fortgeschrittene Sprachverwendung")
    row.get_by_label("Nachweis").select_option(label="Einstufungstest")
    row.get_by_label("festgestellt am").fill(_in_days(page, 2))  # not yet: refused at the field
    page.get_by_role("button", name="Bestandsaufnahme speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("festgestellt am")
    expect(row.get_by_label("festgestellt am")).to_have_attribute("aria-invalid", "true")
    expect(row.locator(".field-error")).to_contain_text("nicht in der Zukunft")
    expect(row.get_by_label("Niveau")).to_have_value("B1")  # what she chose stays
    accessible(page)

    row.get_by_label("festgestellt am").fill(_in_days(page, 0))
    page.get_by_role("button", name="Bestandsaufnahme speichern").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Version \d+ vom"))).to_be_visible()
    shown = page.get_by_role("table", name=re.compile("^Sprachniveaus")).get_by_role(
        "row").filter(has_text="Tigrinya")
    expect(shown).to_contain_text("B1 – Fortgeschrittene Sprachverwendung")
    expect(shown).to_contain_text("Einstufungstest")
    accessible(page)
    page.goto(case_file)
    expect(page.locator("#sprachniveaus")).to_contain_text("Tigrinya B1 (Einstufungstest")


def _agree_goal(page: Page, statement: str) -> None:
    page.get_by_role("link", name="Ziel vereinbaren").click()
    page.get_by_label("Themenbereich").select_option(index=1)
    page.get_by_label("Ziel (spezifisch)").fill(statement)
    page.get_by_label("Indikator (messbar)").fill("Anmeldebestätigung liegt vor")
    page.get_by_label("die Person selbst").check()
    page.get_by_label("Realistisch, weil").fill("Ein Platz ist frei")
    page.get_by_label("Erreicht bis (terminiert)").fill(_in_days(page, 30))
    page.get_by_role("button", name="Ziel speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")


def test_a_goal_is_revised_and_reached_another_dropped_each_refused_without_its_reason(
        page: Page, console_url):
    log_in(page, console_url, "cm.driburg")  # her cases in goal agreement no other test uses
    case_file = _own_case(page, "Zielvereinbarung")
    _agree_goal(page, "Der Integrationskurs ist gebucht")
    _agree_goal(page, "Ein Ehrenamt ist gefunden")

    # revised: without saying why refused at the field, then saved with its earlier version kept
    page.get_by_role("link", name="Der Integrationskurs ist gebucht").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ziel")
    assert re.search(r"/fall/[0-9a-f-]{36}/ziel/[0-9a-f-]{36}$", page.url), page.url
    expect(page.get_by_label("Indikator (messbar)")).to_have_value("Anmeldebestätigung liegt vor")
    accessible(page)
    page.get_by_label("Indikator (messbar)").fill("Der Kurs hat begonnen")
    page.get_by_role("button", name="Überarbeitung speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Warum das Ziel überarbeitet wird")
    reason = page.get_by_label(re.compile("^Warum das Ziel überarbeitet wird"))
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Indikator (messbar)")).to_have_value("Der Kurs hat begonnen")
    accessible(page)
    reason.fill("Der Kurs war schon gebucht, es fehlte der Beginn")
    page.get_by_role("button", name="Überarbeitung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("überarbeitet")
    expect(page.locator("dl.summary")).to_contain_text("Der Kurs hat begonnen")
    expect(page.get_by_role("listitem").filter(has_text="Fassung 1")).to_contain_text(
        "es fehlte der Beginn")
    _at_200_percent(page, page.url.split("?")[0])  # its three forms reflow
    page.get_by_label("Anmerkung").fill("Teilnahmebescheinigung gesehen")
    page.get_by_role("button", name="Als erreicht eintragen").click()
    expect(page.get_by_role("status")).to_contain_text("erreicht")
    expect(page.locator("dl.summary")).to_contain_text("erreicht seit")
    expect(page.get_by_role("button", name="Ziel aufgeben")).to_have_count(0)
    accessible(page)

    # dropped: refused without a reason, then dropped with it; the case file says so
    page.goto(case_file)
    page.get_by_role("link", name="Ein Ehrenamt ist gefunden").first.click()
    page.get_by_role("button", name="Ziel aufgeben").click()
    expect(page.get_by_role("alert")).to_contain_text("Warum das Ziel aufgegeben wird")
    dropped = page.get_by_label(re.compile("^Warum das Ziel aufgegeben wird"))
    expect(dropped).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-invalid .field-error")).to_contain_text("Pflicht")
    accessible(page)
    dropped.fill("Die Person möchte sich zuerst um die Wohnung kümmern")
    page.get_by_role("button", name="Ziel aufgeben").click()
    expect(page.get_by_role("status")).to_contain_text("aufgegeben")
    page.get_by_role("link", name="Zurück zur Fallakte").click()
    expect(page.get_by_role("row").filter(has_text="Ein Ehrenamt ist gefunden").first
           ).to_contain_text("aufgegeben am")
    expect(page.get_by_role("row").filter(has_text="Der Integrationskurs ist gebucht").first
           ).to_contain_text("erreicht am")


def test_the_help_plan_is_reviewed_and_two_versions_are_shown_side_by_side(
        page: Page, console_url):
    log_in(page, console_url, "cm.hoexter")
    case_file = _own_case(page, "Re-Assessment")

    # the goal form explains casework's SMART checks beside it
    page.get_by_role("link", name="Ziel vereinbaren").click()
    checks = page.get_by_role("complementary", name="So prüft Lotse ein Ziel")
    expect(checks).to_contain_text("T – terminiert")
    expect(checks).to_contain_text("nicht in der Vergangenheit")
    accessible(page)
    page.get_by_label("Themenbereich").select_option(index=1)
    page.get_by_label("Ziel (spezifisch)").fill("Die Schuldnerberatung ist begonnen")
    page.get_by_label("Indikator (messbar)").fill("Erstgespräch hat stattgefunden")
    page.get_by_label("die Person selbst").check()
    page.get_by_label("Realistisch, weil").fill("Termin ist angeboten")
    page.get_by_label("Erreicht bis (terminiert)").fill(_in_days(page, 40))
    page.get_by_role("button", name="Ziel speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")

    # the review without what changed and why: refused at those fields
    page.get_by_role("link", name="Hilfeplan überprüfen").click()
    accessible(page)
    page.get_by_label("Monitoring-Kontakt alle … Tage").fill("21")
    page.get_by_role("button", name="Hilfeplan speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Was sich geändert hat")
    expect(page.get_by_label("Was sich geändert hat")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_label("Was sich geändert hat").fill("Neues Ziel zur Schuldenregulierung")
    page.get_by_label("Warum", exact=True).fill("Mahnungen sind eingegangen")
    page.get_by_label("Videotermin").check()
    page.get_by_role("button", name="Hilfeplan speichern").click()

    # the last two versions side by side: the new goal marked, the changed fields marked
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hilfeplan-Versionen")
    assert re.search(r"/fall/[0-9a-f-]{36}/hilfeplan$", page.url), page.url
    expect(page.get_by_role("status")).to_contain_text("1 Ziel(e) hinzugekommen")
    pair = page.locator(".goal-pair").filter(has_text="Die Schuldnerberatung ist begonnen")
    older, newer = pair.locator(":scope > div").all()
    expect(newer.locator(".goal-card.state-added")).to_contain_text("Neu hinzugekommen")
    expect(older.locator(".goal-card.state-missing")).to_contain_text("Noch nicht vereinbart")
    expect(page.get_by_role("row").filter(has_text="Monitoring-Kontakt alle")).to_contain_text(
        "(geändert)")
    expect(page.get_by_role("row").filter(has_text="Monitoring durch")).to_contain_text(
        "Videotermin")
    accessible(page)

    # two versions chosen by keyboard alone; the same version twice is explained, not compared
    page.locator("#feld-links").focus()
    page.keyboard.press("End")
    page.locator("#feld-rechts").focus()
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("zwei verschiedene Versionen")
    accessible(page)
    _at_200_percent(page, page.url.split("?")[0])
    page.goto(case_file)
    expect(page.get_by_role("link", name="Hilfeplan-Versionen vergleichen")).to_be_visible()


def test_a_case_conference_is_planned_and_recorded_as_held(page: Page, console_url):
    log_in(page, console_url, "cm.hoexter")
    _own_case(page, "Leistungssteuerung|Monitoring|Re-Assessment")
    page.get_by_role("link", name="Fallkonferenz planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fallkonferenz planen")
    accessible(page)
    page.get_by_role("button", name="Fallkonferenz planen").click()  # nothing: at the fields
    expect(page.get_by_role("alert")).to_contain_text("geplant am")
    expect(page.get_by_label(re.compile("^Geplant am"))).to_have_attribute("aria-invalid", "true")
    accessible(page)

    # two partners: her own organisation (no release needed) and one the person released
    # nothing to — casework refuses that one, named at its row
    page.get_by_label(re.compile("^Geplant am")).fill(_in_days(page, 7))
    page.get_by_role("group", name=re.compile("Besprochene Themenbereiche")).get_by_role(
        "checkbox").first.check()
    page.get_by_label("Anlass und Tagesordnung").fill("Abstimmung der nächsten Schritte")
    first, second = (page.get_by_role("group", name=f"Partnerorganisation {n}").get_by_label(
        "Organisation", exact=True) for n in (1, 2))
    first.select_option(label="Stadt Höxter")
    second.select_option(label="BAMF Regionalkoordination")
    page.get_by_role("button", name="Fallkonferenz planen").click()
    expect(page.get_by_role("alert")).to_contain_text("Schweigepflichtentbindung")
    expect(second).to_have_attribute("aria-invalid", "true")
    expect(first).not_to_have_attribute("aria-invalid", "true")
    accessible(page)

    # a teacher without an organisation, without the person's agreement: refused at the box
    second.select_option("")
    teacher = page.get_by_role("group", name="Weitere Person 1")
    teacher.get_by_label("Wer (Rolle)").select_option(label="Lehrkraft")
    page.get_by_role("button", name="Fallkonferenz planen").click()
    agreed = teacher.get_by_label("Die Person hat der Teilnahme zugestimmt")
    expect(page.get_by_role("alert")).to_contain_text("Zustimmung der Person")
    expect(agreed).to_have_attribute("aria-invalid", "true")
    expect(first).to_have_value(re.compile(".+"))  # what she chose stays
    accessible(page)
    agreed.check()
    page.get_by_role("button", name="Fallkonferenz planen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    row = page.get_by_role("row").filter(has_text="Abstimmung der nächsten Schritte").first
    expect(row).to_contain_text("geplant am")
    expect(row).to_contain_text("Stadt Höxter, Lehrkraft")

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fallkonferenz")
    assert re.search(r"/fallkonferenz/[0-9a-f-]{36}$", page.url), page.url
    page.get_by_label(re.compile("^Gehalten am")).fill(_in_days(page, 0))
    page.get_by_role("button", name="Als gehalten speichern").click()  # no minutes
    expect(page.get_by_role("alert")).to_contain_text("Protokoll")
    expect(page.get_by_label("Protokoll")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_label("Protokoll").fill("Nächste Schritte abgestimmt")
    page.get_by_label("Dauer in Minuten").fill("60")
    page.get_by_label("Was").fill("Unterlagen nachreichen")
    page.get_by_label("Verantwortlich").select_option("client")
    page.get_by_role("button", name="Als gehalten speichern").click()
    expect(page.locator("dl.summary")).to_contain_text("gehalten am")
    expect(page.get_by_role("listitem").filter(has_text="Unterlagen nachreichen")).to_contain_text(
        "die Person selbst")
    expect(page.get_by_role("button", name="Als gehalten speichern")).to_have_count(0)
    accessible(page)


def _offer(page: Page, phases: str, nth: int, receiver: str) -> None:
    _own_case(page, phases, nth)
    page.get_by_role("link", name="Fall übergeben").click()
    page.get_by_label(re.compile("^Übernehmende Case-Managerin")).fill(receiver)
    page.get_by_label("Neuer Wohnort (Gebiet)").select_option(label="Brakel")
    page.get_by_role("button", name="Übergabe anbieten").click()
    expect(page.get_by_role("status")).to_contain_text("Übergabe angeboten")


def test_a_transfer_offered_to_a_colleague_is_declined_and_accepted_on_her_day(
        page: Page, console_url):
    log_in(page, console_url, "cm.hoexter")
    receiver = str(COUNTY.user("cm.brakel").id)
    _offer(page, "Monitoring", 0, receiver)
    _offer(page, "Monitoring", 1, receiver)
    page.get_by_role("button", name="Abmelden").click()

    log_in(page, console_url, "cm.brakel")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    offers = page.get_by_role("region", name="Angebotene Übergaben")
    expect(offers.get_by_role("link")).to_have_count(2)
    accessible(page)
    offers.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Angebotene Übergabe")
    assert re.search(r"/uebergabe/[0-9a-f-]{36}$", page.url), page.url
    expect(page.locator("dl.summary")).to_contain_text("angeboten")
    accessible(page)
    page.get_by_role("button", name="Antwort senden").click()  # no choice: at the field
    expect(page.get_by_role("alert")).to_contain_text("Annehmen")
    accessible(page)
    page.get_by_label(re.compile("^Ablehnen")).check()
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    expect(offers.get_by_role("link")).to_have_count(1)

    offers.get_by_role("link").first.click()
    page.get_by_label(re.compile("^Annehmen")).check()
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_role("status")).to_contain_text("Der Fall ist jetzt Ihrer")
    accessible(page)
    page.get_by_role("link", name="Zur Fallakte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    expect(page.locator("dl.summary")).to_contain_text("eigener Fall")
    page.get_by_role("button", name="Abmelden").click()

    # the sender's day tells her both answers; the declined case is still hers to open
    log_in(page, console_url, "cm.hoexter")
    notices = page.get_by_role("region", name="Hinweise")
    declined = notices.get_by_role("listitem").filter(has_text="Übergabe abgelehnt")
    accepted = notices.get_by_role("listitem").filter(has_text="Übergabe angenommen")
    expect(declined.first).to_be_visible()
    expect(accepted.first).to_be_visible()
    expect(accepted.first.get_by_role("link")).to_have_count(0)  # no longer her case
    accessible(page)
    answers = accepted.count()
    accepted.first.get_by_role("button", name=re.compile("^Gelesen")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    expect(accepted).to_have_count(answers - 1)
    declined.first.get_by_role("link", name="Übergabe abgelehnt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    expect(page.locator("dl.summary")).to_contain_text("eigener Fall")


def test_a_transfer_page_of_another_is_refused_in_german(page: Page, console_url):
    log_in(page, console_url, "diakonie.beratung")
    response = page.goto(f"{console_url}/console/uebergabe/00000000-0000-4000-8000-000000000000")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")
    accessible(page)


def test_a_concern_for_a_childs_wellbeing_is_recorded_and_heads_her_day(page: Page, console_url):
    """A contact with a concern for a child's wellbeing (seed 001 L556): refused without the
    youth office it is for, at that field; then recorded, and her *Mein Tag* shows it first,
    marked *Vorrangig*, leading to the case."""
    log_in(page, console_url, "cm.brakel")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    flagged = page.get_by_role("region", name="Hinweise").get_by_role("listitem").filter(
        has_text="Vorrangig")
    before = flagged.count()
    case_url = _own_case(page, ".")
    page.get_by_role("link", name="Kontakt erfassen", exact=True).click()
    page.get_by_label("Kontaktart").select_option("appointment")
    page.get_by_label("Dauer in Minuten").fill("40")
    page.get_by_label(re.compile("^Sorge um das Wohl eines Kindes")).check()
    page.get_by_role("button", name="Kontakt speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Zuständiges Jugendamt")
    expect(page.get_by_label("Zuständiges Jugendamt")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_label("Zuständiges Jugendamt").select_option(label="Kreisjugendamt Höxter")
    page.get_by_role("button", name="Kontakt speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Mein Tag").click()
    expect(flagged).to_have_count(before + 1)
    first = page.get_by_role("region", name="Hinweise").get_by_role("listitem").first
    expect(first).to_contain_text("Vorrangig: Sorge um das Kindeswohl")
    accessible(page)
    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    assert page.url.split("#")[0] == case_url
