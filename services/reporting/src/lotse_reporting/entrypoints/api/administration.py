"""The coordinating office's administration (*Verwaltung: Antrag, Mittelabrufe,
Weiterleitungsverträge*, 001 L387): posts per building block, each year's funding with its two
calls of funds, and the forwarding contracts to towns and providers — kept by the office
(coordinators, the coordination assistant), summarised for the annual report, read also by the
steering group. Organisational figures: no person is named; a post has a function, an employer
and an area."""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain.administration import BUILDING_BLOCKS, FUNCTIONS, HALVES
from ...domain.commands import RecordFundCall, SaveForwardingContract, SaveFundingYear, SavePost
from ...service_layer import administration as service
from ...service_layer.administration import ADMINISTRATION_READERS, ADMINISTRATION_WRITERS

blp = Blueprint("reporting-administration", __name__, url_prefix="/administration",
                description="The coordinating office's administration: posts, funding, "
                            "forwarding contracts (Stellen, Förderung, Weiterleitungsverträge)")

ID = ma.validate.Length(min=1, max=100)
YEAR = ma.validate.Range(min=2020, max=2100)


def _described(labels: dict[str, str]) -> str:
    return ", ".join(f"{code} ({label})" for code, label in labels.items())


#: a decimal travels as a string ("0.75", "48000.00"): exact, as a share or an amount must be
_DECIMAL = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}


def _decimal(metadata: dict[str, Any] | None, **kwargs: Any) -> ma.fields.Decimal:
    return ma.fields.Decimal(places=2, as_string=True, allow_nan=False,
                             metadata={**_DECIMAL, **(metadata or {})}, **kwargs)


def _fte(metadata: dict[str, Any] | None = None, **kwargs: Any) -> ma.fields.Decimal:
    return _decimal(metadata, **kwargs)


def _not_negative(value: Any) -> None:
    if value < 0:
        raise ma.ValidationError("not negative")


def _money(metadata: dict[str, Any] | None = None, **kwargs: Any) -> ma.fields.Decimal:
    return _decimal({"pattern": r"^\d+(\.\d+)?$", **(metadata or {})},
                    validate=_not_negative, **kwargs)


# -- posts ----------------------------------------------------------------------------------------
class SavePostSchema(ma.Schema):
    building_block = Line(required=True, validate=ma.validate.OneOf(BUILDING_BLOCKS), metadata={
        "description": _described(BUILDING_BLOCKS)})
    function = Line(required=True, validate=ma.validate.OneOf(FUNCTIONS), metadata={
        "description": _described(FUNCTIONS)})
    employer_org_id = Line(required=True, validate=ID, metadata={
        "description": "the employer (Anstellungsträger): an organisation of identity's "
                       "directory"})
    area_id = Line(load_default=None, allow_none=True, validate=ID, metadata={
        "description": "the town or region the post serves (an area of identity's directory)"})
    fte = _fte(required=True, metadata={"description": "share of a full-time post, 0.01–1.00"})
    filled_fte = _fte(required=True, metadata={
        "description": "how much of it is filled (besetzt); the rest is vacant"})
    valid_from = ma.fields.Date(required=True, metadata={"description": "funded since"})
    valid_until = ma.fields.Date(load_default=None, allow_none=True)
    label = Line(load_default="", validate=ma.validate.Length(max=100), metadata={
        "description": "a short designation, e.g. 'CMS Warburg 1' — never a holder's name"})


class PostSchema(SavePostSchema):
    id = ma.fields.UUID(required=True)
    vacant_fte = _fte(required=True)


class YearQuerySchema(ma.Schema):
    year = ma.fields.Integer(validate=YEAR, metadata={
        "description": "only those funded / of this year"})


class SummaryQuerySchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=YEAR)


@blp.route("/posts")
class Posts(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, PostSchema(many=True))
    @requires(*ADMINISTRATION_READERS)
    def get(self, query):
        """The posts (Stellen), by building block; with ``year`` those funded in it."""
        return service.list_posts(request_uow(current_principal()), year=query.get("year"))

    @blp.arguments(SavePostSchema)
    @blp.response(201, PostSchema)
    @requires(*ADMINISTRATION_WRITERS)
    def post(self, body):
        """Add a post: its building block, function, employer, area, FTE and how much of it
        is filled."""
        post_id = handle(SavePost(**body), current_principal())
        return service.get_post(request_uow(current_principal()), post_id)


