"""What the gateway's tests share: the test route table, the issuers, a silent upstream."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from dataclasses import dataclass

from lotse_gateway.testing import JwksServer
from lotse_platform.auth import CASE_MANAGER
from lotse_platform.auth.devtokens import DevIssuer

TENANT = uuid.UUID("6f1c1e4e-8a52-4a57-9d43-0d7d3c1c2a11")
AREA = "area-nord"
CONSOLE = "http://console.lotse.test:5173"
LIMITS_FOR_EVERYBODY = """
limits:
  per_client: {requests: 100000, per: 10s}
  per_user: {requests: 100000, per: 10s}
"""



@dataclass
class Keys:
    """The identity stand-in: signs with ``current``; ``jwks`` is what it publishes."""

    jwks: JwksServer
    current: DevIssuer

    @property
    def issuer(self) -> str:
        return self.current.issuer

    def token(self, subject: str = "user-17", roles=(CASE_MANAGER,), **claims) -> str:
        return self.current.issue(subject, TENANT, "org-awo", list(roles), areas=[AREA],
                                  **claims)

    def new_key(self, kid: str) -> DevIssuer:
        return DevIssuer(issuer=self.current.issuer, kid=kid)


@dataclass
class County:
    """A county's own OIDC provider, trusted beside identity (LOTSE_TRUSTED_ISSUERS)."""

    jwks: JwksServer
    issuer: DevIssuer
    tenant: uuid.UUID

    @property
    def trusted_issuers(self) -> str:
        return json.dumps([{
            "issuer": self.issuer.issuer, "jwks_uri": self.jwks.url, "audience": "lotse-console",
            "tenant": str(self.tenant), "organisation": "org-kreis",
            "role_claim": "realm_access.roles", "role_map": {"kim-cm": CASE_MANAGER},
            "area_claim": "lotse_areas"}])

    def token(self, **claims) -> str:
        document = {"realm_access": {"roles": ["kim-cm"]}, "lotse_areas": [AREA]}
        document.update(claims)
        return self.issuer.issue("kc-user-1", None, None, None, **document)


class SilentUpstream:
    """Accepts connections and never answers: an upstream that hangs."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self._closed.set()
        self.listener.close()
        for connection in self.held:
            connection.close()


def routes_yaml(example_port: int, *, limits: str = LIMITS_FOR_EVERYBODY,
                extra_routes: str = "") -> str:
    return f"""
version: 1
defaults:
  health: {{path: /healthz, interval: 1s, down_interval: 200ms, rise: 1, fall: 1}}
{limits}
cors:
  origins: ["{CONSOLE}"]
routes:
  - name: example
    prefix: /api/v1/example
    upstreams: ["127.0.0.1:{example_port}"]
    timeouts: {{connect: 2s, server: 10s}}
    max_body_bytes: 4096
  - name: provider-awo-intake
    prefix: /api/v1/providers/awo-hoexter/intake
    upstreams: ["127.0.0.1:{example_port}"]
    openapi: false
{extra_routes}
"""
