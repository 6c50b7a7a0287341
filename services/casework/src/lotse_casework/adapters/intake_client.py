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
import uuid
from collections.abc import Callable, Sequence
from datetime import date

from lotse_platform import json_depth
from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable, problem_detail
from lotse_platform.errors import ServiceUnavailable

from ..domain.consent_check import CurrentConsent
from ..domain.handover import HandoverPackage, MalformedHandover
from ..domain.vocabulary import CONSENT_KINDS, TOPIC_AREAS

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
class ConsentCheckUnavailable(ServiceUnavailable):
    """Intake could not confirm the consents a sharing rests on — unreachable, too slow, an
    error or an unreadable answer: nothing is shared (503 with ``Retry-After: 5``). ``reason``
    goes to the log, not to the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__("intake, which keeps the person's consents, cannot confirm them now; "
                         "nothing was shared — try again shortly", retry_after=5, reason=reason)


class IntakeConsents(_IntakeEndpoint):
    """``GET <intake base URL>/intakes/<intake_id>/consents/current?consent_id=…`` with
    casework's machine token (role ``service``), on a user's write path: a short timeout of its
    own (``LOTSE_CASEWORK_CONSENT_CHECK_TIMEOUT``, 2 s) and one pooled connection.

    :meth:`current_consents` answers the consents intake has, by id; an id intake does not
    have is absent (the caller counts it as withdrawn). Ids that are no UUID cannot be intake's
    and are not asked about; with none left nobody is asked. Anything but a readable 200 —
    no URL for the operator, no token, no connection, a timeout, 401 after a fresh token, 403,
    404 (a misrouted URL: intake answers unknown intakes with 200), 5xx — raises
    :class:`ConsentCheckUnavailable`.
    """

    purpose = "consent check"

    def __init__(self, url_for: Callable[[str], str | None], tokens: TokenSource | None, *,
                 timeout: float = 2.0, invalidate: Callable[[], None] | None = None) -> None:
        super().__init__(url_for, tokens, timeout=timeout, invalidate=invalidate)

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> dict[str, CurrentConsent]:
        asked = [i for i in dict.fromkeys(consent_ids) if _is_uuid(i)]
        if not asked or not _is_uuid(intake_id):
            return {}
        base = self._base_url(operator_org_id)
        if not base:
            raise ConsentCheckUnavailable(f"no intake URL for operator {operator_org_id!r} "
                                          "(LOTSE_CASEWORK_INTAKE_URLS)")
        query = urllib.parse.urlencode([("consent_id", i) for i in asked])
        url = (f"{base}/intakes/{urllib.parse.quote(intake_id, safe='')}"
               f"/consents/current?{query}")
        try:
            status, body = self._caller.call("GET", url)
        except ServiceUnreachable as error:
            raise ConsentCheckUnavailable(f"intake: {error}") from None
        if status != 200:
            raise ConsentCheckUnavailable(f"intake answered {status}")
        try:
            return _current(json_depth.loads(body), intake_id,
                            {str(uuid.UUID(i)): i for i in asked})
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ConsentCheckUnavailable(
                f"unreadable consent state: {type(error).__name__}") from None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _current(document: dict, intake_id: str,
             asked: dict[str, str]) -> dict[str, CurrentConsent]:
    """Intake's answer by the ids as casework keeps them (``asked``: canonical → kept)."""
    if str(uuid.UUID(str(document["intake_id"]))) != str(uuid.UUID(intake_id)):
        raise ValueError("the answer is about another intake")
    found = {}
    for item in document["consents"]:
        consent_id = asked.get(str(uuid.UUID(str(item["id"]))))
        kind = str(item["kind"])
        if kind not in CONSENT_KINDS:
            raise ValueError("a consent of no known kind")
        if consent_id is None:
            continue
        found[consent_id] = CurrentConsent(
            consent_id=consent_id, kind=kind, partner_org_id=str(item.get("partner_org_id") or ""),
            topic_areas=tuple(t for t in item.get("topic_areas") or [] if t in TOPIC_AREAS),
            valid_from=_day(item.get("valid_from")), valid_until=_day(item.get("valid_until")),
            withdrawn=bool(item["withdrawn"]), withdrawn_on=_day(item.get("withdrawn_on")))
    return found
