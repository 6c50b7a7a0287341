"""The container every service is built on: one place that wires database, bus, auth and HTTP.

A service declares what is its own and inherits the wiring::

    class ExampleService(Service):
        name = "example"
        settings_class = ExampleSettings
        migrations = Path(__file__).resolve().parents[2] / "migrations"
        metadata, tables = orm.metadata, orm.platform
        event_modules = (events_pb2,)
        event_handlers = EVENT_HANDLERS
        command_handlers = COMMAND_HANDLERS
        uow_class = SqlAlchemyExampleUnitOfWork

        def start_mappers(self): orm.start_mappers()
        def register_api(self, api): api.register_blueprint(notes.blp)

and is found by the run modes through the entry point group ``lotse.services``
(``[project.entry-points."lotse.services"] example = "lotse_example.bootstrap:ExampleService"``):
``make run`` mounts every installed service in one process, ``make up`` starts each one's API and
worker, and ``lotse-<service>`` (:mod:`lotse_platform.cli`) is the same command line for all.

Nothing connects at construction: engine, broker and keys are touched on first use.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from lotse.subject_rights.v1 import erasure_pb2 as erasure_events
from lotse.subject_rights.v1 import events_pb2 as subject_access_events
from sqlalchemy.orm import sessionmaker

from . import clock
from .audit import AnchorDirectory, AuditCheckpointer, AuditSealer, AuditTrail, NoteRetention
from .auth.client import ServiceCaller
from .auth.issuers import TrustedIssuers, verifier_from_settings
from .auth.keys import KeySource
from .auth.principal import Principal
from .bus import EventConsumer, OutboxRelay, Topology
from .contracts import EventRegistry
from .db import PlatformTables, create_engine, session_factory
from .db.engine import TenantSession
from .db.migrations import upgrade
from .db.safety import check_database
from .audit.heads import tenants_with_entries
from .datamap import load_service_map
from .messagebus import Dependencies, EventHandlers, MessageBus, merge_event_handlers
from .references import replica
from .crypto import FieldCipher
from .sealing import Envelopes, LocalKeyDirectory
from .subject_rights.coordinator import PartSource
from .subject_rights.parts import ServiceParts, read_part
from .settings import CallerSettings, RunMode, ServiceSettings, load_settings
from .subject_rights import SubjectKeys, load_subject_keys
from .subject_rights import handlers as subject_access_handlers
from .subject_rights import erasure_handlers, retention
from .subject_rights.contacts import ContactSource, CoordinatorContacts
from .subject_rights.erasure import load_erasure_keeps, load_erasure_retains
from .subject_rights.schedule import RetentionSchedule
from .tracing import configure_tracing
from .uow import SqlAlchemyUnitOfWork
from .worker import Loop

if TYPE_CHECKING:  # the HTTP side is imported where an app is built: a worker never loads Flask
    from flask import Flask
    from flask_smorest import Api

    from .auth.tokens import TokenVerifier
    from .subject_rights.api import Coordination
    from .subject_rights.erasure_api import ErasureCoordination

log = logging.getLogger("lotse.service")

ENTRY_POINT_GROUP = "lotse.services"
_EXTENSION = "lotse.service"


class Service:
    """Base class of a service's container (its ``bootstrap.py``)."""

    #: the service's name: URL prefix ``/api/v1/<name>``, queue ``<name>.events``, logs, metrics
    name: ClassVar[str]
    settings_class: ClassVar[type[ServiceSettings]]
    migrations: ClassVar[Path]
    metadata: ClassVar[sa.MetaData]
    tables: ClassVar[PlatformTables]
    #: generated protobuf modules of the events this service publishes or consumes
    event_modules: ClassVar[tuple[ModuleType, ...]] = ()
    #: command class -> handler(command, uow, **dependencies), run by ``handle()`` (views)
    command_handlers: ClassVar[Mapping[type, Callable[..., Any]]] = {}
    #: event type -> handler(event, envelope, uow, **dependencies), run by the worker's consumer
    event_handlers: ClassVar[Mapping[str, Callable[..., Any]]] = {}
    uow_class: ClassVar[type[SqlAlchemyUnitOfWork]] = SqlAlchemyUnitOfWork
    #: keep a replica of identity's organisations, areas and users from its events, against
    #: which commands check the references they make (``uow.references``, ADR 0054)
    directory_replica: ClassVar[bool] = False
    #: order in which ``make run`` / ``make up`` start and seed services (identity first)
    start_order: ClassVar[int] = 50
    #: the API's port in the local cluster (``make up``); the worker's metrics are on port + 100
    local_port: ClassVar[int] = 8190
    title: ClassVar[str | None] = None
    #: where the run modes mount the service's app; None: ``/api/v1/<name>`` (a UI such as the
    #: web console is mounted at its own path, ADR 0099)
    mount_prefix: ClassVar[str | None] = None
    #: whether the app serves a JSON API described at ``/openapi.json`` (the aggregated API
    #: docs and the contract tests take those that do; a UI does not)
    describes_api: ClassVar[bool] = True
    #: whether this service coordinates subject-access requests (ADR 0103: intake, which knows
    #: the person): it holds their state, takes the answers and assembles the archive
    subject_access_coordinator: ClassVar[bool] = False

    def __init__(self, settings: ServiceSettings | None = None, *,
                 keys: KeySource | None = None, token_issuer: str | None = None) -> None:
        self.settings = settings if settings is not None else load_settings(self.settings_class)
        clock.use_time_zones(self.settings.time_zones)
        # before any engine exists: engines created later have their statements traced
        configure_tracing(self.name, self.settings)
        self._keys = keys
        self._token_issuer = token_issuer
        self.start_mappers()

    # -- what a service provides -----------------------------------------------------------------
    def start_mappers(self) -> None:
        """Map the domain classes onto the tables (idempotent)."""

    def register_api(self, api: Api) -> None:
        """Register the service's blueprints."""

    def token_keys(self) -> tuple[KeySource, str] | None:
        """A service that issues access tokens (identity) returns its public keys and issuer
        here; in embedded mode every service verifies tokens with them, in process."""
        return None

    def dependencies(self) -> Dependencies:
        """What handlers may name beyond the message and the unit of work: parameter name ->
        provider (:mod:`lotse_platform.messagebus`). A service with clients of other services
        returns them here, e.g. ``{"intake": lambda: self.intake_client}``."""
        return {}

    def seed_demo(self, county: Any) -> int:
        """Write the demo county's data of this service (``make run``, ``make up``); returns
        how many records were written. Must be idempotent."""
        return 0

    def seed_history(self, county: Any, history: Any) -> int:
        """Carry out this service's part of the demo county's year of history (ADR 0093: a plan
        of ``lotse_demo.history``) through its own command handlers, day by day; returns how
        many commands ran. Must write nothing twice when run again."""
        return 0

    # -- database --------------------------------------------------------------------------------
    @cached_property
    def engine(self) -> sa.Engine:
        return create_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[TenantSession]:
        return session_factory(self.engine, self.field_cipher)

    @cached_property
    def field_cipher(self) -> FieldCipher | None:
        """Encryption of the service's free-text and special-category columns with the tenants'
        keys (ADR 0104); None without a key store (then such a column cannot be written)."""
        directory = self.settings.key_directory
        if directory is None:
            return None
        return FieldCipher(LocalKeyDirectory(directory),
                           cache_seconds=self.settings.field_key_cache_seconds)

    @cached_property
    def audit_trail(self) -> AuditTrail:
        return AuditTrail(self.tables.audit_log)

    @classmethod
    def prefix(cls) -> str:
        """The path the run modes serve the app below: ``/api/v1/<name>`` or ``mount_prefix``."""
        return cls.mount_prefix or f"/api/v1/{cls.name}"

    @property
    def source(self) -> str:
        """The CloudEvents ``source`` of this service's events."""
        return f"/lotse/{self.name}"

    def uow(self, tenant_id: uuid.UUID | str | None = None, traceparent: str | None = None, *,
            principal: Principal | None = None,
            request_id: str | None = None) -> SqlAlchemyUnitOfWork:
        """A unit of work of ``tenant_id``. The events it publishes carry the trace context
        current when they are published, unless ``traceparent`` pins one."""
        return self.uow_class(self.sessions, self.tables, source=self.source,
                              tenant_id=tenant_id, traceparent=traceparent,
                              principal=principal, request_id=request_id)

    def migrate(self) -> None:
        role = self.settings.db_app_role if self.settings.mode is RunMode.local else None
        upgrade(self.migrations, self.settings.owner_database_url, role,
                field_cipher=self.field_cipher)

    def check_database(self) -> None:
        check_database(self.engine, self.metadata, self.migrations)

    # -- bus -------------------------------------------------------------------------------------
    @cached_property
    def bus(self) -> MessageBus:
        """The service's commands and events with their handlers' dependencies injected."""
        return MessageBus(self.command_handlers, self.consumed_events(),
                          {**self.platform_dependencies(), **self.dependencies()})

    def platform_dependencies(self) -> Dependencies:
        """What every service's handlers may name: the sealing of signed copies (ADR 0082) and
        what the subject-access handlers need (ADR 0103)."""
        return {"envelopes": lambda: self.envelopes,
                "signed_copy_max_bytes": lambda: self.settings.signed_copy_max_bytes,
                "subject_access": lambda: self.subject_access,
                "erasure": lambda: self.erasure}

    # -- subject access (Art. 15 GDPR, ADR 0103) -------------------------------------------------
    @cached_property
    def subject_keys(self) -> SubjectKeys | None:
        """How a person is found in this service's tables (``SUBJECT_KEYS`` beside its data
        map), or None when it holds no data about the people it serves."""
        return load_subject_keys(type(self).__module__)

    @cached_property
    def subject_access(self) -> subject_access_handlers.SubjectAccess:
        # a provider's own intake answers under its instance's name (intake-<suffix>)
        return subject_access_handlers.SubjectAccess(
            self.consumer_name, self.metadata,
            lambda: load_service_map(type(self).__module__, self.metadata),
            self.subject_keys, self.tables, lambda: self.subject_contacts)

    @cached_property
    def subject_contacts(self) -> ContactSource:
        """Where a service that knows people by their contact details fetches those a request
        names: the coordinator's internal API with this service's machine token (ADR 0108)."""
        tokens = getattr(self, "machine_tokens", None)
        caller = ServiceCaller(tokens.token if tokens else None,
                               invalidate=tokens.invalidate if tokens else None,
                               log_event="subject_access.unreachable")
        return CoordinatorContacts(self.subject_access_url, caller)

    def subject_access_handlers(self) -> dict[str, Callable[..., Any]]:
        """The subject-access events this service handles: the request where it holds data
        about people, the answers where it coordinates."""
        found: dict[str, Callable[..., Any]] = {}
        if self.subject_keys is not None:
            found[subject_access_handlers.REQUESTED] = subject_access_handlers.requested
        if self.subject_access_coordinator:
            found[subject_access_handlers.ANSWERED] = subject_access_handlers.answered
        found.update(self.erasure_handlers())
        return found

    # -- erasure and retention (Art. 17, Art. 5(1)(e) GDPR, ADR 0106) ---------------------------
    @cached_property
    def erasure(self) -> erasure_handlers.Erasure:
        return erasure_handlers.Erasure(
            self.name, self.metadata,
            lambda: load_service_map(type(self).__module__, self.metadata),
            self.subject_keys, self.tables, load_erasure_keeps(type(self).__module__),
            forward=self.forward_erasure,
            services=self.subject_access_services if self.subject_access_coordinator else None,
            retains=load_erasure_retains(type(self).__module__),
            contacts=lambda: self.subject_contacts)

    def forward_erasure(self, uow: Any, erasure_id: uuid.UUID, person_id: str) -> None:
        """Tell every other tenant this service handed a copy of the person to that she is
        erased on request (Art. 17(2), 19 GDPR, ADR 0109), in the erasure's transaction: with
        :func:`~lotse_platform.subject_rights.erasure_handlers.forward` in a unit of work of
        that tenant. Nothing by default; casework hands cases to other tenants (transfers)."""

    def erasure_handlers(self) -> dict[str, Callable[..., Any]]:
        """The erasure events this service handles: the request where it holds data about
        people, the answers where it coordinates (the same services as subject access)."""
        found: dict[str, Callable[..., Any]] = {}
        if self.subject_keys is not None:
            found[erasure_handlers.REQUESTED] = erasure_handlers.requested
        if self.subject_access_coordinator:
            found[erasure_handlers.COMPLETED] = erasure_handlers.completed
        return found

    def erasure_coordination(self) -> ErasureCoordination:
        from .subject_rights.api import person_known
        from .subject_rights.erasure_api import ErasureCoordination

        root = self.subject_keys.root if self.subject_keys is not None else None
        return ErasureCoordination(
            self.name, self.tables, self.subject_access_services(),
            person_known(root, self.metadata) if root is not None else None)

    def retention_sweep(self, tenants: Sequence[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
        """Start the erasure of every person whose record's retention period ended, per tenant
        (every tenant with an audit trail unless named); tenant -> erasures started. What
        ``lotse-<service> retention sweep`` runs; the worker's schedule runs the same sweep
        once a day (:meth:`retention_schedule`)."""
        if not self.subject_access_coordinator:
            return {}
        started: dict[uuid.UUID, int] = {}
        for tenant in (self._tenants_with_entries() if tenants is None else tenants):
            with self.uow(tenant) as uow:
                found = self._sweep(uow)
                uow.commit()
            started[tenant] = len(found)
        return started

    def _sweep(self, uow: Any) -> list[uuid.UUID]:
        """The sweep of ``uow``'s tenant, in its transaction (the caller commits)."""
        return retention.sweep(uow, self.metadata, self.tables,
                               retention.load_record_ends(type(self).__module__),
                               services=self.subject_access_services(), coordinator=self.name)

    def _tenants_with_entries(self) -> list[uuid.UUID]:
        with self.engine.connect() as connection:
            return tenants_with_entries(connection, self.tables.audit_log)

    def sweeps_retention(self) -> bool:
        """Whether this service's worker runs the retention sweep (ADR 0109): the coordinating
        service, unless ``LOTSE_RETENTION_SWEEP`` is off."""
        return self.subject_access_coordinator and self.settings.retention_sweep

    def retention_schedule(self) -> RetentionSchedule:
        """The worker's daily retention sweep per tenant, from ``LOTSE_RETENTION_SWEEP_HOUR``
        on the tenant's clock (:mod:`lotse_platform.subject_rights.schedule`)."""
        return RetentionSchedule(service=self.name, tables=self.tables, unit_of_work=self.uow,
                                 sweep=self._sweep, tenants=self._tenants_with_entries,
                                 hour=self.settings.retention_sweep_hour)

    def subject_access_services(self) -> tuple[str, ...]:
        """The services a request asks: ``LOTSE_SUBJECT_ACCESS_SERVICES``, else every installed
        service that declares how a person is found in its tables."""
        if self.settings.subject_access_services:
            return tuple(self.settings.subject_access_services)
        return tuple(s.name for s in installed_services()
                     if load_subject_keys(s.__module__) is not None)

    def subject_access_url(self, service: str) -> str | None:
        """The internal base URL of ``service`` (``LOTSE_SUBJECT_ACCESS_URLS``, else the same
        process in embedded mode, else the local cluster's port of the service)."""
        if service in self.settings.subject_access_urls:
            return self.settings.subject_access_urls[service].rstrip("/")
        for found in installed_services():
            if found.name == service:
                if self.settings.mode is RunMode.embedded \
                        and isinstance(self.settings, CallerSettings):
                    return f"{self.settings.embedded_base()}{found.prefix()}"
                return f"http://127.0.0.1:{found.local_port}{found.prefix()}"
        return None

    @cached_property
    def subject_access_parts(self) -> PartSource:
        """Where the coordinator fetches the parts: its own from its database, the others'
        over their internal API with its machine token (ADR 0103)."""
        tokens = getattr(self, "machine_tokens", None)
        caller = ServiceCaller(tokens.token if tokens else None,
                               invalidate=tokens.invalidate if tokens else None,
                               log_event="subject_access.unreachable")

        def own(tenant_id: uuid.UUID, request_id: uuid.UUID) -> bytes | None:
            with self.uow(tenant_id) as uow:
                return read_part(uow.session, self.tables, tenant_id, request_id)

        return ServiceParts(self.name, own, self.subject_access_url, caller)

    def subject_access_coordination(self) -> Coordination:
        from .subject_rights.api import Coordination, person_known

        root = self.subject_keys.root if self.subject_keys is not None else None
        return Coordination(
            self.name, self.tables, self.subject_access_services(),
            self.settings.subject_access_answer_hours, self.subject_access_parts,
            person_known(root, self.metadata) if root is not None else None)

    @cached_property
    def envelopes(self) -> Envelopes | None:
        """Envelope encryption with the tenants' keys in ``LOTSE_KEY_DIR`` (ADR 0082); None
        when no key directory is configured."""
        if self.settings.key_directory is None:
            return None
        return Envelopes(LocalKeyDirectory(self.settings.key_directory))

    def consumed_events(self) -> Mapping[str, EventHandlers]:
        """Event type -> its handlers: the service's own, the directory replica's and the
        subject-access requests' (ADR 0103)."""
        subject_access = self.subject_access_handlers()
        if not self.directory_replica and not subject_access:
            return self.event_handlers
        return merge_event_handlers(replica.HANDLERS if self.directory_replica else {},
                                    subject_access, self.event_handlers)

    @property
    def consumer_name(self) -> str:
        """The name of this instance's queue (``<name>.events``) and inbox: the service's, or
        ``<name>-<suffix>`` for an instance publishing under its own routing-key suffix (a
        provider's intake), so that it never competes for the county's messages."""
        suffix = getattr(self.settings, "routing_key_suffix", None)
        return f"{self.name}-{suffix}" if suffix else self.name

    @cached_property
    def registry(self) -> EventRegistry:
        modules = self.event_modules + (replica.EVENT_MODULES if self.directory_replica else ())
        if self.subject_access_handlers():
            modules += (subject_access_events,)
        if self.erasure_handlers():
            modules += (erasure_events,)
        return EventRegistry.from_modules(*dict.fromkeys(modules))

    @cached_property
    def topology(self) -> Topology:
        return Topology.from_settings(self.settings)

    def declare_topology(self) -> None:
        """Declare the exchanges and this service's queues and bindings on the broker.

        Run before any relay publishes (``lotse-<service> setup``): an event published to the
        topic exchange before its consumer's queue is bound would be routed nowhere.
        """
        from kombu.connection import Connection

        with Connection(self.settings.broker_url) as connection:
            connection.ensure_connection(max_retries=3)
            self.topology.declare_exchanges(connection)
            if self.consumed_events():
                self.topology.declare_service(connection, self.consumer_name,
                                              list(self.consumed_events()))

    def relay(self) -> OutboxRelay:
        s = self.settings
        return OutboxRelay(service=self.name, engine=self.engine, tables=self.tables,
                           broker_url=s.broker_url, topology=self.topology,
                           batch_size=s.relay_batch_size, poll_interval=s.relay_poll_interval,
                           confirm_timeout=s.confirm_timeout)

    def sealer(self) -> AuditSealer:
        """Chains this service's committed audit entries, once a second (ADR 0008)."""
        return AuditSealer(self.engine, self.tables.audit_log, service=self.name)

    def checkpointer(self) -> AuditCheckpointer | None:
        """Anchors this service's audit chains in ``LOTSE_AUDIT_ANCHOR_DIR`` (ADR 0066); None
        when no directory is configured."""
        s = self.settings
        key = s.audit_anchor_signing_key()
        if s.audit_anchor_dir is None or key is None:
            return None
        return AuditCheckpointer(self.engine, self.tables.audit_log, service=self.name,
                                 directory=AnchorDirectory(s.audit_anchor_dir), key=key,
                                 interval=s.audit_anchor_interval, outbox=self.tables.outbox)

    def note_retention(self) -> NoteRetention:
        """Erases the notes beside audit entries when their retention ends (ADR 0065)."""
        return NoteRetention(self.engine, self.tables.audit_log, service=self.name,
                             retention_days=self.settings.audit_note_retention_days)

    def consumer(self) -> EventConsumer:
        s = self.settings
        return EventConsumer(service=self.consumer_name, broker_url=s.broker_url, topology=self.topology,
                             registry=self.registry, handlers=self.bus.event_handlers,
                             sessions=self.sessions, tables=self.tables, prefetch=s.prefetch,
                             uow_class=self.uow_class, source=self.source)

    def worker_loops(self) -> dict[str, Loop]:
        loops: dict[str, Loop] = {"relay": self.relay().run, "sealer": self.sealer().run,
                                  "audit_notes": self.note_retention().run}
        checkpointer = self.checkpointer()
        if checkpointer is not None:
            loops["anchor"] = checkpointer.run
        else:
            log.warning("audit.anchor_off", extra={"service": self.name})
        if self.consumed_events():
            loops["consumer"] = self.consumer().run
        if self.sweeps_retention():
            loops["retention"] = self.retention_schedule().run
        return loops

    # -- auth ------------------------------------------------------------------------------------
    def trust(self, keys: KeySource, issuer: str) -> None:
        """Verify tokens with these keys of this issuer (embedded mode: identity in process)."""
        self._keys, self._token_issuer = keys, issuer
        self.__dict__.pop("verifier", None)

    @cached_property
    def verifier(self) -> TokenVerifier | TrustedIssuers:
        """Identity's keys (``LOTSE_JWKS_URL``, or handed over in embedded mode) and those of
        every external issuer in ``LOTSE_TRUSTED_ISSUERS``."""
        return verifier_from_settings(self.settings, keys=self._keys, issuer=self._token_issuer)

    # -- HTTP ------------------------------------------------------------------------------------
    def readiness(self) -> dict[str, Callable[[], None]]:
        from .http import broker_check, database_check

        return {"database": database_check(self.engine),
                "broker": broker_check(self.settings.broker_url)}

    def create_app(self, *, check_database: bool = True) -> Flask:
        """The service's Flask app. In local mode the start-up check runs first and refuses an
        unsafe or unmigrated database (:class:`~lotse_platform.db.safety.UnsafeDatabase`).

        A database that cannot be reached at this moment is not refused here: gunicorn builds
        the app again in every worker it starts, also in one that replaces a crashed worker
        while the database is away, and a worker that fails to boot makes gunicorn shut down
        the whole API (the healthy workers with it) where it should answer 503 until the
        database is back (reliability invariant 4; found by the fault drills, ADR 0070).
        ``lotse-<service> api`` runs the check before gunicorn starts and refuses to start
        (status 4) when the database cannot be reached then."""
        from .audit.api import audit_trail_blueprint
        from .auth.web import install_authentication
        from .datamap.api import data_map_blueprint
        from .http import create_service_app
        from .subject_rights.api import parts_blueprint, requests_blueprint
        from .subject_rights.erasure_api import erasure_blueprint

        if check_database and self.settings.mode is RunMode.local:
            try:
                self.check_database()
            except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
                log.warning("startup_check.database_unreachable", extra={
                    "service": self.name, "error_type": type(error).__name__})
        app, api = create_service_app(self.name, self.settings, readiness=self.readiness(),
                                      title=self.title)
        app.extensions[_EXTENSION] = self
        install_authentication(app, self.verifier)
        api.register_blueprint(audit_trail_blueprint(lambda: self.tables.audit_log, request_uow))
        api.register_blueprint(data_map_blueprint(
            self.name, lambda: load_service_map(type(self).__module__, self.metadata)))
        if self.subject_keys is not None:
            api.register_blueprint(parts_blueprint(lambda: self.tables, request_uow))
        if self.subject_access_coordinator:
            api.register_blueprint(requests_blueprint(self.subject_access_coordination,
                                                      request_uow))
            api.register_blueprint(erasure_blueprint(self.erasure_coordination, request_uow))
        self.register_api(api)
        return app


def current_service() -> Service:
    """The container of the app handling this request."""
    from flask import current_app

    service: Service = current_app.extensions[_EXTENSION]
    return service


def signed_copy_upload_limit() -> int:
    """The body limit of a signed-copy upload view of the service handling this request
    (``@body_limit(signed_copy_upload_limit)``): its ``LOTSE_SIGNED_COPY_MAX_BYTES`` and the
    multipart framing (ADR 0082)."""
    from .signed_copies.api import body_limit_for

    return body_limit_for(current_service().settings.signed_copy_max_bytes)


def request_uow(principal: Principal) -> SqlAlchemyUnitOfWork:
    """A unit of work for this request: the caller's tenant, and the caller and request id for
    the audit entries it writes (``uow.audit(...)``). Its events carry the request's trace
    context (the request's span is current while the view runs)."""
    from .http.request_id import current_request_id

    return current_service().uow(principal.tenant, principal=principal,
                                 request_id=current_request_id())


def handle(command: object, principal: Principal) -> Any:
    """Run ``command`` through this service's message bus in a unit of work of the request
    (:func:`request_uow`): how a view changes anything."""
    return current_service().bus.handle(command, request_uow(principal))


def installed_services() -> list[type[Service]]:
    """The service classes installed in this environment, in start order."""
    found: list[type[Service]] = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        service = entry.load()
        if not (isinstance(service, type) and issubclass(service, Service)):
            raise TypeError(f"entry point {entry.name} ({entry.value}) is not a Service class")
        found.append(service)
    return sorted(found, key=lambda s: (s.start_order, s.name))
