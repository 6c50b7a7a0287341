"""The case manager's first workflow in a real browser: log in (authorization code with PKCE at
identity's login page), *Mein Tag*, a first contact refused at the field and then recorded,
screening, the counselling-depth decision, the consents and the admission; logout. Every page
the browser visits is checked with axe-core's WCAG 2.1 AA rules: no violation."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from lotse_demo import DEMO_PASSWORD
from lotse_platform.db.engine import create_engine
from lotse_platform.testing import poll

# a real browser and a whole embedded platform: not for `make test-fast`
pytestmark = [pytest.mark.slow, pytest.mark.integration]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
_axe = Axe()


def accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.1 AA violation on the page as it is now."""
    results = _axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/console/$"))
    accessible(page)
    page.get_by_role("link", name="Anmelden").click()
    # identity's login page (authorization code flow with PKCE)
    expect(page).to_have_url(re.compile(r"/api/v1/identity/oauth/authorize\?.*code_challenge="))
    accessible(page)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=False).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Anmelden")).click()
    # back in the console, past its callback, and the page loaded: what a test does next must
    # not meet the redirects still under way
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/console/")
                      and not urlsplit(url).path.endswith("/callback"))


def _accepted_this_month(page: Page) -> int:
    """The office's report: referrals sent this month and accepted (reporting's figures)."""
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("^Vermittlungen seit")))
    text = section.inner_text()
    found = re.search(r"(\d+) angenommen", text)
    return int(found.group(1)) if found else 0


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sie sind abgemeldet")


