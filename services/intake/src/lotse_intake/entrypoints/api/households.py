"""Households (*Bedarfsgemeinschaft*, 001 L562; single parents and families, 002 L217): link
the intakes of one household, with each member's relation. Only intakes the caller may work can
be linked (case managers: their areas; the office: the tenant); a read shows the others as a
count only."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.http.text import Line
from lotse_platform.service import handle, request_uow

from ...domain.commands import FoundHousehold, LinkToHousehold, UnlinkFromHousehold
from ...domain.household import (
    KIND_LABELS,
    MAX_MEMBERS,
    RELATION_LABELS,
    HouseholdKind,
    HouseholdLink,
    HouseholdRelation,
)
from ...service_layer.access import INTAKE_ROLES
from ...service_layer.households import (
    HouseholdView,
    household_of_intake,
    read_household,
)
from .schemas import PersonSchema

blp = Blueprint("households", __name__, url_prefix="",
                description="Bedarfsgemeinschaften: die Erstberatungen einer Familie oder "
                            "Haushaltsgemeinschaft verbinden (jede Einwilligung bleibt die "
                            "der einzelnen Person)")


def _described(labels: dict) -> str:
    return "; ".join(f"`{value.value}` ({label})" for value, label in labels.items())


KIND = ma.fields.Enum(HouseholdKind, by_value=True, required=True,
                      metadata={"description": _described(KIND_LABELS)})


def _relation(**kwargs) -> ma.fields.Enum:
    return ma.fields.Enum(HouseholdRelation, by_value=True,
                          metadata={"description": _described(RELATION_LABELS)}, **kwargs)


class HouseholdLinkSchema(ma.Schema):
    intake_id = ma.fields.UUID(required=True)
    relation = _relation(required=True)


class CreateHouseholdSchema(ma.Schema):
    kind = KIND
    note = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=200),
                metadata={"description": "a short note on the household, without names or "
                                         "other personal data (e.g. 'gemeinsame Unterkunft')"})
    members = ma.fields.List(ma.fields.Nested(HouseholdLinkSchema), required=True,
                             validate=ma.validate.Length(min=1, max=MAX_MEMBERS))


class MemberPersonSchema(PersonSchema):
    """Who the member is, as far as the intake shows it; contact details stay in the intake."""

    class Meta:
        fields = ("given_name", "family_name", "date_of_birth")


class MemberSchema(ma.Schema):
    intake_id = ma.fields.UUID()
    relation = _relation()
    linked_on = ma.fields.Date()
    area_id = ma.fields.String()
    status = ma.fields.String()
    person = ma.fields.Nested(MemberPersonSchema)


class HouseholdSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.Enum(HouseholdKind, by_value=True)
    note = ma.fields.String(allow_none=True)
    created_on = ma.fields.Date()
    members = ma.fields.List(ma.fields.Nested(MemberSchema), metadata={
        "description": "the members whose intakes the caller may work"})
    other_members = ma.fields.Integer(metadata={
        "description": "members the caller may not see: a count, no ids or names"})


def _answer(view: HouseholdView) -> dict:
    household = view.household
    return {"id": household.id, "kind": household.kind, "note": household.note,
            "created_on": household.created_on, "other_members": view.other_members,
            "members": [{"intake_id": shown.intake.id, "relation": shown.member.relation,
                         "linked_on": shown.member.linked_on, "area_id": shown.intake.area_id,
                         "status": shown.intake.status, "person": shown.intake.person}
                        for shown in view.members]}


@blp.route("/households")
class Households(MethodView):
    @blp.arguments(CreateHouseholdSchema)
    @blp.response(201, HouseholdSchema)
    @requires(*INTAKE_ROLES)
    def post(self, body):
        """Found a household with its first members (at first contact or later): each an intake
        the caller may work, not yet in another household (409 naming `members.N.intake_id`);
        nothing is written unless all can be linked. Audited on each intake."""
        principal = current_principal()
        household = handle(FoundHousehold(
            kind=body["kind"], note=body["note"], linked_by=principal.subject,
            members=tuple(HouseholdLink(m["intake_id"], m["relation"])
                          for m in body["members"])), principal)
        return _answer(read_household(household.id, request_uow(principal)))


@blp.route("/households/<uuid:household_id>")
class HouseholdById(MethodView):
    @blp.response(200, HouseholdSchema)
    @requires(*INTAKE_ROLES)
    def get(self, household_id: uuid.UUID):
        """The household: the members the caller may see (audited reads of their intakes), the
        others as a count. 404 when she may see none of them (the office sees every one)."""
        return _answer(read_household(household_id, request_uow(current_principal())))


@blp.route("/households/<uuid:household_id>/members")
class HouseholdMembers(MethodView):
    @blp.arguments(HouseholdLinkSchema)
    @blp.response(201, HouseholdSchema)
    @requires(*INTAKE_ROLES)
    def post(self, body, household_id: uuid.UUID):
        """Link an existing intake the caller may work (409 when it is in another household)."""
        principal = current_principal()
        handle(LinkToHousehold(household_id, HouseholdLink(body["intake_id"], body["relation"]),
                               linked_by=principal.subject), principal)
        return _answer(read_household(household_id, request_uow(principal)))


@blp.route("/households/<uuid:household_id>/members/<uuid:intake_id>")
class HouseholdMember(MethodView):
    @blp.response(204)
    @requires(*INTAKE_ROLES)
    def delete(self, household_id: uuid.UUID, intake_id: uuid.UUID):
        """Unlink an intake the caller may work from the household."""
        handle(UnlinkFromHousehold(household_id, intake_id), current_principal())


@blp.route("/intakes/<uuid:intake_id>/household")
class HouseholdOfIntake(MethodView):
    @blp.response(200, HouseholdSchema)
    @requires(*INTAKE_ROLES)
    def get(self, intake_id: uuid.UUID):
        """The household of an intake the caller may work (404 when it has none)."""
        return _answer(household_of_intake(intake_id, request_uow(current_principal())))
