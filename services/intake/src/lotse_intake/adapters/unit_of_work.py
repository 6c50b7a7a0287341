"""The intake's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit) with
the repositories of :mod:`.repository` on its session
(:class:`~lotse_intake.service_layer.unit_of_work.IntakeUnitOfWork`)."""

from __future__ import annotations

from lotse_platform.uow import SqlAlchemyUnitOfWork

from .repository import (
    AnonymousContactRepository,
    CaseClosureRepository,
    CaseProposalRepository,
    HouseholdRepository,
    IntakeRepository,
    TargetGroupRepository,
)


class SqlAlchemyIntakeUnitOfWork(SqlAlchemyUnitOfWork):
    intakes: IntakeRepository
    target_groups: TargetGroupRepository
    proposals: CaseProposalRepository
    anonymous_contacts: AnonymousContactRepository
    households: HouseholdRepository
    case_closures: CaseClosureRepository

    def __enter__(self) -> SqlAlchemyIntakeUnitOfWork:
        super().__enter__()
        self.intakes = IntakeRepository(self.session)
        self.target_groups = TargetGroupRepository(self.session)
        self.proposals = CaseProposalRepository(self.session)
        self.anonymous_contacts = AnonymousContactRepository(self.session)
        self.households = HouseholdRepository(self.session)
        self.case_closures = CaseClosureRepository(self.session, self.tenant_id)
        return self
