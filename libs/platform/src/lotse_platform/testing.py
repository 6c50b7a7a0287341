"""Pytest plugin shared by every package's tests (enabled with ``-p lotse_platform.testing``).

Each test run gets its own PostgreSQL databases and its own RabbitMQ vhost, named after the run,
and removes them at the end, so runs never see each other's data and nothing is mocked.
A missing PostgreSQL or RabbitMQ fails the tests that need them; it never skips them.

HTTP stand-ins for another service (an identity's JWKS, an intake's handover endpoint, a token
endpoint) are real servers on 127.0.0.1: :class:`LocalServer` serves a :class:`JsonHandler`
subclass in a thread; :class:`JwksServer` is the JWKS endpoint every suite needs.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import secrets
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from datetime import UTC, date, datetime, timedelta
from typing import IO, TYPE_CHECKING, Any, Self

import pytest
import sqlalchemy as sa

from . import clock, references
from .audit.purposes import Purpose
from .auth.principal import Principal
from .signed_copies import InMemorySignedCopies

if TYPE_CHECKING:
    from kombu.connection import Connection

PG_ADMIN_URL = os.environ.get(
    "LOTSE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PG_HOST = os.environ.get("LOTSE_TEST_PG_HOST", "127.0.0.1:5432")
AMQP_HOST = os.environ.get("LOTSE_TEST_AMQP_HOST", "127.0.0.1:5672")

ROLES_SQL = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotse_owner') THEN
    CREATE ROLE lotse_owner LOGIN NOSUPERUSER NOBYPASSRLS CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotse_app') THEN
    CREATE ROLE lotse_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB;
  END IF;
END $$;
"""


def poll(condition: Callable[[], object], timeout: float = 20.0, interval: float = 0.05,
         message: str = "condition") -> object:
    """Wait until ``condition()`` is truthy and return it; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


def today(tenant: clock.TenantId = None) -> date:
    """The day the services count as today (the tenant's time zone, :mod:`lotse_platform.clock`):
    a test's dates come from here, never from ``date.today()`` (the machine's UTC day)."""
    return clock.today(tenant)


def days_ago(n: int, tenant: clock.TenantId = None) -> str:
    """The ISO date ``n`` days before :func:`today`, as the APIs take it."""
    return (today(tenant) - timedelta(days=n)).isoformat()


def days_ahead(n: int, tenant: clock.TenantId = None) -> str:
    """The ISO date ``n`` days after :func:`today`."""
    return (today(tenant) + timedelta(days=n)).isoformat()


@contextmanager
def frozen_clock(at: datetime) -> Iterator[datetime]:
    """Stop the platform's clock at the aware instant ``at`` for this process (services run in
    process included) until the block ends: date rules tried at 00:30 in Berlin, any hour."""
    if at.tzinfo is None:
        raise ValueError("frozen_clock needs an aware datetime (e.g. tzinfo=UTC)")
    previous = clock.use_source(lambda: at)
    try:
        yield at
    finally:
        clock.use_source(previous)


_Published = tuple[object, object, int | None]  # (event, aggregate, sequence)
_Audited = tuple[str, str, object, str | None]  # (action, record type, record id, reason)
_Appended = tuple[object, dict[str, Any]]  # (table, row)
_Noted = tuple[object, str]  # (record id, note): beside the trail, in audit_note


class TokenCaller:
    """Requests as one caller — a bearer token, e.g. a development token of a test issuer —
    against a Flask test client (``app.test_client()``); ``subject`` is the caller's id."""

    def __init__(self, client: Any, token: str, subject: str | None = None) -> None:
        self.client, self.subject = client, subject
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path: str, json: Any = None) -> Any:
        return self.client.post(path, headers=self.headers, json=json if json is not None else {})

    def put(self, path: str, json: Any) -> Any:
        return self.client.put(path, headers=self.headers, json=json)

    def patch(self, path: str, json: Any) -> Any:
        return self.client.patch(path, headers=self.headers, json=json)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.delete(path, headers=self.headers, **kw)


class FakeReferences:
    """The directory replica in memory (:mod:`lotse_platform.references`); a test puts what
    identity would have published."""

    def __init__(self) -> None:
        self.kept: dict[tuple[references.Kind, str], references.Known] = {}

    def known(self, kind: references.Kind,
              ids: Iterable[str]) -> dict[str, references.Known]:
        return {i: self.kept[(kind, i)] for i in ids if (kind, i) in self.kept}

    def put(self, known: references.Known, *, columns: Iterable[str] = ()) -> None:
        self.kept[(known.kind, known.id)] = known

    def put_all(self, known: Iterable[references.Known]) -> int:
        items = list(known)
        for item in items:
            self.put(item)
        return len(items)


