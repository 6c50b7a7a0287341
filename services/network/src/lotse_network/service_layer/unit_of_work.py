"""What the network's handlers need of a unit of work: the platform's transaction, outbox,
audit trail and directory replica (:class:`lotse_platform.uow.UnitOfWork`), and the network's
records of one tenant.

This is the interface; the SQLAlchemy implementation is an adapter
(:class:`lotse_network.adapters.unit_of_work.SqlAlchemyNetworkUnitOfWork`), and the unit tests
use an in-memory one. The service layer never imports SQLAlchemy (``make lint`` checks it).
"""

from __future__ import annotations

from typing import Protocol

from lotse_platform.auth.principal import Principal
from lotse_platform.uow import UnitOfWork


class NetworkUnitOfWork(UnitOfWork, Protocol):
    #: the caller of the request (None: the service itself, e.g. the consumer or the seed)
    principal: Principal | None

    def __enter__(self) -> NetworkUnitOfWork: ...
