"""Tests of the network service: unit/ with in-memory fakes (network_fakes.py), integration/
against the real PostgreSQL and RabbitMQ (fixtures of lotse_platform.testing)."""

from __future__ import annotations

import itertools
import uuid

import pytest
import sqlalchemy as sa

from lotse_platform.auth.devtokens import DevIssuer

# -- cooperation agreements, bodies and meetings, knowledge base (ADR 0085) ------------------

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def network_issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def network_db(databases):
    return databases.create(f"network{next(_numbers)}")


@pytest.fixture(scope="module")
def network(network_db, network_issuer, tmp_path_factory):
    """The network service migrated on its own PostgreSQL database; it connects as the app
    role (under row-level security) and trusts the test issuer's tokens."""
    from lotse_network.bootstrap import NetworkService
    from lotse_network.settings import NetworkSettings

    container = NetworkService(NetworkSettings(
        database_url=network_db.app_url, migration_database_url=network_db.owner_url,
        key_dir=tmp_path_factory.mktemp("network-keys")))
    container.migrate()
    container.trust(network_issuer.keys(), network_issuer.issuer)
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def network_superuser(network_db):
    """Sees past row-level security: for checking what was written."""
    engine = sa.create_engine(network_db.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def network_tenant() -> uuid.UUID:
    return uuid.uuid4()
