"""A subject-access request (ADR 0103) in embedded mode, as ``make run`` serves it: the demo
county's data-protection officer asks about the first demo intake's person; intake, casework,
network, reporting and steering answer through the platform's bus; the archive's parts of casework and network are
fetched over HTTP from their internal API with intake's machine token from identity's token
endpoint — the path a deployment takes, which the PostgreSQL tests of ``tests/data_protection``
replace with the services' apps in process."""

from __future__ import annotations

import io
import json
import zipfile

from lotse_platform.testing import poll

from .demo_requests import BODIES
from .embedded import API, demo

PATH = f"{API}/intake/subject-access-requests"


def test_the_archive_holds_every_services_part_fetched_over_the_internal_api(embedded):
    token = embedded.token("datenschutz")
    person = demo("intake:1")
    started = embedded.request("POST", PATH, token,
                               body={"person_id": person, "reference": "Art. 15 DSGVO"})
    assert started.status_code == 202, started.get_data(as_text=True)
    request_id = started.get_json()["id"]

    def state() -> str:
        return embedded.request("GET", f"{PATH}/{request_id}", token).get_json()["state"]

    poll(lambda: state() == "complete", timeout=60, message="every service to answer")
    archive = embedded.request("GET", f"{PATH}/{request_id}/archive", token)
    assert archive.status_code == 200, archive.get_data(as_text=True)[:500]
    with zipfile.ZipFile(io.BytesIO(archive.get_data())) as opened:
        assert sorted(opened.namelist()) == [
            "casework.json", "intake.json", "network.json", "reporting.json", "steering.json",
            "summary.pdf"]
        casework = json.loads(opened.read("casework.json"))
        reporting = json.loads(opened.read("reporting.json"))
    assert casework["person_id"] == person
    # reporting found her facts through the events it stores, on SQLite too (ADR 0108)
    assert {t["name"] for t in reporting["tables"]} >= {"event_store",
                                                        "intake_report_projection"}
    assert {t["name"] for t in casework["tables"]} >= {"cases", "persons"}
    assert casework["accesses"], "the demo case's history was read and written by its staff"


def test_an_erasure_clears_the_persons_intake_in_embedded_mode(embedded):
    """SQLite keeps a UUID as 32 hex digits: the erasure finds the person's rows there too."""
    recorded = embedded.request("POST", f"{API}/intake/intakes", embedded.token("cm.hoexter"),
                                body=BODIES["POST /api/v1/intake/intakes"]({}))
    assert recorded.status_code == 201, recorded.get_data(as_text=True)
    person = recorded.get_json()["id"]
    token = embedded.token("datenschutz")
    started = embedded.request("POST", f"{API}/intake/erasure-requests", token,
                               body={"person_id": person, "reference": "Art. 17 DSGVO"})
    assert started.status_code == 202, started.get_data(as_text=True)
    erasure = f"{API}/intake/erasure-requests/{started.get_json()['id']}"
    poll(lambda: embedded.request("GET", erasure, token).get_json()["state"] == "completed",
         timeout=60, message="every service to erase")

    intake = embedded.request("GET", f"{API}/intake/intakes/{person}",
                              embedded.token("cm.hoexter")).get_json()
    assert intake["person"]["given_name"] != recorded.get_json()["person"]["given_name"]
    assert intake["note"] is None
