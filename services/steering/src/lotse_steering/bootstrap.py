"""The one place that wires the steering service: the platform's container with its own parts.

It starts after casework (``start_order``), whose case events it projects into the candidates
for a case reconstruction (ADR 0094), and keeps the topics the case managers flag in their 2-week
reports (reporting's events) as evidence for themes."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from lotse.casework.v1 import events_pb2 as casework_events
from lotse.reporting.v1 import events_pb2 as reporting_events
from lotse.steering.v1 import events_pb2
from lotse_platform.auth.client import ClientCredentials
from lotse_platform.service import Service

from .adapters import forum_orm, orm
from .adapters.unit_of_work import SqlAlchemySteeringUnitOfWork
from .service_layer.forum import FORUM_COMMAND_HANDLERS
from .service_layer.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from .service_layer.steering_handlers import STEERING_GROUP_HANDLERS
from .settings import SERVICE, SteeringSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class SteeringService(Service):
    name = SERVICE
    title = ("Lotse steering (the system level: case reconstructions, generative themes, the "
             "steering group's decisions and votes, project groups with goal systems and service "
             "chains, the participation forum and the planning cycle; no personal data but the "
             "forum's invitation list)")
    settings_class = SteeringSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (events_pb2, casework_events, reporting_events)
    command_handlers = {**COMMAND_HANDLERS, **FORUM_COMMAND_HANDLERS, **STEERING_GROUP_HANDLERS}
    event_handlers = EVENT_HANDLERS
    uow_class = SqlAlchemySteeringUnitOfWork
    # identity's directory: a session's presenting case managers are checked against it
    directory_replica = True
    start_order = 45
    local_port = 8108

    def start_mappers(self) -> None:
        orm.start_mappers()
        forum_orm.start_mappers()

    @cached_property
    def machine_tokens(self) -> ClientCredentials | None:
        """Client credentials of steering (LOTSE_TOKEN_URL, LOTSE_STEERING_CLIENT_ID/_SECRET):
        the contacts a data subject's request names, fetched from its coordinator (ADR 0108)."""
        client = self.settings.machine_client()
        return ClientCredentials(*client) if client else None

    def register_api(self, api) -> None:
        from .entrypoints.api import (cycle, decisions, forum, information_events, invitations,
                                      project_groups, reconstructions, steering_group,
                                      theme_lifecycle)

        api.register_blueprint(reconstructions.blp)
        for part in (project_groups, steering_group, decisions, theme_lifecycle, forum,
                     invitations, information_events, cycle):
            api.register_blueprint(part.blp)

    def seed_demo(self, county) -> int:
        """What identity publishes of the demo county, known before its events arrive; then a
        past case reconstruction with its proposed themes (the candidates come from casework's
        events of the demo county, not from a seed); the steering group with a meeting that
        established a theme and mandated its project group, and a proposal open for votes; the
        project group at work; the participation forum."""
        from lotse_platform.references import from_directory

        from .service_layer.forum_seed import seed_forum
        from .service_layer.seed import seed_demo

        with self.uow(county.tenant_id) as uow:
            uow.references.put_all(from_directory(county.directory(),
                                                  county.organisation_names()))
            uow.commit()
        return seed_demo(self.uow, county) + seed_forum(self.uow, county)


def bootstrap(settings: SteeringSettings | None = None) -> SteeringService:
    return SteeringService(settings)
