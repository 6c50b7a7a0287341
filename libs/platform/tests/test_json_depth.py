"""JSON from outside is measured before it is parsed (ADR 0060): how deep it nests, on its raw
bytes, so that no parser recurses a thousand levels — in a request body (test_http_request_text),
in the unverified payload of a bearer token, and in a document fetched from another server."""

from __future__ import annotations

import base64

import pytest

from lotse_platform import outgoing
from lotse_platform.auth import TokenVerifier, TrustedIssuers
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.errors import Unauthenticated
from lotse_platform.json_depth import MAX_JSON_DEPTH, nesting_depth, too_deep
from lotse_platform.testing import JsonHandler, LocalServer

DEEP = b"[" * 1500 + b"]" * 1500


@pytest.mark.parametrize(("document", "depth"), [
    (b'{}', 1), (b'[[], [[]], {"a": [{}]}]', 4), (b'"[[["', 0), (b'["\\"[[", "\\\\", [[]]]', 3),
    (b'["\\\\\\"[", {"a": "]]]]"}]', 2), (b'[[[', 3), (b']]][[', 2), (b'["[[[', 1),
    (b'{"a": "\\u005b[", "b": [1, [2]]}', 3),
], ids=["empty-object", "mixed", "only-a-string", "escaped-quote", "escaped-backslash-and-quote",
        "unclosed", "closed-first", "unterminated-string", "escaped-bracket"])
def test_the_depth_is_measured_on_the_raw_bytes_as_a_parser_would_reach_it(document, depth):
    assert nesting_depth(document) == depth


def test_a_document_is_too_deep_one_level_over_the_limit():
    at_the_limit = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH

    assert not too_deep(at_the_limit)
    assert too_deep(b"[" + at_the_limit + b"]")
    assert too_deep(DEEP)


def test_a_token_whose_unverified_payload_nests_deeply_is_malformed_not_a_crash():
    """With external issuers trusted, the payload is parsed to find the issuer before any
    signature is checked: anyone can send such a token."""
    identity = DevIssuer(issuer="http://127.0.0.1/api/v1/identity")
    verifier = TrustedIssuers([TokenVerifier(identity.keys(), issuer=identity.issuer,
                                             audience="lotse")])
    encoded = [base64.urlsafe_b64encode(part).rstrip(b"=").decode()
               for part in (b'{"alg": "RS256", "kid": "x"}', DEEP, b"signature")]

    with pytest.raises(Unauthenticated, match="malformed"):
        verifier.verify(".".join(encoded))


def test_a_fetched_document_that_nests_deeply_is_unreadable():
    class Deep(JsonHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(DEEP)))
            self.end_headers()
            self.wfile.write(DEEP)

    server = LocalServer(Deep)
    try:
        with outgoing.http_client(timeout=5) as client, pytest.raises(ValueError, match="deeper"):
            outgoing.get_json(client, f"{server.url}/jwks.json", max_bytes=10_000)
    finally:
        server.close()
