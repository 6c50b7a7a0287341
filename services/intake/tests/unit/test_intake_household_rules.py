"""The household's own rules and its handlers against the in-memory unit of work (001 L562
"größeren Bedarfsgemeinschaft"; 002 L217 "Alleinerziehende … sowie Familien"); the same
handlers run on PostgreSQL in tests/integration/test_intake_households.py."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from intake_fakes import FakeIntakeUnitOfWork

from lotse.intake.v1.events_pb2 import HouseholdMembershipChanged
from lotse_intake.domain.commands import FoundHousehold, RecordContact, UnlinkFromHousehold
from lotse_intake.domain.errors import InvalidField, RuleConflict, UnknownRecord
from lotse_intake.domain.household import (
    Household,
    HouseholdKind,
    HouseholdLink,
    HouseholdRelation,
)
from lotse_intake.domain.model import Person
from lotse_intake.domain.vocabulary import AccessPath
from lotse_intake.service_layer.handlers import record_contact
from lotse_intake.service_layer.households import (
    found_household,
    read_household,
    unlink_from_household,
)
from lotse_platform.auth.principal import Principal
from lotse_platform.errors import Forbidden
from lotse_platform.testing import today

TENANT = uuid.uuid4()
CM = Principal(subject="cm-lea", tenant=TENANT, organisation="org-stadt-hoexter",
               areas=frozenset({"area-hoexter"}), roles=frozenset({"case_manager"}))
A, P, C = HouseholdRelation.APPLICANT, HouseholdRelation.PARTNER, HouseholdRelation.CHILD


def a_household(kind=HouseholdKind.FAMILY) -> Household:
    return Household.found(kind=kind, note=None, created_by="cm-lea", today=today())


def an_intake(uow: FakeIntakeUnitOfWork, area="area-hoexter", given="Amina") -> uuid.UUID:
    return record_contact(RecordContact(
        area_id=area, access_path=AccessPath.SELF_REFERRAL,
        contact_date=today() - timedelta(days=1),
        person=Person(given, "Haddad", languages=("ar",)), recorded_by="cm-lea"), uow,
        operator_org_id="").id


def test_a_household_has_one_applicant():
    """001 L562: one person applies for the household (antragstellende Person)."""
    household = a_household()
    household.link(uuid.uuid4(), A, by="cm-lea", on=today())

    with pytest.raises(InvalidField) as refused:
        household.link(uuid.uuid4(), A, by="cm-lea", on=today(), field_name="members.1.intake_id")

    assert refused.value.field == "members.1.relation"


def test_a_single_parents_household_has_no_partner_and_a_couples_no_child():
    """002 L217: "Alleinerziehende" and "Familien" are different households."""
    with pytest.raises(InvalidField):
        a_household(HouseholdKind.SINGLE_PARENT).link(uuid.uuid4(), P, by="x", on=today())
    with pytest.raises(InvalidField):
        a_household(HouseholdKind.PARTNERS).link(uuid.uuid4(), C, by="x", on=today())


def test_the_same_intake_is_not_linked_twice():
    household = a_household()
    intake = uuid.uuid4()
    household.link(intake, A, by="cm-lea", on=today())

    with pytest.raises(RuleConflict):
        household.link(intake, C, by="cm-lea", on=today())


def test_founding_is_all_or_nothing_when_one_intake_is_not_hers():
    """001 L562: only people the case manager may see are linked."""
    uow = FakeIntakeUnitOfWork(TENANT)
    mine, brakel = an_intake(uow), an_intake(uow, area="area-brakel", given="Omar")

    with pytest.raises(Forbidden):
        found_household(FoundHousehold(
            kind=HouseholdKind.FAMILY, linked_by="cm-lea",
            members=(HouseholdLink(mine, A), HouseholdLink(brakel, P))),
            uow.as_caller(CM), operator_org_id="")

    assert uow.households.of_intake(mine) is None
    assert not [e for e, _, _ in uow.published if isinstance(e, HouseholdMembershipChanged)]


def test_unlinking_publishes_the_change_without_the_note():
    uow = FakeIntakeUnitOfWork(TENANT)
    mine, child = an_intake(uow), an_intake(uow, given="Lina")
    household = found_household(FoundHousehold(
        kind=HouseholdKind.SINGLE_PARENT, linked_by="cm-lea", note="gemeinsame Wohnung",
        members=(HouseholdLink(mine, A), HouseholdLink(child, C))), uow, operator_org_id="")

    unlink_from_household(UnlinkFromHousehold(household.id, child), uow, operator_org_id="")

    changes = [e for e, _, _ in uow.published if isinstance(e, HouseholdMembershipChanged)]
    assert [(e.intake_id, e.linked) for e in changes] == [
        (str(mine), True), (str(child), True), (str(child), False)]
    assert "Wohnung" not in repr(changes)
    view = read_household(household.id, uow)
    assert [m.intake.id for m in view.members] == [mine]
    with pytest.raises(UnknownRecord):
        unlink_from_household(UnlinkFromHousehold(household.id, child), uow, operator_org_id="")
