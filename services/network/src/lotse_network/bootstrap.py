"""The one place that wires the network service: the platform's container with its own parts.

It starts after casework (``start_order``): referrals are made from cases and from intake's
decisions, and it keeps identity's directory (organisations, areas, users) as a replica to check
the ids it is given (ADR 0054)."""

from __future__ import annotations

from pathlib import Path

from lotse.identity.v1 import events_pb2 as identity_events
from lotse.network.v1 import events_pb2 as network_events
from lotse_platform.service import Service

from .adapters import orm
from .adapters.unit_of_work import SqlAlchemyNetworkUnitOfWork
from .service_layer.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from .settings import SERVICE, NetworkSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class NetworkService(Service):
    name = SERVICE
    title = ("Lotse network (the referral network: directory of partners, referrals, "
             "cooperation agreements, network meetings)")
    settings_class = NetworkSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (identity_events, network_events)
    command_handlers = COMMAND_HANDLERS
    event_handlers = EVENT_HANDLERS
    directory_replica = True
    uow_class = SqlAlchemyNetworkUnitOfWork
    start_order = 40
    local_port = 8104

    def start_mappers(self) -> None:
        orm.start_mappers()

    def register_api(self, api) -> None:
        from .entrypoints.api import agreement_copies, agreements, bodies, knowledge, taxonomy

        api.register_blueprint(taxonomy.blp)
        # cooperation agreements, bodies and meetings, knowledge base (ADR 0085)
        api.register_blueprint(agreements.blp)
        api.register_blueprint(agreement_copies.blp)
        api.register_blueprint(bodies.blp)
        api.register_blueprint(knowledge.blp)

    def seed_demo(self, county) -> int:
        from .service_layer.seed import seed_demo

        return seed_demo(self.uow, county)


def bootstrap(settings: NetworkSettings | None = None) -> NetworkService:
    return NetworkService(settings)
