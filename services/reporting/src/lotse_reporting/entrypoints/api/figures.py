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

from ...service_layer import figures

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
    return figures.cases_by_area_and_phase(request_uow(principal), exact=_exact())


@blp.route("/referrals/by-partner", methods=["GET"])
@blp.response(200, ReferralsByPartnerSchema)
@requires(*ROLES)
def referrals_by_partner():
    """Referrals per partner organisation and topic area, by outcome, with the arrival rate
    (Vermittlungen je Partner, Themenbereich und Ergebnis; Ankunftsquote), from network's
    events."""
    principal = current_principal()
    return figures.referrals_by_partner(request_uow(principal), exact=_exact())
