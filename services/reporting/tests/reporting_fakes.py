"""In-memory stand-ins of reporting's adapters, for fast service-layer tests: the event store,
the projections' rows (kept at once, not only on commit) and the catalogue across tenants."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from lotse_platform.testing import FakeUnitOfWork

from lotse_reporting.domain.periods import CaseStep, Count, Period, PeriodReport
from lotse_reporting.domain.projections import CaseRow, ReferralRow
from lotse_reporting.domain import referral_rates, standard
from lotse_reporting.domain.referral_rates import ReferralRateRow
from lotse_reporting.domain.standard import CaseReportRow, Fact, IntakeRow, PhaseEntry, StaffRow
from lotse_reporting.service_layer import projection_batch
from lotse_reporting.service_layer.unit_of_work import StoredEvent


class Memory:
    """Every tenant's store and rows, and the projections' versions."""

    def __init__(self) -> None:
        self.events: dict[uuid.UUID, list[StoredEvent]] = {}
        self.cases: dict[uuid.UUID, dict[str, CaseRow]] = {}
        self.referrals: dict[uuid.UUID, dict[str, ReferralRow]] = {}
        self.built: dict[str, int] = {}
        self.period_counts: dict[uuid.UUID, Counter[tuple[str, str, str]]] = {}
        self.case_steps: dict[uuid.UUID, list[CaseStep]] = {}
        self.period_reports: dict[uuid.UUID, dict[tuple[str, str], PeriodReport]] = {}
        self.case_manager_ids: list[str] = []
        #: the standard reports' rows: projection name → tenant → id → row
        self.standard: dict[str, dict[uuid.UUID, dict[str, Any]]] = {
            name: {} for name in ("intake_outcomes", "case_reports", "staffing",
                                  "monthly_facts", "phase_entries", "referral_rates")}

    def units(self, tenant_id: uuid.UUID | None = None, **_: Any) -> FakeReportingUnitOfWork:
        return FakeReportingUnitOfWork(self, tenant_id)

    # the catalogue
    def tenants(self) -> list[uuid.UUID]:
        return sorted(t for t, events in self.events.items() if events)

    def versions(self) -> dict[str, int]:
        return dict(self.built)

    def set_version(self, name: str, version: int) -> None:
        self.built[name] = version


class FakeReportingUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_reporting.service_layer.unit_of_work.ReportingUnitOfWork` in memory."""

    def __init__(self, memory: Memory | None = None, tenant_id: uuid.UUID | None = None) -> None:
        super().__init__(tenant_id, source="/lotse/reporting")
        self.memory = memory or Memory()
        self.events = self.memory.events.setdefault(self.tenant_id, [])
        self.cases = self.memory.cases.setdefault(self.tenant_id, {})
        self.referrals = self.memory.referrals.setdefault(self.tenant_id, {})
        self.counts = self.memory.period_counts.setdefault(self.tenant_id, Counter())
        self.steps = self.memory.case_steps.setdefault(self.tenant_id, [])
        self.reports = self.memory.period_reports.setdefault(self.tenant_id, {})

    def lock_projections(self) -> None:
        self.locked = True

    def append_event(self, event: StoredEvent) -> bool:
        if any(e.event_id == event.event_id for e in self.events):
            return False
        self.events.append(StoredEvent(**{**event.__dict__, "position": len(self.events) + 1}))
        return True

    def stored_events(self, after: int = 0, limit: int = 1000) -> list[StoredEvent]:
        return [e for e in self.events if e.position > after][:limit]

    def stored_events_of(self, event_type: str) -> list[StoredEvent]:
        return [e for e in self.events if e.type == event_type]

    def stored_count(self) -> int:
        return len(self.events)

    def append_events(self, events: list[StoredEvent]) -> set[uuid.UUID]:
        return {e.event_id for e in events if self.append_event(e)}

    def store_at_commit(self, stored: StoredEvent, message: Any, replay: Any) -> None:
        self.to_project = [*getattr(self, "to_project", []), (stored, message)]
        self.replay = replay

    def commit(self) -> None:
        deferred, self.to_project = getattr(self, "to_project", []), []
        if deferred:
            self.replay(self, [(s, m) for s, m in deferred if self.append_event(s)])
        super().commit()

    def rollback(self) -> None:
        self.to_project = []
        super().rollback()

    def case_row(self, case_id: str) -> CaseRow | None:
        return self.cases.get(case_id)

    def put_case_row(self, row: CaseRow) -> None:
        self.cases[row.case_id] = row

    def referral_row(self, referral_id: str) -> ReferralRow | None:
        return self.referrals.get(referral_id)

    def put_referral_row(self, row: ReferralRow) -> None:
        self.referrals[row.referral_id] = row

    def clear_projection(self, name: str) -> None:
        if name in self.memory.standard:
            self._rows(name).clear()
            return
        {"cases_by_area_and_phase": self.cases, "referrals_by_partner": self.referrals,
         "period_figures": self.counts, "period_case_steps": self.steps}[name].clear()

    # the standard reports' rows
    def _rows(self, name: str) -> dict[str, Any]:
        return self.memory.standard[name].setdefault(self.tenant_id, {})

    def intake_report_row(self, intake_id: str) -> IntakeRow | None:
        return self._rows("intake_outcomes").get(intake_id)

    def put_intake_report_row(self, row: IntakeRow) -> None:
        self._rows("intake_outcomes")[row.intake_id] = row

    def intake_report_rows(self) -> list[IntakeRow]:
        return [r for _, r in sorted(self._rows("intake_outcomes").items())]

    def screening_counts(self, filters) -> list[tuple[str, str, str, int]]:
        """As the database counts them."""
        groups: Counter = Counter(
            (row.access_path, row.depth, row.referral_org_id)
            for row in self.intake_report_rows()
            if row.access_path and filters.area(row.area_id) and filters.day(row.contact_date)
            and filters.person(row.decided_by or row.recorded_by)
            and filters.group(row.target_group_ids))
        return [(*key, n) for key, n in sorted(groups.items())]

    def case_report_row(self, case_id: str) -> CaseReportRow | None:
        return self._rows("case_reports").get(case_id)

    def put_case_report_row(self, row: CaseReportRow) -> None:
        self._rows("case_reports")[row.case_id] = row

    def case_report_rows(self) -> list[CaseReportRow]:
        return [r for _, r in sorted(self._rows("case_reports").items())]

    def staff_row(self, user_id: str) -> StaffRow | None:
        return self._rows("staffing").get(user_id)

    def put_staff_row(self, row: StaffRow) -> None:
        self._rows("staffing")[row.user_id] = row

    def staff_rows(self) -> list[StaffRow]:
        return [r for _, r in sorted(self._rows("staffing").items())]

    def fact(self, fact_id: str) -> Fact | None:
        return self._rows("monthly_facts").get(fact_id)

    def put_fact(self, fact: Fact) -> None:
        self._rows("monthly_facts")[fact.fact_id] = fact

    def referral_rate_row(self, referral_id: str) -> ReferralRateRow | None:
        return self._rows("referral_rates").get(referral_id)

    def put_referral_rate_row(self, row: ReferralRateRow) -> None:
        self._rows("referral_rates")[row.referral_id] = row

    def referral_rate_rows(self) -> list[ReferralRateRow]:
        return [r for _, r in sorted(self._rows("referral_rates").items())]

    def put_phase_entry(self, entry: PhaseEntry) -> None:
        self._rows("phase_entries").setdefault(f"{entry.case_id}:{entry.sequence}", entry)

    def phase_entries(self) -> list[PhaseEntry]:
        return [e for _, e in sorted(self._rows("phase_entries").items())]

    def phase_entry_known(self, case_id: str, sequence: int) -> PhaseEntry | None:
        return self._rows("phase_entries").get(f"{case_id}:{sequence}")

    # a batch of a rebuild: here row by row (the SQL unit of work reads and writes in bulk)
    def projection_rows(self, wanted: dict[str, set[Any]]) -> dict[str, dict[Any, Any]]:
        return projection_batch.rows_one_by_one(self, wanted)

    def write_projection_rows(self, changes: projection_batch.Changes) -> None:
        projection_batch.write_one_by_one(self, changes)

    def facts(self, figure: str, filters=None) -> list[Fact]:
        return [f for _, f in sorted(self._rows("monthly_facts").items())
                if f.figure == figure
                and (filters is None or standard.in_filters(f, figure, filters))]

    def fact_totals(self, figure: str, filters) -> list[standard.FactTotal]:
        """As the database counts them."""
        return standard.fact_totals(self.facts(figure), figure, filters)

    def phase_duration_totals(self, filters) -> list[standard.FactTotal]:
        """As the database counts them."""
        cases = {row.case_id: row for row in self.case_report_rows()}
        return standard.phase_duration_totals(self.phase_entries(), cases, filters)

    def count_in_memory(self) -> None:
        """Nothing to tune in memory."""

    def effort_counts(self, filters) -> list[standard.EffortCount]:
        """As the database counts them."""
        return standard.effort_counts(self.facts("contacts"), filters)

    def referral_counts(self, filters) -> list[standard.ReferralCount]:
        """As the database counts them."""
        return standard.referral_counts(self.facts("referrals"), filters)

    def referral_totals(self, filters) -> list[standard.ReferralTotal]:
        """As the database counts them."""
        return referral_rates.referral_rate_totals(self.referral_rate_rows(), filters)

    def case_counts(self, filters) -> list[standard.CaseCount]:
        """As the database counts them."""
        return standard.case_counts(self.case_report_rows(), filters)

    def case_tallies(self, filters) -> standard.CaseTallies:
        """As the database counts them."""
        return standard.case_tallies(self.case_counts(filters))

    def cases_by_area_and_phase(self) -> list[tuple[str, str, int]]:
        counted = Counter((r.area_id, r.phase) for r in self.cases.values() if r.phase)
        return [(a, p, n) for (a, p), n in sorted(counted.items())]

    def referrals_by_partner(self) -> list[tuple[str, str, str, int, int]]:
        counted: Counter[tuple[str, str, str]] = Counter()
        arrived: Counter[tuple[str, str, str]] = Counter()
        for r in self.referrals.values():
            key = (r.partner_org_id, r.topic_area, r.status)
            counted[key] += 1
            arrived[key] += r.arrived
        return [(*key, n, arrived[key]) for key, n in sorted(counted.items())]

    # the 2-week reports (PeriodRecords)
    def add_period_counts(self, counts: list[Count]) -> None:
        for c in counts:
            self.counts[(c.case_manager_id, c.period.label, c.figure)] += c.amount

    def add_case_step(self, step: CaseStep) -> None:
        self.steps.append(step)

    def period_counts(self, case_manager_id: str, period: Period) -> dict[str, int]:
        return {f: n for (m, p, f), n in self.counts.items()
                if m == case_manager_id and p == period.label}

    def case_steps(self, case_manager_id: str) -> list[CaseStep]:
        theirs = {s.case_id for s in self.steps if s.case_manager_id == case_manager_id}
        return [s for s in self.steps if s.case_id in theirs]

    def period_report(self, case_manager_id: str, period: Period) -> PeriodReport | None:
        return self.reports.get((case_manager_id, period.label))

    def put_period_report(self, report: PeriodReport) -> bool:
        key = (report.case_manager_id, report.period.label)
        kept = self.reports.get(key)
        if (kept.version if kept else 0) != report.version - 1:
            return False
        self.reports[key] = report
        return True

    def period_reports(self, period: Period) -> list[PeriodReport]:
        return sorted((r for (_, p), r in self.reports.items() if p == period.label),
                      key=lambda r: r.case_manager_id)

    def case_managers(self) -> list[str]:
        return sorted(self.memory.case_manager_ids)
