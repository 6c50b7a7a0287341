"""Calls to the casework of another Lotse deployment (a peer, ADR 0051).

Four calls, each with casework's machine token (client credentials, role ``service``), which
the peer accepts through its ``LOTSE_TRUSTED_ISSUERS`` entry for this deployment's identity:

- ``POST <peer>/federation/transfers`` — deliver an offer (ids and facts only); idempotent on
  the transfer id;
- ``GET <peer>/federation/transfers/<id>/package`` — the handover package (personal data; the
  peer audits the read with the receiving case manager named);
- ``POST <peer>/federation/transfers/<id>/accepted`` — report the acceptance; idempotent;
- ``POST <peer>/federation/transfers/<id>/cancelled`` — withdraw an offer; idempotent.

The answer decides what the caller does: 2xx is done; 404 / 409 / 422 → :class:`PeerRefused`
(a fact about the transfer: it is unknown, no longer pending, or cannot be received there);
anything else — unreachable, timeout, 5xx, 401 after a fresh token, 403 (a trust not yet
configured), an unreadable answer — :class:`PeerUnavailable`: a consumer raises and the broker
redelivers, a user gets 503.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable

log = logging.getLogger("lotse.casework.federation")

TokenSource = Callable[[], str]
REFUSALS = (404, 409, 422)


class PeerUnavailable(RuntimeError):
    """The peer could not be asked or did not answer usefully: try again later."""


class PeerRefused(RuntimeError):
    """The peer answered that the transfer cannot go on (404/409/422); ``detail`` is its
    problem document's text (ids and reasons, no personal data)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


class FederationClient:
    def __init__(self, tokens: TokenSource | None, *, timeout: float = 10.0,
                 invalidate: Callable[[], None] | None = None) -> None:
        self._tokens = tokens
        self._invalidate = invalidate
        self.timeout = timeout

    def deliver_offer(self, peer_url: str, offer: dict) -> None:
        self._expect(self._call("POST", f"{peer_url}/federation/transfers", offer))

    def fetch_package(self, peer_url: str, transfer_id: uuid.UUID, *, from_tenant_id: str,
                      case_manager_id: str) -> dict:
        query = urllib.parse.urlencode({"from_tenant_id": from_tenant_id,
                                        "case_manager_id": case_manager_id})
        body = self._expect(self._call(
            "GET", f"{peer_url}/federation/transfers/{transfer_id}/package?{query}"))
        try:
            document = json.loads(body)
        except ValueError:
            raise PeerUnavailable("unreadable handover package") from None
        if not isinstance(document, dict):
            raise PeerUnavailable("unreadable handover package")
        return document

    def report_accepted(self, peer_url: str, transfer_id: uuid.UUID, acceptance: dict) -> None:
        self._expect(self._call(
            "POST", f"{peer_url}/federation/transfers/{transfer_id}/accepted", acceptance))

    def report_cancelled(self, peer_url: str, transfer_id: uuid.UUID, cancel: dict) -> None:
        self._expect(self._call(
            "POST", f"{peer_url}/federation/transfers/{transfer_id}/cancelled", cancel))

    # -- plumbing --------------------------------------------------------------------------------
    def _expect(self, answer: tuple[int, bytes]) -> bytes:
        status, body = answer
        if 200 <= status < 300:
            return body
        if status in REFUSALS:
            raise PeerRefused(status, _problem_detail(body))
        raise PeerUnavailable(f"peer answered {status}")

    def _call(self, method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
        if self._tokens is None:
            raise PeerUnavailable("no machine credentials for calls to peers "
                                  "(LOTSE_TOKEN_URL, LOTSE_CASEWORK_CLIENT_ID/_SECRET)")
        for attempt in (1, 2):
            status, answer = self._once(method, url, body)
            if status == 401 and attempt == 1 and self._invalidate is not None:
                self._invalidate()  # the cached token was refused: one more with a fresh one
                continue
            return status, answer
        return status, answer

    def _once(self, method: str, url: str, body: dict | None) -> tuple[int, bytes]:
        try:
            token = self._tokens()
        except Exception as error:  # noqa: BLE001 - a token endpoint that fails: try later
            raise PeerUnavailable(f"no machine token: {type(error).__name__}") from None
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        request = urllib.request.Request(url, method=method, headers=headers, data=data)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read() or b""
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            log.warning("federation.unreachable", extra={"error": type(reason).__name__})
            raise PeerUnavailable(f"peer unreachable: {type(reason).__name__}") from None


def _problem_detail(body: bytes) -> str:
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        return "refused"
    if not isinstance(document, dict):
        return "refused"
    detail = document.get("detail") or document.get("title") or "refused"
    return str(detail)[:300]
