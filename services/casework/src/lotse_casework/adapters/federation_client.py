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

import logging
import urllib.parse
import uuid
from collections.abc import Callable

from lotse_platform import json_depth
from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable, problem_detail
from lotse_platform.errors import ServiceUnavailable

log = logging.getLogger("lotse.casework.federation")

TokenSource = Callable[[], str]
REFUSALS = (404, 409, 422)


class PeerUnavailable(ServiceUnavailable):
    """The peer could not be asked or did not answer usefully: try again later (503 with
    ``Retry-After: 30``). ``reason`` (a status, an exception's class name) goes to the log,
    not to the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__("the other county's casework cannot be reached; try again later",
                         retry_after=30, reason=reason)


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
        self._caller = ServiceCaller(
            tokens, timeout=timeout, invalidate=invalidate, log_event="federation.unreachable",
            logger=log, missing_credentials="no machine credentials for calls to peers "
            "(LOTSE_TOKEN_URL, LOTSE_CASEWORK_CLIENT_ID/_SECRET)")

    def close(self) -> None:
        """Close the connections to the peers (the client is not used afterwards)."""
        self._caller.close()

    def deliver_offer(self, peer_url: str, offer: dict) -> None:
        self._expect(self._call("POST", f"{peer_url}/federation/transfers", offer))

    def fetch_package(self, peer_url: str, transfer_id: uuid.UUID, *, from_tenant_id: str,
                      case_manager_id: str) -> dict:
        query = urllib.parse.urlencode({"from_tenant_id": from_tenant_id,
                                        "case_manager_id": case_manager_id})
        body = self._expect(self._call(
            "GET", f"{peer_url}/federation/transfers/{transfer_id}/package?{query}"))
        try:
            document = json_depth.loads(body)
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

    def report_erasure(self, peer_url: str, transfer_id: uuid.UUID, erasure: dict) -> None:
        self._expect(self._call(
            "POST", f"{peer_url}/federation/transfers/{transfer_id}/erasure", erasure))

    # -- plumbing --------------------------------------------------------------------------------
    def _expect(self, answer: tuple[int, bytes]) -> bytes:
        status, body = answer
        if 200 <= status < 300:
            return body
        if status in REFUSALS:
            raise PeerRefused(status, problem_detail(body))
        raise PeerUnavailable(f"peer answered {status}")

    def _call(self, method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
        try:
            return self._caller.call(method, url, body)
        except ServiceUnreachable as error:
            raise PeerUnavailable(f"peer: {error}") from None
