"""The one place that wires the intake service: the platform's container with its own parts."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request

from lotse.intake.v1 import events_pb2
from lotse_platform.errors import Forbidden
from lotse_platform.service import Service

from .adapters import orm
from .service_layer.unit_of_work import IntakeUnitOfWork
from .settings import SERVICE, IntakeSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class IntakeService(Service):
    name = SERVICE
    title = "Lotse intake (Erstberatung)"
    settings_class = IntakeSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (events_pb2,)
    uow_class = IntakeUnitOfWork
    start_order = 20
    local_port = 8102

    settings: IntakeSettings

    def start_mappers(self) -> None:
        orm.start_mappers()

    def register_api(self, api) -> None:
        from .entrypoints.api import register

        register(api)

    def create_app(self, *, check_database: bool = True) -> Flask:
        app = super().create_app(check_database=check_database)
        if self.settings.operator:
            app.before_request(self._only_the_operators_staff)
        return app

    def _only_the_operators_staff(self) -> None:
        """A provider's own instance serves the provider's staff, and machine clients only the
        handover (the county's casework fetching it, which checks consent itself) — nobody
        else, whatever role they hold: the provider's data stays its own."""
        principal = g.get("principal")
        if principal is None:
            return
        if principal.is_client:
            if request.blueprint != "handovers":
                raise Forbidden("this intake instance serves machine clients the handover only")
            return
        if principal.organisation != self.settings.operator:
            raise Forbidden("this intake instance is run by another organisation")

    def seed_demo(self, county) -> int:
        from .service_layer.seed import seed_demo

        return seed_demo(self, county)


def bootstrap(settings: IntakeSettings | None = None) -> IntakeService:
    return IntakeService(settings)
