"""In-memory stand-ins of the network's adapters, for fast service-layer tests."""

from __future__ import annotations

import uuid

from lotse_platform.testing import FakeUnitOfWork


class FakeNetworkUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_network.service_layer.unit_of_work.NetworkUnitOfWork` in memory."""

    def __init__(self, tenant_id: uuid.UUID | None = None) -> None:
        super().__init__(tenant_id, source="/lotse/network")