@blp.route("/posts/<uuid:post_id>")
class OnePost(MethodView):
    @blp.response(200, PostSchema)
    @requires(*ADMINISTRATION_READERS)
    def get(self, post_id: uuid.UUID):
        """One post."""
        return service.get_post(request_uow(current_principal()), post_id)

    @blp.arguments(SavePostSchema)
    @blp.response(200, PostSchema)
    @requires(*ADMINISTRATION_WRITERS)
    def put(self, body, post_id: uuid.UUID):
        """Change a post (e.g. filled again after a vacancy, or its funding ended)."""
        handle(SavePost(**body, post_id=post_id), current_principal())
        return service.get_post(request_uow(current_principal()), post_id)


# -- funding ----------------------------------------------------------------------------------------
class FundCallSchema(ma.Schema):
    half = ma.fields.Integer(required=True, validate=ma.validate.OneOf(HALVES))
    due_on = ma.fields.Date(required=True)
    amount = _money(allow_none=True)
    called_on = ma.fields.Date(allow_none=True)
    received_on = ma.fields.Date(allow_none=True)


class SaveFundCallSchema(ma.Schema):
    due_on = ma.fields.Date(required=True, metadata={"description": "when it is to be called"})
    amount = _money(load_default=None, allow_none=True, metadata={"description": "euros"})
    called_on = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "called (abgerufen) on"})
    received_on = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "the funds arrived on"})


class SaveFundingYearSchema(ma.Schema):
    applied_on = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "the application (Antrag) was made on"})
    requested = _money(load_default=None, allow_none=True, metadata={"description": "euros"})
    notice_on = ma.fields.Date(load_default=None, allow_none=True, metadata={
        "description": "the grant notice (Zuwendungsbescheid) is dated"})
    granted = _money(load_default=None, allow_none=True, metadata={"description": "euros"})
    granted_fte = ma.fields.Dict(keys=Line(validate=ma.validate.OneOf(BUILDING_BLOCKS)),
                                 values=_fte(), load_default=dict, metadata={
        "description": "FTE granted per building block, e.g. {\"coordination\": \"4.00\"}"})


class FundingYearSchema(SaveFundingYearSchema):
    year = ma.fields.Integer(required=True)
    calls = ma.fields.List(ma.fields.Nested(FundCallSchema), required=True)


def _funding(funding) -> dict[str, Any]:
    return {**vars(funding), "calls": sorted(funding.calls.values(), key=lambda c: c.half)}


@blp.route("/funding/<int:year>")
class Funding(MethodView):
    @blp.response(200, FundingYearSchema)
    @requires(*ADMINISTRATION_READERS)
    def get(self, year: int):
        """A year's funding: application, grant notice, FTE granted, its calls of funds."""
        return _funding(service.get_funding_year(request_uow(current_principal()), year))

    @blp.arguments(SaveFundingYearSchema)
    @blp.response(200, FundingYearSchema)
    @requires(*ADMINISTRATION_WRITERS)
    def put(self, body, year: int):
        """Record or change a year's application and grant notice (its calls stay)."""
        handle(SaveFundingYear(year=year, **body), current_principal())
        return _funding(service.get_funding_year(request_uow(current_principal()), year))


@blp.route("/funding/<int:year>/calls/<int:half>")
class FundCall(MethodView):
    @blp.arguments(SaveFundCallSchema)
    @blp.response(200, FundingYearSchema)
    @requires(*ADMINISTRATION_WRITERS)
    def put(self, body, year: int, half: int):
        """Record the year's first or second call of funds (Mittelabruf, ``half`` 1 or 2):
        when it is due, the amount, when it was called and when the funds arrived."""
        handle(RecordFundCall(year=year, half=half, **body), current_principal())
        return _funding(service.get_funding_year(request_uow(current_principal()), year))


# -- forwarding contracts ----------------------------------------------------------------------------
class SaveContractSchema(ma.Schema):
    year = ma.fields.Integer(required=True, validate=YEAR)
    recipient_org_id = Line(required=True, validate=ID, metadata={
        "description": "the town or provider the funds go to (identity's directory)"})
    building_block = Line(required=True, validate=ma.validate.OneOf(BUILDING_BLOCKS))
    fte = _fte(required=True, metadata={"description": "FTE of posts forwarded"})
    amount = _money(required=True, metadata={"description": "euros for the year"})
    signed_on = ma.fields.Date(load_default=None, allow_none=True)
    transfers = ma.fields.Dict(keys=ma.fields.Integer(validate=ma.validate.OneOf(HALVES)),
                               values=ma.fields.Date(), load_default=dict, metadata={
        "description": "the two transfers of the year done so far: {\"1\": \"2026-04-15\"}"})


