"""The standard reports read (issue 12; ADR 0090), narrowed to what the caller may see — a case
manager her own figures, an organisation's administrator her organisation's, the coordinating
office the county's, a steering member the county's — and published as tables (ADR 0091): a
caller who may not see exact counts gets every count from 1 to 4 as ``"<5"`` and the counts
hidden to protect them as ``"x"`` (primary and secondary suppression over the report's totals),
a summed value (minutes, days) behind a hidden count as ``null``, a rate only where both its
counts are shown. Each read audited (``read report``, the report as the reason).

**Who sees exact counts.** The roles of ``LOTSE_REPORTING_EXACT_ROLES`` (default: the
coordinating office); an organisation's administrator and a case manager reading their own
scope (internal figures of their own work; their exports are suppressed unless they ask for the
exact ones); never a steering member, nor a county-wide role not configured exact."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, ORG_ADMIN, STEERING_MEMBER
from lotse_platform.auth.principal import Principal
from lotse_platform.errors import Forbidden
from lotse_platform.references import AREA, ORGANISATION, USER, Wanted, check, organisation_names

from ..domain import standard, standard_tables
from ..domain.standard import Filters
from ..domain.standard_tables import (EFFORT_MEASURES, REFERRAL_MEASURES, PerCaseManager,
                                      Pivot, cells, hidden, outcome_of, rate)
from ..domain.suppression import publish
from ..domain.tables import PublishedTable, Shown
from .figures import page, paged
from .unit_of_work import ReportingUnitOfWork

#: who reads the standard reports
READERS = (COORDINATOR, STEERING_MEMBER, ORG_ADMIN, CASE_MANAGER)


@dataclass(frozen=True)
class Asked:
    """The filters as the caller gave them (ids unchecked yet)."""

    date_from: date | None = None
    date_to: date | None = None
    area_id: str | None = None
    organisation_id: str | None = None
    case_manager_id: str | None = None
    target_group_id: str | None = None


def may_see_exact(principal: Principal, exact_roles: Collection[str] = (COORDINATOR,)) -> bool:
    """Exact counts for the configured roles and for a caller held to her own scope (an
    organisation's administrator, a case manager); a county-wide view (a steering member's, a
    coordinator's not configured exact) is suppressed — also for one who holds another role
    besides (:func:`_scope` gives her the county-wide view)."""
    if principal.has_any_role(*exact_roles):
        return True
    return not principal.has_any_role(COORDINATOR, STEERING_MEMBER)


def exact_for(principal: Principal) -> bool:
    """The default: exact where :func:`may_see_exact` with the default setting."""
    return may_see_exact(principal)


def _scope(principal: Principal, asked: Asked) -> tuple[str | None, str | None]:
    """(organisation, case manager) the caller is held to: the county's roles see what they ask;
    an organisation's administrator her organisation; a case manager herself."""
    organisation, person = asked.organisation_id, asked.case_manager_id
    if principal.has_any_role(COORDINATOR, STEERING_MEMBER):
        return organisation, person
    if principal.has_any_role(ORG_ADMIN):
        if organisation not in (None, principal.organisation):
            raise Forbidden("An organisation's administrator reads her organisation's figures "
                            "only.", errors=[{"field": "organisation_id",
                                              "message": "not your organisation"}])
        return principal.organisation, person
    if person not in (None, principal.subject):
        raise Forbidden("A case manager reads her own figures only.",
                        errors=[{"field": "case_manager_id", "message": "not you"}])
    return organisation, principal.subject


def _filters(uow: ReportingUnitOfWork, principal: Principal, asked: Asked) -> Filters:
    check(uow.references, [Wanted("area_id", AREA, asked.area_id),
                           Wanted("organisation_id", ORGANISATION, asked.organisation_id),
                           Wanted("case_manager_id", USER, asked.case_manager_id)])
    organisation, person = _scope(principal, asked)
    people: frozenset[str] | None = None
    if organisation is not None:
        staff = {row.user_id: row.organisation_id for row in uow.staff_rows()}
        people = frozenset(user for user, org in staff.items() if org == organisation)
    if person is not None:
        people = frozenset({person}) if people is None else people & {person}
    return Filters(asked.date_from, asked.date_to, asked.area_id, people, asked.target_group_id)


def _read(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, reason: str,
          build: Callable[[Filters], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    with uow:
        uow.count_in_memory()
        rows = build(_filters(uow, principal, asked))
        uow.audit("read", "report", reason=reason)
        uow.commit()
    return rows


def _names(uow: ReportingUnitOfWork, ids: Collection[object]) -> dict[str, str]:
    return organisation_names(uow.references, {str(i) for i in ids if i})


# -- the reports as published tables -----------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """A standard report as the caller sees it: its table published (``shown``), the pivot it
    was built from (the cells listed at 0, the summed values), the domain's rows (the other
    fields: FTE, guideline …, row for row with the table where the table is one row per row),
    organisations' names, and a second table (the per case manager one)."""

    shown: PublishedTable
    pivot: Pivot
    rows: list[dict[str, Any]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    second: PublishedTable | None = None

    @property
    def suppressed(self) -> bool:
        return self.shown.suppressed

    def value(self, i: int, j: int) -> int | None:
        """The summed value behind cell (i, j); ``None`` where its count is hidden."""
        return None if hidden(self.shown, i, j) else self.pivot.values.get((i, j), 0)


def read_screening(uow: ReportingUnitOfWork, principal: Principal, asked: Asked,
                   access_path: str | None = None, *, exact: bool,
                   reason: str = "screening_outcomes") -> Report:
    names: dict[str, str] = {}

    def build(filters: Filters) -> list[dict[str, Any]]:
        # the store filters and counts; the table is built from its groups
        found = standard.screening_outcomes_of_counts(uow.screening_counts(filters), access_path)
        names.update(_names(uow, [r["referral_org_id"] for r in found]))
        return found

    rows = _read(uow, principal, asked, reason, build)
    pivot = standard_tables.screening_table(rows)
    return Report(publish(pivot.table, exact=exact), pivot, rows, names)


def _per_case_manager(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *,
                      exact: bool, reason: str) -> tuple[PerCaseManager, list[dict[str, Any]],
                                                         list[dict[str, Any]]]:
    """The primary goal areas, the per case manager table and the caseload, read once and
    published together (they count the same people: :func:`~lotse_reporting.domain.
    standard_tables.publish_per_case_manager`); with the topic rows and the caseload rows."""
    found: dict[str, list[dict[str, Any]]] = {}

    def build(filters: Filters) -> list[dict[str, Any]]:
        # narrowed and counted per topic area and per case manager and groups by the store
        topics, managers = standard.tallied_counts(uow.case_tallies(filters))
        staff = {row.user_id: row for row in uow.staff_rows()}
        found["groups"] = standard.case_manager_target_groups(managers)
        found["caseload"] = standard.caseload(managers, staff, filters)
        return standard.primary_goal_areas(topics)

    rows = _read(uow, principal, asked, reason, build)
    tables = standard_tables.publish_per_case_manager(
        standard_tables.topic_table(rows), standard_tables.caseload_table(found["caseload"]),
        standard_tables.case_manager_group_table(found["groups"]), exact=exact)
    return tables, rows, found["caseload"]


def read_primary_goal_areas(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *,
                            exact: bool, reason: str = "primary_goal_areas") -> Report:
    tables, rows, _ = _per_case_manager(uow, principal, asked, exact=exact, reason=reason)
    return Report(tables.topics, Pivot(tables.topics.table), rows, second=tables.groups)


def read_caseload(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *, exact: bool,
                  reason: str = "caseload") -> Report:
    tables, _, rows = _per_case_manager(uow, principal, asked, exact=exact, reason=reason)
    return Report(tables.caseload, Pivot(tables.caseload.table), rows)


def read_effort(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *, exact: bool,
                reason: str = "effort_by_phase") -> Report:
    rows = _read(uow, principal, asked, reason,
                 lambda filters: standard.effort_by_phase(uow.effort_counts(filters)))
    pivot = standard_tables.effort_table(rows)
    return Report(publish(pivot.table, exact=exact), pivot, rows)


def read_referral_rates(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *,
                        exact: bool, reason: str = "referral_rates") -> Report:
    names: dict[str, str] = {}

    def build(filters: Filters) -> list[dict[str, Any]]:
        found = standard.referral_rates(uow.referral_totals(filters))
        names.update(_names(uow, [r["partner_org_id"] for r in found]))
        return found

    rows = _read(uow, principal, asked, reason, build)
    table = standard_tables.referral_rates_table(rows)
    return Report(publish(table, exact=exact), Pivot(table), rows, names)


def read_time_series(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, figure: str,
                     *, exact: bool, reason: str | None = None) -> Report:
    def build(filters: Filters) -> list[dict[str, Any]]:
        if figure == "phase_durations":  # from the phase entries, by the store
            return standard.time_series(uow.phase_duration_totals(filters))
        return standard.time_series(uow.fact_totals(figure, filters))  # counted by the store

    rows = _read(uow, principal, asked, reason or f"time_series:{figure}", build)
    pivot = standard_tables.series_table(figure, rows)
    return Report(publish(pivot.table, exact=exact), pivot, rows)


# -- the reports as JSON -----------------------------------------------------------------------
def _paged(rows: list[dict[str, Any]], report: Report, limit: int | None, offset: int,
           **margins: Any) -> dict[str, Any]:
    """One page of ``rows`` (the figures' shape: ``total``, ``limit``, ``offset``,
    ``next_offset``) and the report's published totals."""
    answer = page(rows, limit=_limit(limit, len(rows)), offset=offset,
                  suppressed=report.suppressed)
    return {**answer, **margins}


def _paged_lazily(total: int, row: Callable[[int], dict[str, Any]], report: Report,
                  limit: int | None, offset: int, **margins: Any) -> dict[str, Any]:
    """:func:`_paged` of ``total`` rows of which only the page's are built (``row(n)``: the
    ``n``-th); the table, its totals and its suppression are the whole report's."""
    answer = paged(total, row, limit=_limit(limit, total), offset=offset,
                   suppressed=report.suppressed)
    return {**answer, **margins}


def _limit(limit: int | None, total: int) -> int:
    """Rows per page: as asked, or all of them."""
    return limit if limit is not None else max(total, 1)


def _exact(principal: Principal, exact: bool | None) -> bool:
    return exact_for(principal) if exact is None else exact


def screening_outcomes(uow: ReportingUnitOfWork, principal: Principal, asked: Asked,
                       access_path: str | None = None, *, exact: bool | None = None,
                       limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    """The Mettmann screening table (004 L75): per access path, referral targets, KIM case
    management, no need; the totals per access path (``totals``), per outcome and in all."""
    report = read_screening(uow, principal, asked, access_path, exact=_exact(principal, exact))
    shown, names = report.shown, report.names

    def outcome(j: int) -> dict[str, Any]:
        name, org = outcome_of(shown.table.column_keys[j])
        return {"outcome": name, "referral_org_id": org,
                "referral_org_name": names.get(org) if org else None}

    listed = cells(shown, report.pivot.listed)

    def row(n: int) -> dict[str, Any]:
        i, j = listed[n]
        return {"access_path": shown.table.row_keys[i][0], **outcome(j),
                "count": shown.cell(i, j)}

    return _paged_lazily(
        len(listed), row, report, limit, offset,
        totals=[{"access_path": path, "count": shown.row_total(i)}
                for i, (path,) in enumerate(shown.table.row_keys)],
        outcome_totals=[{**outcome(j), "count": shown.column_total(j)}
                        for j in range(shown.table.shape[1])],
        grand_total=shown.grand_total())


def primary_goal_areas(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *,
                       exact: bool | None = None, limit: int | None = None,
                       offset: int = 0) -> dict[str, Any]:
    """The Hilden table (004 L134): people in case management by primary goal topic area (one
    page of them) and in all (``grand_total``); per case manager by target group (004 L140,
    all of it) with its totals."""
    report = read_primary_goal_areas(uow, principal, asked, exact=_exact(principal, exact))
    topics, groups = report.shown, report.second
    assert groups is not None  # read_primary_goal_areas publishes both
    rows = [{"primary_topic_area": topics.table.row_keys[i][0], "count": topics.cell(i, j)}
            for i, j in cells(topics)]
    managers, target_groups = groups.table.row_keys, groups.table.column_keys
    return _paged(
        rows, report, limit, offset, grand_total=topics.column_total(0),
        by_case_manager=[{"case_manager_id": managers[i][0],
                          "target_group_id": target_groups[j] or None,
                          "count": groups.cell(i, j)} for i, j in cells(groups)],
        case_manager_totals=[{"case_manager_id": m, "count": groups.row_total(i)}
                             for i, (m,) in enumerate(managers)],
        target_group_totals=[{"target_group_id": g or None, "count": groups.column_total(j)}
                             for j, g in enumerate(target_groups)],
        by_case_manager_total=groups.grand_total())


def caseload(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *,
             exact: bool | None = None, limit: int | None = None,
             offset: int = 0) -> dict[str, Any]:
    """Cases per case manager against the guideline for her FTE share (DOMAIN.md §1); where
    the cases are hidden, the status (under, within, over) is too (it bounds them)."""
    report = read_caseload(uow, principal, asked, exact=_exact(principal, exact))
    shown = report.shown
    rows = [{**row, "cases": shown.cell(i, 0),
             "status": None if hidden(shown, i, 0) else row["status"]}
            for i, row in enumerate(report.rows)]
    return _paged(rows, report, limit, offset, grand_total=shown.column_total(0))


def effort_by_phase(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *,
                    exact: bool | None = None, limit: int | None = None,
                    offset: int = 0) -> dict[str, Any]:
    """Contacts and effort per phase against the guideline (DOMAIN.md §5), a total per
    measure; the minutes ``null`` where the phase's cases are hidden."""
    report = read_effort(uow, principal, asked, exact=_exact(principal, exact))
    shown = report.shown
    rows = [{**row, **{m: shown.cell(i, j) for j, m in enumerate(EFFORT_MEASURES)},
             "minutes": report.value(i, 0)} for i, row in enumerate(report.rows)]
    return _paged(rows, report, limit, offset,
                  totals={m: shown.column_total(j) for j, m in enumerate(EFFORT_MEASURES)})


def referral_rates(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, *,
                   exact: bool | None = None, limit: int | None = None,
                   offset: int = 0) -> dict[str, Any]:
    """Referrals per partner, kind and topic area with the acceptance and arrival rates (a
    rate only where its counts are shown), a total per measure."""
    report = read_referral_rates(uow, principal, asked, exact=_exact(principal, exact))
    shown = report.shown

    def row(i: int) -> dict[str, Any]:
        found = report.rows[i]
        return {**found, "partner_name": report.names.get(str(found["partner_org_id"])),
                **{m: shown.cell(i, j) for j, m in enumerate(REFERRAL_MEASURES)},
                "acceptance_rate": rate(shown, i, 1), "arrival_rate": rate(shown, i, 2)}

    return _paged_lazily(
        len(report.rows), row, report, limit, offset,
        totals={m: shown.column_total(j) for j, m in enumerate(REFERRAL_MEASURES)})


def time_series(uow: ReportingUnitOfWork, principal: Principal, asked: Asked, figure: str, *,
                exact: bool | None = None, limit: int | None = None,
                offset: int = 0) -> dict[str, Any]:
    """A monthly series of one figure (:data:`~lotse_reporting.domain.standard.FIGURES`): the
    cells by month, key and detail; the totals per key (over the period), per month and in
    all."""
    report = read_time_series(uow, principal, asked, figure, exact=_exact(principal, exact))
    shown = report.shown
    keys, months = shown.table.row_keys, shown.table.column_keys
    listed = sorted(cells(shown), key=lambda p: (months[p[1]], keys[p[0]]))

    def row(n: int) -> dict[str, Any]:
        i, j = listed[n]
        return {"month": months[j], "key": keys[i][0], "detail": keys[i][1] or None,
                "count": shown.cell(i, j), "value": report.value(i, j)}

    totals: list[dict[str, Shown | str | None]] = [
        {"key": key, "detail": detail or None, "count": shown.row_total(i)}
        for i, (key, detail) in enumerate(keys)]
    return {"figure": figure, **_paged_lazily(
        len(listed), row, report, limit, offset, key_totals=totals,
        month_totals=[{"month": m, "count": shown.column_total(j)} for j, m in enumerate(months)],
        grand_total=shown.grand_total())}
