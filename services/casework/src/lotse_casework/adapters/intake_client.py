"""The one synchronous call casework makes: fetching the handover package from intake.

``GET <intake base URL>/handovers/<intake_id>`` with a machine token (client credentials, role
``service``). The answer decides what the admission handler does:

- 200 → :class:`HandoverPackage`;
- 403 / 409 (a problem document) → :class:`HandoverRefused`: intake will not hand over, e.g.
  the consent for the handover is missing; the admission waits for consent;
- anything else (unreachable, 5xx, 401 after a fresh token, 404, an unreadable answer) →
  :class:`HandoverUnavailable`: the event handler raises, the event is redelivered and, at the
  delivery limit, dead-lettered (replayable with ``lotse-deadletters replay``).

The GET is idempotent: fetching twice hands over nothing twice. The calls share one pooled
connection (:class:`~lotse_platform.auth.client.ServiceCaller`); :meth:`IntakeClient.close`
ends it.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Callable

from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable, problem_detail

from ..domain.handover import HandoverPackage, MalformedHandover

log = logging.getLogger("lotse.casework.intake")

TokenSource = Callable[[], str]


class HandoverUnavailable(RuntimeError):
    """Intake could not be asked or did not answer usefully: try again later."""


class HandoverRefused(RuntimeError):
    """Intake refused the handover (403/409): ``detail`` says why, without personal data."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


class IntakeClient:
    def __init__(self, url_for: Callable[[str], str | None], tokens: TokenSource | None, *,
                 timeout: float = 10.0, invalidate: Callable[[], None] | None = None) -> None:
        self._url_for = url_for
        self._caller = ServiceCaller(
            tokens, timeout=timeout, invalidate=invalidate, log_event="handover.unreachable",
            logger=log, missing_credentials="no machine credentials for the handover call "
            "(LOTSE_TOKEN_URL, LOTSE_CASEWORK_CLIENT_ID/_SECRET)")

    def close(self) -> None:
        """Close the connections to intake (the client is not used afterwards)."""
        self._caller.close()

    def fetch_handover(self, operator_org_id: str, intake_id: str) -> HandoverPackage:
        base = self._url_for(operator_org_id)
        if not base:
            raise HandoverUnavailable(f"no intake URL for operator {operator_org_id!r} "
                                      "(LOTSE_CASEWORK_INTAKE_URLS)")
        url = f"{base.rstrip('/')}/handovers/{urllib.parse.quote(intake_id, safe='')}"
        try:
            status, body = self._caller.call("GET", url)
        except ServiceUnreachable as error:
            raise HandoverUnavailable(f"intake: {error}") from None
        if status == 200:
            try:
                return HandoverPackage.parse(json.loads(body), intake_id)
            except (ValueError, MalformedHandover) as error:
                raise HandoverUnavailable(f"unreadable handover package: {error}") from None
        if status in (403, 409):
            raise HandoverRefused(status, problem_detail(body))
        raise HandoverUnavailable(f"intake answered {status}")
