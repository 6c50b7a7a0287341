"""The web console's page loads (issue 14): p95 of the main pages with the demo county, and each
page's transfer size (HTML, CSS, JavaScript and images). Goals: p95 under ``TARGET_P95_MS`` and
no page over ``TARGET_PAGE_BYTES``.

    .venv/bin/python bench/console_bench.py          # prints the table row, writes the JSON
    from bench import console_bench; console_bench.run()   # -> dict (for bench/run.py)

What runs, on 127.0.0.1: the embedded platform (``make run``'s process: every service, the
console at ``/console``, the demo county without its year of history), in a data folder of the
benchmark's own (removed afterwards). Each role logs in once, in Debian's Chromium driven by
Playwright (the authorization code flow with PKCE at identity's login page, as a person does);
the session cookie then goes to a plain HTTP client, which asks for each of the role's main
pages ``ROUNDS`` times after ``WARMUP`` untimed loads, one user at a time (a page is what one
person waits for: the console calls the services' APIs with her token, as it does for her).
The page's own files — the stylesheets, scripts and images it names — are fetched once and
counted with the HTML for its transfer size (uncompressed: the embedded server does not
compress; behind the gateway they are smaller, not larger).

With ``--base-url`` the pages are asked of a platform already running there instead — `make
up`'s cell behind the gateway (``--base-url http://localhost:8080``: the console and every API
as separate processes, each request through HAProxy, the console calling the APIs through the
gateway with the user's token, as deployed). The demo county is the one `make up` seeds.

    LOTSE_GATEWAY_ROUTES=bench-routes.yaml make up   # routes.yaml with the limits raised
    .venv/bin/python bench/console_bench.py --base-url http://localhost:8080

One user loading the same page 43 times in a few seconds is far beyond the gateway's per-user
limit (300 API calls per 10 s; a page makes up to seven), which answers 429 — the console then
shows *Zu viele Anfragen* — so the gateway's limits are raised for the measurement (a copy of
``gateway/routes.yaml`` with ``per_user`` and ``per_client`` at 100,000): the figure is the
pages' latency, not the limit's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/console_bench.py` puts bench/ itself first

from bench import httpload  # noqa: E402

TARGET_P95_MS = 300.0
TARGET_PAGE_BYTES = 200 * 1024
ROUNDS = 40
WARMUP = 3
CHROMIUM = os.environ.get("LOTSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]

#: each role's main pages (paths below /console/) — what each person opens every day
PAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "cm.hoexter": (("Mein Tag", "mein-tag"), ("Erstkontakt erfassen", "erstkontakt"),
                   ("Offene Erstberatungen", "erstberatungen"), ("Meine Fälle", "faelle"),
                   ("Fallakte", "<first case>"), ("Steuerung", "steuerung"),
                   ("Projektarbeitsgruppen", "projektgruppen")),
    "ks.koch": (("Berichte", "berichte"), ("Steuerung (Koordinierende Stelle)", "steuerung"),
                ("Verwaltung", "verwaltung")),
    "diakonie.beratung": (("Eingang Vermittlungen", "eingang"),),
}


class _Assets(HTMLParser):
    """The files a page names: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.case_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "stylesheet" and found.get("href"):
            self.urls.append(str(found["href"]))
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(str(found["src"]))
        elif tag == "a" and "/fall/" in str(found.get("href") or ""):
            self.case_links.append(str(found["href"]))


def _answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _log_in(browser, base: str, username: str):
    """A requests session holding the console's session cookie after a real login."""
    import requests
    from lotse_demo import DEMO_PASSWORD

    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{base}/console/anmelden")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=False).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/console/" in url and "/callback" not in url)
    page.wait_for_load_state()
    session = requests.Session()
    # the cookie as the browser sends it (a cookie jar is particular about "localhost")
    session.headers["Cookie"] = "; ".join(f"{c['name']}={c['value']}"
                                          for c in context.cookies())
    context.close()
    return session


def _page(session, base: str, path: str) -> dict:
    url = f"{base}/console/{path}"
    failed = 0
    for _ in range(WARMUP):
        failed += session.get(url, timeout=30, allow_redirects=False).status_code != 200
    timings = []
    html = b""
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = session.get(url, timeout=30, allow_redirects=False)
        timings.append((time.perf_counter() - started) * 1000)
        failed += response.status_code != 200
        html = response.content
    assets = _Assets()
    assets.feed(html.decode("utf-8", errors="replace"))
    files = {}
    for src in dict.fromkeys(assets.urls):
        answer = session.get(urllib.parse.urljoin(url, src), timeout=30, allow_redirects=False)
        failed += answer.status_code != 200
        files[src] = len(answer.content)
    timings.sort()
    return {"path": f"/console/{path}", "requests": len(timings), "non_2xx": failed,
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "max_ms": round(timings[-1], 1),
            "html_bytes": len(html), "files": files,
            "transfer_bytes": len(html) + sum(files.values())}


