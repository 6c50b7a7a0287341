"""The console in a real browser: one embedded platform (``make run``'s process, the demo county
without its year of history) and one Chromium (Debian's, driven by Playwright) for the session
(every browser test module shares them).

Chromium is installed by ``make services`` (``infra/local/ensure-services.sh``); Playwright's own
browser downloads are not used.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from lotse_platform.testing import free_port, poll

CHROMIUM = os.environ.get("LOTSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--lang=de-DE"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def embedded(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """An embedded platform started once for the browser tests: its base URL (the console at /console)
    and its data folder (the console's sessions in ``console.db``)."""
    folder = tmp_path_factory.mktemp("console-embedded")
    port = free_port()
    # nothing of the test run's own settings (databases, broker, public URL): embedded mode's
    # defaults, the demo county without its year of history
    env = {name: value for name, value in os.environ.items() if not name.startswith("LOTSE_")}
    env.update(LOTSE_LOG_FORMAT="json", LOTSE_DEMO_HISTORY_PEOPLE="0")
    log = folder / "embedded.log"
    with open(log, "wb") as output:  # a file, not a pipe nobody reads
        process = subprocess.Popen(
            [sys.executable, "-m", "lotse_composition.embedded", "--port", str(port),
             "--data-dir", str(folder / "data"), "--threads", "16"],
            env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}"
    try:
        poll(lambda: _answers(f"{base}/healthz") or process.poll() is not None, timeout=120,
             message="the embedded platform's /healthz")
        assert process.poll() is None, Path(log).read_text(errors="replace")[-3000:]
        yield base, folder / "data"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def console_url(embedded) -> str:
    return embedded[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make services` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