def test_the_issues_scenario_first_contact_admission_goal_referral_partner_and_report(
        page: Page, console_url):
    """Issue 14's scenario in one browser: log in, a first contact through to admission (with
    the release for a partner), a SMART goal (a non-SMART one refused at the field), the case
    referred to that partner (a topic area without release refused at the field), the partner
    accepts in her inbox, and the office's report counts the acceptance."""
    log_in(page, console_url, "ks.koch")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Berichte").click()
    expect(page.get_by_role("heading", name=re.compile("^Vermittlungen seit"))).to_be_visible()
    accepted_before = _accepted_this_month(page)
    _log_out(page)

    log_in(page, console_url, "cm.hoexter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    assert "code=" not in page.url and "Schulte" not in page.url
    for block in ("Termine heute", "Erstberatungen ohne Entscheidung", "Vermittlungen ohne Ankunft",
                  "Einwilligungen, die bald ablaufen", "Nächster 2-Wochen-Bericht",
                  "Meine Fallzahl"):
        expect(page.get_by_role("heading", name=block)).to_be_visible()
    accessible(page)

    # a first contact without the family name: refused by intake, shown at the field in German
    page.get_by_role("link", name="Erstkontakt erfassen").first.click()
    accessible(page)
    page.get_by_label("Vorname").fill("Amina")
    page.get_by_label("Zugangsweg").select_option("self_referral")
    page.get_by_label("Gebiet (Wohnort)").select_option(label="Höxter")
    page.get_by_role("button", name="Erstkontakt speichern").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Bitte prüfen Sie Ihre Angaben")
    expect(summary).to_contain_text("Familienname")
    family = page.get_by_label("Familienname")
    expect(family).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-invalid .field-error")).to_contain_text("Pflicht")
    expect(page.get_by_label("Vorname")).to_have_value("Amina")  # what she typed stays
    accessible(page)

    family.fill("Haddad")
    page.get_by_role("button", name="Erstkontakt speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erstberatung")
    assert re.search(r"/erstberatung/[0-9a-f-]{36}$", page.url), page.url  # ids only
    assert "Haddad" not in page.url and "Amina" not in page.url
    accessible(page)

    # screening: the tenant's criteria, topic areas, crisis
    page.get_by_role("link", name="Screening").click()
    for group in page.locator("fieldset.inline").all()[:-1]:
        group.get_by_label("Ja").check()
    page.get_by_label("Aufenthalt", exact=True).check()
    page.get_by_label("Sprache", exact=True).check()
    page.get_by_role("group", name=re.compile("Krise")).get_by_label("Nein").check()
    accessible(page)
    page.get_by_role("button", name="Screening speichern").click()
    expect(page.get_by_role("listitem").filter(has_text="Screening")).to_contain_text("erledigt")

    # counselling depth: full KIM case management
    page.get_by_role("link", name="Beratungstiefe entscheiden").click()
    page.get_by_label("KIM-Case-Management").check()
    accessible(page)
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_role("listitem").filter(has_text="Beratungstiefe")).to_contain_text(
        "KIM-Case-Management")

    # admission before the consents: refused, the missing consents named in German
    page.get_by_role("link", name="Aufnahme in das KIM-Case-Management").click()
    page.get_by_role("button", name="Aufnehmen").click()
    expect(page.get_by_role("alert")).to_contain_text("Beratungsvereinbarung")
    accessible(page)
    page.get_by_role("link", name="Zurück zur Übersicht der Erstberatung").click()

    for step in ("Datenschutzinformation ausgehändigt", "Beratungsvereinbarung"):
        page.get_by_role("link", name=step).click()
        accessible(page)
        page.get_by_role("button", name="Einwilligung speichern").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Erstberatung")

    # the release of confidentiality for one partner and one problem area (Sprache)
    page.get_by_role("link", name="Schweigepflichtentbindung").click()
    page.get_by_label("Partnerorganisation").select_option(label="Diakonie Paderborn-Höxter")
    page.get_by_label("Sprache", exact=True).check()
    page.get_by_role("button", name="Einwilligung speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erstberatung")

    page.get_by_role("link", name="Aufnahme in das KIM-Case-Management").click()
    page.get_by_label("Begründung").fill("Mehrfacher Unterstützungsbedarf, keine Zielgruppe")
    page.get_by_role("button", name="Aufnehmen").click()
    expect(page.get_by_role("status")).to_contain_text("Aufgenommen")
    accessible(page)

    # the case files, read-only: the list without personal data, one file with its goals
    page.get_by_role("link", name="Meine Fälle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Fälle")
    accessible(page)
    # an own case in the phase where goals are agreed (casework refuses them in others)
    own = page.get_by_role("row").filter(has_text="eigener Fall").filter(
        has_text=re.compile("Zielvereinbarung und Hilfeplan|Re-Assessment")).first
    own.get_by_role("link", name=re.compile("^Fallakte")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    expect(page.get_by_role("heading", name="Ziele (SMART)")).to_be_visible()
    assert re.search(r"/fall/[0-9a-f-]{36}$", page.url), page.url
    accessible(page)

    # a goal that is not SMART: casework names what is missing, explained at each field
    page.get_by_role("link", name="Ziel vereinbaren").click()
    page.get_by_label("Themenbereich").select_option(index=1)  # one of the case's own
    page.get_by_label("Ziel (spezifisch)").fill("Der Integrationskurs B1 ist begonnen")
    page.get_by_role("button", name="Ziel speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Messbar")
    expect(page.get_by_label("Indikator (messbar)")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-invalid").filter(has_text="Realistisch, weil")).to_contain_text(
        "Warum ist das Ziel mit den vorhandenen Mitteln erreichbar?")
    accessible(page)
    page.get_by_label("Indikator (messbar)").fill("Anmeldebestätigung des Kursträgers")
    page.get_by_label("die Person selbst").check()
    page.get_by_label("Realistisch, weil").fill("Kursplatz ist zugesagt")
    page.get_by_label("Erreicht bis (terminiert)").fill(page.evaluate(
        "new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10)"))
    page.get_by_role("button", name="Ziel speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    expect(page.get_by_role("cell", name="Anmeldebestätigung des Kursträgers")).to_be_visible()

    # the new case (casework opens it from intake's admission): referred to the partner
    today = page.evaluate("new Date().toLocaleDateString('de-DE', {timeZone: 'Europe/Berlin', "
                          "day: '2-digit', month: '2-digit', year: 'numeric'})")

    def new_case_opened() -> bool:
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
            "link", name="Meine Fälle").click()
        rows = page.get_by_role("row").filter(has_text=today).filter(
            has_text="Erstberatung / Aufnahme")
        for index in range(rows.count()):
            rows.nth(index).get_by_role("link").click()
            if "Haddad" in page.get_by_role("heading", level=1).inner_text():
                return True
            page.go_back()
        return False

    poll(new_case_opened, timeout=60, message="the admitted person's case in casework")
    accessible(page)
    page.get_by_role("link", name="Vermittlung anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vermittlung anlegen")

    def release_known() -> bool:  # the network learns the case and its releases from events
        page.reload()
        return page.get_by_role("cell", name="Diakonie Paderborn-Höxter").count() > 0

    poll(release_known, timeout=60, message="the person's release in the network service")
    accessible(page)
    expect(page.get_by_label("Person (wie der Partner sie erkennt)")).to_have_value(
        re.compile("Haddad"))
    page.get_by_label("Partnerorganisation").select_option(label="Diakonie Paderborn-Höxter")
    page.get_by_label("Themenbereich").select_option(label="Wohnen")  # not released
    page.get_by_label("Verweisberatung").check()
    page.get_by_label("Anlass").fill("Sprachkurs mit Kinderbetreuung gesucht")
    page.get_by_role("button", name="Vermittlung senden").click()
    expect(page.get_by_role("alert")).to_contain_text("Schweigepflichtentbindung")
    expect(page.get_by_label("Partnerorganisation")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-invalid").filter(has=page.locator("#feld-topic_area"))).to_contain_text(
        "„Wohnen“")
    accessible(page)
    page.get_by_label("Themenbereich").select_option(label="Sprache")
    page.get_by_role("button", name="Vermittlung senden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
    assert "Haddad" not in page.url
    case_file = page.url.split("#")[0]

    # a contact in the case file; the forms for a home visit, the closure and the transfer
    page.get_by_role("link", name="Kontakt erfassen", exact=True).click()
    accessible(page)
    page.get_by_label("Kontaktart").select_option("appointment")
    page.get_by_role("button", name="Kontakt speichern").click()  # no duration: at the field
    expect(page.get_by_role("alert")).to_contain_text("Dauer in Minuten")
    expect(page.get_by_label("Dauer in Minuten")).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_label("Dauer in Minuten").fill("45")
    page.get_by_label("Sprache", exact=True).check()
    page.get_by_role("button", name="Kontakt speichern").click()
    expect(page.locator("dl.summary")).to_contain_text("Kontakte1")
    page.get_by_role("link", name="Termin oder Hausbesuch vereinbaren").click()
    page.get_by_label("Art des Termins").select_option("home_visit")
    page.get_by_role("button", name="Termin speichern").click()
    expect(page.get_by_role("alert")).to_be_visible()
    accessible(page)
    page.goto(case_file)
    page.get_by_role("link", name="Fall übergeben").click()
    page.get_by_role("button", name="Übergabe anbieten").click()
    expect(page.get_by_label(re.compile("^Übernehmende Case-Managerin"))).to_have_attribute(
        "aria-invalid", "true")
    accessible(page)
    page.goto(case_file)
    page.get_by_role("link", name="Fall abschließen").click()
    page.get_by_role("button", name="Fall abschließen").click()  # no reason: at the field
    expect(page.get_by_role("alert")).to_contain_text("Abschlussgrund")
    accessible(page)

    # Steuerung for a case manager: her own candidates and the themes, not the steering group's
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Steuerung").click()
    expect(page.get_by_role("heading", name="Kandidaten für eine Fallrekonstruktion")).to_be_visible()
    expect(page.get_by_role("heading", name="Generative Themen")).to_be_visible()
    expect(page.get_by_role("heading", name="Beschlussvorlagen der Lenkungsgruppe")).to_have_count(0)
    accessible(page)

    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sie sind abgemeldet")
    accessible(page)
    # a page asked for after the end of the session: the login first, then that page
    page.goto(f"{console_url}/console/erstberatungen")
    expect(page).to_have_url(re.compile(r"/oauth/authorize"))
    page.get_by_label("Benutzername").fill("cm.hoexter")
    page.get_by_label("Passwort", exact=False).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Anmelden")).click()
    # back in the console, past its callback, and the page loaded: what a test does next must
    # not meet the redirects still under way
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/console/")
                      and not urlsplit(url).path.endswith("/callback"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Erstberatungen")
    accessible(page)

    # the partner accepts the referral in her inbox (she sees the person the release covers)
    _log_out(page)
    log_in(page, console_url, "diakonie.beratung")
    page.get_by_role("link", name="Eingang Vermittlungen").first.click()
    page.get_by_role("link", name=re.compile("Haddad")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vermittlung")
    page.get_by_label("Annehmen").check()
    page.get_by_role("button", name="Eintragen").click()
    expect(page.locator(".summary")).to_contain_text("angenommen")
    _log_out(page)

    # the office's report counts it (reporting learns it from the network's event)
    log_in(page, console_url, "ks.koch")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Berichte").click()

    def counted() -> bool:
        page.reload()
        return _accepted_this_month(page) > accepted_before

    poll(counted, timeout=60, message="the accepted referral in the office's report")
    expect(page.get_by_role("row").filter(has_text="Diakonie Paderborn-Höxter").filter(
        has_text="Sprache").first).to_be_visible()
    accessible(page)


def test_a_page_not_meant_for_the_role_answers_403_in_german(page: Page, console_url):
    log_in(page, console_url, "lenkung.landrat")
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht")
    response = page.goto(f"{console_url}/console/erstkontakt")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")
    expect(page.get_by_role("main")).to_contain_text("nicht vorgesehen")
    accessible(page)


def test_the_session_note_tells_the_end_on_the_countys_clock_not_the_browsers(
        browser: Browser, console_url):
    """A case manager's laptop may run on another zone (here New York): the note "Ihre Sitzung
    endet … um HH:MM Uhr" tells the end in Höxter's time, as the server wrote it, also after the
    page's script has written it again from the session's state."""
    context = browser.new_context(locale="de-DE", timezone_id="America/New_York")
    page = context.new_page()
    try:
        log_in(page, console_url, "cm.hoexter")
        # the page's script has asked the session's state and written the end again
        page.wait_for_load_state("networkidle")
        note = page.locator("#sitzung .session-end")
        expect(note).to_have_text(re.compile(r"^\d{2}:\d{2}$"))
        state = page.evaluate("""async () => {
            const url = document.getElementById("sitzung").getAttribute("data-state-url");
            const answer = await fetch(url, {headers: {"Accept": "application/json"}});
            return answer.json();
        }""")
        assert state["active"], state
        berlin = datetime.fromisoformat(state["expires"]).astimezone(ZoneInfo("Europe/Berlin"))
        # the state asked just now extended the session; the page's script asked it at load:
        # both ends lie within the minute or so between them
        shown = note.inner_text()
        ends = {(berlin - timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)}
        assert shown in ends, (shown, ends)
        new_york = datetime.fromisoformat(state["expires"]).astimezone(
            ZoneInfo("America/New_York")).strftime("%H:%M")
        assert shown != new_york
    finally:
        context.close()


def _console_database(data) -> sa.Engine:
    """The running console's SQLite file, opened as the platform opens it (WAL, busy timeout):
    the console may write a session at the same moment."""
    return create_engine(f"sqlite:///{data / 'console.db'}", poolclass=sa.pool.NullPool)


def _session_tokens(data) -> list[dict]:
    with _console_database(data).connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM console_sessions")).scalars().all()
    return [json.loads(row)["token"] for row in rows if "token" in json.loads(row)]


def test_an_expired_access_token_is_refreshed_quietly_and_the_cookie_holds_no_token(
        page: Page, embedded):
    base, data = embedded
    log_in(page, base, "cm.hoexter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    # no request of the page still under way: one that loaded the session before the change
    # below would save it back afterwards, with the old expiry
    page.wait_for_load_state("networkidle")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "lotse_console"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    tokens = _session_tokens(data)
    assert all(cookie["value"] not in json.dumps(t) for t in tokens)
    before = {t["access_token"] for t in tokens}
    assert before, "the session keeps no token"
    # every session's access token expired (as after its lifetime): the next page refreshes it
    # (read first, then write: a write after a read in one SQLite transaction is refused at once,
    # without waiting, when the console saved a session in between)
    engine = _console_database(data)
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT id, data FROM console_sessions")).all()
    with engine.begin() as connection:
        for sid, text in stored:
            session = json.loads(text)
            if "token" in session:
                session["token"]["expires_at"] = 1
                connection.execute(sa.text("UPDATE console_sessions SET data = :d WHERE id = :i"),
                                   {"d": json.dumps(session), "i": sid})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    expect(page.get_by_role("heading", name="Meine Fallzahl")).to_be_visible()
    after = {t["access_token"] for t in _session_tokens(data)}
    assert after - before, "no access token was refreshed"


def test_a_partner_answers_a_referral_in_her_inbox(page: Page, console_url):
    log_in(page, console_url, "diakonie.beratung")
    page.get_by_role("link", name="Eingang Vermittlungen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eingang Vermittlungen")
    accessible(page)
    waiting = page.get_by_role("row").filter(has_text="gesendet").first
    waiting.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vermittlung")
    assert re.search(r"/vermittlung/[0-9a-f-]{36}$", page.url), page.url
    accessible(page)

    # a decline without its reason: refused by the network service, shown at the field
    page.get_by_label("Ablehnen (mit Begründung)").check()
    page.get_by_role("button", name="Eintragen").click()
    expect(page.get_by_role("alert")).to_contain_text("Begründung")
    expect(page.get_by_label("Begründung / Rückmeldung")).to_have_attribute("aria-invalid", "true")
    accessible(page)

    page.get_by_label("Annehmen").check()
    page.get_by_role("button", name="Eintragen").click()
    expect(page.locator(".summary")).to_contain_text("angenommen")
    accessible(page)


def test_the_coordinating_office_sees_the_reports_and_downloads_them(page: Page, console_url):
    log_in(page, console_url, "ks.koch")
    page.get_by_role("link", name="Berichte").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichte")
    expect(page.get_by_role("heading", name=re.compile("2-Wochen-Berichte"))).to_be_visible()
    expect(page.get_by_role("heading", name="Fallzahlen gegen den Richtwert")).to_be_visible()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV – Fallzahlen je Case-Managerin (Richtwert)").click()
    assert download.value.suggested_filename == "caseload.csv"
    with open(download.value.path(), "rb") as table:
        assert table.read().startswith("\ufeff".encode())  # UTF-8 with BOM, as Excel wants it
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX) – Vermittlungen: Annahme- und Ankunftsquote").click()
    assert download.value.suggested_filename == "referral-rates.xlsx"
    assert "/berichte/referral-rates.xlsx" in download.value.url  # no personal data in the URL
    with open(download.value.path(), "rb") as workbook:
        assert workbook.read(2) == b"PK"  # an Office Open XML workbook (a zip)


def _nav(page: Page, name: str) -> None:
    """Follows a link of the main navigation and returns once the new page has loaded. The old
    page is marked first: an assertion that the old page would also meet (a heading is visible)
    cannot then pass before the browser has left it."""
    page.evaluate("() => { window.lotseLeaving = true; }")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name).click()
    page.wait_for_function("() => window.lotseLeaving === undefined "
                           "&& document.readyState === 'complete'")


def test_a_steering_member_votes_and_the_office_records_the_decision(page: Page, console_url):
    log_in(page, console_url, "lenkung.landrat")
    _nav(page, "Steuerung")
    expect(page.get_by_role("heading", level=1)).to_have_text("Steuerung")
    for heading in ("Generative Themen", "Planungskreislauf", "Beschlussvorlagen der Lenkungsgruppe"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # the candidates are cases: the office's and the case managers', not the steering group's
    expect(page.get_by_role("heading", name="Kandidaten für eine Fallrekonstruktion")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Wohnraum für große Haushalte").first).to_contain_text(
        "vorgeschlagen")
    accessible(page)

    page.get_by_role("link", name="Generatives Thema feststellen: Wohnraum für große Haushalte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschlussvorlage")
    assert re.search(r"/beschlussvorlage/[0-9a-f-]{36}$", page.url), page.url
    page.get_by_role("button", name="Stimme abgeben").click()  # no choice: refused at the field
    expect(page.get_by_role("alert")).to_contain_text("Ihre Stimme")
    accessible(page)
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Stimme abgeben").click()
    expect(page.get_by_role("status")).to_contain_text("Sie haben mit „Ja“ gestimmt")
    expect(page.get_by_role("cell", name=re.compile(r"\(Ihre Stimme\)"))).to_be_visible()
    accessible(page)
    expect(page.get_by_role("button", name="Beschluss feststellen")).to_have_count(0)

    # the project group: mandate, goal system as a tree, the service chain drawn
    _nav(page, "Projektarbeitsgruppen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Projektarbeitsgruppen")
    accessible(page)
    page.get_by_role("link", name="Aufenthaltsstatus und Leistungsbezug abstimmen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Projektarbeitsgruppe")
    tree = page.locator(".goal-tree")
    expect(tree.locator(".goal-principle > p").first).to_contain_text("Leitziel:")
    expect(tree.locator(".goal-framework .goal-result .goal-activity").first).to_contain_text(
        "Aktivität:")
    expect(tree).to_contain_text("Indikatoren: Unterzeichnete Vereinbarung")
    chain = page.get_by_role("img", name=re.compile("Dienstleistungskette „Vom Arbeitsangebot"))
    expect(chain).to_be_visible()
    poll(lambda: chain.evaluate("img => img.complete && img.naturalWidth > 0"),
         message="the service chain's drawing")
    accessible(page)

    # the administration is not the steering group's
    response = page.goto(f"{console_url}/console/verwaltung")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")
    page.get_by_role("button", name="Abmelden").click()

    log_in(page, console_url, "ks.koch")
    _nav(page, "Steuerung")
    expect(page.get_by_role("heading", name="Kandidaten für eine Fallrekonstruktion")).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Generatives Thema feststellen: Wohnraum für große Haushalte").click()
    expect(page.get_by_role("button", name="Stimme abgeben")).to_have_count(0)
    page.get_by_role("button", name="Beschluss feststellen").click()
    expect(page.locator("#ergebnis")).to_contain_text("angenommen")
    accessible(page)
    page.get_by_role("link", name="Zurück zur Steuerung").click()
    expect(page.get_by_role("row").filter(has_text="Wohnraum für große Haushalte").first).to_contain_text(
        "festgestellt")

    # the office's administration: the target groups and the directory with its search
    _nav(page, "Verwaltung")
    page.get_by_role("link", name="Zielgruppen").click()
    expect(page.get_by_role("cell", name="Anerkannte Flüchtlinge", exact=True)).to_be_visible()
    accessible(page)
    page.get_by_label("gültig ab").fill("2027-01-01")
    page.get_by_role("button", name="Zielgruppe anlegen").click()  # no name: at the field
    expect(page.get_by_role("alert")).to_contain_text("Name")
    expect(page.get_by_label(re.compile(r"^Name"))).to_have_attribute("aria-invalid", "true")
    accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("Neuzugewanderte Familien mit Kindern")
    page.get_by_label("Warburg").check()
    page.get_by_label("Beschlussgrundlage").fill("LG-2026-07")
    page.get_by_role("button", name="Zielgruppe anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("Angelegt")
    expect(page.get_by_role("row").filter(has_text="Neuzugewanderte Familien mit Kindern")).to_contain_text(
        "ab 01.01.2027")
    page.get_by_role("link", name="Zurück zur Verwaltung").click()
    page.get_by_role("link", name="Angebotsverzeichnis").click()
    expect(page.get_by_role("heading", name="Partner im Netzwerk")).to_be_visible()
    page.get_by_label("Angebote suchen").fill("Sprache")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", name="Treffer für „Sprache“")).to_be_visible()
    expect(page.locator("section").filter(has_text="Treffer").get_by_role("listitem").first).to_be_visible()
    accessible(page)
    page.get_by_label(re.compile(r"^Name")).fill("Nachbarschaftshilfe Warburg")
    page.get_by_label("Beschreibung").fill("Begleitung zu Ämtern und Ärzten")
    page.get_by_label("E-Mail").fill("keine-adresse")
    page.get_by_role("button", name="Partner eintragen").click()
    expect(page.get_by_role("alert")).to_contain_text("E-Mail")
    accessible(page)
    page.get_by_label("E-Mail").fill("kontakt@nachbarschaft-warburg.example")
    page.get_by_role("button", name="Partner eintragen").click()
    expect(page.get_by_role("cell", name="Nachbarschaftshilfe Warburg", exact=True)).to_be_visible()


def test_the_county_administrator_sees_organisations_users_and_assigns_a_role(
        page: Page, console_url):
    log_in(page, console_url, "admin")
    _nav(page, "Verwaltung")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwaltung")
    accessible(page)
    page.get_by_role("link", name="Organisationen", exact=True).click()
    page.get_by_label(re.compile(r"^Name")).fill("Integrationsrat Höxter")
    page.get_by_role("button", name="Organisation anlegen").click()  # no kind: at the field
    expect(page.get_by_role("alert")).to_contain_text("Art")
    accessible(page)
    page.get_by_label(re.compile(r"^Art ")).select_option("migrant_organisation")
    page.get_by_role("button", name="Organisation anlegen").click()
    expect(page.get_by_role("cell", name="Integrationsrat Höxter", exact=True)).to_be_visible()
    page.get_by_role("link", name="Zurück zur Verwaltung").click()
    for part, cell in (("Organisationen", "AWO Kreisverband Höxter"), ("Gebiete", "Brakel")):
        page.get_by_role("link", name=part, exact=True).click()
        expect(page.get_by_role("cell", name=cell, exact=True)).to_be_visible()
        accessible(page)
        page.get_by_role("link", name="Zurück zur Verwaltung").click()
    page.get_by_role("link", name="Benutzerinnen und Benutzer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benutzerinnen und Benutzer")
    accessible(page)
    page.get_by_role("link", name="Rollen ändern – Hannah Brinkmann").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rollen zuweisen")
    expect(page.get_by_label("Assistenz der Koordinierenden Stelle")).to_be_checked()
    accessible(page)
    page.get_by_label("Datenschutz / Revision").check()
    page.get_by_role("button", name="Rollen speichern").click()
    expect(page.get_by_role("row").filter(has_text="Hannah Brinkmann")).to_contain_text(
        "Datenschutz / Revision")
