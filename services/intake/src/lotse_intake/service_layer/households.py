"""Households (*Bedarfsgemeinschaft*, 001 L562; single parents and families, 002 L217): found
one at first contact or later, link an existing intake, unlink one, and read a household.

Only intakes the caller may work can be linked or unlinked (authorised like the intake itself,
:func:`.handlers.intake_to_work`): a case manager links the people of her areas, the office
anyone of the tenant. A read shows the members the caller may see, the others as a count only.

Each link and unlink is an update of the person's intake: audited on that intake (reason
``household``) and published as ``intake.household.membership_changed.v1`` in the intake's own
sequence, so casework's copy follows an intake linked after its admission. The handover package
carries the household of an intake linked before.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from lotse_platform.audit import READ, UPDATE
from lotse_platform.auth import COORDINATOR

from ..domain.commands import FoundHousehold, LinkToHousehold, UnlinkFromHousehold
from ..domain.errors import InvalidField, RuleConflict, UnknownRecord
from ..domain.household import Household, HouseholdMember
from ..domain.model import Intake
from . import access, events
from .handlers import RECORD, intake_to_work, load_intake, publish
from .unit_of_work import IntakeUnitOfWork


def _household(uow: IntakeUnitOfWork, household_id: uuid.UUID, *,
               for_update: bool = True) -> Household:
    household = uow.households.get(household_id, for_update=for_update)
    if household is None:
        raise UnknownRecord("no such household")
    return household


def _link(uow: IntakeUnitOfWork, household: Household, intake_id: uuid.UUID, relation,
          linked_by: str, field: str, operator_org_id: str) -> None:
    intake = intake_to_work(uow, intake_id)
    elsewhere = uow.households.of_intake(intake.id)
    if elsewhere is not None and elsewhere.id != household.id:
        raise RuleConflict("the intake is linked to another household; unlink it there first",
                           [(field, "a member of another household")])
    member = household.link(intake.id, relation, by=linked_by, on=uow.today(), field_name=field)
    _announce(uow, household, member, intake, linked=True, operator_org_id=operator_org_id)


def _announce(uow: IntakeUnitOfWork, household: Household, member: HouseholdMember,
              intake: Intake, *, linked: bool, operator_org_id: str) -> None:
    publish(uow, intake, events.household_membership_changed(
        household, member, linked=linked, on=uow.today(),
        operator_org_id=intake.operator_org_id or operator_org_id))
    uow.audit(UPDATE, RECORD, intake.id, reason="household")


def found_household(cmd: FoundHousehold, uow: IntakeUnitOfWork, *,
                    operator_org_id: str) -> Household:
    """A new household with its first members; nothing is written unless every one of them
    may be linked (the refusal names ``members.N.intake_id``)."""
    if not cmd.members:
        raise InvalidField("members", "name at least one member")
    seen: set[uuid.UUID] = set()
    for index, link in enumerate(cmd.members):
        if link.intake_id in seen:
            raise InvalidField(f"members.{index}.intake_id", "named twice")
        seen.add(link.intake_id)
    with uow:
        household = Household.found(kind=cmd.kind, note=cmd.note, created_by=cmd.linked_by,
                                    today=uow.today(), id=cmd.household_id)
        for index, link in enumerate(cmd.members):
            _link(uow, household, link.intake_id, link.relation, cmd.linked_by,
                  f"members.{index}.intake_id", operator_org_id)
        uow.households.add(household)
        uow.commit()
    return household


def link_to_household(cmd: LinkToHousehold, uow: IntakeUnitOfWork, *,
                      operator_org_id: str) -> Household:
    with uow:
        household = _household(uow, cmd.household_id)
        _link(uow, household, cmd.member.intake_id, cmd.member.relation, cmd.linked_by,
              "intake_id", operator_org_id)
        uow.commit()
    return household


def unlink_from_household(cmd: UnlinkFromHousehold, uow: IntakeUnitOfWork, *,
                          operator_org_id: str) -> Household:
    with uow:
        household = _household(uow, cmd.household_id)
        intake = intake_to_work(uow, cmd.intake_id)
        member = household.unlink(intake.id)
        _announce(uow, household, member, intake, linked=False, operator_org_id=operator_org_id)
        uow.commit()
    return household


@dataclass(frozen=True)
class VisibleMember:
    member: HouseholdMember
    intake: Intake


@dataclass(frozen=True)
class HouseholdView:
    """A household as the caller may see it: the members whose intakes she may work, and how
    many others there are — no ids, no names of those."""

    household: Household
    members: list[VisibleMember]
    other_members: int


def read_household(household_id: uuid.UUID, uow: IntakeUnitOfWork) -> HouseholdView:
    """The household, if the caller may see one of its members (the office: every household
    of the tenant); each member shown is an audited read of that intake."""
    with uow:
        view = _view(uow, _household(uow, household_id, for_update=False))
        uow.commit()
    return view


def household_of_intake(intake_id: uuid.UUID, uow: IntakeUnitOfWork) -> HouseholdView:
    """The household of an intake the caller may work (404 when it has none)."""
    with uow:
        intake_to_work(uow, intake_id, for_update=False)
        household = uow.households.of_intake(intake_id)
        if household is None:
            raise UnknownRecord("the intake is not linked to a household")
        view = _view(uow, household)
        uow.commit()
    return view


def _view(uow: IntakeUnitOfWork, household: Household) -> HouseholdView:
    principal = uow.principal
    visible = []
    for member in household.members:
        intake = load_intake(uow, member.intake_id, for_update=False)
        if access.sees_intake(principal, intake):
            visible.append(VisibleMember(member, intake))
    if not visible and principal is not None and not principal.has_any_role(COORDINATOR):
        raise UnknownRecord("no such household")
    for shown in visible:
        uow.audit(READ, RECORD, shown.intake.id, reason="household")
    return HouseholdView(household, visible, len(household.members) - len(visible))
