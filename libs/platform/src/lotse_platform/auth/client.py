"""Machine tokens: a Lotse service calling another with the OAuth 2 client-credentials grant.

    tokens = ClientCredentials.from_environment("casework")   # None when not configured
    request.add_header("Authorization", f"Bearer {tokens.token()}")

reads ``LOTSE_TOKEN_URL`` (the issuer's token endpoint, platform-wide) and
``LOTSE_<SERVICE>_CLIENT_ID`` / ``LOTSE_<SERVICE>_CLIENT_SECRET`` (the service's own client,
registered at identity with role ``service``). The token is cached and shared by the threads of
a process until ``refresh_margin`` seconds before it expires; a caller that is refused with 401
calls :meth:`ClientCredentials.invalidate` and asks again.

:class:`ServiceCaller` makes the calls themselves: JSON over HTTP with that token, a 401 retried
once with a fresh one, a service that cannot be asked raised as :class:`ServiceUnreachable`.

RFC 6749 §4.4: ``POST grant_type=client_credentials`` with the client authenticated by HTTP
Basic (``client_secret_basic``, the default every OAuth server supports) or in the form body
(``client_secret_post``), made by Authlib's client (``OAuth2Client`` of its HTTPX2 integration,
``fetch_token``). How long a token is kept stays here: Authlib's own expiry check reads the wall
clock and whole seconds, the cache below an injectable monotonic clock.

Each :class:`ClientCredentials` and each :class:`ServiceCaller` has one pooled HTTP client
(:mod:`lotse_platform.outgoing`): its connections are reused from call to call; ``close()`` ends
them with their owner. Errors never repeat the secret or the token.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import httpx2
from authlib.integrations.httpx_client import OAuth2Client, OAuthError
from cachetools import TLRUCache
from opentelemetry import propagate

from .. import json_depth, outgoing

log = logging.getLogger("lotse.auth.client")

DEFAULT_TTL = 300  # when the server does not say (expires_in is only RECOMMENDED)


class TokenRequestFailed(RuntimeError):
    """The token endpoint refused (``error`` is its OAuth error code) or could not be reached
    (``status`` is None)."""

    def __init__(self, message: str, *, status: int | None = None, error: str | None = None):
        super().__init__(message)
        self.status = status
        self.error = error


class ClientCredentials:
    """A cached access token for one client at one token endpoint (thread-safe).

    Holds a pooled connection to the token endpoint; :meth:`close` ends it."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, *,
                 scope: str | None = None, audience: str | None = None,
                 auth_method: str = "client_secret_basic", timeout: float = 5.0,
                 refresh_margin: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not token_url or not client_id or not client_secret:
            raise ValueError("client credentials need a token URL, a client id and a secret")
        if auth_method not in ("client_secret_basic", "client_secret_post"):
            raise ValueError(f"unsupported client authentication {auth_method!r}")
        self.token_url = token_url
        self.client_id = client_id
        self.scope = scope
        self.audience = audience
        self.auth_method = auth_method
        self.timeout = timeout
        self.refresh_margin = refresh_margin
        self._lock = threading.Lock()
        # the token and its lifetime, until refresh_margin seconds before it expires
        self._token: TLRUCache[str, tuple[str, float]] = TLRUCache(
            maxsize=1, ttu=self._refresh_at, timer=clock)
        self.requests = 0  # token requests made (for metrics and tests)
        self._oauth = OAuth2Client(
            client_id=client_id, client_secret=client_secret, scope=scope,
            token_endpoint_auth_method=auth_method, token_endpoint=token_url,
            grant_type="client_credentials", **outgoing.client_options(timeout=timeout))
        # Authlib's basic authentication joins id and secret as they are; RFC 6749 §2.3.1 wants
        # both form-urlencoded first (a secret with '%' or ':' would not match otherwise)
        self._oauth.register_client_auth_method(("client_secret_basic", _client_secret_basic))
        self._oauth.register_compliance_hook("access_token_response", _refused)

    @classmethod
    def from_environment(cls, service: str, environ: dict[str, str] | None = None,
                         **options: Any) -> ClientCredentials | None:
        """The service's client from ``LOTSE_TOKEN_URL`` and ``LOTSE_<SERVICE>_CLIENT_ID`` /
        ``_CLIENT_SECRET``; None when any of them is unset (the caller decides whether that is
        an error)."""
        env = os.environ if environ is None else environ
        prefix = f"LOTSE_{service.upper()}_"
        token_url = env.get("LOTSE_TOKEN_URL")
        client_id = env.get(f"{prefix}CLIENT_ID")
        secret = env.get(f"{prefix}CLIENT_SECRET")
        if not (token_url and client_id and secret):
            return None
        return cls(token_url, client_id, secret, **options)

    def token(self) -> str:
        """A valid access token: the cached one, or a new one from the token endpoint."""
        with self._lock:
            cached = self._token.get("token")
            if cached is None:
                cached = self._token["token"] = self._request()
            return cached[0]

    def _refresh_at(self, _key: str, cached: tuple[str, float], now: float) -> float:
        """When a token got ``now`` is to be replaced (cachetools' time-to-use)."""
        return now + max(0.0, cached[1] - self.refresh_margin)

    def authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def invalidate(self) -> None:
        """Forget the cached token (the peer refused it): the next call fetches a new one."""
        with self._lock:
            self._token.clear()

    def close(self) -> None:
        """Close the connections to the token endpoint (a later :meth:`token` cannot fetch)."""
        self._oauth.close()

    def __enter__(self) -> ClientCredentials:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self) -> tuple[str, float]:
        self.requests += 1
        document: Any
        try:
            document = self._oauth.fetch_token(audience=self.audience)
        except outgoing.TRANSPORT_ERRORS as failure:
            raise TokenRequestFailed(
                f"token endpoint unreachable: {outgoing.reason(failure)}") from None
        except _Refusal as refusal:
            raise TokenRequestFailed(
                f"token endpoint refused client {self.client_id!r}: {refusal.status}"
                + (f" {refusal.error}" if refusal.error else ""),
                status=refusal.status, error=refusal.error) from None
        except OAuthError as error:  # a success status with an OAuth error in it
            raise TokenRequestFailed(f"token endpoint answered {error.error}",
                                     error=error.error) from None
        except (ValueError, TypeError):  # not JSON, not an object, an unreadable expires_in
            document = None
        try:
            token = document["access_token"]
            if not isinstance(token, str) or not token:
                raise ValueError
            lifetime = float(document.get("expires_in") or DEFAULT_TTL)
        except (ValueError, KeyError, TypeError):
            raise TokenRequestFailed("token endpoint answered without an access token") from None
        return token, lifetime