class ContractSchema(SaveContractSchema):
    id = ma.fields.UUID(required=True)
    recipient_name = ma.fields.String(allow_none=True, metadata={
        "description": "the recipient's name as identity published it (null until known)"})


def _contract(contract_id: uuid.UUID) -> dict[str, Any]:
    contract = service.get_forwarding_contract(request_uow(current_principal()), contract_id)
    return vars(contract)


@blp.route("/forwarding-contracts")
class Contracts(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, ContractSchema(many=True))
    @requires(*ADMINISTRATION_READERS)
    def get(self, query):
        """The forwarding contracts (Weiterleitungsverträge), optionally of one year."""
        return service.list_forwarding_contracts(request_uow(current_principal()),
                                                 query.get("year"))

    @blp.arguments(SaveContractSchema)
    @blp.response(201, ContractSchema)
    @requires(*ADMINISTRATION_WRITERS)
    def post(self, body):
        """Record a forwarding contract: who receives the funds of how many posts of which
        building block, for which year, and the transfers made."""
        return _contract(handle(SaveForwardingContract(**body), current_principal()))


@blp.route("/forwarding-contracts/<uuid:contract_id>")
class OneContract(MethodView):
    @blp.response(200, ContractSchema)
    @requires(*ADMINISTRATION_READERS)
    def get(self, contract_id: uuid.UUID):
        """One forwarding contract."""
        return _contract(contract_id)

    @blp.arguments(SaveContractSchema)
    @blp.response(200, ContractSchema)
    @requires(*ADMINISTRATION_WRITERS)
    def put(self, body, contract_id: uuid.UUID):
        """Change a forwarding contract (e.g. record the second transfer)."""
        handle(SaveForwardingContract(**body, contract_id=contract_id), current_principal())
        return _contract(contract_id)


# -- the summary ----------------------------------------------------------------------------------------
class BlockSchema(ma.Schema):
    building_block = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "German name"})
    posts = ma.fields.Integer(required=True)
    fte = _fte(required=True)
    filled_fte = _fte(required=True)
    vacant_fte = _fte(required=True)
    granted_fte = _fte(allow_none=True, metadata={"description": "per the grant notice"})


class CallSummarySchema(FundCallSchema):
    overdue = ma.fields.Boolean(required=True, metadata={
        "description": "due before the tenant's today and not called"})


class FundingSummarySchema(ma.Schema):
    applied_on = ma.fields.Date(allow_none=True)
    requested = _money(allow_none=True)
    notice_on = ma.fields.Date(allow_none=True)
    granted = _money(allow_none=True)
    called = _money(required=True)
    received = _money(required=True)
    calls = ma.fields.List(ma.fields.Nested(CallSummarySchema), required=True)


class ForwardedSchema(ma.Schema):
    recipient_org_id = ma.fields.String(required=True)
    recipient_name = ma.fields.String(allow_none=True)
    building_block = ma.fields.String(required=True)
    fte = _fte(required=True)
    amount = _money(required=True)
    signed_on = ma.fields.Date(allow_none=True)
    transfers_done = ma.fields.List(ma.fields.Integer(), required=True)
    transfers_outstanding = ma.fields.List(ma.fields.Integer(), required=True)


class SummarySchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    posts = ma.fields.List(ma.fields.Nested(BlockSchema), required=True)
    funding = ma.fields.Nested(FundingSummarySchema, required=True)
    forwarded = ma.fields.List(ma.fields.Nested(ForwardedSchema), required=True)
    forwarded_total = _money(required=True)


@blp.route("/summary")
class Summary(MethodView):
    @blp.arguments(SummaryQuerySchema, location="query")
    @blp.response(200, SummarySchema)
    @requires(*ADMINISTRATION_READERS)
    def get(self, query):
        """The year's administrative figures as the annual report shows them: posts per
        building block (FTE, filled, vacant, granted), the funding (requested, granted, called,
        received, calls overdue) and the funds forwarded."""
        return service.administration_summary(request_uow(current_principal()), query["year"])
