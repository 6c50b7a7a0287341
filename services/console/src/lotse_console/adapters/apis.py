"""The console as a client of the platform's public APIs: every call with the user's own
token (refreshed quietly by Authlib when it is about to expire), through the gateway in the
cluster and through the embedded server's routes in ``make run``.

An answer is handed back as it came (status and JSON); what a page makes of a 403 or a
problem document is the page's business. A service that does not answer in time or fails (5xx)
is a :class:`ServiceUnavailable`, a 429 a :class:`Throttled`; the pages show both as a German
message, never a stack trace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth

log = logging.getLogger("lotse.console.apis")


class ServiceUnavailable(Exception):
    """A service did not answer (in time)."""

    def __init__(self, service: str) -> None:
        super().__init__(service)
        self.service = service


class Throttled(Exception):
    """The gateway or a service asked to slow down (429): the page says so in German and passes
    its ``Retry-After`` on, instead of reading the problem document as the data it wanted."""

    def __init__(self, service: str, retry_after: str | None) -> None:
        super().__init__(service)
        self.service, self.retry_after = service, retry_after


class SessionEnded(Exception):
    """The user's token could not be refreshed: she has to log in again."""


@dataclass(frozen=True)
class File:
    """A file an API answered (a CSV, a workbook, a chart), its bytes as they came."""

    status: int
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def problem(self) -> dict[str, Any] | None:
        return self.body if isinstance(self.body, dict) and not self.ok else None


class Apis:
    """Calls ``/api/v1/<service>/<path>`` below ``base`` with the session's token."""

    def __init__(self, oauth: OAuth, base: str, timeout: float) -> None:
        self.oauth, self.base, self.timeout = oauth, base.rstrip("/"), timeout

    def call(self, token: dict[str, Any], method: str, service: str, path: str, *,
             params: dict[str, Any] | None = None, body: Any = None) -> Answer:
        response = self._send(token, method, service, path, params=params, body=body,
                              accept="application/json")
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = None
        return Answer(response.status_code, payload)

    def file(self, token: dict[str, Any], service: str, path: str) -> File:
        """A file of an API (``GET``), for the browser to download or show."""
        response = self._send(token, "GET", service, path, accept="*/*")
        return File(response.status_code, response.content,
                    response.headers.get("Content-Type", "application/octet-stream"))

    def _send(self, token: dict[str, Any], method: str, service: str, path: str, *,
              accept: str, params: dict[str, Any] | None = None,
              body: Any = None) -> requests.Response:
        url = f"{self.base}/api/v1/{service}/{path.lstrip('/')}"
        try:
            response: requests.Response = self.oauth.identity.request(
                method, url, token=token, params=params, json=body, timeout=self.timeout,
                headers={"Accept": accept})
        except OAuthError as error:  # the refresh was refused: the login has ended
            log.info("console.refresh_refused", extra={"error": error.error})
            raise SessionEnded() from None
        except requests.RequestException as error:
            log.warning("console.api_unreachable",
                        extra={"service_name": service, "error_type": type(error).__name__})
            raise ServiceUnavailable(service) from None
        if response.status_code == 401:
            raise SessionEnded()
        if response.status_code == 429:
            log.info("console.api_throttled", extra={"service_name": service})
            raise Throttled(service, response.headers.get("Retry-After"))
        if response.status_code >= 500:  # a failure of the service, not the page's business
            raise ServiceUnavailable(service)
        return response

    def get(self, token: dict[str, Any], service: str, path: str, **params: Any) -> Answer:
        return self.call(token, "GET", service, path, params=params or None)

    def post(self, token: dict[str, Any], service: str, path: str, body: Any) -> Answer:
        return self.call(token, "POST", service, path, body=body)

    def put(self, token: dict[str, Any], service: str, path: str, body: Any) -> Answer:
        return self.call(token, "PUT", service, path, body=body)

    def patch(self, token: dict[str, Any], service: str, path: str, body: Any) -> Answer:
        return self.call(token, "PATCH", service, path, body=body)
