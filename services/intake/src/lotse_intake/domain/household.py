"""Households (*Bedarfsgemeinschaft*): the intakes of people who live and are counselled
together, so that a case manager can work with the family as a unit (001 L562 "Fachkräfte
müssen mit einer größeren Bedarfsgemeinschaft arbeiten können"; Höxter's extension of the
target group to single parents and families, 002 L217).

A household holds no personal data of its own: its kind, an optional short note that must not
name anyone, and its members — each an intake with the member's relation. Each person's consent
stays her own: the household changes nothing about whom an intake's data may be shared with.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from .errors import InvalidField, RuleConflict, UnknownRecord


class HouseholdKind(StrEnum):
    """What kind of household (*Art der Bedarfsgemeinschaft*)."""

    FAMILY = "family"
    SINGLE_PARENT = "single_parent"
    PARTNERS = "partners"
    SHARED_HOUSEHOLD = "shared_household"


class HouseholdRelation(StrEnum):
    """A member's place in the household (*Stellung in der Bedarfsgemeinschaft*)."""

    APPLICANT = "applicant"
    PARTNER = "partner"
    CHILD = "child"
    OTHER_ADULT = "other_adult"


KIND_LABELS = {
    HouseholdKind.FAMILY: "Familie",
    HouseholdKind.SINGLE_PARENT: "Alleinerziehende mit Kindern",
    HouseholdKind.PARTNERS: "Paar ohne Kinder",
    HouseholdKind.SHARED_HOUSEHOLD: "andere Bedarfs- oder Wohngemeinschaft",
}
RELATION_LABELS = {
    HouseholdRelation.APPLICANT: "antragstellende Person",
    HouseholdRelation.PARTNER: "Partner*in",
    HouseholdRelation.CHILD: "Kind",
    HouseholdRelation.OTHER_ADULT: "weitere erwachsene Person",
}

#: members of one household at most (a large shared accommodation is not one household)
MAX_MEMBERS = 20


@dataclass(frozen=True)
class HouseholdLink:
    """An intake to link to a household, with the member's relation (what a request names)."""

    intake_id: uuid.UUID
    relation: HouseholdRelation


@dataclass
class HouseholdMember:
    """An intake linked to a household, with the member's relation."""

    intake_id: uuid.UUID
    relation: HouseholdRelation
    linked_by: str
    linked_on: date
    household_id: uuid.UUID | None = None
    tenant_id: uuid.UUID | None = None


@dataclass
class Household:
    kind: HouseholdKind
    created_by: str
    created_on: date
    note: str | None = None
    members: list[HouseholdMember] = field(default_factory=list)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    @classmethod
    def found(cls, *, kind: HouseholdKind, note: str | None, created_by: str, today: date,
              id: uuid.UUID | None = None) -> Household:
        return cls(kind=kind, note=(note or "").strip() or None, created_by=created_by,
                   created_on=today, id=id or uuid.uuid4())

    def member(self, intake_id: uuid.UUID) -> HouseholdMember | None:
        return next((m for m in self.members if m.intake_id == intake_id), None)

    def link(self, intake_id: uuid.UUID, relation: HouseholdRelation, *, by: str, on: date,
             field_name: str = "intake_id") -> HouseholdMember:
        """Link an intake; ``field_name`` is the request field a refusal names."""
        if self.member(intake_id) is not None:
            raise RuleConflict("the intake is already a member of this household",
                               [(field_name, "already a member")])
        if len(self.members) >= MAX_MEMBERS:
            raise InvalidField(field_name, f"a household has at most {MAX_MEMBERS} members")
        relation_field = field_name.removesuffix("intake_id") + "relation"
        if relation == HouseholdRelation.APPLICANT and any(
                m.relation == HouseholdRelation.APPLICANT for m in self.members):
            raise InvalidField(relation_field, "the household has its applicant already")
        if relation == HouseholdRelation.PARTNER and self.kind == HouseholdKind.SINGLE_PARENT:
            raise InvalidField(relation_field, "a single parent's household has no partner")
        if relation == HouseholdRelation.CHILD and self.kind == HouseholdKind.PARTNERS:
            raise InvalidField(relation_field, "a couple without children has no child member; "
                                               "the household is a family")
        member = HouseholdMember(intake_id=intake_id, relation=relation, linked_by=by,
                                 linked_on=on, household_id=self.id)
        self.members.append(member)
        return member

    def unlink(self, intake_id: uuid.UUID) -> HouseholdMember:
        member = self.member(intake_id)
        if member is None:
            raise UnknownRecord("the intake is not a member of this household")
        self.members.remove(member)
        return member
