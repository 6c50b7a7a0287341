"""The platform as a client meets it, for the end-to-end tests: identity, intake, casework,
network, steering, reporting and the example service, each under gunicorn on its own fresh PostgreSQL database and this run's
RabbitMQ vhost, behind the HAProxy gateway that trusts identity's JWKS.

:class:`Platform` is what a test talks to: ``platform.call("GET", "casework", "/caseload",
token)`` goes through the gateway, ``direct=True`` straight to the service's port (services
verify tokens themselves). Tokens come from identity through the gateway, with the password
grant for the demo county (``LOTSE_IDENTITY_ALLOW_PASSWORD_GRANT=true``) and the authorization
code flow with PKCE for a tenant created with ``lotse-identity create-tenant``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import subprocess
import threading
import urllib.parse
from dataclasses import dataclass, field

from joserfc import jws

from lotse_demo import DEMO_PASSWORD
from lotse_gateway.testing import BIN, GatewayProcess, Response, ServiceProcess, call

SERVICES = ("identity", "intake", "casework", "network", "steering", "reporting", "example")
CONSOLE = "lotse-console"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def kid_of(token: str) -> str:
    return jws.extract_compact(token.encode()).headers()["kid"]


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@dataclass
class Platform:
    gateway: GatewayProcess
    services: dict[str, ServiceProcess]
    #: the environment each service's command line runs with (``lotse-<service> …``)
    env: dict[str, dict[str, str]]
    issuer: str
    _tokens: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- HTTP --------------------------------------------------------------------------------------
    def url(self, service: str, path: str, *, direct: bool = False) -> str:
        if direct:
            return f"{self.services[service].url}{path}"
        return f"{self.gateway.url}/api/v1/{service}{path}"

    def call(self, method: str, service: str, path: str, token: str | None = None, *,
             json_body: object = None, form: dict | None = None, direct: bool = False,
             timeout: float = 20.0) -> Response:
        headers = bearer(token)
        body = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(json_body).encode()
        elif form is not None:
            headers.update(FORM)
            body = urllib.parse.urlencode(form).encode()
        return call(method, self.url(service, path, direct=direct), headers=headers, body=body,
                    timeout=timeout)

    # -- tokens ------------------------------------------------------------------------------------
    def password_login(self, username: str, password: str = DEMO_PASSWORD,
                       client_id: str = CONSOLE) -> dict:
        """The token response of identity's password grant, asked through the gateway."""
        response = self.call("POST", "identity", "/oauth/token", form={
            "grant_type": "password", "client_id": client_id, "username": username,
            "password": password})
        assert response.status == 200, (username, response.status, response.body[:300])
        return response.json()

    def token(self, username: str) -> str:
        """An access token of a demo user (logged in once per run; tokens live 10 minutes)."""
        with self._lock:
            cached = self._tokens.get(username)
        if cached is None:
            cached = self.password_login(username)["access_token"]
            with self._lock:
                self._tokens[username] = cached
        return cached

    def refresh(self, refresh_token: str, client_id: str = CONSOLE) -> dict:
        response = self.call("POST", "identity", "/oauth/token", form={
            "grant_type": "refresh_token", "client_id": client_id,
            "refresh_token": refresh_token})
        assert response.status == 200, (response.status, response.body[:300])
        return response.json()

    def code_login(self, client_id: str, redirect_uri: str, username: str,
                   password: str) -> str:
        """The web console's login: authorization code with PKCE (S256), all through the
        gateway; returns the access token."""
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        state = secrets.token_urlsafe(8)
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
            "state": state, "code_challenge": challenge, "code_challenge_method": "S256"})
        page = self.call("POST", "identity", f"/oauth/authorize?{query}",
                         form={"username": username, "password": password})
        assert page.status == 302, (page.status, page.body[:300])
        answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
            page.header("location")).query))
        assert answer.get("state") == state and "code" in answer, answer
        response = self.call("POST", "identity", "/oauth/token", form={
            "grant_type": "authorization_code", "client_id": client_id, "code": answer["code"],
            "redirect_uri": redirect_uri, "code_verifier": verifier})
        assert response.status == 200, (response.status, response.body[:300])
        return response.json()["access_token"]

    # -- command lines -----------------------------------------------------------------------------
    def cli(self, service: str, *args: str, timeout: float = 60) -> str:
        """``lotse-<service> <args>`` with the service's environment; its stdout."""
        result = subprocess.run([str(BIN / f"lotse-{service}"), *args], env=self.env[service],
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, (service, args, result.stderr[-2000:])
        return result.stdout
