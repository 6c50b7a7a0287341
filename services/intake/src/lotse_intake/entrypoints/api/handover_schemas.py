"""The handover package (*Fallübergabe*): a stable contract with casework (docs/intake.md)."""

from __future__ import annotations

import marshmallow as ma

from ...domain.vocabulary import AccessPath
from .schemas import (
    AdmissionSchema,
    ConsentSchema,
    DecisionSchema,
    PersonSchema,
    ScreeningSchema,
    enum,
)


class HandoverScreeningSchema(ScreeningSchema):
    """The screening result without the special-category facts behind the target-group check."""

    class Meta:
        exclude = ("facts",)


class CounsellingHistoryEntrySchema(DecisionSchema):
    class Meta:
        exclude = ("note",)


class HandoverHouseholdSchema(ma.Schema):
    household_id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True, metadata={
        "description": "family, single_parent, partners, shared_household"})
    relation = ma.fields.String(required=True, metadata={
        "description": "applicant, partner, child, other_adult"})


class HandoverSchema(ma.Schema):
    """The handover package (*Fallübergabe*) casework keeps its own copy of. Stable contract:
    fields are only ever added (docs/intake.md)."""

    intake_id = ma.fields.UUID(required=True)
    operator_org_id = ma.fields.String(required=True, metadata={
        "description": "provider running the intake instance; empty: the county"})
    area_id = ma.fields.String(required=True)
    access_path = enum(AccessPath, required=True)
    referring_org_id = ma.fields.String(allow_none=True)
    contact_date = ma.fields.Date(required=True)
    person = ma.fields.Nested(PersonSchema, required=True)
    screening = ma.fields.Nested(HandoverScreeningSchema, required=True,
                                 metadata={"description": "criteria, topic areas, crisis, "
                                                          "target groups; never the facts"})
    admission = ma.fields.Nested(AdmissionSchema, required=True)
    consents = ma.fields.List(ma.fields.Nested(ConsentSchema), required=True)
    counselling_history = ma.fields.List(
        ma.fields.Nested(CounsellingHistoryEntrySchema), required=True,
        metadata={"description": "every counselling-depth decision and revision, oldest first"})
    released_under = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ["counselling_agreement", "release_of_confidentiality"]), metadata={
        "description": "what the release rests on"})
    household = ma.fields.Nested(HandoverHouseholdSchema, allow_none=True, metadata={
        "description": "the household (Bedarfsgemeinschaft) the person's intake is linked to, "
                       "with her relation; null when none. Each member's consent stays her own"})
