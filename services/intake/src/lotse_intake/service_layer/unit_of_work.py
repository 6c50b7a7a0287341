"""The intake's unit of work: the platform's (transaction, outbox, audit) with its repositories."""

from __future__ import annotations

from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..adapters.repository import CaseProposalRepository, IntakeRepository, TargetGroupRepository


class IntakeUnitOfWork(SqlAlchemyUnitOfWork):
    intakes: IntakeRepository
    target_groups: TargetGroupRepository
    proposals: CaseProposalRepository

    def __enter__(self) -> IntakeUnitOfWork:
        super().__enter__()
        self.intakes = IntakeRepository(self.session)
        self.target_groups = TargetGroupRepository(self.session)
        self.proposals = CaseProposalRepository(self.session)
        return self
