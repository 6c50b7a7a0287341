"""Tests of the reporting service: unit/ with in-memory fakes (reporting_fakes.py), integration/
against the real PostgreSQL and RabbitMQ (fixtures of lotse_platform.testing): the service on its
own database (one per test module, a fresh tenant per test) and callers with development
tokens."""

from __future__ import annotations

import itertools
import uuid

import pytest
from lotse_platform.testing import TokenCaller, service_on
import sqlalchemy as sa

from lotse_platform.auth import COORDINATOR
from lotse_platform.auth.devtokens import DevIssuer

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def reporting_db(databases):
    return databases.create(f"reporting{next(_numbers)}")


@pytest.fixture(scope="module")
def reporting(reporting_db, broker_url, issuer):
    """The reporting service migrated on its own database, connecting as the app role (under
    row-level security), trusting the test issuer's tokens."""
    from lotse_reporting.bootstrap import ReportingService

    container = service_on(ReportingService, reporting_db, broker_url, issuer)
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def superuser(reporting_db):
    """Sees past row-level security: for checking what was written, never as the code under
    test."""
    engine = sa.create_engine(reporting_db.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def tenant() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture(scope="module")
def app(reporting):
    return reporting.create_app()


@pytest.fixture
def as_user(app, issuer, tenant):
    client = app.test_client()

    def caller(subject: str, roles=(COORDINATOR,), org: str = "org-kreis-hoexter") -> TokenCaller:
        return TokenCaller(client, issuer.issue(subject, tenant, org, list(roles), areas=[]))

    return caller
