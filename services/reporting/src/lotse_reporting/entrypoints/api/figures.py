"""The coordinating office's first figures, read from the projections: cases per area and phase
(Fälle je Gebiet und Phase) and referrals per partner organisation, topic area and outcome with
the arrival rate (Vermittlungen je Partner). Ids and counts only — no names, no case.

The roles of ``LOTSE_REPORTING_EXACT_ROLES`` (default: the coordinating office, ``coordinator``)
see exact counts; everyone else — a steering member (``steering_member``) — sees a count from 1
to 4 as ``"<5"`` and a count hidden to protect one as ``"x"`` (primary and secondary suppression,
ADR 0091). A rate is shown only where the counts behind it are. The answers are pages
(``limit``, ``offset``) with an ETag: a dashboard polls with ``If-None-Match`` and gets 304
while nothing changed."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, request
from lotse_platform.http import Blueprint

from lotse_platform.auth import COORDINATOR, STEERING_MEMBER, current_principal, requires
from lotse_platform.errors import Forbidden
from lotse_platform.service import current_service, request_uow

from ...service_layer import figures

blp = Blueprint("reporting-figures", __name__, url_prefix="/",
                description="Figures of the coordinating office (read models; counts only)")

ROLES = (COORDINATOR, STEERING_MEMBER)


class Count(ma.fields.Field):
    """A count: a number, ``"<5"`` for a small cell, or ``"x"`` for one hidden so that no small
    cell can be worked out from the others (secondary suppression, ADR 0091)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class AreaPhaseSchema(ma.Schema):
    area_id = ma.fields.String(required=True)
    area_name = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "the area's name as identity published it (ADR 0086); null while it "
                       "has not arrived"})
    phase = ma.fields.String(required=True, metadata={
        "description": "intake | assessment | goal_agreement | linking | monitoring | "
                       "reassessment | evaluation | closed | transferred (to another county)"})
    cases = Count(required=True, metadata={
        "description": "a number, \"<5\" (1 to 4, suppressed) or \"x\" (suppressed to protect "
                       "a small cell)"})


class PageSchema(ma.Schema):
    suppressed = ma.fields.Boolean(required=True, metadata={
        "description": "counts from 1 to 4 are shown as \"<5\", counts hidden to protect them "
                       "as \"x\""})
    total = ma.fields.Integer(required=True, metadata={"description": "rows in all pages"})
    limit = ma.fields.Integer(required=True)
    offset = ma.fields.Integer(required=True)
    next_offset = ma.fields.Integer(required=True, allow_none=True, metadata={
        "description": "the offset of the next page; null on the last"})


class CasesByAreaAndPhaseSchema(PageSchema):
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
        "description": "arrived / referrals (null when either is suppressed, or none)"})


class ReferralsByPartnerSchema(PageSchema):
    rows = ma.fields.List(ma.fields.Nested(PartnerRowSchema), required=True)


class FigureArgsSchema(ma.Schema):
    """Query arguments of a figure's JSON: a page of its rows, and exact or suppressed."""

    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000),
                              metadata={"description": "rows per page (at most 1000)"})
    offset = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=1_000_000))
    exact = ma.fields.Boolean(load_default=None, metadata={
        "description": "true: exact counts (only the roles of LOTSE_REPORTING_EXACT_ROLES, "
                       "default the coordinating office; anyone else 403); false: suppressed; "
                       "unset: exact for those roles, suppressed for everyone else"})


@blp.after_request
def tag_not_modified(response: Response) -> Response:
    """A 304 carries the tag that matched (RFC 9110 §15.4.5). flask-smorest answers 304 before
    it sets the ETag; the tag that matched is the one the client sent (when it sent one)."""
    if response.status_code == 304 and "ETag" not in response.headers:
        sent = request.if_none_match.as_set()
        if len(sent) == 1:
            response.set_etag(next(iter(sent)))
    return response


def exact_for(asked: bool | None, *, by_default: bool, allowed: bool | None = None) -> bool:
    """Whether the caller gets exact counts: asked for (``?exact=true``: 403 unless the
    caller's role is configured exact — or ``allowed``, the standard reports' own rule), or
    else the default — for the JSON figures the caller's own (``by_default``), for exports and
    charts always suppressed."""
    if allowed is None:
        allowed = current_principal().has_any_role(*current_service().settings.exact_roles)
    if asked and not allowed:
        raise Forbidden("exact counts are for the coordinating office only",
                        errors=[{"field": "exact", "message": "not allowed for your role"}])
    return bool(asked) if asked is not None else allowed and by_default


@blp.route("/cases/by-area-and-phase", methods=["GET"])
@blp.etag
@blp.arguments(FigureArgsSchema, location="query")
@blp.response(200, CasesByAreaAndPhaseSchema)
@requires(*ROLES)
def cases_by_area_and_phase(args):
    """Cases per area and phase (Fälle je Gebiet und Phase), from casework's events; one page
    of the rows. Conditional: ``If-None-Match`` with the ETag of the last answer → 304."""
    principal = current_principal()
    return figures.cases_by_area_and_phase(
        request_uow(principal), exact=exact_for(args["exact"], by_default=True),
        limit=args["limit"], offset=args["offset"])


@blp.route("/referrals/by-partner", methods=["GET"])
@blp.etag
@blp.arguments(FigureArgsSchema, location="query")
@blp.response(200, ReferralsByPartnerSchema)
@requires(*ROLES)
def referrals_by_partner(args):
    """Referrals per partner organisation and topic area, by outcome, with the arrival rate
    (Vermittlungen je Partner, Themenbereich und Ergebnis; Ankunftsquote), from network's
    events; one page of the rows. Conditional: ``If-None-Match`` → 304."""
    principal = current_principal()
    return figures.referrals_by_partner(
        request_uow(principal), exact=exact_for(args["exact"], by_default=True),
        limit=args["limit"], offset=args["offset"])