def _first_case(session, base: str) -> str:
    assets = _Assets()
    assets.feed(session.get(f"{base}/console/faelle", timeout=30).text)
    if not assets.case_links:
        raise RuntimeError("the case manager has no case to open")
    return assets.case_links[0].split("/console/", 1)[1]


def run(log=print, base_url: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    from lotse_platform.testing import free_port, poll

    folder = Path(tempfile.mkdtemp(prefix="lotse-console-bench-"))
    process = output = None
    if base_url is None:
        port = free_port()
        base = f"http://localhost:{port}"
        env = {name: value for name, value in os.environ.items()
               if not name.startswith("LOTSE_")}
        env.update(LOTSE_LOG_FORMAT="json", LOTSE_DEMO_HISTORY_PEOPLE="0")
        output = open(folder / "embedded.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "lotse_composition.embedded", "--port", str(port),
             "--data-dir", str(folder / "data"), "--threads", "16"],
            env=env, stdout=output, stderr=subprocess.STDOUT)
    else:
        base = base_url.rstrip("/")
    pages: dict[str, dict] = {}
    try:
        if process is None:
            if not _answers(f"{base}/healthz"):
                raise SystemExit(f"nothing answers {base}/healthz: start it first (make up)")
        else:
            poll(lambda: _answers(f"{base}/healthz") or process.poll() is not None,
                 timeout=180, message="the embedded platform's /healthz")
            if process.poll() is not None:
                raise RuntimeError((folder / "embedded.log").read_text(errors="replace")[-3000:])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            sessions = {user: _log_in(browser, base, user) for user in PAGES}
            browser.close()
        for user, wanted in PAGES.items():
            session = sessions[user]
            for name, path in wanted:
                if path == "<first case>":
                    path = _first_case(session, base)
                pages[name] = {"user": user, **_page(session, base, path)}
                measured = pages[name]
                log(f"  {name:<36} p95 {measured['p95_ms']:7.1f} ms  "
                    f"{measured['transfer_bytes'] / 1024:6.1f} KB")
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if output is not None:
            output.close()
        shutil.rmtree(folder, ignore_errors=True)
    worst_p95 = max(p["p95_ms"] for p in pages.values())
    largest = max(p["transfer_bytes"] for p in pages.values())
    return {
        "part": "console", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "embedded" if base_url is None else "gateway", "base_url": base,
        "rounds": ROUNDS, "warmup": WARMUP, "cores": os.cpu_count(),
        "targets": {"p95_ms": TARGET_P95_MS, "page_bytes": TARGET_PAGE_BYTES},
        "pages": pages, "worst_p95_ms": worst_p95, "largest_page_bytes": largest,
        "met": {"p95": worst_p95 < TARGET_P95_MS, "size": largest <= TARGET_PAGE_BYTES},
        "non_2xx": sum(p["non_2xx"] for p in pages.values()),
    }


def table_row(result: dict) -> str:
    met = result["met"]
    slowest = max(result["pages"].items(), key=lambda item: item[1]["p95_ms"])[0]
    mode = ("embedded" if result.get("mode", "embedded") == "embedded"
            else "through the gateway (make up)")
    return (f"| Console: main pages, one user at a time, {mode}, demo county "
            f"({len(result['pages'])} pages) | p95 {result['worst_p95_ms']:.0f} ms (slowest: "
            f"{slowest}); largest page {result['largest_page_bytes'] / 1024:.0f} KB | "
            f"< {result['targets']['p95_ms']:.0f} ms: {'met' if met['p95'] else 'not met'}; "
            f"≤ {result['targets']['page_bytes'] // 1024} KB: "
            f"{'met' if met['size'] else 'not met'} |")


def write(result: dict) -> Path:
    return httpload.write(result, "console" if result.get("mode", "embedded") == "embedded"
                          else "console-gateway")


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="a running platform (e.g. make up's gateway, "
                        "http://localhost:8080) instead of an embedded one of its own")
    args = parser.parse_args()
    print(f"console: the main pages' p95 and transfer size ({ROUNDS} loads each)", flush=True)
    result = run(log=lambda line: print(line, flush=True), base_url=args.base_url)
    path = write(result)
    print(table_row(result))
    print(f"written: {path}")
    if result["non_2xx"]:
        print(f"error: {result['non_2xx']} answers were not 200", file=sys.stderr)
    return 1 if result["non_2xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
