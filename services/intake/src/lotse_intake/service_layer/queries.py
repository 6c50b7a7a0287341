"""Reads of personal data, each audited in the transaction that reads.

Lists that show names write one audit entry per listed intake (action ``read``, reason
``list:<which>``), so "who saw this person, when" is answered by one query on the trail —
the same as for a single read. The handover to casework is an ``export`` with reason
``handover`` by the machine client that fetched it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from lotse_platform.audit import EXPORT, READ

from ..domain.model import Consent, Intake
from .handlers import RECORD, Guard, load_intake
from .unit_of_work import IntakeUnitOfWork

Visible = Callable[[Intake], bool]


def _audit_list(uow: IntakeUnitOfWork, intakes: list[Intake], which: str) -> None:
    for intake_id in sorted({i.id for i in intakes}):
        uow.audit(READ, RECORD, intake_id, reason=f"list:{which}")


def read_intake(intake_id: uuid.UUID, uow: IntakeUnitOfWork, guard: Guard | None = None) -> Intake:
    with uow:
        intake = load_intake(uow, intake_id, guard, for_update=False)
        uow.audit(READ, RECORD, intake.id, reason="view")
        uow.commit()
    return intake


def open_intakes(user_id: str, uow: IntakeUnitOfWork, visible: Visible) -> list[Intake]:
    """My open intakes: I am responsible, not yet decided, or decided for case management and
    not yet admitted."""
    with uow:
        intakes = [i for i in uow.intakes.open_for(user_id) if visible(i)]
        _audit_list(uow, intakes, "open")
        uow.commit()
    return intakes


def intakes_awaiting_decision(area_ids: set[str] | None, uow: IntakeUnitOfWork,
                              visible: Visible) -> list[Intake]:
    """Screened, and no counselling depth decided yet."""
    with uow:
        intakes = [i for i in uow.intakes.awaiting_decision(area_ids) if visible(i)]
        _audit_list(uow, intakes, "awaiting_decision")
        uow.commit()
    return intakes


def consents_expiring(within_days: int, area_ids: set[str] | None, uow: IntakeUnitOfWork,
                      visible: Visible) -> list[tuple[Consent, Intake]]:
    """Consents, not withdrawn, whose validity ends from today to ``within_days`` days ahead."""
    first = uow.today()
    with uow:
        rows = [(c, i) for c, i in uow.intakes.consents_expiring(
            first, first + timedelta(days=within_days), area_ids) if visible(i)]
        _audit_list(uow, [i for _, i in rows], "expiring_consents")
        uow.commit()
    return rows


@dataclass(frozen=True)
class Handover:
    """What casework receives for an admitted case, and what its release rests on."""

    intake: Intake
    released_under: str


def release_handover(intake_id: uuid.UUID, uow: IntakeUnitOfWork,
                     guard: Guard | None = None) -> Handover:
    """The handover package for casework, if the person's consent allows it now.

    Raises :class:`~lotse_intake.domain.errors.ConsentMissing` naming what is missing; the
    release is audited as an export with reason ``handover``.
    """
    with uow:
        intake = load_intake(uow, intake_id, guard, for_update=False)
        basis = intake.handover_basis(today=uow.today())
        uow.audit(EXPORT, RECORD, intake.id, reason="handover")
        uow.commit()
    return Handover(intake, basis)
