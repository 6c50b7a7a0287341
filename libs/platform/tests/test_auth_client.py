"""Client credentials: a service gets a machine token once, reuses it until shortly before it
expires, and is told precisely when the token endpoint refuses or is not there."""

from __future__ import annotations

import base64
import json
import socket
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lotse_platform.auth import SERVICE, TokenVerifier
from lotse_platform.auth.client import ClientCredentials, TokenRequestFailed
from lotse_platform.auth.devtokens import DevIssuer

TENANT = uuid.uuid4()


class TokenEndpointStandIn:
    """An OAuth token endpoint on 127.0.0.1 that knows one client and signs with a DevIssuer."""

    def __init__(self, client_id: str = "casework", secret: str = "s3cret:/+", ttl: int = 600):
        self.issuer = DevIssuer()
        self.client_id, self.secret, self.ttl = client_id, secret, ttl
        self.forms: list[dict] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                stand_in.forms.append(form)
                client, secret = form.get("client_id"), form.get("client_secret")
                basic = self.headers.get("Authorization", "")
                if basic.startswith("Basic "):
                    pair = base64.b64decode(basic[6:]).decode()
                    client, _, secret = (urllib.parse.unquote(p) for p in pair.partition(":"))
                if form.get("grant_type") != "client_credentials":
                    return self._answer(400, {"error": "unsupported_grant_type"})
                if (client, secret) != (stand_in.client_id, stand_in.secret):
                    return self._answer(401, {"error": "invalid_client"})
                token = stand_in.issuer.issue(client, TENANT, "org-kreis", [SERVICE],
                                              client_id=client)
                self._answer(200, {"access_token": token, "token_type": "Bearer",
                                   "expires_in": stand_in.ttl})

            def _answer(self, status, document):
                body = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oauth/token"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def endpoint():
    with TokenEndpointStandIn() as stand_in:
        yield stand_in


def test_a_machine_token_identifies_the_client_with_the_service_role(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+")
    verifier = TokenVerifier(endpoint.issuer.keys(), issuer=endpoint.issuer.issuer,
                             audience="lotse")
    principal = verifier.verify(tokens.token())
    assert principal.is_client and principal.subject == "casework"
    assert principal.has_any_role(SERVICE)
    assert endpoint.forms[0]["grant_type"] == "client_credentials"
    assert "client_secret" not in endpoint.forms[0], "basic authentication keeps it out of the form"


def test_the_token_is_reused_until_shortly_before_it_expires(endpoint):
    clock = Clock()
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+", refresh_margin=30,
                               clock=clock)
    first = tokens.token()
    clock.now += 500
    assert tokens.token() == first and tokens.requests == 1
    clock.now += 71  # 571 s after the first: within 30 s of the 600 s lifetime
    assert tokens.token() != first and tokens.requests == 2


def test_an_invalidated_token_is_fetched_anew(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+")
    tokens.token()
    tokens.invalidate()
    tokens.token()
    assert tokens.requests == 2


def test_threads_share_one_token_request(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+")
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(tokens.token())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1 and tokens.requests == 1


def test_client_secret_post_sends_the_credentials_in_the_form(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "s3cret:/+",
                               auth_method="client_secret_post", scope="handover")
    assert tokens.token()
    assert endpoint.forms[0]["client_id"] == "casework"
    assert endpoint.forms[0]["scope"] == "handover"


def test_a_wrong_secret_is_refused_with_the_oauth_error_and_without_the_secret(endpoint):
    tokens = ClientCredentials(endpoint.url, "casework", "wrong-secret")
    with pytest.raises(TokenRequestFailed) as refused:
        tokens.token()
    assert refused.value.status == 401 and refused.value.error == "invalid_client"
    assert "wrong-secret" not in str(refused.value)


def test_an_unreachable_token_endpoint_is_reported_without_a_status():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tokens = ClientCredentials(f"http://127.0.0.1:{port}/oauth/token", "casework", "x",
                               timeout=2)
    with pytest.raises(TokenRequestFailed) as failed:
        tokens.token()
    assert failed.value.status is None


def test_the_client_is_configured_from_the_environment_or_not_at_all():
    env = {"LOTSE_TOKEN_URL": "http://127.0.0.1:1/token", "LOTSE_CASEWORK_CLIENT_ID": "cw",
           "LOTSE_CASEWORK_CLIENT_SECRET": "secret"}
    tokens = ClientCredentials.from_environment("casework", env)
    assert tokens.client_id == "cw" and tokens.token_url == "http://127.0.0.1:1/token"
    del env["LOTSE_CASEWORK_CLIENT_SECRET"]
    assert ClientCredentials.from_environment("casework", env) is None
    with pytest.raises(ValueError):
        ClientCredentials("", "cw", "secret")
