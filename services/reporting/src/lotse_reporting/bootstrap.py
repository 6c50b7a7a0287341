"""The one place that wires the reporting service: the platform's container with its own parts.

It starts after the services whose events it keeps (``start_order``: intake, casework,
network), stores every event of theirs and builds its projections from that store. On
deployment (``migrate``, run by ``setup``) it rebuilds from the store every projection whose
version is behind this release's, so a new projection starts with the past events."""

from __future__ import annotations

import sys
from pathlib import Path


from lotse.reporting.v1 import events_pb2 as reporting_events
from lotse_platform.references import from_directory
from lotse_platform.service import Service

from .adapters import orm
from .adapters.unit_of_work import SqlAlchemyReportingUnitOfWork, SqlProjectionCatalogue
from .service_layer import projections
from .service_layer.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from .settings import SERVICE, ReportingSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class ReportingService(Service):
    name = SERVICE
    title = ("Lotse reporting (read models from every service's events: the coordinating "
             "office's statistics)")
    settings_class = ReportingSettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (*projections.EVENT_MODULES, reporting_events)  # + what it publishes
    command_handlers = COMMAND_HANDLERS
    event_handlers = EVENT_HANDLERS
    uow_class = SqlAlchemyReportingUnitOfWork
    # identity's directory: the partners' names its reports show (ADR 0086)
    directory_replica = True
    start_order = 50
    local_port = 8106

    def start_mappers(self) -> None:
        orm.start_mappers()

    def register_api(self, api) -> None:
        from .entrypoints.api import (administration, annual, exports, figures, periods,
                                      standard, standard_exports)

        api.register_blueprint(figures.blp)
        api.register_blueprint(exports.blp)
        api.register_blueprint(standard.blp)
        api.register_blueprint(standard_exports.blp)
        api.register_blueprint(periods.blp)
        api.register_blueprint(administration.blp)
        api.register_blueprint(annual.blp)

    def seed_demo(self, county) -> int:
        """What identity publishes of the demo county, known before its events arrive; then the
        coordinating office's administration (posts, funding, forwarding contracts)."""
        from .service_layer.seed_administration import seed_administration

        with self.uow(county.tenant_id) as uow:
            uow.references.put_all(from_directory(county.directory(),
                                                  county.reference_names()))
            uow.commit()
        return seed_administration(self.uow, county)

    def seed_period_reports(self, county, planned_on, stop=None) -> int:
        """The demo case managers' 2-week reports of the year before ``planned_on`` (ADR 0102),
        read, saved and submitted through the use cases on their days once the history's events
        are projected; returns how many were submitted (0 when run again)."""
        from .service_layer.seed_reports import seed_period_reports

        return seed_period_reports(self.uow, county, planned_on, stop)

    def catalogue(self) -> SqlProjectionCatalogue:
        return SqlProjectionCatalogue(self.engine)

    def migrate(self) -> None:
        super().migrate()
        projections.catch_up(self.uow, self.catalogue(), stream=sys.stderr)

    def rebuild(self, stream=sys.stderr) -> int:
        """Drop every projection and rebuild it from the store; the events replayed."""
        return projections.rebuild(self.uow, self.catalogue(), stream=stream)


def bootstrap(settings: ReportingSettings | None = None) -> ReportingService:
    return ReportingService(settings)
