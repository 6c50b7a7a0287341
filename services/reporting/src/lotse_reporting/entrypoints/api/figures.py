"""The coordinating office's first figures, read from the projections: cases per area and phase
(Fälle je Gebiet und Phase) and referrals per partner organisation, topic area and outcome with
the arrival rate (Vermittlungen je Partner). Ids and counts only — no names, no case.

The coordinating office (``coordinator``) sees exact counts; a steering member
(``steering_member``) sees a count from 1 to 4 as ``"<5"`` (small-cell suppression). Rates are
computed from exact counts and shown to steering members only where the referrals behind them are
at least 5."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from lotse_platform.auth import COORDINATOR, STEERING_MEMBER, current_principal, requires
from lotse_platform.service import request_uow

from lotse_platform.references import organisation_names
from ...domain.projections import SMALL_CELL, suppressed

blp = Blueprint("reporting-figures", __name__, url_prefix="/",
                description="Figures of the coordinating office (read models; counts only)")

ROLES = (COORDINATOR, STEERING_MEMBER)


class Count(ma.fields.Field):
    """A count: a number, or ``"<5"`` for a small cell a steering member sees."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class AreaPhaseSchema(ma.Schema):
    area_id = ma.fields.String(required=True)
    phase = ma.fields.String(required=True, metadata={
        "description": "intake | assessment | goal_agreement | linking | monitoring | "
                       "reassessment | evaluation | closed | transferred (to another county)"})
    cases = Count(required=True, metadata={"description": "a number, or \"<5\" (suppressed)"})


class CasesByAreaAndPhaseSchema(ma.Schema):
    suppressed = ma.fields.Boolean(required=True, metadata={
        "description": "counts from 1 to 4 are shown as \"<5\""})
    rows = ma.fields.List(ma.fields.Nested(AreaPhaseSchema), required=True)


class PartnerRowSchema(ma.Schema):
    partner_org_id = ma.fields.String(required=True)
    partner_name = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "the organisation's name as identity published it (ADR 0086); null "
                       "while it has not arrived"})
    topic_area = ma.fields.String(required=True)
    outcomes = ma.fields.Dict(keys=ma.fields.String(), values=Count(), required=True, metadata={
        "description": "referrals per state (sent, accepted, arrived, declined, not_arrived, "
                       "completed, cancelled)"})
    referrals = Count(required=True)
    arrived = Count(required=True)
    arrival_rate = ma.fields.Float(allow_none=True, required=True, metadata={
        "description": "arrived / referrals (null when suppressed or none)"})


class ReferralsByPartnerSchema(ma.Schema):
    suppressed = ma.fields.Boolean(required=True)
    rows = ma.fields.List(ma.fields.Nested(PartnerRowSchema), required=True)


def _exact() -> bool:
    return current_principal().has_any_role(COORDINATOR)


@blp.route("/cases/by-area-and-phase", methods=["GET"])
@blp.response(200, CasesByAreaAndPhaseSchema)
@requires(*ROLES)
def cases_by_area_and_phase():
    """Cases per area and phase (Fälle je Gebiet und Phase), from casework's events."""
    principal = current_principal()
    exact = _exact()
    with request_uow(principal) as uow:
        found = uow.cases_by_area_and_phase()
        uow.audit("read", "report", reason="cases_by_area_and_phase")
        uow.commit()
    return {"suppressed": not exact,
            "rows": [{"area_id": area, "phase": phase, "cases": suppressed(n, exact)}
                     for area, phase, n in found]}


@blp.route("/referrals/by-partner", methods=["GET"])
@blp.response(200, ReferralsByPartnerSchema)
@requires(*ROLES)
def referrals_by_partner():
    """Referrals per partner organisation and topic area, by outcome, with the arrival rate
    (Vermittlungen je Partner, Themenbereich und Ergebnis; Ankunftsquote), from network's
    events."""
    principal = current_principal()
    exact = _exact()
    with request_uow(principal) as uow:
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
