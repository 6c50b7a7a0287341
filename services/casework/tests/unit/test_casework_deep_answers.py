"""An intake (a provider may run its own) or a peer deployment that answers casework with JSON
nested a thousand levels deep is an unreadable answer — 503, nothing shared or taken over — not
a RecursionError and a 500 (ADR 0060)."""

from __future__ import annotations

import uuid

import pytest

from lotse_platform.testing import JsonHandler, LocalServer

from lotse_casework.adapters.federation_client import FederationClient, PeerUnavailable
from lotse_casework.adapters.intake_client import (
    ConsentCheckUnavailable,
    HandoverUnavailable,
    IntakeClient,
    IntakeConsents,
)

DEEP = b'{"intake_id": ' + b"[" * 1500 + b"]" * 1500 + b"}"


class AnswersDeeply(JsonHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(DEEP)))
        self.end_headers()
        self.wfile.write(DEEP)


@pytest.fixture(scope="module")
def server():
    served = LocalServer(AnswersDeeply)
    yield served.url
    served.close()


def tokens() -> str:
    return "machine-token"


def test_a_deep_handover_package_is_unavailable(server):
    client = IntakeClient(lambda operator: server, tokens, timeout=5)
    try:
        with pytest.raises(HandoverUnavailable, match="unreadable"):
            client.fetch_handover("", str(uuid.uuid4()))
    finally:
        client.close()


def test_a_deep_consent_state_is_unavailable(server):
    client = IntakeConsents(lambda operator: server, tokens, timeout=5)
    try:
        with pytest.raises(ConsentCheckUnavailable, match="unreadable"):
            client.current_consents("", str(uuid.uuid4()), [str(uuid.uuid4())])
    finally:
        client.close()


def test_a_deep_package_of_a_peer_is_unavailable(server):
    client = FederationClient(tokens, timeout=5)
    try:
        with pytest.raises(PeerUnavailable, match="unreadable"):
            client.fetch_package(server, uuid.uuid4(), from_tenant_id=str(uuid.uuid4()),
                                 case_manager_id="cm-lea")
    finally:
        client.close()
