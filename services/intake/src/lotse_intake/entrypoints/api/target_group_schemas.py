"""Schemas of the target groups (*Zielgruppen*)."""

from __future__ import annotations

import marshmallow as ma
from lotse_platform.http.text import Line, Text

from ...domain.vocabulary import Household, RegionOfOrigin, ResidenceStatus
from .schemas import ID, NAME, TEXT, enum_list


class ConditionsSchema(ma.Schema):
    """All set conditions must hold; a fact not recorded at screening never satisfies one."""

    residence_statuses = enum_list(ResidenceStatus, load_default=list, description="any of.")
    min_age = ma.fields.Integer(allow_none=True, load_default=None,
                                validate=ma.validate.Range(min=0, max=120),
                                metadata={"description": "inclusive; 'älter als 27' is 28"})
    max_age = ma.fields.Integer(allow_none=True, load_default=None,
                                validate=ma.validate.Range(min=0, max=120))
    years_in_germany_under = ma.fields.Integer(
        allow_none=True, load_default=None, validate=ma.validate.Range(min=1, max=100),
        metadata={"description": "fewer than this many years since arrival "
                                 "('noch nicht 5 Jahre in Deutschland' is 5)"})
    unaccompanied_minor_at_entry = ma.fields.Boolean(load_default=False)
    regions_of_origin = enum_list(RegionOfOrigin, load_default=list, description="any of.")
    multiple_support_need_established = ma.fields.Boolean(load_default=False, metadata={
        "description": "established by a named specialised counselling service (the fact "
                       "`multiple_support_need_established_by`, an organisation)"})
    disadvantaged = ma.fields.Boolean(load_default=False)
    arrived_in_county_since = ma.fields.Date(allow_none=True, load_default=None, metadata={
        "description": "came to the county on or after this day ('seit 2015 in den Kreis "
                       "gekommen' is 2015-01-01); fact `arrived_in_county_on`"})
    households = enum_list(Household, load_default=list,
                           description="any of (fact `household`).")
    international_family_history = ma.fields.Boolean(load_default=False, metadata={
        "description": "§4 TIIntG NRW: not German (Art. 116 (1) GG), or born abroad and "
                       "immigrated after 31 Dec 1995, or a parent who was (facts "
                       "`residence_statuses`, `born_abroad`, `arrived_in_germany_on`, "
                       "`parent_immigrated_after_1995`)"})


class CreateTargetGroupSchema(ma.Schema):
    name = Line(required=True, validate=NAME)
    description = Text(validate=TEXT, allow_none=True, load_default=None)
    # absent: no conditions, with every condition's own default (a raw {} would skip them)
    conditions = ma.fields.Nested(ConditionsSchema, load_default=lambda: ConditionsSchema().load({}))
    area_ids = ma.fields.List(Line(validate=ID), load_default=list,
                              metadata={"description": "municipalities it applies to; empty: "
                                                       "the whole tenant"})
    valid_from = ma.fields.Date(required=True)
    valid_until = ma.fields.Date(allow_none=True, load_default=None)
    steering_decision_ref = Line(
        validate=NAME, allow_none=True, load_default=None,
        metadata={"description": "the steering-group decision that set it "
                                 "(Lenkungsgruppenbeschluss)"})


class UpdateTargetGroupSchema(ma.Schema):
    valid_until = ma.fields.Date(required=True, metadata={"description": "end (or extend) it"})


class TargetGroupSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    conditions = ma.fields.Nested(ConditionsSchema)
    area_ids = ma.fields.List(ma.fields.String())
    valid_from = ma.fields.Date()
    valid_until = ma.fields.Date(allow_none=True)
    steering_decision_ref = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class TargetGroupQuerySchema(ma.Schema):
    valid_on = ma.fields.Date(metadata={"description": "only groups valid on this day"})
    area_id = Line(validate=ID, metadata={"description": "only groups for this area"})


