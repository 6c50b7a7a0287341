"""What the 2-week reports need of reporting's unit of work (ADR 0089): the two projections'
rows (counts per case manager, period and figure; the cases' steps), the case managers' own
reports and the tenant's case managers (from the replica of identity's directory, ADR 0054)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Protocol

from ..domain.periods import CaseStep, Count, Period, PeriodReport


class PeriodRecords(Protocol):
    #: the tenant of the unit of work (its time zone says when a period is due)
    tenant_id: uuid.UUID | None

    def add_period_counts(self, counts: Iterable[Count]) -> None:
        """Add each count to its (case manager, period, figure) row."""

    def add_case_step(self, step: CaseStep) -> None: ...

    def period_counts(self, case_manager_id: str, period: Period) -> dict[str, int]:
        """The figures counted over the period (no ``open_cases.*``)."""

    def case_steps(self, case_manager_id: str) -> list[CaseStep]:
        """Every step of every case the case manager ever had."""

    def period_report(self, case_manager_id: str, period: Period) -> PeriodReport | None: ...

    def put_period_report(self, report: PeriodReport) -> bool:
        """Insert (version 1) or update the report written at ``version - 1``; False when
        another request changed it meanwhile (nothing written)."""

    def period_reports(self, period: Period) -> list[PeriodReport]: ...

    def case_managers(self) -> list[str]:
        """The user ids of the tenant's active case managers, as identity published them."""
