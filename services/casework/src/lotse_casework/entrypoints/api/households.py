"""A case's household (*Bedarfsgemeinschaft*, 001 L562; families and single parents, 002 L217):
the other members' cases as far as the caller may see them, and one contact for several of
them at once. Each person's consent stays her own."""

from __future__ import annotations

import uuid

import marshmallow as ma
from lotse_platform.http import Blueprint
from marshmallow import validate as v

from lotse_platform.audit.api import PurposeArgsSchema, stated_purpose
from lotse_platform.auth import current_principal, requires
from lotse_platform.service import handle, request_uow

from ...domain.commands import RecordHouseholdContact
from ...domain.household import KINDS, RELATIONS, HouseholdContactMember
from ...service_layer.households import read_case_household
from .common import READERS, WRITERS
from .schemas import CreateContactSchema

blp = Blueprint("households", __name__, url_prefix="/",
                description="Bedarfsgemeinschaft: mit der Familie als Einheit arbeiten, jede "
                            "Einwilligung bleibt die der einzelnen Person")

#: members of one joint contact at most (intake links at most 20 people to a household)
MAX_MEMBERS = 20


def _labelled(labels: dict[str, str]) -> str:
    return "; ".join(f"`{value}` ({label})" for value, label in labels.items())


class HouseholdMemberSchema(ma.Schema):
    case_id = ma.fields.UUID()
    relation = ma.fields.String(allow_none=True, metadata={"description": _labelled(RELATIONS)})
    phase = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    access = ma.fields.String(metadata={"description": "own, shared or supervision"})


class CaseHouseholdSchema(ma.Schema):
    household_id = ma.fields.String()
    kind = ma.fields.String(allow_none=True, metadata={"description": _labelled(KINDS)})
    relation = ma.fields.String(allow_none=True, metadata={
        "description": "this case's person in the household: " + _labelled(RELATIONS)})
    members = ma.fields.List(ma.fields.Nested(HouseholdMemberSchema), metadata={
        "description": "the other members' cases the caller may open (each read audited)"})
    other_members = ma.fields.Integer(metadata={
        "description": "members whose cases the caller may not open: a count, no ids, no names"})


class ContactMemberSchema(ma.Schema):
    case_id = ma.fields.UUID(required=True)
    appointment_id = ma.fields.UUID(load_default=None, metadata={
        "description": "the appointment of this case it took place as (a home visit: each "
                       "member's agreed appointment)"})


class CreateHouseholdContactSchema(CreateContactSchema):
    """One contact with several people of a household; the fields as for one case's contact,
    without a concern for a child (recorded in that child's case) and with `members`."""

    class Meta:
        exclude = ("appointment_id", "client_agreement", "child_protection_concern",
                   "youth_office_org_id")

    members = ma.fields.List(ma.fields.Nested(ContactMemberSchema), required=True,
                             validate=v.Length(min=2, max=MAX_MEMBERS), metadata={
                                 "description": "the cases of the household, each once"})


class RecordedContactSchema(ma.Schema):
    case_id = ma.fields.UUID()
    contact_id = ma.fields.UUID()


class HouseholdContactSchema(ma.Schema):
    contacts = ma.fields.List(ma.fields.Nested(RecordedContactSchema))


@blp.route("/cases/<uuid:case_id>/household", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, CaseHouseholdSchema)
@requires(*READERS)
def case_household(args, case_id: uuid.UUID):
    """The household of the case (404 when it belongs to none): the other members' cases the
    caller may open, each with relation, phase and name (an audited read of each; the office
    with its stated purpose), and the others as a count only."""
    return read_case_household(case_id, stated_purpose(args),
                               request_uow(current_principal()))


@blp.route("/household-contacts", methods=["POST"])
@blp.arguments(CreateHouseholdContactSchema)
@blp.response(201, HouseholdContactSchema)
@requires(*WRITERS)
def record_household_contact(body):
    """Record one contact with several people of a household: one contact per member case,
    same day, kind and duration, all or nothing. A member case she may not write or of another
    household: 422 naming `members.N.case_id`; closed, or the person's participation consent
    withdrawn: 409 naming it."""
    members = tuple(HouseholdContactMember(m["case_id"], m["appointment_id"])
                    for m in body.pop("members"))
    recorded = handle(RecordHouseholdContact(members, **body), current_principal())
    return {"contacts": [{"case_id": case_id, "contact_id": contact_id}
                         for case_id, contact_id in recorded]}
