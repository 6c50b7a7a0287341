"""Working with a household as a unit (*Bedarfsgemeinschaft*, 001 L562 "Fachkräfte müssen mit
einer größeren Bedarfsgemeinschaft arbeiten können"; families and single parents, 002 L217).

Intake links the intakes of a household; the link arrives with the handover package and, for a
case already open, with ``intake.household.membership_changed.v1``. Here:

- a case's household: the other members' cases the caller may open, each as far as she may
  see it (an audited read of each), and the members she may not open as a count only;
- one contact for several cases of the household at once — one contact per case, same day and
  kind — all or nothing: a member case she may not write, of another household, closed, or
  whose participation consent is withdrawn refuses the whole request naming ``members.N``.

Each person's consent stays her own: nothing here shares one member's case with anybody; a
partner joining one member's conference rests on that member's releases alone (planning.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from lotse.intake.v1 import events_pb2 as intake_ev
from lotse_platform.audit.purposes import StatedPurpose
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, Principal
from lotse_platform.references import USER, Wanted, check

from ..domain.access import case_access
from ..domain.commands import RecordHouseholdContact
from ..domain.errors import CaseworkError, Incomplete, MemberRefused, NotVisible
from ..domain.model import Case
from .access import audit_read, caller, case_for
from .planning import contact_on_case
from .unit_of_work import CaseworkUnitOfWork

_MESSAGE = intake_ev.HouseholdMembershipChanged


def household_membership_changed(event: intake_ev.HouseholdMembershipChanged, envelope,
                                 uow: CaseworkUnitOfWork) -> None:
    """Intake linked an intake to a household or unlinked it: the case's copy follows. Before
    the case opens the handover package brings the household along."""
    case = uow.case_by_intake(event.operator_org_id, event.intake_id)
    if case is None:
        return
    case = uow.case(case.id, lock=True)
    if event.linked:
        case.join_household(
            event.household_id,
            _MESSAGE.Kind.Name(event.kind).removeprefix("KIND_").lower(),
            _MESSAGE.Relation.Name(event.relation).removeprefix("RELATION_").lower())
    elif case.household_id == event.household_id:
        case.leave_household()
    uow.audit("update", "case", case.id, reason="household changed at intake")


@dataclass(frozen=True)
class MemberShown:
    case_id: uuid.UUID
    relation: str | None
    phase: str
    name: str | None
    access: str


@dataclass(frozen=True)
class CaseHousehold:
    household_id: str
    kind: str | None
    relation: str | None
    members: list[MemberShown]
    other_members: int


def _access(uow: CaseworkUnitOfWork, principal: Principal, case: Case,
            purpose: StatedPurpose | None):
    own = case.case_manager_id == principal.subject
    return case_access(case, principal.subject, [] if own else uow.shares(case.id), uow.today(),
                       is_case_manager=principal.has_any_role(CASE_MANAGER),
                       is_coordinator=principal.has_any_role(COORDINATOR),
                       purpose=purpose.purpose if purpose else None)


def read_case_household(case_id: uuid.UUID, purpose: StatedPurpose | None,
                        uow: CaseworkUnitOfWork) -> CaseHousehold:
    """The household of a case the caller may open (404 when it belongs to none): the other
    members' cases she may open (each read audited, a supervision read with its purpose), the
    rest as a count."""
    principal = caller(uow)
    with uow:
        case, access = case_for(uow, principal, case_id, write=False, purpose=purpose)
        if case.household_id is None:
            raise NotVisible("the case belongs to no household")
        audit_read(uow, "household", case, access, purpose)
        shown, hidden = [], 0
        for other in uow.cases_in_household(case.household_id):
            if other.id == case.id or other.handed_over_at is not None:
                continue
            other_access = _access(uow, principal, other, purpose)
            if other_access is None:
                hidden += 1
                continue
            person = uow.person(other.id)
            shown.append(MemberShown(other.id, other.household_relation, other.phase,
                                     person.name if person else None, other_access.how))
            audit_read(uow, "household", other, other_access, purpose)
        uow.commit()
    return CaseHousehold(case.household_id, case.household_kind, case.household_relation,
                         shown, hidden)


def record_household_contact(cmd: RecordHouseholdContact,
                             uow: CaseworkUnitOfWork) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """One contact per member case, same day, kind and duration, in one transaction: the first
    member that may not take it refuses the whole request (nothing is written), naming
    ``members.N`` — 422 when she may not write that case or it is of another household (the
    same answer: the id tells nothing), 409 when the case is closed or the person's
    participation consent is withdrawn."""
    principal = caller(uow)
    ids = [m.case_id for m in cmd.members]
    for index, case_id in enumerate(ids):
        if case_id in ids[:index]:
            raise Incomplete("a case is named twice", {f"members.{index}.case_id": "named twice"})
    with uow:
        # the references first, as for one case's contact (ADR 0054): named before any member
        check(uow.references, [Wanted("second_staff_id", USER, cmd.second_staff_id)])
        # locked in the order of their ids, so two joint contacts of one family cannot deadlock
        found = {index: _member_case(uow, principal, cmd.members[index].case_id,
                                     f"members.{index}.case_id")
                 for index in sorted(range(len(cmd.members)),
                                     key=lambda i: str(cmd.members[i].case_id))}
        cases = [found[index] for index in range(len(cmd.members))]
        households = {case.household_id for case in cases}
        if len(households) > 1:
            index = next(i for i, c in enumerate(cases) if c.household_id != cases[0].household_id)
            raise Incomplete("the cases are not of one household",
                             {f"members.{index}.case_id": "not of the same household"})
        recorded = []
        for index, (member, case) in enumerate(zip(cmd.members, cases, strict=True)):
            try:
                contact = contact_on_case(uow, principal.subject, case, cmd.for_case(member))
            except Incomplete as incomplete:
                raise Incomplete(incomplete.detail, {
                    f"members.{index}.{name}" if name == "appointment_id" else name: why
                    for name, why in incomplete.fields.items()}) from None
            recorded.append((case.id, contact.id))
        uow.commit()
    return recorded


def _member_case(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID,
                 field: str) -> Case:
    """A member case of a joint contact, checked before anything is written."""
    try:
        case, _ = case_for(uow, principal, case_id, write=True)
    except CaseworkError:  # not found, not hers, or supervision: all alike
        raise Incomplete("a member case is not one you may write",
                         {field: "not a case of yours or shared with you"}) from None
    if case.household_id is None:
        raise Incomplete("the case belongs to no household", {field: "not of a household"})
    if not case.is_open:
        raise MemberRefused(field, "the case is closed")
    if case.sharing_stopped:
        raise MemberRefused(field, "the person withdrew her consent to take part: no contact "
                                   "is recorded in her case")
    return case
