"""What reporting's handlers need of a unit of work: the platform's transaction and audit trail
(:class:`lotse_platform.uow.UnitOfWork`), the event store and the projections' rows of one tenant.

This is the interface; the SQLAlchemy implementation is an adapter
(:class:`lotse_reporting.adapters.unit_of_work.SqlAlchemyReportingUnitOfWork`), and the unit tests
use an in-memory one. The service layer never imports SQLAlchemy (``make lint`` checks it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from lotse_platform.auth.principal import Principal
from lotse_platform.uow import UnitOfWork

from ..domain.periods import CaseStep, Count
from ..domain.projections import CaseRow, ReferralRow
from ..domain.referral_rates import ReferralRateRow
from ..domain.standard import (CaseCount, CaseReportRow, CaseTallies, EffortCount, Fact, FactTotal, Filters,
                               IntakeRow, PhaseEntry, ReferralCount, ReferralTotal, ScreeningCount,
                               StaffRow)
from .period_store import PeriodRecords
from .projection_batch import Changes


@dataclass(frozen=True)
class StoredEvent:
    """One event as the store keeps it: the envelope's attributes and the protobuf bytes."""

    event_id: uuid.UUID
    type: str
    source: str
    subject: str | None
    sequence: int | None
    occurred_at: datetime
    payload: bytes
    position: int = 0


class ProjectionRows(Protocol):
    """What the projections read and write (:func:`.projections.project`): one row at a time
    by its key. The unit of work is one; a batch of a rebuild in memory is another
    (:class:`.projection_batch.BatchRows`)."""

    #: the tenant whose rows they are (its time zone dates the monthly facts)
    tenant_id: uuid.UUID | None

    def case_row(self, case_id: str) -> CaseRow | None: ...

    def put_case_row(self, row: CaseRow) -> None: ...

    def referral_row(self, referral_id: str) -> ReferralRow | None: ...

    def put_referral_row(self, row: ReferralRow) -> None: ...

    def intake_report_row(self, intake_id: str) -> IntakeRow | None: ...

    def put_intake_report_row(self, row: IntakeRow) -> None: ...

    def case_report_row(self, case_id: str) -> CaseReportRow | None: ...

    def put_case_report_row(self, row: CaseReportRow) -> None: ...

    def staff_row(self, user_id: str) -> StaffRow | None: ...

    def put_staff_row(self, row: StaffRow) -> None: ...

    def fact(self, fact_id: str) -> Fact | None: ...

    def put_fact(self, fact: Fact) -> None: ...

    def referral_rate_row(self, referral_id: str) -> ReferralRateRow | None: ...

    def put_referral_rate_row(self, row: ReferralRateRow) -> None: ...

    def put_phase_entry(self, entry: PhaseEntry) -> None:
        """Keep the entry (once per case and sequence)."""

    def add_period_counts(self, counts: Iterable[Count]) -> None:
        """Add each count to its (case manager, period, figure) row."""

    def add_case_step(self, step: CaseStep) -> None: ...


