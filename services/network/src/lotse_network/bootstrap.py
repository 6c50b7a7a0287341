"""The one place that wires the network service: the platform's container with its own parts.

It starts after casework (``start_order``): referrals are made from cases and from intake's
decisions, and it keeps identity's directory (organisations, areas, users) as a replica to check
the ids it is given (ADR 0054)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from lotse.casework.v1 import events_pb2 as casework_events
from lotse.identity.v1 import events_pb2 as identity_events
from lotse.intake.v1 import events_pb2 as intake_events
from lotse.network.v1 import events_pb2
from lotse_platform.auth.client import ClientCredentials
from lotse_platform.messagebus import Dependencies
from lotse_platform.service import Service

from .adapters import orm
from .adapters.intake_client import IntakeConsents
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
    event_modules = (events_pb2, intake_events, casework_events, identity_events)
    command_handlers = COMMAND_HANDLERS
    event_handlers = EVENT_HANDLERS
    directory_replica = True
    uow_class = SqlAlchemyNetworkUnitOfWork
    start_order = 40
    local_port = 8104

    def start_mappers(self) -> None:
        orm.start_mappers()

    def dependencies(self) -> Dependencies:
        """What the network's handlers name (service_layer/handlers.py), resolved at each call."""
        return {
            "consent_owner": lambda: self.consent_client,
            "settings": lambda: self.settings,
        }

    # -- referrals: the consent check with intake (ADR 0053, ADR 0084) ----------------------------
    @cached_property
    def machine_tokens(self) -> ClientCredentials | None:
        """Client credentials of the network (LOTSE_TOKEN_URL, LOTSE_NETWORK_CLIENT_ID/_SECRET)."""
        client = self.settings.machine_client()
        return ClientCredentials(*client) if client else None

    @cached_property
    def consent_client(self) -> IntakeConsents:
        """Intake's current state of the releases a referral rests on, with a short timeout."""
        tokens = self.machine_tokens
        return IntakeConsents(self.settings.intake_url, tokens.token if tokens else None,
                              timeout=self.settings.consent_check_timeout,
                              invalidate=tokens.invalidate if tokens else None)

    def close_http_clients(self) -> None:
        for name in ("consent_client", "machine_tokens"):
            client = self.__dict__.pop(name, None)
            if client is not None:
                client.close()
    # -- end of referrals -------------------------------------------------------------------------

    def register_api(self, api) -> None:
        from .entrypoints.api import (
            agreement_copies,
            agreements,
            bodies,
            directory,
            hsds,
            knowledge,
            referrals,
            taxonomy,
        )

        api.register_blueprint(taxonomy.blp)
        api.register_blueprint(referrals.blp)
        api.register_blueprint(directory.blp)
        api.register_blueprint(directory.public_blp)
        api.register_blueprint(hsds.blp)  # HSDS export and import (ADR 0088)
        # cooperation agreements, bodies and meetings, knowledge base (ADR 0085)
        api.register_blueprint(agreements.blp)
        api.register_blueprint(agreement_copies.blp)
        api.register_blueprint(bodies.blp)
        api.register_blueprint(knowledge.blp)

    def seed_demo(self, county) -> int:
        from .service_layer.seed import seed_demo

        return seed_demo(self.uow, county)

    def seed_history(self, county, history) -> int:
        from .service_layer.seed_history import seed_history

        return seed_history(self, county, history)


def bootstrap(settings: NetworkSettings | None = None) -> NetworkService:
    return NetworkService(settings)
