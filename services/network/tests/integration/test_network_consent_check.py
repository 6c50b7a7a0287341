"""The network's consent check over HTTP (ADR 0053, ADR 0084): the referral asks intake's
``GET /intakes/<id>/consents/current`` with the network's machine token for exactly the releases
it rests on; intake's answer decides; intake not answering refuses to share at all (503 with
``Retry-After``), nothing written. A stand-in answers as intake's endpoint does (its format is
intake's contract, docs/intake.md). Seed: DOMAIN.md §4 "consent can be withdrawn" — at once."""

from __future__ import annotations

import json
import urllib.parse
import uuid

import pytest
import sqlalchemy as sa

from lotse.intake.v1 import events_pb2 as intake_ev
from lotse_platform.auth import SERVICE
from lotse_platform.testing import JsonHandler, LocalServer, Running, days_ago, poll, publish_event

from lotse_network.adapters.intake_client import IntakeConsents

pytestmark = pytest.mark.integration

ABH = str(uuid.uuid5(uuid.NAMESPACE_DNS, "abh"))


class IntakeEndpoint:
    """Intake's current-consents endpoint as a stand-in: ``withdrawn`` ids answer withdrawn,
    ``status`` other than 200 answers an error; ``asked`` keeps each request (path, query,
    Authorization)."""

    def __init__(self, intake_id: str, consents: dict[str, dict]) -> None:
        self.intake_id, self.consents = intake_id, consents
        self.withdrawn: set[str] = set()
        self.status = 200
        self.asked: list[tuple[str, dict, str]] = []
        endpoint = self

        class Handler(JsonHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                url = urllib.parse.urlsplit(self.path)
                endpoint.asked.append((url.path, urllib.parse.parse_qs(url.query),
                                       self.headers.get("Authorization", "")))
                if endpoint.status != 200:
                    return self.answer(endpoint.status, {"title": "down"})
                ids = urllib.parse.parse_qs(url.query)["consent_id"]
                self.answer(200, {
                    "intake_id": endpoint.intake_id, "as_of": "2026-12-07T10:00:00Z",
                    "unknown": [i for i in ids if i not in endpoint.consents],
                    "consents": [{**endpoint.consents[i], "id": i,
                                  "withdrawn": i in endpoint.withdrawn,
                                  "withdrawn_on": "2026-12-07" if i in endpoint.withdrawn
                                  else None} for i in ids if i in endpoint.consents]})

        self.server = LocalServer(Handler, keep_alive=True)


@pytest.fixture
def release(network, broker_url, tenant, superuser):
    """A person's release for the immigration office and residence, in the network's copy."""
    from lotse_platform.references import ORGANISATION, Known
    from lotse_platform.testing import put_directory

    put_directory(network, tenant, [Known(ORGANISATION, ABH)])
    intake_id, consent_id = str(uuid.uuid4()), str(uuid.uuid4())
    with Running(network.consumer().run):
        publish_event(broker_url, tenant, intake_ev.ConsentGiven(
            consent_id=consent_id, intake_id=intake_id, kind=2, partner_org_id=ABH,
            topic_areas=[1], valid_from=days_ago(10)), source="/lotse/intake")
        poll(lambda: _count(superuser, "referral_consents WHERE consent_id = :c",
                            c=consent_id), message="the release in the copy")
    return intake_id, consent_id


@pytest.fixture
def endpoint(network, release, issuer, tenant):
    intake_id, consent_id = release
    stand_in = IntakeEndpoint(intake_id, {consent_id: {
        "kind": "release_of_confidentiality", "partner_org_id": ABH,
        "topic_areas": ["residence"], "valid_from": days_ago(10), "valid_until": None}})
    tokens = lambda: issuer.issue("network", tenant, "org-kreis", [SERVICE],  # noqa: E731
                                  client_id="network")
    network.__dict__["consent_client"] = IntakeConsents(
        lambda operator: stand_in.server.url if operator == "" else None, tokens, timeout=2)
    yield stand_in
    network.close_http_clients()
    stand_in.server.close()


def _count(superuser, where: str, **params) -> int:
    with superuser.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {where}"), params).scalar()


def _referral(intake_id: str) -> dict:
    return {"intake_id": intake_id, "partner_org_id": ABH, "mode": "referral_counselling",
            "topic_area": "residence", "reason": "Beratung zum Aufenthalt"}


def test_the_referral_asks_intake_for_its_release_and_a_withdrawal_there_refuses_at_once(
        network, release, endpoint, superuser, as_user):
    intake_id, consent_id = release
    lea = as_user("cm-lea")
    made = lea.post("/referrals", _referral(intake_id))
    assert made.status_code == 201, made.get_json()
    path, query, authorization = endpoint.asked[-1]
    assert path == f"/intakes/{intake_id}/consents/current"
    assert query == {"consent_id": [consent_id]} and authorization.startswith("Bearer ")

    endpoint.withdrawn.add(consent_id)  # withdrawn at intake; its event not here yet
    refused = lea.post("/referrals", _referral(intake_id))
    assert refused.status_code == 409
    assert refused.get_json()["missing"] == [{"partner_org_id": ABH, "partner_name": None,
                                              "topic_area": "residence"}]


def test_intake_not_answering_means_nothing_is_shared(network, release, endpoint, superuser,
                                                      as_user):
    intake_id, _ = release
    endpoint.status = 500
    answer = as_user("cm-lea").post("/referrals", _referral(intake_id))
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "nothing was shared" in json.dumps(answer.get_json())
    assert _count(superuser, "referrals WHERE intake_id = :i", i=intake_id) == 0
