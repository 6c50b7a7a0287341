"""`make run` in earnest: the embedded platform starts as its own process, serves /healthz, holds
the demo county, carries an event through its in-memory bus and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from lotse_demo import COUNTY, DEMO_PASSWORD
from lotse_platform.service import installed_services
from lotse_platform.testing import free_port, poll

pytestmark = pytest.mark.slow




def call(url: str, token: str | None = None, body: dict | None = None, *,
         form: dict | None = None) -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except OSError:
        return 0, None


@pytest.fixture
def embedded(tmp_path: Path):
    port = free_port()
    # the year of history has its own test (test_embedded_history.py): none here, to start fast
    env = {**os.environ, "LOTSE_LOG_FORMAT": "json", "LOTSE_DEMO_HISTORY_PEOPLE": "0"}
    for name in list(env):
        if name.startswith("LOTSE_") and name.endswith("DATABASE_URL"):
            del env[name]
    # Output goes to a file, not a pipe: nobody reads a pipe while the test runs, and once its
    # 64 KiB are full the platform blocks on its next log line.
    log = tmp_path / "embedded.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "lotse_composition.embedded", "--port", str(port),
             "--data-dir", str(tmp_path / "data")],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    process.log = log
    base = f"http://127.0.0.1:{port}"
    try:
        yield process, base, tmp_path / "data"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def login(index: dict, username: str) -> str:
    """A demo user's access token from identity's password grant (embedded mode serves it)."""
    status, answer = call(f"{index['services']['identity']['api']}/oauth/token", form={
        "grant_type": "password", "client_id": "lotse-console", "username": username,
        "password": DEMO_PASSWORD})
    assert status == 200, answer
    assert answer["token_type"] == "Bearer" and answer["refresh_token"]
    return answer["access_token"]


def test_embedded_platform_serves_the_demo_county_and_stops_cleanly(embedded):
    process, base, data = embedded
    poll(lambda: call(f"{base}/healthz")[0] == 200 or process.poll() is not None, timeout=60,
         message="/healthz on the embedded platform")
    assert process.poll() is None, process.log.read_text(errors="replace")[-3000:]

    status, index = call(f"{base}/services")
    assert status == 200
    # `make run` installs every service, identity among them: it serves the logins; the web
    # console is no API and is named beside them
    assert sorted(index["services"]) == sorted(s.name for s in installed_services()
                                               if s.describes_api)
    assert index["console"].endswith("/console/")
    assert "identity" in index["services"] and index["login"]["tokens"] == {}
    token = login(index, "cm.hoexter")
    example = index["services"]["example"]["api"]

    # the demo county was seeded (three notes per town), and their events reached the consumer
    coordinator = login(index, "ks.koch")
    poll(lambda: sum(t["notes"] for t in call(f"{example}/tallies", coordinator)[1]) == 30,
         timeout=30, message="the seeded notes to be counted")
    status, tallies = call(f"{example}/tallies", token)
    assert status == 200 and len(tallies) == 1, "a case manager sees only her own area"

    # reporting stored the demo county's events and projected them: the office's figures
    reporting = index["services"]["reporting"]["api"]
    poll(lambda: call(f"{reporting}/cases/by-area-and-phase", coordinator)[1]["rows"]
         and call(f"{reporting}/referrals/by-partner", coordinator)[1]["rows"],
         timeout=30, message="the demo county's cases and referrals in reporting's figures")
    assert call(f"{reporting}/cases/by-area-and-phase", token)[0] == 403
    towns = {r["area_name"] for r in call(f"{reporting}/cases/by-area-and-phase",
                                          coordinator)[1]["rows"]}
    assert towns and towns <= {a.name for a in COUNTY.areas}, "the towns by name (ADR 0086)"

    # steering projected casework's demo events: the candidates for a case reconstruction
    steering = index["services"]["steering"]["api"]
    poll(lambda: call(f"{steering}/reconstruction-candidates", coordinator)[1],
         timeout=30, message="the demo county's candidates for a case reconstruction")
    assert call(f"{steering}/reconstruction-candidates", login(index, "lenkung.landrat"))[0] \
        == 403

    # a new note goes through outbox → relay → in-memory bus → consumer
    area = next(t["area_id"] for t in tallies)
    before = {t["area_id"]: t["notes"] for t in tallies}[area]
    status, note = call(f"{example}/notes", token, {"area_id": area, "text": "Sprechstunde"})
    assert status == 201, note
    poll(lambda: {t["area_id"]: t["notes"] for t in call(f"{example}/tallies", token)[1]}[area]
         == before + 1, timeout=30, message="the note's event to be counted")

    status, problem = call(f"{example}/notes", token, {"area_id": area})
    assert status == 422 and problem["errors"][0]["field"] == "text"
    assert call(f"{example}/notes")[0] == 401
    assert (data / "example.db").is_file()
    assert not (data / "demo-reports.json").exists(), "no history: no 2-week reports to submit"
    identity = index["services"]["identity"]["api"]
    status, discovery = call(f"{identity}/.well-known/openid-configuration")
    assert status == 200 and discovery["issuer"] == identity.replace("127.0.0.1", "localhost")
    assert call(f"{identity}/users/me", token)[1]["username"] == "cm.hoexter"
    assert (data / "identity.db").is_file()

    # the whole platform's API described in one place, as the gateway serves it
    assert index["docs"] == f"{base}/docs/".replace("127.0.0.1", "localhost")
    status, openapi = call(f"{base}/openapi.json")
    assert status == 200
    for name, service in index["services"].items():
        prefix = urllib.parse.urlsplit(service["api"]).path
        assert any(path.startswith(f"{prefix}/") for path in openapi["paths"]), name
    # which operations need no token comes from the gateway's route table
    assert openapi["paths"][f"{urllib.parse.urlsplit(example).path}/notes"]["post"].get("security") != [{}]
    assert openapi["paths"]["/api/v1/identity/oauth/token"]["post"]["security"] == [{}]
    with urllib.request.urlopen(f"{base}/docs/", timeout=10) as page:
        assert page.headers["Content-Type"].startswith("text/html")
        assert "swagger-ui" in page.read().decode()

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
