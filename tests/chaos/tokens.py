"""The drills' token issuer in identity's place: a :class:`~lotse_platform.auth.devtokens.
DevIssuer` served on 127.0.0.1 — its JWKS for the services (``LOTSE_JWKS_URL``) and a
client-credentials token endpoint for casework's machine client (``LOTSE_TOKEN_URL``).

``make up`` runs a development issuer the same way when identity is not installed
(:mod:`lotse_composition.devserver`). The drills leave identity out: its seeding (the demo users'
password hashes) alone takes longer than the short drills may, and no event of the load comes
from it. The load's users are case managers of one drill tenant, minted here.
"""

from __future__ import annotations

import uuid

from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import JsonHandler, LocalServer

TENANT = uuid.UUID("c4a05000-0000-4000-8000-000000000018")
ORG = "org-chaos-town"
TOKEN_TTL = 3600 * 4  # longer than the longest run: the load never needs a new one


class TokenServer:
    """JWKS at ``/.well-known/jwks.json``, client credentials at ``/oauth/token``."""

    def __init__(self) -> None:
        issuer_holder: list[DevIssuer] = []

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self.answer(200, issuer_holder[0].jwks())

            def do_POST(self) -> None:  # noqa: N802
                self.read_body()
                issuer = issuer_holder[0]
                # any client is casework's machine client here: a drill's stand-in, not a check
                token = issuer.issue("casework", TENANT, "org-kreis", ["service"],
                                     ttl=TOKEN_TTL, client_id="casework")
                self.answer(200, {"access_token": token, "token_type": "Bearer",
                                  "expires_in": TOKEN_TTL})

        self.server = LocalServer(Handler, keep_alive=True)
        self.issuer = DevIssuer(issuer=self.server.url, kid="chaos-drill")
        issuer_holder.append(self.issuer)
        self.jwks_url = f"{self.server.url}/.well-known/jwks.json"
        self.token_url = f"{self.server.url}/oauth/token"

    def case_manager(self, subject: str, area: str) -> str:
        """An access token of a case manager of ``area`` in the drill tenant."""
        return self.issuer.issue(subject, TENANT, ORG, ["case_manager"], areas=[area],
                                 ttl=TOKEN_TTL)

    def close(self) -> None:
        self.server.close()
