"""Fixtures of the identity service's tests: identity on a fresh PostgreSQL database of this run
(migrated as the owner, used as lotse_app under row-level security), seeded with the demo
county, and a stand-in for a county's own OIDC provider ("the county's Keycloak") on 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json

import pytest
import sqlalchemy as sa
from identity_support import CountyKeycloak, Served, identity_settings
from joserfc.jwk import RSAKey

from lotse_demo import COUNTY
from lotse_identity.bootstrap import IdentityService

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def keycloak():
    key = RSAKey.generate_key(2048, parameters={"kid": "kc-1", "alg": "RS256", "use": "sig"})
    document = json.dumps({"keys": [key.as_dict(private=False)]}).encode()

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/realms/kreis-hoexter/protocol/openid-connect/certs":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [document]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    served = Served(app)
    yield CountyKeycloak(issuer=f"{served.url}/realms/kreis-hoexter", key=key)
    served.close()


@pytest.fixture(scope="session")
def identity_db(databases):
    return databases.create("identity")


@pytest.fixture(scope="session")
def identity(identity_db, broker_url, keycloak):
    """Identity with the demo county, shared by the tests that leave the county as they found
    it or add only their own records."""
    container = IdentityService(identity_settings(identity_db, broker_url, keycloak))
    container.migrate()
    container.seed_demo(COUNTY)
    yield container
    container.engine.dispose()


@pytest.fixture(scope="session")
def app(identity):
    return identity.create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def fresh_db(databases):
    return databases.create(f"identity{next(_numbers)}")


@pytest.fixture
def superuser(identity_db):
    """The PostgreSQL superuser on identity's database: past row-level security, for checking
    audit entries and the outbox only."""
    engine = sa.create_engine(identity_db.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
