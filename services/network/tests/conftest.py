"""Tests of the network service: unit/ with in-memory fakes (network_fakes.py), integration/
against the real PostgreSQL and RabbitMQ (fixtures of lotse_platform.testing) — and the same
API in embedded mode on SQLite, where a test asks for both (``backend``)."""

from __future__ import annotations

import uuid

import pytest

from lotse_network.bootstrap import NetworkService
from lotse_network.settings import NetworkSettings
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import known_directory, put_directory
from network_helpers import AREAS, ORGANISATIONS, Actors, Api


@pytest.fixture(scope="session")
def issuer() -> DevIssuer:
    return DevIssuer(issuer="http://localhost/network-tests")


@pytest.fixture(scope="session")
def network_pg(databases, broker_url, issuer) -> NetworkService:
    """The network service on a fresh PostgreSQL database of this run, migrated; it connects
    as the app role (row-level security applies)."""
    database = databases.create("network")
    service = NetworkService(NetworkSettings(
        database_url=database.app_url, migration_database_url=database.owner_url,
        broker_url=broker_url), keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    yield service
    service.engine.dispose()


@pytest.fixture(scope="session")
def network_sqlite(tmp_path_factory, issuer) -> NetworkService:
    """The network service in embedded mode (SQLite, FTS5), migrated."""
    path = tmp_path_factory.mktemp("network") / "network.db"
    service = NetworkService(NetworkSettings(database_url=f"sqlite:///{path}", mode="embedded"))
    service.migrate()
    service.trust(issuer.keys(), issuer.issuer)
    yield service
    service.engine.dispose()


_APPS: dict[str, object] = {}


@pytest.fixture(params=["postgresql", "sqlite"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def network(request, backend) -> NetworkService:
    return request.getfixturevalue(f"network_{'pg' if backend == 'postgresql' else 'sqlite'}")


@pytest.fixture
def tenant(request) -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def actors(issuer, tenant) -> Actors:
    return Actors(issuer, tenant)


@pytest.fixture
def api(network, backend, actors, tenant) -> Api:
    """The directory API as callers of a fresh tenant whose identity directory (organisations,
    towns) is in the replica."""
    put_directory(network, tenant, known_directory(organisations=ORGANISATIONS, areas=AREAS))
    if backend not in _APPS:
        _APPS[backend] = network.create_app()
    return Api(_APPS[backend].test_client(), actors, network)
