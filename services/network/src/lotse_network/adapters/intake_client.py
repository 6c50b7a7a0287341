"""The network's call to intake: confirming a person's releases at the moment of sharing
(ADR 0053, ADR 0084) — the same endpoint and rules as casework's
(:class:`lotse_casework.adapters.intake_client.IntakeConsents`).

``GET <intake base URL>/intakes/<intake_id>/consents/current?consent_id=…`` with the network's
machine token (role ``service``), on a user's write and read path: a short timeout
(``LOTSE_NETWORK_CONSENT_CHECK_TIMEOUT``, 2 s) and one pooled connection. Anything but a
readable 200 raises :class:`ConsentCheckUnavailable` (503 with ``Retry-After: 5``): nothing is
shared or shown.
"""

from __future__ import annotations

import logging
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from datetime import date

from lotse_platform import json_depth
from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable
from lotse_platform.errors import ServiceUnavailable

from ..domain.referrals import ConsentCopy
from ..domain.vocabulary import TOPIC_AREAS

log = logging.getLogger("lotse.network.intake")

KINDS = ("data_protection_information", "release_of_confidentiality", "counselling_agreement")


class ConsentCheckUnavailable(ServiceUnavailable):
    """Intake could not confirm the releases a referral rests on: nothing is shared (503)."""

    def __init__(self, reason: str) -> None:
        super().__init__("intake, which keeps the person's consents, cannot confirm them now; "
                         "nothing was shared — try again shortly", retry_after=5, reason=reason)


class IntakeConsents:
    def __init__(self, url_for: Callable[[str], str | None], tokens: Callable[[], str] | None, *,
                 timeout: float = 2.0, invalidate: Callable[[], None] | None = None) -> None:
        self._url_for = url_for
        self._caller = ServiceCaller(
            tokens, timeout=timeout, invalidate=invalidate,
            log_event="consent_check.unreachable", logger=log,
            missing_credentials="no machine credentials for the consent check call "
            "(LOTSE_TOKEN_URL, LOTSE_NETWORK_CLIENT_ID/_SECRET)")

    def close(self) -> None:
        self._caller.close()

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> dict[str, ConsentCopy]:
        asked = [i for i in dict.fromkeys(consent_ids) if _is_uuid(i)]
        if not asked or not _is_uuid(intake_id):
            return {}
        base = self._url_for(operator_org_id)
        if not base:
            raise ConsentCheckUnavailable(f"no intake URL for operator {operator_org_id!r} "
                                          "(LOTSE_NETWORK_INTAKE_URLS)")
        query = urllib.parse.urlencode([("consent_id", i) for i in asked])
        url = (f"{base.rstrip('/')}/intakes/{urllib.parse.quote(intake_id, safe='')}"
               f"/consents/current?{query}")
        try:
            status, body = self._caller.call("GET", url)
        except ServiceUnreachable as error:
            raise ConsentCheckUnavailable(f"intake: {error}") from None
        if status != 200:
            raise ConsentCheckUnavailable(f"intake answered {status}")
        try:
            return _current(json_depth.loads(body), intake_id, operator_org_id,
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


def _current(document: dict, intake_id: str, operator_org_id: str,
             asked: dict[str, str]) -> dict[str, ConsentCopy]:
    if str(uuid.UUID(str(document["intake_id"]))) != str(uuid.UUID(intake_id)):
        raise ValueError("the answer is about another intake")
    found = {}
    for item in document["consents"]:
        consent_id = asked.get(str(uuid.UUID(str(item["id"]))))
        kind = str(item["kind"])
        if kind not in KINDS:
            raise ValueError("a consent of no known kind")
        if consent_id is None:
            continue
        withdrawn = bool(item["withdrawn"])
        found[consent_id] = ConsentCopy(
            consent_id=consent_id, intake_id=intake_id, operator_org_id=operator_org_id,
            kind=kind, partner_org_id=str(item.get("partner_org_id") or ""),
            topic_areas=[t for t in item.get("topic_areas") or [] if t in TOPIC_AREAS],
            valid_from=_day(item.get("valid_from")), valid_until=_day(item.get("valid_until")),
            withdrawn_on=(_day(item.get("withdrawn_on")) or date.min) if withdrawn else None)
    return found
