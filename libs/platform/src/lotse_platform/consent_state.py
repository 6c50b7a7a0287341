"""Asking intake, at the moment of sharing, for the state of a person's consents (ADR 0053): the
one call every service that shares a case's or an intake's data makes (casework for conferences,
shares and transfers; network for referrals).

``GET <intake base URL>/intakes/<intake_id>/consents/current?consent_id=…`` with the service's
machine token (role ``service``), on a user's write or read path: a short timeout and one pooled
connection (:class:`~lotse_platform.auth.client.ServiceCaller`).

:meth:`IntakeConsentCheck.current` answers the consents intake has, by the ids as the caller
keeps them; an id intake does not have is absent (the caller counts it as withdrawn). Ids that
are no UUID cannot be intake's and are not asked about; with none left nobody is asked. Anything
but a readable 200 — no URL for the operator, no token, no connection, a timeout, 401 after a
fresh token, 403, 404 (a misrouted URL: intake answers unknown intakes with 200), 5xx, an answer
about another intake or of an unknown kind — raises :class:`ConsentCheckUnavailable` (503 with
``Retry-After: 5``): nothing is shared.
"""

from __future__ import annotations

import logging
import urllib.parse
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import json_depth
from .auth.client import ServiceCaller, ServiceUnreachable
from .errors import ServiceUnavailable

#: the kinds of consent intake keeps (lotse.kim.v1.ConsentKind)
CONSENT_KINDS = ("data_protection_information", "release_of_confidentiality",
                 "counselling_agreement")


class ConsentCheckUnavailable(ServiceUnavailable):
    """Intake could not confirm the consents a sharing rests on — unreachable, too slow, an
    error or an unreadable answer: nothing is shared (503 with ``Retry-After: 5``). ``reason``
    goes to the log, not to the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__("intake, which keeps the person's consents, cannot confirm them now; "
                         "nothing was shared — try again shortly", retry_after=5, reason=reason)


@dataclass(frozen=True)
class ConsentState:
    """One consent as intake has it committed now (ids, kind, partner, topics, dates)."""

    consent_id: str
    kind: str
    partner_org_id: str = ""
    topic_areas: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    withdrawn: bool = False
    withdrawn_on: date | None = None


class IntakeConsentCheck:
    """The call, for a service: ``url_for`` gives the base URL of the intake serving an operator
    (the county's own, or a provider's instance), ``tokens`` the service's machine token;
    ``settings_hint`` names the settings in the messages (``LOTSE_<SERVICE>_…``)."""

    def __init__(self, url_for: Callable[[str], str | None], tokens: Callable[[], str] | None, *,
                 timeout: float = 2.0, invalidate: Callable[[], None] | None = None,
                 settings_hint: str, logger: logging.Logger) -> None:
        self._url_for = url_for
        self._hint = settings_hint
        self._caller = ServiceCaller(
            tokens, timeout=timeout, invalidate=invalidate,
            log_event="consent_check.unreachable", logger=logger,
            missing_credentials="no machine credentials for the consent check call "
            f"(LOTSE_TOKEN_URL, LOTSE_{settings_hint}_CLIENT_ID/_SECRET)")

    def close(self) -> None:
        """Close the connection to intake (the client is not used afterwards)."""
        self._caller.close()

    def current(self, operator_org_id: str, intake_id: str,
                consent_ids: Sequence[str]) -> dict[str, ConsentState]:
        asked = [i for i in dict.fromkeys(consent_ids) if _is_uuid(i)]
        if not asked or not _is_uuid(intake_id):
            return {}
        base = self._url_for(operator_org_id)
        if not base:
            raise ConsentCheckUnavailable(f"no intake URL for operator {operator_org_id!r} "
                                          f"(LOTSE_{self._hint}_INTAKE_URLS)")
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
            return _states(json_depth.loads(body), intake_id,
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


def _states(document: Any, intake_id: str, asked: dict[str, str]) -> dict[str, ConsentState]:
    """Intake's answer by the ids as the caller keeps them (``asked``: canonical → kept)."""
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
        found[consent_id] = ConsentState(
            consent_id=consent_id, kind=kind, partner_org_id=str(item.get("partner_org_id") or ""),
            topic_areas=tuple(str(t) for t in item.get("topic_areas") or []),
            valid_from=_day(item.get("valid_from")), valid_until=_day(item.get("valid_until")),
            withdrawn=bool(item["withdrawn"]), withdrawn_on=_day(item.get("withdrawn_on")))
    return found
