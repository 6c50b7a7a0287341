"""The casework repository on SQLAlchemy: the platform's unit of work (transaction, outbox,
audit) with the queries and writes the service layer asks for
(:class:`~lotse_casework.service_layer.unit_of_work.CaseworkUnitOfWork` is the interface).

A case loaded for a change is locked (``SELECT … FOR UPDATE`` on PostgreSQL) so that two
writers of one case serialise: its event sequence never forks and no change is lost.
"""

from __future__ import annotations

import functools
import uuid
from datetime import date

import sqlalchemy as sa

from lotse_platform.db import is_postgres
from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.appointments import Appointment, ConsultationHours
from ..domain.child_protection import ChildProtectionConcern
from ..domain.team import TeamDiscussion
from ..domain.contacts import Conference, Contact
from ..domain.referrals import CaseReferral
from ..domain.model import (
    AwaitingHandover,
    Case,
    CaseManager,
    Consent,
    InboundTransfer,
    Notice,
    Person,
    PhaseTransition,
    Share,
    Transfer,
)
from ..domain.planning import Assessment, Goal, HelpPlan, Step


class SqlAlchemyCaseworkUnitOfWork(SqlAlchemyUnitOfWork):
    def add(self, *entities) -> None:
        self.session.add_all(entities)

    def flush(self) -> None:
        self.session.flush()

    def alongside(self, other: SqlAlchemyCaseworkUnitOfWork) -> SqlAlchemyCaseworkUnitOfWork:
        """``other`` (another tenant's unit of work, not yet entered), to be used while this one
        is open. PostgreSQL holds a transaction to one tenant (row-level security), so ``other``
        keeps its own transaction. SQLite (embedded) has one writer at a time: a second
        connection would wait for this very transaction, so ``other`` works on this one's
        connection and its changes commit with this transaction (its ``commit()`` flushes and
        writes its pending rows; the tenant guard of its session still holds it to its tenant).
        """
        if not is_postgres(self.session.get_bind()):
            other._sessions = functools.partial(other._sessions, bind=self.session.connection())
        return other

    # -- cases -----------------------------------------------------------------------------------
    def case(self, case_id: uuid.UUID, *, lock: bool = False) -> Case | None:
        return self.session.get(Case, case_id, with_for_update=lock or None)

    def case_by_intake(self, operator_org_id: str, intake_id: str) -> Case | None:
        return self.session.query(Case).filter_by(operator_org_id=operator_org_id,
                                                  intake_id=intake_id).one_or_none()

    def cases_from_intake(self, intake_id: str) -> list[Case]:
        return self.session.query(Case).filter_by(intake_id=intake_id).all()

    def cases_of(self, case_manager_id: str, *, include_closed: bool = False) -> list[Case]:
        query = self.session.query(Case).filter(Case.case_manager_id == case_manager_id)
        if not include_closed:
            query = query.filter(Case.phase != "closed")
        return query.order_by(Case.opened_on).all()

    def cases_shared_with(self, colleague_id: str, today: date) -> list[Case]:
        return (self.session.query(Case).join(Share, Share.case_id == Case.id)
                .filter(Share.colleague_id == colleague_id, Share.ended_at.is_(None),
                        Share.valid_from <= today, Share.valid_until >= today,
                        Case.phase != "closed")
                .order_by(Case.opened_on).all())

    def open_cases(self) -> list[Case]:
        return (self.session.query(Case).filter(Case.phase != "closed")
                .order_by(Case.opened_on).all())

    def cases_in_household(self, household_id: str) -> list[Case]:
        return (self.session.query(Case).filter(Case.household_id == household_id)
                .order_by(Case.opened_on, Case.id).all())

    def open_case_counts(self) -> dict[tuple[str, str], int]:
        """(case manager, organisation) → open cases, for the whole tenant."""
        rows = (self.session.query(Case.case_manager_id, Case.organisation_id,
                                   sa.func.count(Case.id))
                .filter(Case.phase != "closed")
                .group_by(Case.case_manager_id, Case.organisation_id).all())
        return {(cm, org): n for cm, org, n in rows}

    def person(self, case_id: uuid.UUID) -> Person | None:
        return self.session.get(Person, case_id)

    def consents(self, case_id: uuid.UUID) -> list[Consent]:
        return self.session.query(Consent).filter_by(case_id=case_id).all()

    def consents_of_cases(self, case_ids: list[uuid.UUID]) -> list[Consent]:
        if not case_ids:
            return []
        return self.session.query(Consent).filter(Consent.case_id.in_(case_ids)).all()

    def transitions(self, case_id: uuid.UUID) -> list[PhaseTransition]:
        return (self.session.query(PhaseTransition).filter_by(case_id=case_id)
                .order_by(PhaseTransition.changed_at).all())

    def shares(self, case_id: uuid.UUID) -> list[Share]:
        return self.session.query(Share).filter_by(case_id=case_id).all()

    def share(self, share_id: uuid.UUID) -> Share | None:
        return self.session.get(Share, share_id)

    # -- planning --------------------------------------------------------------------------------
    def assessments(self, case_id: uuid.UUID) -> list[Assessment]:
        return (self.session.query(Assessment).filter_by(case_id=case_id)
                .order_by(Assessment.version).all())

    def goals(self, case_id: uuid.UUID) -> list[Goal]:
        return self.session.query(Goal).filter_by(case_id=case_id).order_by(Goal.set_on).all()

    def goal(self, case_id: uuid.UUID, goal_id: uuid.UUID) -> Goal | None:
        goal = self.session.get(Goal, goal_id)
        return goal if goal is not None and goal.case_id == case_id else None

    def goals_of_cases(self, case_ids: list[uuid.UUID]) -> list[Goal]:
        if not case_ids:
            return []
        return self.session.query(Goal).filter(Goal.case_id.in_(case_ids)).all()

    def help_plans(self, case_id: uuid.UUID) -> list[HelpPlan]:
        return (self.session.query(HelpPlan).filter_by(case_id=case_id)
                .order_by(HelpPlan.version).all())

    def help_plans_of_cases(self, case_ids: list[uuid.UUID]) -> list[HelpPlan]:
        if not case_ids:
            return []
        return self.session.query(HelpPlan).filter(HelpPlan.case_id.in_(case_ids)).all()

    def steps(self, case_id: uuid.UUID) -> list[Step]:
        return self.session.query(Step).filter_by(case_id=case_id).order_by(Step.due_on).all()

    def step(self, case_id: uuid.UUID, step_id: uuid.UUID) -> Step | None:
        step = self.session.get(Step, step_id)
        return step if step is not None and step.case_id == case_id else None

    def steps_of_cases(self, case_ids: list[uuid.UUID]) -> list[Step]:
        if not case_ids:
            return []
        return self.session.query(Step).filter(Step.case_id.in_(case_ids)).all()

    # -- contacts and conferences ----------------------------------------------------------------
    def contacts(self, case_id: uuid.UUID) -> list[Contact]:
        return (self.session.query(Contact).filter_by(case_id=case_id)
                .order_by(Contact.occurred_on, Contact.recorded_at).all())

    def last_contact_dates(self, case_ids: list[uuid.UUID]) -> dict[uuid.UUID, date]:
        if not case_ids:
            return {}
        rows = (self.session.query(Contact.case_id, sa.func.max(Contact.occurred_on))
                .filter(Contact.case_id.in_(case_ids)).group_by(Contact.case_id).all())
        return dict(rows)

    def conferences(self, case_id: uuid.UUID) -> list[Conference]:
        return (self.session.query(Conference).filter_by(case_id=case_id)
                .order_by(Conference.planned_on).all())

    def case_referral(self, referral_id: str) -> CaseReferral | None:
        return self.session.get(CaseReferral, referral_id)

    def case_referrals(self, case_id: uuid.UUID) -> list[CaseReferral]:
        return (self.session.query(CaseReferral).filter_by(case_id=case_id)
                .order_by(CaseReferral.sent_on, CaseReferral.referral_id).all())

    def conferences_between(self, start: date, end: date) -> list[Conference]:
        return (self.session.query(Conference)
                .filter(Conference.planned_on >= start, Conference.planned_on <= end)
                .order_by(Conference.planned_on, Conference.id).all())

    def conference(self, case_id: uuid.UUID, conference_id: uuid.UUID) -> Conference | None:
        conference = self.session.get(Conference, conference_id)
        return conference if conference is not None and conference.case_id == case_id else None

    def appointments(self, case_id: uuid.UUID) -> list[Appointment]:
        return (self.session.query(Appointment).filter_by(case_id=case_id)
                .order_by(Appointment.on, Appointment.at).all())

    def appointment(self, case_id: uuid.UUID, appointment_id: uuid.UUID) -> Appointment | None:
        appointment = self.session.get(Appointment, appointment_id)
        return appointment if appointment is not None and appointment.case_id == case_id else None

    def appointments_on(self, case_ids: list[uuid.UUID], day: date) -> list[Appointment]:
        if not case_ids:
            return []
        return (self.session.query(Appointment)
                .filter(Appointment.case_id.in_(case_ids), Appointment.on == day)
                .order_by(Appointment.at).all())

    def consultation_hours(self) -> list[ConsultationHours]:
        return (self.session.query(ConsultationHours).filter(ConsultationHours.ended_at.is_(None))
                .order_by(ConsultationHours.weekday, ConsultationHours.starts).all())

    def consultation_hour(self, hours_id: uuid.UUID) -> ConsultationHours | None:
        return self.session.get(ConsultationHours, hours_id)

    def child_protection_concerns(self) -> list[ChildProtectionConcern]:
        return (self.session.query(ChildProtectionConcern)
                .order_by(ChildProtectionConcern.raised_at.desc()).all())

    def team_discussions(self) -> list[TeamDiscussion]:
        return (self.session.query(TeamDiscussion)
                .order_by(TeamDiscussion.held_on.desc(), TeamDiscussion.recorded_at.desc())
                .all())

    # -- transfers, notices, case managers, admissions -------------------------------------------
    def transfer(self, transfer_id: uuid.UUID, *, lock: bool = False) -> Transfer | None:
        return self.session.get(Transfer, transfer_id, with_for_update=lock or None)

    def transfers(self, case_id: uuid.UUID) -> list[Transfer]:
        return self.session.query(Transfer).filter_by(case_id=case_id).all()

    def incoming_transfers(self, case_manager_id: str) -> list[Transfer]:
        return (self.session.query(Transfer)
                .filter_by(to_case_manager_id=case_manager_id, status="pending")
                .order_by(Transfer.requested_at).all())

    def inbound(self, transfer_id: uuid.UUID, *, lock: bool = False) -> InboundTransfer | None:
        return self.session.get(InboundTransfer, transfer_id, with_for_update=lock or None)

    def inbound_for_areas(self, areas) -> list[InboundTransfer]:
        if not areas:
            return []
        return (self.session.query(InboundTransfer)
                .filter(InboundTransfer.status == "pending",
                        InboundTransfer.to_area_id.in_(list(areas)))
                .order_by(InboundTransfer.offered_at).all())

    def notices(self, recipient_id: str, *, unread_only: bool = True) -> list[Notice]:
        query = self.session.query(Notice).filter_by(recipient_id=recipient_id)
        if unread_only:
            query = query.filter(Notice.read_at.is_(None))
        return query.order_by(Notice.created_at).all()

    def unread_notices(self, kind: str, reference: str) -> list[Notice]:
        """Unread notices of one kind about one reference (a transfer id …), whoever got them."""
        return (self.session.query(Notice)
                .filter(Notice.kind == kind, Notice.reference == reference,
                        Notice.read_at.is_(None))
                .order_by(Notice.created_at).all())

    def notice(self, notice_id: uuid.UUID) -> Notice | None:
        return self.session.get(Notice, notice_id)

    def case_manager(self, user_id: str) -> CaseManager | None:
        return self.session.get(CaseManager, (self.tenant_id, user_id))

    def case_managers(self) -> list[CaseManager]:
        return self.session.query(CaseManager).order_by(CaseManager.organisation_id,
                                                        CaseManager.user_id).all()

    def awaiting(self, operator_org_id: str, intake_id: str) -> AwaitingHandover | None:
        return self.session.query(AwaitingHandover).filter_by(
            operator_org_id=operator_org_id, intake_id=intake_id).one_or_none()

    def awaiting_for(self, case_manager_id: str) -> list[AwaitingHandover]:
        return self.session.query(AwaitingHandover).filter_by(
            case_manager_id=case_manager_id).order_by(AwaitingHandover.since).all()

    def delete(self, entity) -> None:
        self.session.delete(entity)
