"""The network's call to intake: confirming a person's releases at the moment of sharing
(ADR 0053, ADR 0084) — the platform's consent check
(:class:`lotse_platform.consent_state.IntakeConsentCheck`) with the network's machine token and a
short timeout (``LOTSE_NETWORK_CONSENT_CHECK_TIMEOUT``, 2 s), answered as the network keeps
consents (:class:`~lotse_network.domain.referrals.ConsentCopy`). Anything but a readable 200
raises :class:`ConsentCheckUnavailable` (503 with ``Retry-After: 5``): nothing is shared or shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date

from lotse_platform.consent_state import ConsentCheckUnavailable, IntakeConsentCheck

from ..domain.referrals import ConsentCopy
from ..domain.vocabulary import TOPIC_AREAS

log = logging.getLogger("lotse.network.intake")


class IntakeConsents:
    def __init__(self, url_for: Callable[[str], str | None], tokens: Callable[[], str] | None, *,
                 timeout: float = 2.0, invalidate: Callable[[], None] | None = None) -> None:
        self._check = IntakeConsentCheck(url_for, tokens, timeout=timeout, invalidate=invalidate,
                                         settings_hint="NETWORK", logger=log)

    def close(self) -> None:
        self._check.close()

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> dict[str, ConsentCopy]:
        """A withdrawn consent without its day counts as withdrawn since ever."""
        return {consent_id: ConsentCopy(
                    consent_id=consent_id, intake_id=intake_id, operator_org_id=operator_org_id,
                    kind=state.kind, partner_org_id=state.partner_org_id,
                    topic_areas=[t for t in state.topic_areas if t in TOPIC_AREAS],
                    valid_from=state.valid_from, valid_until=state.valid_until,
                    withdrawn_on=(state.withdrawn_on or date.min) if state.withdrawn else None)
                for consent_id, state in self._check.current(operator_org_id, intake_id,
                                                             consent_ids).items()}


__all__ = ["ConsentCheckUnavailable", "IntakeConsents"]