def known_directory(*, organisations: Iterable[str] = (), areas: Iterable[str] = (),
                    users: Iterable[tuple[str, str, Iterable[str]]] = ()
                    ) -> list[references.Known]:
    """What identity would have published, for a test: organisation and area ids, and users as
    ``(user id, organisation id, roles)``; put them with ``uow.references.put_all(...)``."""
    return [*(references.Known(references.ORGANISATION, o) for o in organisations),
            *(references.Known(references.AREA, a) for a in areas),
            *(references.Known(references.USER, u, parent_id=org, roles=tuple(roles))
              for u, org, roles in users)]


def ready_for_tests(container: Any, issuer: Any, broker_url: str) -> Any:
    """``container`` (a service) as an integration test module starts it: migrated, trusting
    ``issuer``'s tokens, its topology declared and its queues emptied of what an earlier module
    left there."""
    container.migrate()
    container.trust(issuer.keys(), issuer.issuer)
    container.declare_topology()
    from kombu.connection import Connection  # the broker's client, only where a test uses it

    with Connection(broker_url) as connection:
        channel = connection.default_channel
        for queue in (f"{container.name}.events", f"{container.name}.dead"):
            channel.queue_purge(queue)
    return container


def service_on(service_class: Any, database: Any, broker_url: str, issuer: Any,
               **settings: Any) -> Any:
    """An instance of ``service_class`` on ``database`` (a :class:`TestDatabase`: migrated as its
    owner, connecting as the app role under row-level security) and the test broker, with
    ``settings`` besides, :func:`ready_for_tests`. Without a key store named in ``settings`` it
    gets a fresh key directory of its own (encrypted columns need one, ADR 0104)."""
    if "key_dir" not in settings and "key_store" not in settings:
        settings["key_dir"] = Path(tempfile.mkdtemp(prefix="lotse-keys-"))
    container = service_class(service_class.settings_class(
        database_url=database.app_url, migration_database_url=database.owner_url,
        broker_url=broker_url, **settings))
    return ready_for_tests(container, issuer, broker_url)


def put_directory(service: Any, tenant: uuid.UUID, known: Iterable[references.Known]) -> None:
    """Put ``known`` into ``service``'s replica of identity's directory for ``tenant``, as the
    replica's own event handlers do (ids the test's tokens and requests use)."""
    with service.uow(tenant) as uow:
        uow.references.put_all(known)
        uow.commit()


class FakeUnitOfWork:
    """The platform's part of a unit of work, in memory, for fast service-layer tests.

    Like the real one, what a handler publishes, audits and appends counts only once it
    commits: ``published``, ``audited``, ``appended`` and ``audit_notes`` (the notes beside
    audit entries, which the real one keeps in ``audit_note``) hold the committed ones, and
    leaving the block without ``commit()`` drops the rest. A service's ``tests/<service>_fakes.py`` adds its
    repositories (STYLE.md: ``UnitOfWork`` protocol, ``SqlAlchemyUnitOfWork``,
    ``FakeUnitOfWork``)."""

    def __init__(self, tenant_id: uuid.UUID | None = None, source: str = "/lotse/test",
                 principal: Principal | None = None) -> None:
        self.tenant_id = tenant_id or uuid.uuid4()
        self.source = source
        #: the caller (None: the service itself), as a request's unit of work carries it
        self.principal = principal
        self.published: list[_Published] = []
        self.audited: list[_Audited] = []
        self.appended: list[_Appended] = []
        self.audit_notes: list[_Noted] = []
        self.commits = 0
        #: the directory replica references are checked against (``references.put(...)``)
        self.references = FakeReferences()
        #: signed copies of forms (ADR 0082); kept at once, not only on commit
        self.signed_copies = InMemorySignedCopies()
        self._pending: tuple[list[_Published], list[_Audited], list[_Appended],
                             list[_Noted]] = ([], [], [], [])

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    def commit(self) -> None:
        published, audited, appended, notes = self._pending
        self.published += published
        self.audited += audited
        self.appended += appended
        self.audit_notes += notes
        self.commits += 1
        self._pending = ([], [], [], [])

    def rollback(self) -> None:
        self._pending = ([], [], [], [])

    def publish(self, event: object, *, aggregate_id: object, sequence: int | None = None,
                subject: str | None = None) -> uuid.UUID:
        self._pending[0].append((event, aggregate_id, sequence))
        return uuid.uuid4()

    def audit(self, action: str, record_type: str, record_id: object = None, *,
              reason: str | None = None, purpose: Purpose | None = None,
              note: str | None = None) -> None:
        if purpose is not None:
            if reason is not None:
                raise ValueError("an audit entry names a purpose or a reason, not both")
            reason = purpose.reason
        self._pending[1].append((action, record_type, record_id, reason))
        if note is not None:
            self._pending[3].append((record_id, note))

    def append(self, table: object, row: dict[str, Any]) -> None:
        self._pending[2].append((table, row))

    def today(self) -> date:
        return clock.today(self.tenant_id)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now (for a process a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class JsonHandler(BaseHTTPRequestHandler):
    """The request handler of an HTTP stand-in: ``answer`` sends JSON, no access log."""

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, status: int, document: object,
               content_type: str = "application/json") -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _CountingServer(ThreadingHTTPServer):
    """Counts the TCP connections it accepts (before their first request is handled)."""

    connections = 0

    def process_request(self, request: socket.socket | tuple[bytes, socket.socket],
                        client_address: Any) -> None:
        self.connections += 1  # only the serving thread accepts
        super().process_request(request, client_address)