class _Refusal(Exception):
    """A token endpoint's answer other than a success (raised within Authlib's fetch_token)."""

    def __init__(self, status: int, error: str | None) -> None:
        super().__init__(status)
        self.status = status
        self.error = error


def _refused(response: httpx2.Response) -> httpx2.Response:
    """Authlib's ``access_token_response`` hook: a refusal keeps its status and OAuth error."""
    if response.is_success:
        return response
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    raise _Refusal(response.status_code, error if isinstance(error, str) else None)


def _client_secret_basic(client: Any, method: str, uri: str, headers: dict[str, str],
                         body: str) -> tuple[str, dict[str, str], str]:
    """HTTP Basic with id and secret form-urlencoded (RFC 6749 §2.3.1), as Authlib calls it."""
    pair = (f"{urllib.parse.quote(client.client_id, safe='')}:"
            f"{urllib.parse.quote(client.client_secret, safe='')}")
    headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    return uri, headers, body


class ServiceUnreachable(RuntimeError):
    """Another service could not be asked: no machine token, no connection, no answer in time.
    The caller tries again later (a consumer raises, so the broker redelivers)."""


class ServiceCaller:
    """Calls to another Lotse service with this service's machine token.

        caller = ServiceCaller(tokens.token, invalidate=tokens.invalidate, timeout=10)
        status, body = caller.call("GET", f"{intake}/handovers/{intake_id}")
        caller.close()  # with its owner

    Every answer comes back as ``(status, body)`` — what a status means is the caller's
    business; a 401 is asked once more with a fresh token (the cached one may have been issued
    before a key rotation or revoked). Without a token source, without a token, or without an
    answer it raises :class:`ServiceUnreachable`; the log line (``<log_event>``) names the
    exception's class, never the URL's ids or the token. One pooled HTTP client per caller:
    calls reuse its connections.
    """

    def __init__(self, tokens: Callable[[], str] | None, *, timeout: float = 10.0,
                 invalidate: Callable[[], None] | None = None,
                 log_event: str = "service_call.unreachable", logger: logging.Logger = log,
                 missing_credentials: str = "no machine credentials") -> None:
        self._tokens = tokens
        self._invalidate = invalidate
        self.timeout = timeout
        self._log, self._log_event = logger, log_event
        self._missing = missing_credentials
        self._http = outgoing.http_client(timeout=timeout)

    def call(self, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        if self._tokens is None:
            raise ServiceUnreachable(self._missing)
        status, answer = self._once(self._tokens, method, url, body)
        if status == 401 and self._invalidate is not None:
            self._invalidate()  # the cached token was refused: once more with a fresh one
            status, answer = self._once(self._tokens, method, url, body)
        return status, answer

    def close(self) -> None:
        """Close the connections this caller keeps open."""
        self._http.close()

    def __enter__(self) -> ServiceCaller:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def build_request(self, method: str, url: str, token: str,
                      body: dict[str, Any] | None = None) -> httpx2.Request:
        """The request as it goes out: the one place its headers are set."""
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        content = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(body).encode()
        # the current trace context (W3C traceparent) travels with the call (ADR 0006)
        propagate.inject(headers)
        return self._http.build_request(method, url, headers=headers, content=content)

    def _once(self, tokens: Callable[[], str], method: str, url: str,
              body: dict[str, Any] | None) -> tuple[int, bytes]:
        try:
            token = tokens()
        except Exception as error:  # noqa: BLE001 - a token endpoint that fails: try later
            raise ServiceUnreachable(f"no machine token: {type(error).__name__}") from None
        try:
            response = self._http.send(self.build_request(method, url, token, body))
        except outgoing.TRANSPORT_ERRORS as error:
            reason = outgoing.reason(error)
            self._log.warning(self._log_event, extra={"error": reason})
            raise ServiceUnreachable(f"unreachable: {reason}") from None
        return response.status_code, response.content


def problem_detail(body: bytes, limit: int = 300) -> str:
    """The ``detail`` (or ``title``) of an RFC 9457 problem document, "refused" without one."""
    try:
        document = json_depth.loads(body or b"{}")
    except ValueError:
        return "refused"
    if not isinstance(document, dict):
        return "refused"
    return str(document.get("detail") or document.get("title") or "refused")[:limit]
