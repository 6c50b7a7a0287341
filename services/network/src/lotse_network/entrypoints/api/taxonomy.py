"""The directory's taxonomy: the codes a directory entry, a search and a referral use, with the
German labels — public, like the directory a municipality's website reads (no personal data)."""

from __future__ import annotations

import marshmallow as ma
from lotse_platform.http import Blueprint
from lotse_platform.auth import public

from ...domain.vocabulary import LEGAL_AREAS, OWN_CASE_MANAGEMENT, SERVICE_KINDS, TOPIC_AREAS, label

blp = Blueprint("network-taxonomy", __name__, url_prefix="/",
                description="The taxonomy of the referral network's directory (public)")


class TermSchema(ma.Schema):
    code = ma.fields.String(required=True)
    label = ma.fields.String(required=True, metadata={"description": "German label"})


class LegalAreaTermSchema(TermSchema):
    own_case_management = ma.fields.Boolean(required=True, metadata={
        "description": "services under this law run their own case management: a referral, "
                       "not a takeover"})


class TaxonomySchema(ma.Schema):
    topic_areas = ma.fields.List(ma.fields.Nested(TermSchema), required=True)
    legal_areas = ma.fields.List(ma.fields.Nested(LegalAreaTermSchema), required=True)
    service_kinds = ma.fields.List(ma.fields.Nested(TermSchema), required=True)


@blp.route("/taxonomy", methods=["GET"])
@blp.response(200, TaxonomySchema)
@public
def taxonomy():
    """The topic areas (Themenbereiche), legal areas (Rechtskreise) and kinds of service
    (Angebotsarten) of the directory, with their German labels."""
    return {
        "topic_areas": [{"code": c, "label": label(c)} for c in TOPIC_AREAS],
        "legal_areas": [{"code": c, "label": label(c), "own_case_management":
                         c in OWN_CASE_MANAGEMENT} for c in LEGAL_AREAS],
        "service_kinds": [{"code": c, "label": label(c)} for c in SERVICE_KINDS],
    }
