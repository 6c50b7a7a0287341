"""The one place that wires the intake service: the platform's container with its own parts."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lotse.casework.v1 import events_pb2 as casework_events
from lotse.intake.v1 import events_pb2
from lotse.steering.v1 import events_pb2 as steering_events
from lotse_platform.auth.client import ClientCredentials
from lotse_platform.errors import Forbidden
from lotse_platform.messagebus import Dependencies, EventHandlers
from lotse_platform.service import Service

from .adapters import orm
from .adapters.casework_client import CaseworkCaseloads
from .adapters.unit_of_work import SqlAlchemyIntakeUnitOfWork
from .service_layer import case_closures, steering_decisions
from .service_layer.command_handlers import COMMAND_HANDLERS
from .settings import SERVICE, IntakeSettings

if TYPE_CHECKING:
    from flask import Flask

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


#: what a provider's instance serves machine clients besides the handover blueprint
MACHINE_ENDPOINTS = frozenset({"intakes.CurrentConsents"})


class IntakeService(Service):
    name = SERVICE
    title = "Lotse intake (Erstberatung)"
    settings_class = IntakeSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (events_pb2, steering_events, casework_events)
    command_handlers = COMMAND_HANDLERS
    #: the steering group's target-group decisions (ADR 0095) and casework's openings and
    #: closures of cases, for the retention sweep of closed case records (ADR 0109)
    event_handlers = {**steering_decisions.EVENT_HANDLERS, **case_closures.EVENT_HANDLERS}
    uow_class = SqlAlchemyIntakeUnitOfWork
    directory_replica = True
    #: intake knows the person: it holds the subject-access requests (ADR 0103)
    subject_access_coordinator = True
    start_order = 20
    local_port = 8102

    settings: IntakeSettings

    def start_mappers(self) -> None:
        orm.start_mappers()

    def consumed_events(self) -> Mapping[str, EventHandlers]:
        """The county's intake also keeps casework's openings and closures (ADR 0109); a
        provider's own instance does not — the county's cases are not its business, and its
        broker permissions read its own queue of directory events only."""
        found = super().consumed_events()
        if not self.settings.operator:
            return found
        return {event: handlers for event, handlers in found.items()
                if event not in case_closures.EVENT_HANDLERS}

    def sweeps_retention(self) -> bool:
        """A provider's own instance does not sweep (its erasures could not be published on
        the county's broker: it may publish intake's events only); the county's does."""
        return not self.settings.operator and super().sweeps_retention()

    def dependencies(self) -> Dependencies:
        # the organisation running this instance, on every intake it records ("" = the county),
        # and casework's caseload answer at admission
        return {"operator_org_id": lambda: self.settings.operator_org_id,
                "caseloads": lambda: self.caseloads,
                "admission_criteria": lambda: self.settings.admission_criteria_of,
                "case_proposal_routing": lambda: self.settings.case_proposal_routing_of}

    @cached_property
    def machine_tokens(self) -> ClientCredentials | None:
        """Client credentials of intake (LOTSE_TOKEN_URL, LOTSE_INTAKE_CLIENT_ID/_SECRET)."""
        client = self.settings.machine_client()
        return ClientCredentials(*client) if client else None

    @cached_property
    def caseloads(self) -> CaseworkCaseloads:
        tokens = self.machine_tokens
        return CaseworkCaseloads(self.settings.casework_base_url(),
                                 tokens.token if tokens else None,
                                 timeout=self.settings.caseload_timeout,
                                 invalidate=tokens.invalidate if tokens else None)

    def close_http_clients(self) -> None:
        """Close the connections of the clients made so far (token endpoint, casework)."""
        for name in ("caseloads", "machine_tokens"):
            client = self.__dict__.pop(name, None)
            if client is not None:
                client.close()

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
        handover (the county's casework fetching it, which checks consent itself) and the
        consent check at the moment of sharing (ADR 0053: ids and codes, no names) — nobody
        else, whatever role they hold: the provider's data stays its own."""
        from flask import g, request

        principal = g.get("principal")
        if principal is None:
            return
        if principal.is_client:
            if request.blueprint != "handovers" and request.endpoint not in MACHINE_ENDPOINTS:
                raise Forbidden("this intake instance serves machine clients the handover and "
                                "the consent check only")
            return
        if principal.organisation != self.settings.operator:
            raise Forbidden("this intake instance is run by another organisation")

    def seed_demo(self, county) -> int:
        from .service_layer.seed import seed_demo

        return seed_demo(self, county)

    def seed_history(self, county, history) -> int:
        from .service_layer.seed_history import seed_history

        return seed_history(self, county, history)


def bootstrap(settings: IntakeSettings | None = None) -> IntakeService:
    return IntakeService(settings)
