"""The one place that wires the casework service: the platform's container with its own parts."""

from __future__ import annotations

import uuid
from functools import cached_property
from pathlib import Path
from typing import Any

from lotse.casework.v1 import events_pb2
from lotse.identity.v1 import events_pb2 as identity_events
from lotse.intake.v1 import events_pb2 as intake_events
from lotse.network.v1 import events_pb2 as network_events
from lotse_platform.auth.client import ClientCredentials
from lotse_platform.messagebus import Dependencies
from lotse_platform.service import Service

from .adapters import orm
from .adapters.federation_client import FederationClient
from .adapters.intake_client import IntakeClient, IntakeConsents
from .adapters.repository import SqlAlchemyCaseworkUnitOfWork
from .service_layer import seed, seed_history
from .service_layer.erasure_recipients import tell_recipients
from .service_layer.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from .settings import SERVICE, CaseworkSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class CaseworkService(Service):
    name = SERVICE
    title = "Lotse casework (case planning: the case cycle from admission to closure)"
    settings_class = CaseworkSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (events_pb2, intake_events, identity_events, network_events)
    command_handlers = COMMAND_HANDLERS
    event_handlers = EVENT_HANDLERS
    directory_replica = True
    uow_class = SqlAlchemyCaseworkUnitOfWork
    start_order = 30
    local_port = 8103

    def start_mappers(self) -> None:
        orm.start_mappers()

    def dependencies(self) -> Dependencies:
        """What casework's handlers name (service_layer/handlers.py), each resolved at every
        call: a client replaced after the start (a test's stand-in) is the one they get."""
        return {
            "intake": lambda: self.intake_client,
            "consent_owner": lambda: self.consent_client,
            "peers": lambda: self.federation_client,
            "settings": lambda: self.settings,
            "units": lambda: self.uow,
        }

    def forward_erasure(self, uow: Any, erasure_id: uuid.UUID, person_id: str) -> None:
        """An erasure on request reaches the tenants a case of the person was transferred to
        (Art. 17(2), 19 GDPR, ADR 0109)."""
        tell_recipients(uow, self.uow, self.settings, erasure_id, person_id)

    @cached_property
    def machine_tokens(self) -> ClientCredentials | None:
        """Client credentials of casework (LOTSE_TOKEN_URL, LOTSE_CASEWORK_CLIENT_ID/_SECRET)."""
        client = self.settings.machine_client()
        return ClientCredentials(*client) if client else None

    @cached_property
    def intake_client(self) -> IntakeClient:
        tokens = self.machine_tokens
        return IntakeClient(self.settings.intake_url, tokens.token if tokens else None,
                            timeout=self.settings.handover_timeout,
                            invalidate=tokens.invalidate if tokens else None)

    @cached_property
    def consent_client(self) -> IntakeConsents:
        """The consent check at the moment of sharing (ADR 0053): intake's current state of
        the consents a sharing rests on, with its own short timeout."""
        tokens = self.machine_tokens
        return IntakeConsents(self.settings.intake_url, tokens.token if tokens else None,
                              timeout=self.settings.consent_check_timeout,
                              invalidate=tokens.invalidate if tokens else None)

    @cached_property
    def federation_client(self) -> FederationClient:
        """Calls to peer deployments (LOTSE_CASEWORK_PEERS) with casework's machine token."""
        tokens = self.machine_tokens
        return FederationClient(tokens.token if tokens else None,
                                timeout=self.settings.federation_timeout,
                                invalidate=tokens.invalidate if tokens else None)

    def close_http_clients(self) -> None:
        """Close the connections of the clients made so far (token endpoint, intake, peers);
        the container makes new clients if it is used again."""
        for name in ("intake_client", "consent_client", "federation_client", "machine_tokens"):
            client = self.__dict__.pop(name, None)
            if client is not None:
                client.close()

    def register_api(self, api) -> None:
        # the views only where an app is built: the worker does without Flask (issue 16)
        from .entrypoints.api import (
            appointments,
            cases,
            conferences,
            federation,
            forms,
            households,
            overview,
            signed_copies,
            work,
        )

        api.register_blueprint(cases.blp)
        api.register_blueprint(federation.blp)
        api.register_blueprint(work.blp)
        api.register_blueprint(overview.blp)
        api.register_blueprint(appointments.blp)
        api.register_blueprint(conferences.blp)
        api.register_blueprint(households.blp)
        api.register_blueprint(signed_copies.blp)
        api.register_blueprint(forms.blp)

    def seed_demo(self, county) -> int:
        written = seed.seed_demo(self.uow, county)
        if written:  # once, with the cases
            written += seed.seed_signed_copies(self.uow, county, self.envelopes,
                                               self.settings.signed_copy_max_bytes)
        return written

    def seed_history(self, county, history) -> int:
        return seed_history.seed_history(self, county, history)


def bootstrap(settings: CaseworkSettings | None = None) -> CaseworkService:
    return CaseworkService(settings)
