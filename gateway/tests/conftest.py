"""Fixtures: the example service under gunicorn on this run's PostgreSQL and RabbitMQ, an issuer
whose JWKS a test can rotate, and the real gateway (HAProxy + control plane) in front of them.

Everything runs on 127.0.0.1 on free ports. The example service verifies tokens itself against
the same JWKS (the gateway is a filter, not the only guard), so a token the gateway lets through
must also satisfy the service.
"""

from __future__ import annotations

import os
import shutil

import pytest
from gateway_support import TENANT, County, Keys, SilentUpstream, routes_yaml
from kombu import Connection

from lotse_example.bootstrap import bootstrap
from lotse_example.service_layer.handlers import EVENT_HANDLERS
from lotse_example.settings import ExampleSettings
from lotse_gateway.testing import GatewayProcess, JwksServer, ServiceProcess, free_port
from lotse_platform.auth.devtokens import DevIssuer



@pytest.fixture(scope="session", autouse=True)
def haproxy_installed():
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run `make services` "
                    "(infra/local/ensure-services.sh installs it)")


@pytest.fixture(scope="session")
def keys():
    jwks = JwksServer()
    issuer = DevIssuer(issuer=f"http://127.0.0.1:{jwks.http.server_port}", kid="key-1")
    jwks.document = issuer.jwks()
    yield Keys(jwks, issuer)
    jwks.close()


@pytest.fixture(scope="session")
def county():
    jwks = JwksServer()
    # a key id may begin with "-" (base64url): HAProxy must not read it as an option
    issuer = DevIssuer(issuer="https://login.kreis.test/realms/kim", kid="-kc1Ab_x",
                       audience="lotse-console")
    jwks.document = issuer.jwks()
    yield County(jwks, issuer, TENANT)
    jwks.close()


@pytest.fixture(scope="session")
def platform_env(keys, county, broker_url) -> dict[str, str]:
    """What identity's verifier and the county's need: shared by the service and the gateway."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update({
        "LOTSE_JWKS_URL": keys.jwks.url,
        "LOTSE_TOKEN_ISSUER": keys.issuer,
        "LOTSE_TRUSTED_ISSUERS": county.trusted_issuers,
        "LOTSE_JWKS_REFRESH_INTERVAL": "0.2",
        "LOTSE_BROKER_URL": broker_url,
        "LOTSE_LOG_FORMAT": "json",
    })
    return env


@pytest.fixture(scope="session")
def example_upstream(databases, broker_url, platform_env, tmp_path_factory):
    """The example service's API under gunicorn, on a fresh database, migrated."""
    database = databases.create("gateway")
    keys = tmp_path_factory.mktemp("example-keys")  # of the encrypted note text (ADR 0104)
    settings = ExampleSettings(database_url=database.app_url,
                               migration_database_url=database.owner_url, broker_url=broker_url,
                               key_dir=keys)
    container = bootstrap(settings)
    container.migrate()
    with Connection(broker_url) as connection:
        container.topology.declare_service(connection, "example", list(EVENT_HANDLERS))
    container.engine.dispose()
    env = {**platform_env, "LOTSE_EXAMPLE_DATABASE_URL": database.app_url,
           "LOTSE_EXAMPLE_MIGRATION_DATABASE_URL": database.owner_url,
           "LOTSE_KEY_DIR": str(keys)}
    service = ServiceProcess("example", env, tmp_path_factory.mktemp("example") / "example.log")
    service.start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def silent_upstream():
    upstream = SilentUpstream()
    yield upstream
    upstream.close()


@pytest.fixture(scope="session")
def gateway(example_upstream, silent_upstream, platform_env, tmp_path_factory):
    """The gateway in front of the example service (and of upstreams that fail on purpose)."""
    nobody = free_port()  # nothing listens here: a service that is not up
    extra = f"""
  - name: identity
    prefix: /api/v1/identity
    upstreams: ["127.0.0.1:{nobody}"]
    public: [/oauth/, /.well-known/]
  - name: steering
    prefix: /api/v1/steering
    upstreams: ["127.0.0.1:{silent_upstream.port}"]
    timeouts: {{connect: 1s, server: 1s}}
    health: {{enabled: false}}
    openapi: false
  - name: console
    prefix: /console
    upstreams: ["127.0.0.1:{example_upstream.port}"]
    public: [/]
    openapi: false
"""
    process = GatewayProcess(routes_yaml(example_upstream.port, extra_routes=extra),
                             {**platform_env, "LOTSE_GATEWAY_JWKS_POLL_INTERVAL": "0.1"},
                             tmp_path_factory.mktemp("gateway"))
    process.start()
    yield process
    process.stop()
