"""The console in Firefox: Debian's ``firefox-esr`` driven over WebDriver BiDi (Firefox speaks it
itself; no geckodriver, no patched build) by puppeteer-core, pinned in ``firefox/package.json``.
The Node script (``firefox/console_in_firefox.mjs``) drives the browser against the browser
tests' embedded platform and reports what the pages showed; this test asserts it.

A case manager logs in at identity's login page, opens *Mein Tag*, *Meine Fälle*, a case file
and the first-contact form, sends it without the family name and sees the German error at the
field and in the error summary; the coordinating office opens *Berichte*. No script error, no
CSP violation and no failed request on the way. axe-core runs in the Chromium tests only.

``make services`` installs firefox-esr and the Node packages (``infra/local/ensure-services.sh``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lotse_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.integration]

FIREFOX = os.environ.get("LOTSE_FIREFOX", "/usr/bin/firefox-esr")
SCRIPT_DIR = Path(__file__).parent / "firefox"
MY_DAY_BLOCKS = ("Termine heute", "Erstberatungen ohne Entscheidung", "Vermittlungen ohne Ankunft",
                 "Einwilligungen, die bald ablaufen", "Nächster 2-Wochen-Bericht", "Meine Fallzahl")


def _run_in_firefox(base: str) -> dict:
    node = shutil.which("node")
    if node is None or not Path(FIREFOX).exists():
        pytest.fail(f"node or {FIREFOX} is missing: `make services` installs them "
                    "(apt-get install firefox-esr nodejs)")
    if not (SCRIPT_DIR / "node_modules" / "puppeteer-core").is_dir():
        pytest.fail(f"puppeteer-core is missing: `make services` installs it (npm ci in {SCRIPT_DIR})")
    env = {**os.environ, "LOTSE_BASE_URL": base, "LOTSE_PASSWORD": DEMO_PASSWORD,
           "LOTSE_FIREFOX": FIREFOX}
    done = subprocess.run([node, "console_in_firefox.mjs"], cwd=SCRIPT_DIR, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"the Firefox run stopped:\n{done.stderr[-6000:]}"
    report: dict = json.loads(done.stdout)
    return report


def test_a_case_manager_and_the_office_work_in_firefox(console_url):
    report = _run_in_firefox(console_url)
    assert report["browser"].startswith("firefox/"), report["browser"]
    pages = {}
    for entry in report["pages"]:
        pages.setdefault(entry["step"], []).append(entry)

    # identity's login page, reached from the console's start page (authorization code + PKCE)
    for start in pages["start"]:
        assert start["path"] == "/console/" and start["h1"] == "Willkommen bei Lotse"
    for login in pages["login"]:
        assert login["path"].startswith("/api/v1/identity/oauth/authorize?")
        assert "code_challenge_method=S256" in login["path"]
        assert [label["text"] for label in login["labels"]] == [
            "Benutzername / username", "Passwort / password"]
        assert all(label["field"] for label in login["labels"])

    (my_day,) = pages["my day"]
    assert my_day["path"] == "/console/mein-tag" and my_day["h1"].startswith("Mein Tag")
    assert set(MY_DAY_BLOCKS) <= set(my_day["h2"])
    assert {"Mein Tag", "Erstkontakt erfassen", "Meine Fälle"} <= set(my_day["navigation"])
    assert "Berichte" not in my_day["navigation"]  # the office's page, not hers

    (cases,) = pages["my cases"]
    assert cases["h1"] == "Meine Fälle" and cases["rows"] > 0
    (case_file,) = pages["case file"]
    assert case_file["path"].startswith("/console/fall/")
    assert case_file["h1"].startswith("Fallakte – ")
    assert {"Phasen", "Ziele (SMART)", "Hilfeplan", "Vermittlungen"} <= set(case_file["h2"])

    (form,) = pages["first contact"]
    assert form["h1"] == "Erstkontakt erfassen"
    assert {"Vorname (Pflichtfeld)", "Familienname (Pflichtfeld)", "Zugangsweg (Pflichtfeld)",
            "Gebiet (Wohnort) (Pflichtfeld)", "Datum des Erstkontakts (Pflichtfeld)"} <= {
        label["text"] for label in form["labels"] if label["field"]}

    # sent without the family name: intake's refusal, in German at the field and in the summary
    (refused,) = pages["first contact refused"]
    assert refused["path"] == "/console/erstkontakt"
    assert refused["summary"].startswith("Bitte prüfen Sie Ihre Angaben")
    assert "Familienname: Bitte ausfüllen – diese Angabe ist Pflicht." in refused["summary"]
    assert refused["summaryLinks"] == ["#feld-person-family_name"]
    assert refused["invalid"] == ["feld-person-family_name"]
    (field,) = refused["fieldErrors"]
    assert field["label"] == "Familienname (Pflichtfeld)"
    assert field["error"] == "Fehler: Bitte ausfüllen – diese Angabe ist Pflicht."
    assert field["errorId"] in field["describedBy"].split()
    assert refused["givenName"] == "Amina"  # what she typed stays

    # the coordinating office's reports
    (office,) = pages["office start"]
    assert office["path"] == "/console/" and office["h1"] == "Übersicht"
    (reports,) = pages["reports"]
    assert reports["path"] == "/console/berichte" and reports["h1"] == "Berichte"
    assert reports["h2"][0].startswith("2-Wochen-Berichte")
    assert "Fallzahlen gegen den Richtwert" in reports["h2"]
    assert any(h2.startswith("Vermittlungen seit dem") for h2 in reports["h2"])
    assert "CSV – Fallzahlen je Case-Managerin (Richtwert)" in reports["downloads"]
    assert [page["h1"] for page in pages["logged out"]] == ["Sie sind abgemeldet"] * 2

    # nothing went wrong on the way: no script error or CSP violation, no request failed, and
    # the one answer >= 400 is the refused form (422)
    assert report["errors"] == []
    assert report["failedRequests"] == []
    assert report["httpErrors"] == [{"method": "POST", "path": "/console/erstkontakt", "status": 422}]
