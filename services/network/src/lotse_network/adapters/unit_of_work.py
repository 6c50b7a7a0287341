"""The network service's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit,
directory replica) plus what the handlers ask for
(:class:`~lotse_network.service_layer.unit_of_work.NetworkUnitOfWork`)."""

from __future__ import annotations

from lotse_platform.uow import SqlAlchemyUnitOfWork

# -- the directory (ADR 0083) ----------------------------------------------------------------------
from .directory import DirectoryStore

# -- end of the directory --------------------------------------------------------------------------


class SqlAlchemyNetworkUnitOfWork(DirectoryStore, SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemyNetworkUnitOfWork:
        super().__enter__()
        return self
