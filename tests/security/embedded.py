"""The whole platform in embedded mode, once for the API security tests of this folder: every
installed service in this process as ``make run`` builds it (SQLite files, kombu's in-memory bus,
the demo county seeded, relays and consumers as threads), served on a free port of 127.0.0.1
(casework calls intake and identity over HTTP, as it does in embedded mode).

Requests from the tests go straight into the platform's WSGI app (no socket). Callers hold tokens
signed by identity's own keys with the claims identity's token endpoint gives each user
(:meth:`Embedded.token`): the demo county's users, one per role and organisation, and the users
of a second tenant made here through identity's API. Logging in with a password would ask for an
argon2 hash per caller, which the token endpoint's own tests cover.

What the platform did with what it was sent can be read back: the events of every service's
outbox (:meth:`Embedded.outbox`), everything that went over the bus (a queue bound to every
routing key, :meth:`Embedded.bus_messages`), the audit entries (:meth:`Embedded.audit_entries`)
and the log lines (:attr:`Embedded.log`).
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from kombu import Connection, Exchange, Queue
from werkzeug.test import Client, TestResponse

from lotse_composition.embedded import Platform
from lotse_demo import COUNTY
from lotse_demo.county import demo_id
from lotse_identity.bootstrap import IdentityService
from lotse_identity.oauth.models import OAuthClient, Subject
from lotse_identity.oauth.tokens import LotseTokenGenerator
from lotse_identity.service_layer.tenants import create_tenant
from lotse_platform.auth.principal import ROLES, SERVICE
from lotse_platform.testing import free_port

API = "/api/v1"
TAP_QUEUE = "security-tests.tap"

#: the demo user (or, for ``service``, machine client) who holds each role, and one of another
#: organisation where the county has one (tenant-wide roles act for every organisation)
OWN = {"tenant_admin": "admin", "org_admin": "admin.awo", "coordinator": "ks.koch",
       "coordination_assistant": "ks.assistenz", "case_manager": "cm.hoexter", "authority_liaison": "abh.lotsin",
       "provider_staff": "awo.beratung", "steering_member": "lenkung.landrat",
       "auditor": "pruefung", "data_protection_officer": "datenschutz",
       SERVICE: "client:casework"}
OTHER_ORGANISATION = {"org_admin": "admin.caritas", "case_manager": "cm.brakel",
                      "provider_staff": "caritas.beratung",
                      "steering_member": "lenkung.jobcenter"}
OTHER_TENANT_KEY = "kreis-security-tests"


@dataclass(frozen=True)
class Multipart:
    """A ``multipart/form-data`` body (an upload): its fields, and its files by field name as
    (content, media type). The file name sent is the field's, never a person's."""

    fields: dict[str, str]
    files: dict[str, tuple[bytes, str]]

    def data(self) -> dict[str, Any]:
        return {**self.fields, **{name: (io.BytesIO(content), f"{name}.bin", media_type)
                                  for name, (content, media_type) in self.files.items()}}


class _Lines(logging.Handler):
    """Every log line of the process, formatted as the platform writes it."""

    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        if formatter is not None:
            self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a line that cannot be formatted is kept as its raw parts
            self.lines.append(f"{record.msg!r} {record.args!r} {record.__dict__!r}")


@dataclass
class Embedded:
    platform: Platform
    app: Any
    base_url: str
    log: _Lines
    other_tenant: uuid.UUID | None = None
    #: how many sets of records the test modules made (:func:`.demo_requests.make_records`)
    record_sets: int = 0
    #: the transfers they offered (a case has one pending at a time)
    transfers: list[str] = field(default_factory=list)
    #: what :meth:`bus_messages` took off the tap queue so far
    _drained: list[tuple[bytes, dict]] = field(default_factory=list)
    _tokens: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- services ----------------------------------------------------------------------------------
    def service(self, name: str):
        return next(m.service for m in self.platform.mounted if m.service.name == name)

    @property
    def services(self) -> list:
        return [m.service for m in self.platform.mounted]

    @property
    def identity(self) -> IdentityService:
        return self.service("identity")

    def openapi(self) -> dict:
        """The merged description of every service, as ``/openapi.json`` serves it."""
        return self.request("GET", "/openapi.json").get_json()

    # -- HTTP --------------------------------------------------------------------------------------
    def request(self, method: str, path: str, token: str | None = None, *,
                body: object = None, query: dict | None = None,
                headers: dict[str, str] | None = None) -> TestResponse:
        headers = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        client = Client(self.app)
        if body is None:
            return client.open(path, method=method, headers=headers, query_string=query)
        if isinstance(body, Multipart):
            return client.open(path, method=method, headers=headers, query_string=query,
                               data=body.data(), content_type="multipart/form-data")
        return client.open(path, method=method, headers=headers, query_string=query,
                           data=json.dumps(body), content_type="application/json")

    # -- callers -----------------------------------------------------------------------------------
    def token(self, caller: str) -> str:
        """An access token of ``caller``: a demo username, ``client:<client id>``, or
        ``other:<role>`` (the second tenant's user or client holding that role)."""
        with self._lock:
            if caller not in self._tokens:
                self._tokens[caller] = self._mint(caller)
            return self._tokens[caller]

    def _mint(self, caller: str) -> str:
        identity = self.identity
        tenant = COUNTY.tenant_id
        if caller.startswith("other:"):
            tenant, caller = self.other_tenant, _OTHER_CALLER[caller.removeprefix("other:")]
        generator = LotseTokenGenerator(
            issuer=identity.issuer, audience=identity.settings.token_audience,
            ttl=3600, keyring=identity.keyring, refresh_token_generator=None)
        with identity.uow(tenant) as uow:
            if caller.startswith("client:"):
                client = uow.client_by_client_id(caller.removeprefix("client:"))
                assert client is not None, caller
                return generator.access_token_generator(
                    OAuthClient(client), "client_credentials", None, None)
            user = uow.user_by_username(caller)
            assert user is not None, caller
            return generator.access_token_generator(None, "password", Subject.of(user, tenant),
                                                    None)

    def make_other_tenant(self) -> None:
        """A second tenant (a county of its own) with an organisation, an area, a user for
        every role and a machine client with the role ``service``, set up through identity's
        API by its own administrator."""
        created = create_tenant(self.identity, key=OTHER_TENANT_KEY,
                                name="Kreis Sicherheitstest", admin_username="admin")
        self.other_tenant = created.tenant_id
        admin = self.token("other:tenant_admin")
        area = self.request("POST", f"{API}/identity/areas", admin,
                            body={"name": "Musterstadt", "kind": "town"})
        assert area.status_code == 201, area.get_data(as_text=True)
        for role in sorted(ROLES - {"tenant_admin", SERVICE}):
            created_user = self.request("POST", f"{API}/identity/users", admin, body={
                "username": _OTHER_CALLER[role], "display_name": f"Sicherheitstest {role}",
                "organisation_id": str(created.organisation_id), "roles": [role],
                "area_ids": [area.get_json()["id"]]})
            assert created_user.status_code == 201, created_user.get_data(as_text=True)
        client = self.request("POST", f"{API}/identity/clients", admin, body={
            "client_id": _OTHER_CALLER[SERVICE].removeprefix("client:"),
            "name": "Sicherheitstest machine client", "kind": "confidential",
            "organisation_id": str(created.organisation_id),
            "grant_types": ["client_credentials"], "roles": [SERVICE]})
        assert client.status_code == 201, client.get_data(as_text=True)

    # -- what the platform did -----------------------------------------------------------------------
    def _rows(self, table_of) -> list[dict]:
        rows = []
        for service in self.services:
            table = table_of(service.tables)
            with service.engine.connect() as connection:
                rows += [dict(row._mapping, service=service.name)
                         for row in connection.execute(sa.select(table))]
        return rows

    def outbox(self) -> list[dict]:
        """Every event every service wrote to its outbox (sent or not), with its payload."""
        return self._rows(lambda tables: tables.outbox)

    def audit_entries(self) -> list[dict]:
        return self._rows(lambda tables: tables.audit_log)

    def bus_messages(self) -> list[tuple[bytes, dict]]:
        """(body, headers) of every message published since the platform started, taken off
        the tap queue."""
        messages = []
        with Connection("memory://") as connection:
            queue = _tap_queue()(connection.default_channel)
            while (message := queue.get(no_ack=True)) is not None:
                messages.append((bytes(message.body), dict(message.headers or {})))
        self._drained.extend(messages)
        return list(self._drained)


_OTHER_CALLER = {role: f"sicherheit.{role}" for role in ROLES}
_OTHER_CALLER["tenant_admin"] = "admin"
_OTHER_CALLER[SERVICE] = "client:sicherheit-service"


def _tap_queue() -> Queue:
    return Queue(TAP_QUEUE, Exchange("lotse.events", type="topic", durable=True),
                 routing_key="#", durable=False)


def start(data_dir: Path, environment) -> tuple[Embedded, Any]:
    """Build, seed and serve the platform; returns it and the server to close."""
    from waitress import create_server

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    for name in [n for n in os.environ if n.startswith("LOTSE_") and "DATABASE_URL" in n]:
        environment.delenv(name)
    environment.setenv("LOTSE_MODE", "embedded")
    environment.setenv("LOTSE_BROKER_URL", "memory://")
    environment.setenv("LOTSE_PUBLIC_URL", base_url)
    environment.setenv("LOTSE_LOG_FORMAT", "json")
    environment.setenv("LOTSE_LOG_LEVEL", "INFO")
    platform = Platform(data_dir, base_url=base_url)
    platform.build()
    app = platform.wsgi_app()
    server = create_server(app, host="127.0.0.1", port=port, threads=4, ident="lotse")
    threading.Thread(target=server.run, daemon=True, name="security-tests-http").start()
    # the tap is bound before any relay publishes, so it holds every event from the start
    with Connection("memory://") as connection:
        Exchange("lotse.events", type="topic", durable=True)(connection.default_channel).declare()
        _tap_queue()(connection.default_channel).declare()
    root = logging.getLogger()
    platform_handler = next((h for h in root.handlers if getattr(h, "_lotse_handler", False)),
                            None)
    lines = _Lines(platform_handler.formatter if platform_handler else None)
    root.addHandler(lines)
    platform.start_workers()
    embedded = Embedded(platform, app, base_url, lines)
    embedded.make_other_tenant()
    return embedded, server


def stop(embedded: Embedded, server) -> None:
    logging.getLogger().removeHandler(embedded.log)
    embedded.platform.shutdown()
    server.close()


def demo(key: str) -> str:
    """A demo county id by its readable key (``case:intake-1``, ``area:hoexter``); a
    username (``user:cm.hoexter``) gives the user's id."""
    return str(demo_id(key))
