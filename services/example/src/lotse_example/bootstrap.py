"""The one place that wires the example service: the platform's container with its own parts."""

from __future__ import annotations

from pathlib import Path

from lotse.example.v1 import events_pb2
from lotse_platform.service import Service

from .adapters import orm
from .adapters.unit_of_work import SqlAlchemyExampleUnitOfWork
from .service_layer.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from .settings import SERVICE, ExampleSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class ExampleService(Service):
    name = SERVICE
    title = "Lotse example (stand-in service)"
    settings_class = ExampleSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (events_pb2,)
    command_handlers = COMMAND_HANDLERS
    event_handlers = EVENT_HANDLERS
    uow_class = SqlAlchemyExampleUnitOfWork

    def start_mappers(self) -> None:
        orm.start_mappers()

    def register_api(self, api) -> None:
        from .entrypoints.api import notes

        api.register_blueprint(notes.blp)

    def seed_demo(self, county) -> int:
        from .service_layer.seed import seed_demo

        return seed_demo(self, county)


def bootstrap(settings: ExampleSettings | None = None) -> ExampleService:
    return ExampleService(settings)
