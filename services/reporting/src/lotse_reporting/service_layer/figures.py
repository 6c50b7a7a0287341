"""The coordinating office's figures, read from the projections (audited as a report read):
cases per area and phase, and referrals per partner organisation, topic area and outcome with
the arrival rate. ``exact``: the office's counts; otherwise small cells are suppressed with
secondary suppression (:mod:`lotse_reporting.domain.suppression`, ADR 0091): a count from 1 to
4 is ``"<5"``, a count hidden to protect one is ``"x"``, and a rate is shown only where the
referrals and the arrivals behind it are shown. The JSON answers are pages of the rows
(``limit``, ``offset``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lotse_platform.references import area_names, organisation_names

from ..domain.reports import (PublishedReferrals, cases_table, publish_referrals,
                              referral_tables)
from ..domain.suppression import publish
from ..domain.tables import PublishedTable
from .unit_of_work import ReportingUnitOfWork


def read_cases(uow: ReportingUnitOfWork, *, exact: bool, reason: str = "cases_by_area_and_phase"
               ) -> tuple[PublishedTable, dict[str, str]]:
    """Cases per area and phase as the caller may see them, and the areas' names (audited)."""
    with uow:
        found = uow.cases_by_area_and_phase()
        names = area_names(uow.references, {area for area, *_ in found})
        uow.audit("read", "report", reason=reason)
        uow.commit()
    return publish(cases_table(found), exact=exact), names


def read_referrals(uow: ReportingUnitOfWork, *, exact: bool,
                   reason: str = "referrals_by_partner") -> tuple[PublishedReferrals,
                                                                   dict[str, str]]:
    """Referrals per partner and topic area as the caller may see them, and the partners'
    names (audited)."""
    with uow:
        found = uow.referrals_by_partner()
        names = organisation_names(uow.references, {partner for partner, *_ in found})
        uow.audit("read", "report", reason=reason)
        uow.commit()
    return publish_referrals(referral_tables(found), exact=exact), names


def page(rows: list[dict[str, Any]], *, limit: int, offset: int, suppressed: bool
         ) -> dict[str, Any]:
    """One page of ``rows`` (the network service's shape: ``total``, ``limit``, ``offset``,
    ``next_offset``)."""
    return paged(len(rows), rows.__getitem__, limit=limit, offset=offset, suppressed=suppressed)


def paged(total: int, row: Callable[[int], dict[str, Any]], *, limit: int, offset: int,
          suppressed: bool) -> dict[str, Any]:
    """:func:`page` of ``total`` rows of which only the page's are made (``row(i)``: the
    ``i``-th)."""
    end = offset + limit
    return {"suppressed": suppressed, "rows": [row(i) for i in range(offset, min(end, total))],
            "total": total, "limit": limit, "offset": offset,
            "next_offset": end if end < total else None}


def _listed(shown: PublishedTable, i: int, j: int) -> bool:
    """A cell the JSON lists: a count other than 0, or a hidden one (a hidden 0 left out
    would give itself away)."""
    return shown.table.counts[i][j] != 0 or not isinstance(shown.cell(i, j), int)


def cases_by_area_and_phase(uow: ReportingUnitOfWork, *, exact: bool, limit: int = 1000,
                            offset: int = 0) -> dict[str, Any]:
    shown, names = read_cases(uow, exact=exact)
    table = shown.table
    rows = [{"area_id": area, "area_name": names.get(area), "phase": phase,
             "cases": shown.cell(i, j)}
            for i, (area,) in enumerate(table.row_keys)
            for j, phase in enumerate(table.column_keys) if _listed(shown, i, j)]
    return page(rows, limit=limit, offset=offset, suppressed=shown.suppressed)


def referrals_by_partner(uow: ReportingUnitOfWork, *, exact: bool, limit: int = 1000,
                         offset: int = 0) -> dict[str, Any]:
    shown, names = read_referrals(uow, exact=exact)
    table = shown.outcomes.table
    rows = []
    for i, (partner, topic) in enumerate(table.row_keys):
        rows.append({"partner_org_id": partner, "partner_name": names.get(partner),
                     "topic_area": topic,
                     "outcomes": {s: shown.outcomes.cell(i, j)
                                  for j, s in enumerate(table.column_keys)
                                  if _listed(shown.outcomes, i, j)},
                     "referrals": shown.outcomes.row_total(i),
                     "arrived": shown.arrived.cell(i, 0),
                     "arrival_rate": shown.arrival_rate(i)})
    return page(rows, limit=limit, offset=offset, suppressed=shown.outcomes.suppressed)