class ReportingUnitOfWork(UnitOfWork, PeriodRecords, ProjectionRows, Protocol):
    #: the caller of the request (None: the service itself, e.g. the consumer or the rebuild)
    principal: Principal | None
    #: the tenant whose rows it reads and writes (its time zone dates the monthly facts and
    #: stamps the exports)
    tenant_id: uuid.UUID | None

    def __enter__(self) -> ReportingUnitOfWork: ...

    def lock_projections(self) -> None:
        """Hold the tenant's projections until the transaction ends: consumers and a rebuild
        of one tenant take turns (no lost update of a row; a rebuild sees every committed
        event)."""

    def append_event(self, event: StoredEvent) -> bool:
        """Append to the store; False (and nothing appended) when its id is there already."""

    def append_events(self, events: list[StoredEvent]) -> set[uuid.UUID]:
        """Append to the store, in this order; the ids that were not there yet."""

    def stored_events(self, after: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """The tenant's stored events after ``position``, in the order they were stored."""

    def stored_events_of(self, event_type: str) -> list[StoredEvent]:
        """The tenant's stored events of one type, in store order (the annual report's
        anonymous contacts, ADR 0097: few a year, read where they are kept)."""

    def stored_count(self) -> int: ...

    def store_at_commit(self, stored: StoredEvent, message: Any,
                        replay: Callable[[ReportingUnitOfWork,
                                          list[tuple[StoredEvent, Any]]], None]) -> None:
        """Append ``stored`` to the store and project it when the transaction commits: every
        event so deferred, in the order deferred, appended together; those whose id was not
        stored yet projected by one call of ``replay`` just before the commit (nothing when it
        is rolled back)."""

    def projection_rows(self, wanted: dict[str, set[Any]]) -> dict[str, dict[Any, Any]]:
        """The rows ``wanted`` (kind → keys, :mod:`.projection_batch`) that exist, by kind and
        key: one query per kind."""

    def write_projection_rows(self, changes: Changes) -> None:
        """Write what a batch changed: one statement per table (upserts, added counts,
        appended steps and entries)."""

    def clear_projection(self, name: str) -> None:
        """Delete the tenant's rows of the projection ``name``."""

    def cases_by_area_and_phase(self) -> list[tuple[str, str, int]]:
        """(area, phase, cases), by area and phase."""

    def referrals_by_partner(self) -> list[tuple[str, str, str, int, int]]:
        """(partner, topic area, status, referrals, of them arrived), in that order."""

    # the standard reports' rows (domain/standard.py): one by its id, put, all of the tenant
    def intake_report_rows(self) -> list[IntakeRow]: ...

    def screening_counts(self, filters: Filters) -> list[ScreeningCount]:
        """The intakes in ``filters`` (first contact in the period, area, who decided — who
        recorded before a decision —, target group) counted per access path, depth and referral
        organisation: the screening table's groups, counted by the store."""

    def case_report_rows(self) -> list[CaseReportRow]: ...

    def count_in_memory(self) -> None:
        """Give this transaction's sorts and hashes the memory a county's year of a report needs
        (PostgreSQL's ``work_mem``, for this transaction only)."""

    def case_counts(self, filters: Filters) -> list[CaseCount]:
        """The cases in case management in ``filters`` (open now, or open at any time in the
        period; area, case managers, target group) counted per case manager, primary goal's
        topic area and target groups: :func:`~lotse_reporting.domain.standard.case_counts`,
        counted by the store."""

    def case_tallies(self, filters: Filters) -> CaseTallies:
        """:meth:`case_counts` per primary goal's topic area and per case manager and target
        groups: :func:`~lotse_reporting.domain.standard.case_tallies`, counted by the store."""

    def staff_rows(self) -> list[StaffRow]: ...

    def facts(self, figure: str, filters: Filters | None = None) -> list[Fact]:
        """The facts of one figure of the monthly time series; with ``filters``, those in the
        period's months, the area, the case managers and the target group."""

    def effort_counts(self, filters: Filters) -> list[EffortCount]:
        """The contacts in ``filters`` counted per case and phase, the cases counted per phase,
        contacts and appointments: :func:`~lotse_reporting.domain.standard.effort_counts`,
        counted by the store."""

    def referral_counts(self, filters: Filters) -> list[ReferralCount]:
        """The referrals in ``filters`` with the states they reached, counted alike:
        :func:`~lotse_reporting.domain.standard.referral_counts`, counted by the store."""

    def referral_totals(self, filters: Filters) -> list[ReferralTotal]:
        """The referrals in ``filters`` counted per partner, kind and topic area, from the
        referral rates' rows (one per referral):
        :func:`~lotse_reporting.domain.referral_rates.referral_rate_totals`, counted by the
        store."""

    def fact_totals(self, figure: str, filters: Filters) -> list[FactTotal]:
        """The facts of one figure in ``filters`` counted and summed per month, key and detail:
        :func:`~lotse_reporting.domain.standard.fact_totals`, counted by the store."""

    def phase_entries(self) -> list[PhaseEntry]: ...

    def referral_rate_rows(self) -> list[ReferralRateRow]:
        """The referral rates' rows of the tenant (one per referral), by referral."""

    def phase_duration_totals(self, filters: Filters) -> list[FactTotal]:
        """The phases the cases left in ``filters`` (the month left; the case's area, case
        manager, target groups) counted and their days summed per month and phase:
        :func:`~lotse_reporting.domain.standard.phase_duration_totals`, counted by the store."""


class ProjectionCatalogue(Protocol):
    """Across tenants: which have events, and the version each projection was built with."""

    def tenants(self) -> list[uuid.UUID]: ...

    def versions(self) -> dict[str, int]: ...

    def set_version(self, name: str, version: int) -> None: ...


def batches(uow: ReportingUnitOfWork, size: int = 1000) -> Iterator[list[StoredEvent]]:
    """The tenant's stored events in store order, ``size`` at a time."""
    after = 0
    while True:
        found = uow.stored_events(after, size)
        if not found:
            return
        yield found
        after = found[-1].position
