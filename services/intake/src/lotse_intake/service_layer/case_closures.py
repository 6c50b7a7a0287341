"""Casework's closures reach intake, the coordinator of erasures (ADR 0109): the retention
period of a case record runs from the case's closure, which casework knows. A consumer of
``casework.case.opened.v1`` keeps which intake reference a case was opened from, one of
``casework.case.closed.v1`` the day it was closed — ids and a date, no personal data. The
retention sweep (``RETENTION_ENDS`` beside the data map) takes a person whose every case was
closed more than the ``case_record`` period ago.

Idempotent: the consumer's inbox skips an event it has seen, and both write the same values
again for one delivered under another event id. The two events of a case may arrive in either
order (several consumers, a redelivery): each fills its own column of the case's row.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from lotse_platform.contracts import Envelope

from .unit_of_work import IntakeUnitOfWork


def case_opened(event: Any, envelope: Envelope, uow: IntakeUnitOfWork) -> None:
    """The case and the intake reference it was opened from."""
    uow.case_closures.opened(uuid.UUID(event.case.case_id), event.intake_id)


def case_closed(event: Any, envelope: Envelope, uow: IntakeUnitOfWork) -> None:
    """The day the case was closed (on the tenant's calendar, as casework counts it)."""
    uow.case_closures.closed(uuid.UUID(event.case.case_id), date.fromisoformat(event.closed_on))


EVENT_HANDLERS = {"casework.case.opened.v1": case_opened,
                  "casework.case.closed.v1": case_closed}
