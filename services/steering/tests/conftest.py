"""Tests of the steering service: unit/ with in-memory fakes (steering_fakes.py), integration/
against the real PostgreSQL and RabbitMQ (fixtures of lotse_platform.testing): the service on its
own database (one per test module, a fresh tenant per test) and callers with development
tokens."""

from __future__ import annotations

import itertools
import uuid

import pytest
import sqlalchemy as sa

from lotse_platform.auth import COORDINATOR
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import TokenCaller, service_on

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def steering_db(databases):
    return databases.create(f"steering{next(_numbers)}")


@pytest.fixture(scope="module")
def steering(steering_db, broker_url, issuer):
    """The steering service migrated on its own database, connecting as the app role (under
    row-level security), trusting the test issuer's tokens."""
    from lotse_steering.bootstrap import SteeringService

    container = service_on(SteeringService, steering_db, broker_url, issuer)
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def superuser(steering_db):
    """Sees past row-level security: for checking what was written, never as the code under
    test."""
    engine = sa.create_engine(steering_db.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def tenant() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture(scope="module")
def app(steering):
    return steering.create_app()


@pytest.fixture
def as_user(app, issuer, tenant):
    client = app.test_client()

    def caller(subject: str, roles=(COORDINATOR,), org: str = "org-kreis-hoexter") -> TokenCaller:
        return TokenCaller(client, issuer.issue(subject, tenant, org, list(roles), areas=[]))

    return caller
