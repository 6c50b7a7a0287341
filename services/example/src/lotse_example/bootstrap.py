"""The one place that wires the example service: engine, unit of work, bus, handlers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lotse.example.v1 import events_pb2
from lotse_platform.bus import EventConsumer, OutboxRelay, Topology
from lotse_platform.contracts import EventRegistry
from lotse_platform.db import create_engine, session_factory
from lotse_platform.db.migrations import upgrade
from lotse_platform.db.safety import check_database
from lotse_platform.settings import load_settings

from .adapters import orm
from .service_layer.handlers import EVENT_HANDLERS
from .service_layer.unit_of_work import ExampleUnitOfWork
from .settings import SERVICE, ExampleSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass
class Example:
    settings: ExampleSettings

    def __post_init__(self) -> None:
        orm.start_mappers()

    @cached_property
    def engine(self):
        return create_engine(self.settings.database_url)

    @cached_property
    def sessions(self):
        return session_factory(self.engine)

    @cached_property
    def registry(self) -> EventRegistry:
        return EventRegistry.from_modules(events_pb2)

    @cached_property
    def topology(self) -> Topology:
        return Topology.from_settings(self.settings)

    def uow(self, tenant_id: uuid.UUID | str | None = None, traceparent: str | None = None):
        return ExampleUnitOfWork(self.sessions, orm.platform, source=f"/lotse/{SERVICE}",
                                 tenant_id=tenant_id, traceparent=traceparent)

    def migrate(self) -> None:
        upgrade(MIGRATIONS, self.settings.owner_database_url, self.settings.db_app_role)

    def check_database(self) -> None:
        check_database(self.engine, orm.metadata, MIGRATIONS)

    def relay(self) -> OutboxRelay:
        s = self.settings
        return OutboxRelay(service=SERVICE, engine=self.engine, tables=orm.platform,
                           broker_url=s.broker_url, topology=self.topology,
                           batch_size=s.relay_batch_size, poll_interval=s.relay_poll_interval,
                           confirm_timeout=s.confirm_timeout)

    def consumer(self) -> EventConsumer:
        s = self.settings
        return EventConsumer(service=SERVICE, broker_url=s.broker_url, topology=self.topology,
                             registry=self.registry, handlers=EVENT_HANDLERS,
                             sessions=self.sessions, tables=orm.platform, prefetch=s.prefetch,
                             uow_class=ExampleUnitOfWork)


def bootstrap(settings: ExampleSettings | None = None) -> Example:
    return Example(settings or load_settings(ExampleSettings))
