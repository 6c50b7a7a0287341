"""``make screenshots``: PNGs of the web console's main pages in ``docs/console/``.

Starts the embedded platform (demo county, no year of history) on a free port, drives Debian's
Chromium through Playwright as the demo case manager (log in, *Mein Tag*, a first contact with
a field error, then recorded, the screening), and saves what the browser shows. Run it after a
change to the pages; the pictures in the docs are these.

    python infra/local/console_screenshots.py [--out docs/console]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from lotse_demo import DEMO_PASSWORD
from lotse_platform.testing import poll

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LOTSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--lang=de-DE"]



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except (urllib.error.URLError, OSError):
        return False


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    poll(lambda: _answers(url) or process.poll() is not None, timeout=seconds,
         interval=0.5, message=url)
    if process.poll() is not None:
        raise SystemExit("[screenshots] the embedded platform stopped; see its log")


def _shoot(page: Page, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"[screenshots] {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def take(base: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 860}
                                   ).new_page()
        page.goto(f"{base}/")
        _shoot(page, out, "01-start")
        page.get_by_role("link", name="Anmelden").click()
        _shoot(page, out, "02-anmeldung")
        page.get_by_label("Benutzername").fill("cm.hoexter")
        page.get_by_label("Passwort", exact=False).fill(DEMO_PASSWORD)
        page.get_by_role("button", name=re.compile("Anmelden")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
        _shoot(page, out, "03-mein-tag")
        page.get_by_role("link", name="Erstkontakt erfassen").first.click()
        page.get_by_label("Vorname").fill("Amina")
        page.get_by_label("Zugangsweg").select_option("self_referral")
        page.get_by_label("Gebiet (Wohnort)").select_option(label="Höxter")
        page.get_by_role("button", name="Erstkontakt speichern").click()
        expect(page.get_by_role("alert")).to_be_visible()
        _shoot(page, out, "04-erstkontakt-fehler")
        page.get_by_label("Familienname").fill("Haddad")
        page.get_by_role("button", name="Erstkontakt speichern").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Erstberatung")
        _shoot(page, out, "05-erstberatung")
        page.get_by_role("link", name="Screening").click()
        _shoot(page, out, "06-screening")
        page.get_by_role("link", name="Meine Fälle").click()
        page.get_by_role("row").filter(has_text="eigener Fall").first.get_by_role(
            "link", name=re.compile("^Fallakte")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Fallakte")
        _shoot(page, out, "07-fallakte")
        page.get_by_role("link", name="Vermittlung anlegen").click()
        expect(page.get_by_role("heading", name="Schweigepflichtentbindungen der Person")
               ).to_be_visible()
        _shoot(page, out, "16-vermittlung-anlegen")
        # Mein Tag at 200 % zoom: 640 CSS pixels wide, two device pixels each
        zoomed = browser.new_context(locale="de-DE", viewport={"width": 640, "height": 860},
                                     device_scale_factor=2, storage_state=page.context.storage_state()
                                     ).new_page()
        zoomed.goto(f"{base}/console/mein-tag")
        expect(zoomed.get_by_role("heading", level=1)).to_contain_text("Mein Tag")
        _shoot(zoomed, out, "17-mein-tag-200-prozent")
        zoomed.context.close()
        page.get_by_role("button", name="Abmelden").click()
        _log_in(page, base, "diakonie.beratung")
        page.get_by_role("link", name="Eingang Vermittlungen").first.click()
        _shoot(page, out, "08-eingang-vermittlungen")
        page.get_by_role("button", name="Abmelden").click()
        _log_in(page, base, "ks.koch")
        page.get_by_role("link", name="Berichte").first.click()
        expect(page.get_by_role("heading", name="Fallzahlen gegen den Richtwert")).to_be_visible()
        page.wait_for_load_state("networkidle")
        _shoot(page, out, "09-berichte")
        _steering_and_administration(page, base, out)
        browser.close()


def _nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name).click()


def _steering_and_administration(page: Page, base: str, out: Path) -> None:
    """As the coordinating office (still logged in): Steuerung, a project group, the target
    groups; as a steering member: a proposal with the vote; as the county's administrator:
    the users with their roles."""
    _nav(page, "Steuerung")
    expect(page.get_by_role("heading", name="Planungskreislauf")).to_be_visible()
    _shoot(page, out, "10-steuerung")
    _nav(page, "Projektarbeitsgruppen")
    page.get_by_role("link", name="Aufenthaltsstatus und Leistungsbezug abstimmen").click()
    expect(page.get_by_role("heading", name="Zielsystem")).to_be_visible()
    page.wait_for_load_state("networkidle")
    _shoot(page, out, "11-projektarbeitsgruppe")
    _nav(page, "Verwaltung")
    page.get_by_role("link", name="Zielgruppen").click()
    _shoot(page, out, "12-zielgruppen")
    page.get_by_role("link", name="Zurück zur Verwaltung").click()
    page.get_by_role("link", name="Angebotsverzeichnis").click()
    page.get_by_label("Angebote suchen").fill("Sprache")
    page.get_by_role("button", name="Suchen").click()
    _shoot(page, out, "13-angebotsverzeichnis")
    page.get_by_role("button", name="Abmelden").click()
    _log_in(page, base, "lenkung.landrat")
    _nav(page, "Steuerung")
    page.get_by_role("link", name=re.compile("^Generatives Thema feststellen: Wohnraum")).click()
    expect(page.get_by_role("heading", name="Ihre Stimme")).to_be_visible()
    _shoot(page, out, "14-beschlussvorlage")
    page.get_by_role("button", name="Abmelden").click()
    _log_in(page, base, "admin")
    _nav(page, "Verwaltung")
    page.get_by_role("link", name="Benutzerinnen und Benutzer").click()
    _shoot(page, out, "15-benutzer")


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/console/anmelden")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=False).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Anmelden")).click()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "console")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("LOTSE_")}
    env.update(LOTSE_DEMO_HISTORY_PEOPLE="0", LOTSE_LOG_FORMAT="json")
    with tempfile.TemporaryDirectory(prefix="lotse-screenshots-") as folder:
        with open(Path(folder) / "embedded.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "lotse_composition.embedded", "--port", str(port),
                 "--data-dir", str(Path(folder) / "data")],
                env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://localhost:{port}"
            _wait_for(f"{base}/healthz", process, 120)
            take(base, args.out)
        finally:
            process.terminate()
            process.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