class LocalServer:
    """``handler`` served on 127.0.0.1 (a free port) in a thread from construction until
    :meth:`close`; ``url`` is its base URL, ``connections`` the TCP connections accepted so far.

    With ``keep_alive`` it speaks HTTP/1.1 and keeps a connection open for the client's next
    request (its answers need a Content-Length, as :meth:`JsonHandler.answer` sends); without,
    HTTP/1.0 and one request per connection."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, keep_alive: bool = False) -> None:
        if keep_alive:
            handler = type(handler.__name__, (handler,), {"protocol_version": "HTTP/1.1"})
        self.http = _CountingServer(("127.0.0.1", 0), handler)
        self.port = self.http.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    @property
    def connections(self) -> int:
        return self.http.connections

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class JwksServer(LocalServer):
    """An issuer's JWKS endpoint (any path): assign ``document`` to rotate keys, set ``failing``
    to answer 503; ``fetches`` counts the requests."""

    def __init__(self, document: dict[str, Any] | None = None,
                 path: str = "/.well-known/jwks.json", *, keep_alive: bool = False) -> None:
        self.document = document or {"keys": []}
        self.fetches = 0
        self.failing = False
        jwks = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                jwks.fetches += 1
                if jwks.failing:
                    return self.answer(503, {"title": "Service Unavailable"})
                self.answer(200, jwks.document)

        super().__init__(Handler, keep_alive=keep_alive)
        self.base_url = self.url
        self.url = f"{self.base_url}{path}"


@dataclass(frozen=True)
class TestDatabase:
    name: str
    owner_url: str  # the table owner: migrations
    app_url: str  # what the services connect as: lotse_app, under row-level security

    @property
    def admin_url(self) -> str:
        """A superuser: bypasses row-level security; for arranging and inspecting, never for
        the code under test."""
        return f"postgresql+psycopg://postgres@{PG_HOST}/{self.name}"


class DatabaseFactory:
    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self._admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT",
                                       poolclass=sa.pool.NullPool)
        self._created: list[str] = []
        with self._admin.connect() as connection:
            connection.execute(sa.text(ROLES_SQL))

    def create(self, purpose: str) -> TestDatabase:
        name = f"lotse_t_{self.run_id}_{purpose}"[:63]
        with self._admin.connect() as connection:
            # a fixture of a wider scope made again in the same run (a package's fixture when its
            # test files did not run one after another) starts from an empty database
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}" OWNER lotse_owner'))
        if name not in self._created:
            self._created.append(name)
        return TestDatabase(
            name=name,
            owner_url=f"postgresql+psycopg://lotse_owner@{PG_HOST}/{name}",
            app_url=f"postgresql+psycopg://lotse_app@{PG_HOST}/{name}",
        )

    def drop_all(self) -> None:
        with self._admin.connect() as connection:
            for name in self._created:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


def rabbitmqctl(*args: str) -> str:
    result = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def broker_listing(what: str, vhost: str, *columns: str) -> list[dict[str, Any]]:
    """What the broker itself reports, e.g. ``broker_listing("queues", vhost, "name", "type")``
    (``rabbitmqctl list_<what> -p <vhost> <columns>``), one dict per row."""
    rows: list[dict[str, Any]] = json.loads(
        rabbitmqctl(f"list_{what}", "-p", vhost, *columns, "--formatter", "json"))
    return rows


def queue_depth(connection: Connection, queue: str) -> int:
    """Ready messages in ``queue`` (a passive declare: fails if the queue does not exist)."""
    channel = connection.channel()
    try:
        count: int = channel.queue_declare(queue, passive=True).message_count
        return count
    finally:
        channel.close()


def publish_raw(connection: Connection, exchange: str, routing_key: str, body: bytes,
                headers: dict[str, Any] | None = None, message_id: str | None = None) -> None:
    """Publish one persistent message exactly as given (also malformed ones) and wait for the
    broker's confirm; ``connection`` is a kombu connection to py-amqp."""
    import amqp

    channel = connection.channel()
    try:
        properties: dict[str, Any] = {"application_headers": headers or {}, "delivery_mode": 2,
                      "content_type": "application/protobuf"}
        if message_id:
            properties["message_id"] = message_id
        # selects confirm mode, waits for the broker's ack and raises MessageNacked on a nack
        channel.basic_publish_confirm(amqp.Message(body, **properties), exchange=exchange,
                                      routing_key=routing_key, confirm_timeout=30)
    finally:
        channel.close()


