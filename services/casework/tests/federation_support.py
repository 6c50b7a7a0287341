"""Test support for transfers between two casework deployments: each deployment's identity as
an HTTP stand-in (JWKS and a client-credentials token endpoint, signing with a
:class:`DevIssuer`), a WSGI app served over real HTTP on 127.0.0.1 that can be stopped and
started again on the same port (a peer that is down and comes back), and plain HTTP calls."""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

from werkzeug.serving import make_server

from lotse_platform.auth import SERVICE
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import JsonHandler, LocalServer


class IssuerStandIn(LocalServer):
    """One deployment's identity: ``GET /jwks`` and ``POST /token`` (client credentials,
    HTTP Basic) issuing service tokens of ``tenant`` for the clients in ``clients``."""

    def __init__(self, name: str, tenant: uuid.UUID, org: str,
                 clients: dict[str, str]) -> None:
        self.issuer = DevIssuer(issuer=f"https://identity.{name}.test")
        self.tenant, self.org, self.clients = tenant, org, clients
        self.tokens_issued = 0
        stand_in = self

        class Handler(JsonHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                if self.path != "/jwks":
                    return self.answer(404, {"error": "not_found"})
                self.answer(200, stand_in.issuer.jwks())

            def do_POST(self):  # noqa: N802
                self.read_body()
                try:
                    pair = base64.b64decode(self.headers.get("Authorization", "")
                                            .removeprefix("Basic ")).decode()
                    client_id, secret = (urllib.parse.unquote(p) for p in pair.split(":", 1))
                except ValueError:
                    return self.answer(401, {"error": "invalid_client"})
                if stand_in.clients.get(client_id) != secret:
                    return self.answer(401, {"error": "invalid_client"})
                stand_in.tokens_issued += 1
                self.answer(200, {"access_token": stand_in.service_token(client_id),
                                   "token_type": "Bearer", "expires_in": 600})


        super().__init__(Handler)

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    def service_token(self, client_id: str = "casework", tenant=None) -> str:
        return self.issuer.issue(client_id, tenant or self.tenant, self.org, [SERVICE],
                                 client_id=client_id)

    def user_token(self, subject: str, roles, areas=(), tenant=None, org=None) -> str:
        return self.issuer.issue(subject, tenant or self.tenant, org or self.org, list(roles),
                                 areas=list(areas))

    def trusted_as_peer(self) -> dict:
        """This issuer as an entry of the *other* deployment's ``LOTSE_TRUSTED_ISSUERS``:
        its tokens speak for its tenant only; only its ``service`` role is mapped."""
        return {"issuer": self.issuer.issuer, "jwks_uri": f"{self.url}/jwks",
                "tenant": str(self.tenant), "organisation_claim": "org",
                "role_claim": "roles", "role_map": {SERVICE: SERVICE},
                "area_claim": "areas", "client_id_claim": "client_id"}

class Served:
    """A WSGI app on 127.0.0.1 over HTTP. The port is taken at once (peers need the URL before
    the app exists: ``served.app = …`` later); :meth:`stop` and :meth:`start` take the server
    down and bring it back on the same port."""

    def __init__(self) -> None:
        self.app = None
        self._server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.port = self._server.port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    def _dispatch(self, environ, start_response):
        return self.app(environ, start_response)

    def start(self) -> None:
        if self._server is None:
            self._server = make_server("127.0.0.1", self.port, self._dispatch, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._server = None


def call(method: str, url: str, token: str | None, body: dict | None = None) -> tuple[int, dict]:
    """One HTTP request; (status, JSON body or {})."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, method=method, headers=headers, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as answer:
        status, raw = answer.code, answer.read()
    return status, (json.loads(raw) if raw else {})
