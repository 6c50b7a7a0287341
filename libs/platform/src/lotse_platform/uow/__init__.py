"""The unit of work: one transaction around a handler, with its outbox rows and audit entries
(:mod:`.unit_of_work`), written in the commit's round trip (:mod:`.pending`). It composes the
database (:mod:`lotse_platform.db`), the audit trail and the event contracts, so it sits above
all three."""

from .unit_of_work import SqlAlchemyUnitOfWork, UnitOfWork

__all__ = ["SqlAlchemyUnitOfWork", "UnitOfWork"]
