"""Repositories: how the service layer finds and stores intakes, target groups and case
proposals. Every query runs in a :class:`~lotse_platform.db.TenantSession`, which adds the
tenant filter itself; row-level security stands behind it on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lotse_platform.subject_rights.erasure import changed

from ..domain.anonymous import AnonymousContact
from ..domain.household import Household, HouseholdMember
from ..domain.model import Consent, Intake
from ..domain.proposals import CaseProposal
from ..domain.target_groups import TargetGroup
from ..domain.vocabulary import CounsellingDepth, IntakeStatus, ProposalStatus
from . import orm

LIST_LIMIT = 500


class IntakeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, intake: Intake) -> None:
        self.session.add(intake)

    def get(self, intake_id: uuid.UUID, *, for_update: bool = False) -> Intake | None:
        if for_update:
            # one writer per intake at a time: revisions and consents stay consistent
            return self.session.scalars(
                sa.select(Intake).where(orm.intakes.c.id == intake_id).with_for_update()
            ).first()
        return self.session.get(Intake, intake_id)

    def born_on(self, date_of_birth: date) -> list[Intake]:
        """The tenant's intakes of people born on that day, oldest first (the caller compares
        the names)."""
        return list(self.session.scalars(
            sa.select(Intake).where(orm.intakes.c.date_of_birth == date_of_birth)
            .order_by(orm.intakes.c.contact_date, orm.intakes.c.id).limit(LIST_LIMIT)))

    def open_for(self, user_id: str) -> list[Intake]:
        """Intakes the user is responsible for that still need her: not yet decided, or decided
        for case management and not yet admitted."""
        candidates = self.session.scalars(
            sa.select(Intake)
            .where(orm.intakes.c.responsible_id == user_id,
                   orm.intakes.c.status != IntakeStatus.ADMITTED)
            .order_by(orm.intakes.c.contact_date, orm.intakes.c.id)
            .limit(LIST_LIMIT)
        ).all()
        return [i for i in candidates
                if i.current_decision is None
                or i.current_decision.depth == CounsellingDepth.CASE_MANAGEMENT]

    def awaiting_decision(self, area_ids: set[str] | None) -> list[Intake]:
        """Screened, no counselling depth decided yet (``area_ids`` None: every area)."""
        query = sa.select(Intake).where(orm.intakes.c.status == IntakeStatus.SCREENED)
        if area_ids is not None:
            query = query.where(orm.intakes.c.area_id.in_(sorted(area_ids)))
        return list(self.session.scalars(
            query.order_by(orm.intakes.c.contact_date, orm.intakes.c.id).limit(LIST_LIMIT)))

    def consents_expiring(self, first: date, last: date,
                          area_ids: set[str] | None) -> list[tuple[Consent, Intake]]:
        """Consents not withdrawn whose validity ends between ``first`` and ``last``."""
        c, i = orm.consents.c, orm.intakes.c
        query = (sa.select(Consent, Intake).join(Intake, i.id == c.intake_id)
                 .where(c.withdrawn_at.is_(None), c.valid_until >= first, c.valid_until <= last))
        if area_ids is not None:
            query = query.where(i.area_id.in_(sorted(area_ids)))
        rows = self.session.execute(query.order_by(c.valid_until, c.id).limit(LIST_LIMIT)).all()
        return [(consent, intake) for consent, intake in rows]

    def consents_of(self, intake_id: uuid.UUID, consent_ids: list[uuid.UUID]) -> list[Consent]:
        """Those of ``consent_ids`` that are consents of the intake, as committed now: one
        SELECT of the consent rows alone (no intake, person or screening loaded)."""
        if not consent_ids:
            return []
        c = orm.consents.c
        return list(self.session.scalars(
            sa.select(Consent).where(c.intake_id == intake_id, c.id.in_(consent_ids))
            .order_by(c.id)))

    def count(self) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(Intake)) or 0


class TargetGroupRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, group: TargetGroup) -> None:
        self.session.add(group)

    def get(self, group_id: uuid.UUID) -> TargetGroup | None:
        return self.session.get(TargetGroup, group_id)

    def all(self) -> list[TargetGroup]:
        t = orm.target_groups.c
        return list(self.session.scalars(sa.select(TargetGroup).order_by(t.valid_from, t.name)))


class AnonymousContactRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, contact: AnonymousContact) -> None:
        self.session.add(contact)

    def held_between(self, first: date, last: date,
                     area_ids: set[str] | None) -> list[AnonymousContact]:
        t = orm.anonymous_contacts.c
        query = sa.select(AnonymousContact).where(t.held_on >= first, t.held_on <= last)
        if area_ids is not None:
            query = query.where(t.area_id.in_(sorted(area_ids)))
        return list(self.session.scalars(query.order_by(t.held_on, t.recorded_at)))


class CaseProposalRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, proposal: CaseProposal) -> None:
        self.session.add(proposal)

    def get(self, proposal_id: uuid.UUID, *, for_update: bool = False) -> CaseProposal | None:
        if for_update:
            return self.session.scalars(
                sa.select(CaseProposal).where(orm.case_proposals.c.id == proposal_id)
                .with_for_update()
            ).first()
        return self.session.get(CaseProposal, proposal_id)

    def of_organisation(self, org_id: str) -> list[CaseProposal]:
        p = orm.case_proposals.c
        return list(self.session.scalars(
            sa.select(CaseProposal).where(p.proposing_org_id == org_id)
            .order_by(p.submitted_at.desc()).limit(LIST_LIMIT)))

    def with_status(self, status: ProposalStatus | None) -> list[CaseProposal]:
        p = orm.case_proposals.c
        query = sa.select(CaseProposal)
        if status is not None:
            query = query.where(p.status == status)
        return list(self.session.scalars(query.order_by(p.submitted_at).limit(LIST_LIMIT)))


class HouseholdRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, household: Household) -> None:
        self.session.add(household)

    def get(self, household_id: uuid.UUID, *, for_update: bool = False) -> Household | None:
        if for_update:
            return self.session.scalars(
                sa.select(Household).where(orm.households.c.id == household_id)
                .with_for_update()).first()
        return self.session.get(Household, household_id)

    def of_intake(self, intake_id: uuid.UUID) -> Household | None:
        m = orm.household_members.c
        return self.session.scalars(
            sa.select(Household).join(HouseholdMember, m.household_id == orm.households.c.id)
            .where(m.intake_id == intake_id)).first()


class CaseClosureRepository:
    """When casework closed the cases opened from the tenant's intakes (ADR 0109), from
    casework's events; each write is one row per case, in whichever order the events come."""

    def __init__(self, session: Session, tenant_id: uuid.UUID | None) -> None:
        self.session = session
        self.tenant_id = tenant_id

    def opened(self, case_id: uuid.UUID, intake_id: str) -> None:
        self._set(case_id, {"intake_id": intake_id})

    def closed(self, case_id: uuid.UUID, closed_on: date) -> None:
        self._set(case_id, {"closed_on": closed_on})

    def _set(self, case_id: uuid.UUID, values: dict[str, object]) -> None:
        table = orm.case_closures
        found = sa.update(table).where(table.c.case_id == case_id,
                                       table.c.tenant_id == self.tenant_id).values(values)
        if not changed(self.session, found):
            self.session.execute(sa.insert(table).values(
                case_id=case_id, tenant_id=self.tenant_id, **values))
