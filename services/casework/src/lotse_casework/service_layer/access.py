"""Finding a case for a caller: the case-assignment half of authorisation (domain/access.py).

Roles were checked at the view (:func:`lotse_platform.auth.authorize`); here the case must be
the caller's own or shared with her, or — for reading — the coordinating office's with a
purpose. Anything else is answered as if the case did not exist (404): an id of another tenant
or of a colleague's case tells the caller nothing.

A supervision read's audit entry names the purpose from the platform's vocabulary; the note the
coordinating office may add is kept beside the entry, never in the trail (ADR 0065).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from lotse_platform.audit.purposes import Purpose, StatedPurpose
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, Principal
from lotse_platform.errors import Forbidden

from ..domain.access import Access, case_access
from ..domain.errors import CaseworkError, NotVisible
from ..domain.model import Case
from .unit_of_work import CaseworkUnitOfWork

T = TypeVar("T")

_PURPOSES = ", ".join(p.value for p in Purpose)


class SupervisionReadsOnly(CaseworkError, Forbidden):
    """The coordinating office reads case files; it does not write them (403)."""


class PurposeRequired(CaseworkError, Forbidden):
    """A supervision read states its purpose (``?purpose=``), which goes to the audit trail
    (403)."""


def caller(uow: CaseworkUnitOfWork) -> Principal:
    """Who runs a command: the principal of its unit of work (a request's caller)."""
    if uow.principal is None:
        raise RuntimeError("a casework command runs in a unit of work of a request's caller "
                           "(lotse_platform.service.handle)")
    return uow.principal


def case_for(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID, *,
             write: bool, purpose: StatedPurpose | None = None) -> tuple[Case, Access]:
    case = uow.case(case_id, lock=write)
    if case is None:
        raise NotVisible("no such case")
    own = case.case_manager_id == principal.subject
    # her own case needs no look at the shares (one round trip less on every write)
    access = case_access(case, principal.subject, [] if own else uow.shares(case.id), uow.today(),
                         is_case_manager=principal.has_any_role(CASE_MANAGER),
                         is_coordinator=principal.has_any_role(COORDINATOR),
                         purpose=purpose.purpose if purpose else None)
    if access is None:
        if principal.has_any_role(COORDINATOR) and not write:
            raise PurposeRequired("a supervision read (Fachaufsicht) states its purpose: "
                                  f"?purpose= one of {_PURPOSES}")
        raise NotVisible("no such case")
    if write and not access.may_write:
        raise SupervisionReadsOnly("the coordinating office reads case files, it does not "
                                   "change them")
    return case, access


def read_audited(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                 purpose: StatedPurpose | None, record_type: str, read: Callable[[Case], T]) -> T:
    """One read of a case's personal data: the case found for the caller, ``read`` from it,
    and the audit entry (with the supervision purpose), in one transaction."""
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        found = read(case)
        audit_read(uow, record_type, case, access, purpose)
        uow.commit()
        return found


def audit_read(uow: CaseworkUnitOfWork, record_type: str, case: Case, access: Access,
               purpose: StatedPurpose | None) -> None:
    """The audit entry of a read: a supervision read names its purpose (code in the trail, note
    beside it); a colleague's read says ``shared``; the case manager's own read needs no reason."""
    if access.how == "supervision" and purpose is not None:
        uow.audit("read", record_type, case.id, purpose=purpose.purpose, note=purpose.note)
    else:
        uow.audit("read", record_type, case.id, reason=None if access.how == "own" else access.how)
