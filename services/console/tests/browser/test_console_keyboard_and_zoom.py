"""The console by keyboard alone and at 200 % zoom (WCAG 2.1 AA: 2.1.1 keyboard, 2.4.1 bypass
blocks, 2.4.7 focus visible, 1.4.4 resize text, 1.4.10 reflow), in the real browser of the
module's other tests. axe-core's rules run on every page visited here too."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_console_in_browser import _nav, accessible, log_in

pytestmark = [pytest.mark.slow, pytest.mark.integration]

#: 640 CSS pixels wide with two device pixels each: a 1280-pixel screen at 200 % zoom
ZOOMED = {"viewport": {"width": 640, "height": 800}, "device_scale_factor": 2}


def _focused(page: Page) -> dict:
    """The element that has the focus now: its id, tag and whether its focus ring shows."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {id: el.id, tag: el.tagName.toLowerCase(), text: (el.innerText || '').trim(),
                ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
    }""")


def _tab_to(page: Page, element_id: str, limit: int = 40) -> None:
    """Tab (only) until the element has the focus; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        if now["tag"] not in ("body", "main"):
            assert now["ring"], f"no visible focus on {now}"
        if now["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} is not reached with the Tab key")


def test_a_first_contact_is_recorded_with_the_keyboard_alone(page: Page, console_url):
    log_in(page, console_url, "cm.hoexter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
    page.goto(f"{console_url}/console/erstkontakt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erstkontakt erfassen")

    # the first Tab stop is the skip link, visible when focused; Enter moves to the content
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["text"] == "Zum Inhalt springen" and first["ring"], first
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "inhalt"

    # from the content on: the form's fields by Tab, typed, chosen and ticked by keyboard
    _tab_to(page, "feld-person-given_name")
    page.keyboard.type("Yusuf")
    _tab_to(page, "feld-person-family_name")
    page.keyboard.type("Demir")
    _tab_to(page, "feld-person-interpreter_needed")
    page.keyboard.press("Space")
    expect(page.get_by_label("Dolmetschung nötig")).to_be_checked()
    _tab_to(page, "feld-access_path")
    page.keyboard.type("Selbst")  # a closed list takes the first letters of its entry
    expect(page.get_by_label("Zugangsweg")).to_have_value("self_referral")
    _tab_to(page, "feld-area_id")
    page.keyboard.type("Höxter")
    expect(page.locator("#feld-area_id option:checked")).to_have_text("Höxter")
    accessible(page)
    # the submit button, pressed with Enter
    for _ in range(10):
        page.keyboard.press("Tab")
        if _focused(page)["text"] == "Erstkontakt speichern":
            break
    assert _focused(page)["ring"], "no visible focus on the submit button"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erstberatung")
    expect(page.locator(".summary")).to_contain_text("Yusuf Demir")
    accessible(page)


@pytest.fixture
def zoomed(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="de-DE", **ZOOMED)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def _reflows(page: Page) -> None:
    """No content needs horizontal scrolling (the page is as wide as the window), and axe-core
    still finds nothing."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, "
                           "document.documentElement.clientWidth]")
    if widths[0] > widths[1]:
        wider = page.evaluate("""(width) => [...document.querySelectorAll('main *')]
            .filter(el => el.getBoundingClientRect().right > width + 1)
            .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 1))
            .slice(0, 8).map(el => el.tagName + '.' + el.className + ': '
                             + (el.innerText || '').slice(0, 40))""", widths[1])
        raise AssertionError(f"{page.url}: {widths[0]} px wide in a {widths[1]} px window; "
                             f"beyond it: {wider}")
    accessible(page)


def _open(page: Page, name: str) -> None:
    _nav(page, name)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("username, pages", [
    ("cm.hoexter", ("Mein Tag", "Erstkontakt erfassen", "Offene Erstberatungen", "Meine Fälle",
                    "Steuerung", "Projektarbeitsgruppen")),
    ("ks.koch", ("Berichte", "Steuerung", "Verwaltung")),
    ("diakonie.beratung", ("Eingang Vermittlungen",)),
])
def test_the_main_pages_reflow_at_200_percent_zoom(zoomed: Page, console_url, username, pages):
    log_in(zoomed, console_url, username)
    _reflows(zoomed)
    for name in pages:
        _open(zoomed, name)
        _reflows(zoomed)
    if username == "cm.hoexter":  # a case file, the widest page of a case manager
        _open(zoomed, "Meine Fälle")
        zoomed.get_by_role("row").filter(has_text="Re-Assessment").first.get_by_role(
            "link", name=re.compile("^Fallakte")).click()
        expect(zoomed.get_by_role("heading", level=1)).to_contain_text("Fallakte")
        _reflows(zoomed)
        case_file = zoomed.url.split("#")[0]
        # its working pages: the assessment with both maps drawn, the help plan's versions
        # (side by side once there are two), the goal form with the SMART checks, a conference
        for path in ("/bestandsaufnahme", "/hilfeplan", "/hilfeplan/ueberpruefen", "/ziel",
                     "/fallkonferenz"):
            zoomed.goto(case_file + path)
            expect(zoomed.get_by_role("heading", level=1)).to_be_visible()
            _reflows(zoomed)
