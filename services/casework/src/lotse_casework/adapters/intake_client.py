"""Casework's calls to intake: fetching the handover package (:class:`IntakeClient`), and
confirming consents at the moment of sharing (:class:`IntakeConsents`, ADR 0053, below).

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

import logging
import urllib.parse
from collections.abc import Callable, Sequence

from lotse_platform import json_depth
from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable, problem_detail
from lotse_platform.consent_state import ConsentCheckUnavailable, IntakeConsentCheck

from ..domain.consent_check import CurrentConsent
from ..domain.handover import HandoverPackage, MalformedHandover
from ..domain.vocabulary import TOPIC_AREAS

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


class _IntakeEndpoint:
    """Calls to the intake that serves an operator (the county's own, or a provider's instance:
    ``url_for``), with casework's machine token on one pooled connection."""

    #: what the calls are for, in the log event and the missing-credentials message
    purpose: str = ""

    def __init__(self, url_for: Callable[[str], str | None], tokens: TokenSource | None, *,
                 timeout: float, invalidate: Callable[[], None] | None = None) -> None:
        self._url_for = url_for
        self._caller = ServiceCaller(
            tokens, timeout=timeout, invalidate=invalidate,
            log_event=f"{self.purpose.replace(' ', '_')}.unreachable", logger=log,
            missing_credentials=f"no machine credentials for the {self.purpose} call "
            "(LOTSE_TOKEN_URL, LOTSE_CASEWORK_CLIENT_ID/_SECRET)")

    def close(self) -> None:
        """Close the connections to intake (the client is not used afterwards)."""
        self._caller.close()

    def _base_url(self, operator_org_id: str) -> str | None:
        base = self._url_for(operator_org_id)
        return base.rstrip("/") if base else None


class IntakeClient(_IntakeEndpoint):
    purpose = "handover"

    def __init__(self, url_for: Callable[[str], str | None], tokens: TokenSource | None, *,
                 timeout: float = 10.0, invalidate: Callable[[], None] | None = None) -> None:
        super().__init__(url_for, tokens, timeout=timeout, invalidate=invalidate)

    def fetch_handover(self, operator_org_id: str, intake_id: str) -> HandoverPackage:
        base = self._base_url(operator_org_id)
        if not base:
            raise HandoverUnavailable(f"no intake URL for operator {operator_org_id!r} "
                                      "(LOTSE_CASEWORK_INTAKE_URLS)")
        url = f"{base}/handovers/{urllib.parse.quote(intake_id, safe='')}"
        try:
            status, body = self._caller.call("GET", url)
        except ServiceUnreachable as error:
            raise HandoverUnavailable(f"intake: {error}") from None
        if status == 200:
            try:
                return HandoverPackage.parse(json_depth.loads(body), intake_id)
            except (ValueError, MalformedHandover) as error:
                raise HandoverUnavailable(f"unreadable handover package: {error}") from None
        if status in (403, 409):
            raise HandoverRefused(status, problem_detail(body))
        raise HandoverUnavailable(f"intake answered {status}")


# -- consent at the moment of sharing (ADR 0053) --------------------------------------------------
class IntakeConsents:
    """The consent check (:class:`lotse_platform.consent_state.IntakeConsentCheck`) with
    casework's machine token and its own short timeout (``LOTSE_CASEWORK_CONSENT_CHECK_TIMEOUT``,
    2 s), answered as casework's domain reads it (:class:`CurrentConsent`, topic areas it knows)."""

    def __init__(self, url_for: Callable[[str], str | None], tokens: TokenSource | None, *,
                 timeout: float = 2.0, invalidate: Callable[[], None] | None = None) -> None:
        self._check = IntakeConsentCheck(url_for, tokens, timeout=timeout, invalidate=invalidate,
                                         settings_hint="CASEWORK", logger=log)

    def close(self) -> None:
        self._check.close()

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> dict[str, CurrentConsent]:
        return {consent_id: CurrentConsent(
                    consent_id=consent_id, kind=state.kind, partner_org_id=state.partner_org_id,
                    topic_areas=tuple(t for t in state.topic_areas if t in TOPIC_AREAS),
                    valid_from=state.valid_from, valid_until=state.valid_until,
                    withdrawn=state.withdrawn, withdrawn_on=state.withdrawn_on)
                for consent_id, state in self._check.current(operator_org_id, intake_id,
                                                             consent_ids).items()}


__all__ = ["ConsentCheckUnavailable", "HandoverRefused", "HandoverUnavailable", "IntakeClient",
           "IntakeConsents"]
