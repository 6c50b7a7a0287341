"""Fixtures of the casework tests: the service on a real PostgreSQL database (one per test
module, a fresh tenant per test) and this run's RabbitMQ vhost, an HTTP stand-in for intake's
handover endpoint, and callers with development tokens."""

from __future__ import annotations

import itertools
import uuid

import pytest
import sqlalchemy as sa

from lotse_platform.auth import CASE_MANAGER, SERVICE
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import TokenCaller, put_directory, service_on

from casework_support import ConsentsAsKept, IntakeStandIn, published_directory
from lotse_casework.adapters.intake_client import IntakeClient
from lotse_casework.bootstrap import CaseworkService

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture(scope="module")
def casework_db(databases):
    return databases.create(f"casework{next(_numbers)}")


@pytest.fixture(scope="module")
def casework(casework_db, broker_url, issuer, tmp_path_factory):
    """The casework service migrated on its own database; it connects as the app role (under
    row-level security) and trusts the test issuer's tokens."""
    container = service_on(CaseworkService, casework_db, broker_url, issuer,
                           relay_poll_interval=0.02,
                           key_dir=tmp_path_factory.mktemp("casework-keys"))
    yield container
    container.close_http_clients()
    container.engine.dispose()


@pytest.fixture(autouse=True)
def consents_as_kept(request):
    """In a test with the casework container, intake's consent check (ADR 0053) agrees with
    casework's copy unless the test wires the real intake; set anew for every test (a test's
    ``close_http_clients()`` drops what the container holds)."""
    if "casework" not in request.fixturenames:
        yield None
        return
    container = request.getfixturevalue("casework")
    stand_in = ConsentsAsKept(request.getfixturevalue("superuser"))
    container.__dict__["consent_client"] = stand_in
    yield stand_in
    container.__dict__.pop("consent_client", None)


@pytest.fixture(autouse=True)
def directory(request):
    """In a test with the casework container: the tenant's organisations and staff as identity
    published them, in casework's replica."""
    if "casework" not in request.fixturenames or "tenant" not in request.fixturenames:
        return
    put_directory(request.getfixturevalue("casework"), request.getfixturevalue("tenant"),
                  published_directory())


@pytest.fixture(scope="module")
def superuser(casework_db):
    """Sees past row-level security: for checking what was written, never as the code under
    test."""
    engine = sa.create_engine(casework_db.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def tenant() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture(scope="module")
def app(casework):
    return casework.create_app()


@pytest.fixture
def as_user(app, issuer, tenant):
    client = app.test_client()

    def caller(subject: str, roles=(CASE_MANAGER,), org: str = "org-stadt-hoexter",
               areas=("area-hoexter",), tenant_id: uuid.UUID | None = None) -> TokenCaller:
        token = issuer.issue(subject, tenant_id or tenant, org, list(roles), areas=list(areas))
        return TokenCaller(client, token, subject)

    return caller


@pytest.fixture
def intake_stand_in(issuer):
    stand_in = IntakeStandIn(_verifier(issuer))
    yield stand_in
    stand_in.close()


def _verifier(issuer):
    from lotse_platform.auth import TokenVerifier

    return TokenVerifier(issuer.keys(), issuer=issuer.issuer, audience="lotse")


@pytest.fixture
def wired_to_intake(casework, intake_stand_in, issuer, tenant):
    """The casework container calls the stand-in with a machine token of this tenant."""
    tokens = lambda: issuer.issue("casework", tenant, "org-kreis", [SERVICE],  # noqa: E731
                                  client_id="casework")
    casework.__dict__["intake_client"] = IntakeClient(
        lambda operator: intake_stand_in.url if operator == "" else None, tokens, timeout=3)
    yield intake_stand_in
    casework.close_http_clients()
