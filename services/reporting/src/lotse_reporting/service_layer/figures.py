"""The coordinating office's figures, read from the projections (audited as a report read):
cases per area and phase, and referrals per partner organisation, topic area and outcome with
the arrival rate. ``exact``: the office's counts; otherwise a count from 1 to 4 is ``"<5"`` and a
rate is shown only behind at least 5 referrals (small-cell suppression for steering members)."""

from __future__ import annotations

from typing import Any

from lotse_platform.references import organisation_names

from ..domain.projections import SMALL_CELL, suppressed
from .unit_of_work import ReportingUnitOfWork


def cases_by_area_and_phase(uow: ReportingUnitOfWork, *, exact: bool) -> dict[str, Any]:
    with uow:
        found = uow.cases_by_area_and_phase()
        uow.audit("read", "report", reason="cases_by_area_and_phase")
        uow.commit()
    return {"suppressed": not exact,
            "rows": [{"area_id": area, "phase": phase, "cases": suppressed(n, exact)}
                     for area, phase, n in found]}


def referrals_by_partner(uow: ReportingUnitOfWork, *, exact: bool) -> dict[str, Any]:
    with uow:
        found = uow.referrals_by_partner()
        names = organisation_names(uow.references, {partner for partner, *_ in found})
        uow.audit("read", "report", reason="referrals_by_partner")
        uow.commit()
    groups: dict[tuple[str, str], dict[str, int]] = {}
    arrived: dict[tuple[str, str], int] = {}
    for partner, topic, status, n, n_arrived in found:
        groups.setdefault((partner, topic), {})[status] = n
        arrived[(partner, topic)] = arrived.get((partner, topic), 0) + n_arrived
    rows = []
    for (partner, topic), outcomes in sorted(groups.items()):
        total = sum(outcomes.values())
        came = arrived[(partner, topic)]
        rate = round(came / total, 3) if total and (exact or total >= SMALL_CELL) else None
        rows.append({"partner_org_id": partner, "partner_name": names.get(partner),
                     "topic_area": topic,
                     "outcomes": {s: suppressed(n, exact) for s, n in outcomes.items()},
                     "referrals": suppressed(total, exact), "arrived": suppressed(came, exact),
                     "arrival_rate": rate})
    return {"suppressed": not exact, "rows": rows}
