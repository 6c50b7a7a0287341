"""Who may open a case file (ARCHITECTURE.md: authorisation = role × organisation × area ×
case assignment).

- A case manager works on her own cases and on those shared with her (deputy, tandem) while
  the share runs. After a transfer the case is the receiver's alone: the sender sees nothing.
- The coordinating office (Fachaufsicht) may read a case file when it states its purpose, one of
  the platform's vocabulary (:class:`lotse_platform.audit.Purpose`); every such read is audited
  with that purpose. It never writes to a case — except the county's case conferences, which
  it convenes (service_layer/conferences.py, ADR 0078).
- Provider staff, steering members, authority liaisons and auditors open no case files.
- A case handed over to another county (tenant) is opened by nobody here any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lotse_platform.audit.purposes import Purpose

from .model import Case, Share


@dataclass(frozen=True)
class Access:
    """How the caller reaches a case: ``own``, ``shared`` or ``supervision`` (read only)."""

    how: str
    may_write: bool


def case_access(case: Case, subject: str, shares: list[Share], today: date, *,
                is_case_manager: bool, is_coordinator: bool,
                purpose: Purpose | None) -> Access | None:
    if case.handed_over_at is not None:
        return None  # handed over to another county: its file is opened there only
    if is_case_manager and case.case_manager_id == subject:
        return Access("own", True)
    if is_case_manager and any(s.colleague_id == subject and s.active_on(today) for s in shares):
        return Access("shared", True)
    if is_coordinator and purpose is not None:
        return Access("supervision", False)
    return None
