"""The intake's one call to casework: the responsible case manager's caseload once she takes
the case being admitted (``GET <casework>/caseload/<case manager id>?taking=1``, machine token,
role ``service``), for the admission's answer (issue 17: a warning above the guideline, never a
refusal).

Asked before the admission commits, so casework's count cannot already hold this case (its
event is not yet in the outbox). Anything but a readable 200 — no token, no connection, a
timeout, an error — answers None: the admission does not depend on it; the answer then says the
caseload is unknown. One pooled connection; :meth:`CaseworkCaseloads.close` ends it.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Callable
from typing import Any

from lotse_platform.auth.client import ServiceCaller, ServiceUnreachable

log = logging.getLogger("lotse.intake.casework")


class CaseworkCaseloads:
    def __init__(self, base_url: str, tokens: Callable[[], str] | None, *, timeout: float,
                 invalidate: Callable[[], None] | None = None) -> None:
        self._base = base_url.rstrip("/")
        self._caller = ServiceCaller(
            tokens, timeout=timeout, invalidate=invalidate, log_event="caseload.unreachable",
            logger=log, missing_credentials="no machine credentials for the caseload call "
            "(LOTSE_TOKEN_URL, LOTSE_INTAKE_CLIENT_ID/_SECRET)")

    def caseload_after(self, case_manager_id: str, taking: int = 1) -> dict[str, Any] | None:
        url = (f"{self._base}/caseload/{urllib.parse.quote(case_manager_id, safe='')}"
               f"?taking={taking}")
        try:
            status, body = self._caller.call("GET", url)
        except ServiceUnreachable as error:
            log.warning("caseload.unknown", extra={"reason": str(error)[:100]})
            return None
        if status != 200:
            log.warning("caseload.unknown", extra={"status": status})
            return None
        try:
            answer = json.loads(body)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def close(self) -> None:
        self._caller.close()