def publish_event(broker_url: str, tenant: uuid.UUID, event: Any, *, source: str,
                  event_id: uuid.UUID | None = None, subject: str | None = None,
                  exchange: str = "lotse.events") -> uuid.UUID:
    """Publish ``event`` onto the real broker as the relay of the service ``source`` would
    (``/lotse/identity``); returns the event id."""
    from kombu.connection import Connection

    from .contracts import Envelope, event_type_of

    envelope = Envelope(id=event_id or uuid.uuid4(), type=event_type_of(event), source=source,
                        time=datetime.now(UTC), data=event.SerializeToString(), subject=subject,
                        tenant=tenant)
    with Connection(broker_url) as connection:
        publish_raw(connection, exchange, envelope.type, envelope.data,
                    headers=envelope.headers(), message_id=str(envelope.id))
    return envelope.id


class Running:
    """Run a worker loop (``loop(stop_event)``: relay, consumer) in a thread for the duration of
    a ``with`` block; leaving the block stops it and fails if it does not stop."""

    def __init__(self, loop: Callable[[threading.Event], None]) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=loop, args=(self.stop,), daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=20)
        assert not self.thread.is_alive(), "loop did not stop"


@pytest.fixture(autouse=True)
def _lotse_logging_isolated() -> Iterator[None]:
    """A test that builds an app configures the platform's log handler on the root logger;
    remove it afterwards, so later tests (which read a process's stderr, or pytest's capture)
    see the logging they set up, not what an earlier test left behind."""
    root = logging.getLogger()
    before = {h for h in root.handlers if getattr(h, "_lotse_handler", False)}
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_lotse_handler", False) and handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


# Many short runs one after another (mutation testing, bench/mutation.py) would spend most of
# their time creating and removing a vhost (rabbitmqctl boots an Erlang VM each time) and
# dropping databases (each drop waits for a checkpoint). There the caller sets
# LOTSE_TEST_DATABASE_PREFIX: run ids start with it and the databases stay for the caller to drop;
# and LOTSE_TEST_VHOSTS: vhosts it made, of which each run takes one that no other run holds.
DATABASE_PREFIX = os.environ.get("LOTSE_TEST_DATABASE_PREFIX", "")
SHARED_VHOSTS = [v for v in os.environ.get("LOTSE_TEST_VHOSTS", "").split(",") if v]


@pytest.fixture(scope="session")
def run_id() -> str:
    return f"{DATABASE_PREFIX}{os.getpid()}{secrets.token_hex(2)}"


@pytest.fixture(scope="session")
def databases(run_id: str) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(run_id)
    yield factory
    if not DATABASE_PREFIX:
        factory.drop_all()


@pytest.fixture(scope="session")
def broker_vhost(run_id: str) -> Iterator[str]:
    if SHARED_VHOSTS:
        with _one_of(SHARED_VHOSTS) as vhost:
            yield vhost
        return
    vhost = f"lotse_t_{run_id}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    yield vhost
    rabbitmqctl("delete_vhost", vhost)


@contextmanager
def _one_of(vhosts: list[str]) -> Iterator[str]:
    """One of ``vhosts`` that no other process holds, held (a file lock) until the block ends
    or the process does."""
    held: list[IO[str]] = []

    def take() -> str | None:
        for vhost in vhosts:
            lock = open(f"/tmp/lotse-test-vhost-{vhost}.lock", "a")  # noqa: SIM115 - held open
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                continue
            held.append(lock)
            return vhost
        return None

    vhost = str(poll(take, timeout=60, message="a vhost of LOTSE_TEST_VHOSTS no other run holds"))
    try:
        yield vhost
    finally:
        held[0].close()


@pytest.fixture(scope="session")
def broker_url(broker_vhost: str) -> str:
    return f"amqp://guest:guest@{AMQP_HOST}/{broker_vhost}"
