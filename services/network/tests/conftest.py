"""Tests of the network service: unit/ with in-memory fakes (network_fakes.py), integration/
against the real PostgreSQL and RabbitMQ (fixtures of lotse_platform.testing): the service on
its own database (one per test module, a fresh tenant per test), this run's RabbitMQ vhost, a
stand-in for intake's consent check the test controls, and callers with development tokens."""

from __future__ import annotations

import itertools
import uuid

import pytest
import sqlalchemy as sa

from lotse_platform.auth import CASE_MANAGER
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.references import Known, ORGANISATION
from lotse_platform.testing import TokenCaller, put_directory, service_on

from network_fakes import IntakeAsTestSays

_numbers = itertools.count(1)

ORGANISATIONS = ("org-stadt-hoexter", "org-abh", "org-jobcenter", "org-caritas")


@pytest.fixture(scope="session")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def network_db(databases):
    return databases.create(f"network{next(_numbers)}")


@pytest.fixture(scope="module")
def network(network_db, broker_url, issuer, tmp_path_factory):
    """The network service migrated on its own database, connecting as the app role (under
    row-level security), trusting the test issuer's tokens."""
    from lotse_network.bootstrap import NetworkService

    container = service_on(NetworkService, network_db, broker_url, issuer,
                           relay_poll_interval=0.02,
                           # the tenant's keys sealing signed agreements
                           key_dir=tmp_path_factory.mktemp("network-keys"))
    yield container
    container.close_http_clients()
    container.engine.dispose()


@pytest.fixture(scope="module")
def superuser(network_db):
    """Sees past row-level security: for checking what was written, never as the code under
    test."""
    engine = sa.create_engine(network_db.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def tenant() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def intake(request):
    """Intake's consent check as the test says (ADR 0053): the consents intake has now."""
    stand_in = IntakeAsTestSays()
    container = request.getfixturevalue("network")
    container.__dict__["consent_client"] = stand_in
    yield stand_in
    container.__dict__.pop("consent_client", None)


@pytest.fixture(autouse=True)
def directory(request):
    """In a test with the network container: the tenant's organisations as identity published
    them, in the network's replica."""
    if "network" not in request.fixturenames or "tenant" not in request.fixturenames:
        return
    put_directory(request.getfixturevalue("network"), request.getfixturevalue("tenant"),
                  [Known(ORGANISATION, org) for org in ORGANISATIONS])


@pytest.fixture(scope="module")
def app(network):
    return network.create_app()


@pytest.fixture
def as_user(app, issuer, tenant):
    client = app.test_client()

    def caller(subject: str, roles=(CASE_MANAGER,), org: str = "org-stadt-hoexter",
               areas=("area-hoexter",)) -> TokenCaller:
        token = issuer.issue(subject, tenant, org, list(roles), areas=list(areas))
        return TokenCaller(client, token, subject)

    return caller


# -- the directory (ADR 0083): the same API on PostgreSQL and on the embedded SQLite -------------
@pytest.fixture(scope="session")
def network_pg(databases, broker_url, issuer, tmp_path_factory):
    """The network service on a fresh PostgreSQL database of this run, migrated; it connects
    as the app role (row-level security applies). Its key directory: the demo's referrals and
    minutes are encrypted (ADR 0104)."""
    from lotse_network.bootstrap import NetworkService
    from lotse_network.settings import NetworkSettings

    database = databases.create("network_directory")
    service = NetworkService(NetworkSettings(
        database_url=database.app_url, migration_database_url=database.owner_url,
        broker_url=broker_url, key_dir=tmp_path_factory.mktemp("network-pg-keys")),
        keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    yield service
    service.engine.dispose()


@pytest.fixture(scope="session")
def network_sqlite(tmp_path_factory, issuer):
    """The network service in embedded mode (SQLite, FTS5), migrated."""
    from lotse_network.bootstrap import NetworkService
    from lotse_network.settings import NetworkSettings

    path = tmp_path_factory.mktemp("network") / "network.db"
    service = NetworkService(NetworkSettings(database_url=f"sqlite:///{path}", mode="embedded",
                                             key_dir=path.parent / "keys"))
    service.migrate()
    service.trust(issuer.keys(), issuer.issuer)
    yield service
    service.engine.dispose()


_DIRECTORY_APPS: dict[str, object] = {}


@pytest.fixture(params=["postgresql", "sqlite"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def directory_network(request, backend):
    return request.getfixturevalue("network_pg" if backend == "postgresql" else "network_sqlite")


@pytest.fixture
def actors(issuer, tenant):
    from network_helpers import Actors

    return Actors(issuer, tenant)


@pytest.fixture
def api(directory_network, backend, actors, tenant):
    """The directory API as callers of a fresh tenant whose identity directory (organisations,
    towns) is in the replica."""
    from lotse_platform.testing import known_directory
    from network_helpers import AREAS, ORGANISATIONS as DIRECTORY_ORGANISATIONS, Api

    put_directory(directory_network, tenant, known_directory(
        organisations=DIRECTORY_ORGANISATIONS, areas=AREAS))
    if backend not in _DIRECTORY_APPS:
        _DIRECTORY_APPS[backend] = directory_network.create_app()
    return Api(_DIRECTORY_APPS[backend].test_client(), actors, directory_network)
# -- end of the directory ------------------------------------------------------------------------
