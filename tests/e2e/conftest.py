"""The whole platform, once for the end-to-end tests of this folder (package scope): a fresh
database per service from the ``databases`` fixture, ``lotse-<service> setup`` and ``seed-demo``
for identity, intake, casework and example (the demo county, Kreis Höxter), their APIs under
gunicorn, and the HAProxy gateway routing ``/api/v1/<service>`` to them and trusting identity's
JWKS. Identity issues every token; its signing keys exist before the gateway starts
(``lotse-identity rotate-keys``), a next key is published from the start.

Nothing is mocked. Workers are not started: no test here needs an event delivered. Every
process is started in a session of its own and stopped by its pid at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lotse_gateway.testing import BIN, GatewayProcess, ServiceProcess
from lotse_identity.adapters.crypto import new_key_encryption_key

from .stack import SERVICES, Platform

#: a next key may sign this long after it was published (docs/identity.md §4: 2 h in a county;
#: here a moment, and the rotation test waits for the gateway to know the key before promoting)
PUBLISH_AHEAD_SECONDS = 2
#: how often the gateway fetches identity's JWKS (LOTSE_GATEWAY_JWKS_POLL_INTERVAL)
JWKS_POLL_SECONDS = 0.2

ROUTES = """
version: 1
defaults:
  timeouts: {{connect: 2s, server: 20s}}
  health: {{path: /healthz, interval: 1s, down_interval: 200ms, rise: 1, fall: 2}}
limits:
  per_client: {{requests: 100000, per: 10s}}
  per_user: {{requests: 100000, per: 10s}}
routes:
  - name: identity
    prefix: /api/v1/identity
    upstreams: ["127.0.0.1:{identity}"]
    public: [/oauth/, /.well-known/]
  - name: intake
    prefix: /api/v1/intake
    upstreams: ["127.0.0.1:{intake}"]
  - name: casework
    prefix: /api/v1/casework
    upstreams: ["127.0.0.1:{casework}"]
  - name: network
    prefix: /api/v1/network
    upstreams: ["127.0.0.1:{network}"]
    public: [/taxonomy, /public/]
  - name: steering
    prefix: /api/v1/steering
    upstreams: ["127.0.0.1:{steering}"]
  - name: reporting
    prefix: /api/v1/reporting
    upstreams: ["127.0.0.1:{reporting}"]
  - name: example
    prefix: /api/v1/example
    upstreams: ["127.0.0.1:{example}"]
"""


@pytest.fixture(scope="package", autouse=True)
def haproxy_installed():
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run `make services` "
                    "(infra/local/ensure-services.sh installs it)")


def _run_all(commands: list[tuple[str, str]], env: dict[str, dict[str, str]], log_dir) -> None:
    """Run ``lotse-<service> <command>`` for each pair at the same time; fail naming those
    that failed."""
    running = []
    for service, command in commands:
        log = open(log_dir / f"{service}-{command}.log", "wb")  # noqa: SIM115 - closed below
        process = subprocess.Popen([str(BIN / f"lotse-{service}"), command], env=env[service],
                                   stdout=log, stderr=subprocess.STDOUT)
        running.append((service, command, process, log))
    failed = []
    for service, command, process, log in running:
        try:
            code = process.wait(120)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        log.close()
        if code != 0:
            tail = Path(log.name).read_text(errors="replace")[-1500:]
            failed.append(f"lotse-{service} {command} exited {code}; {log.name} ends: {tail}")
    assert not failed, failed


@pytest.fixture(scope="package")
def platform(databases, broker_url, tmp_path_factory):
    started = time.monotonic()
    logs = tmp_path_factory.mktemp("e2e")
    gateway = GatewayProcess("", {}, logs / "gateway")  # its ports first: identity's issuer
    issuer = f"{gateway.url}/api/v1/identity"
    services = {name: ServiceProcess(name, {}, logs / f"{name}.log", workers=1)
                for name in SERVICES}
    jwks_url = f"{services['identity'].url}/.well-known/jwks.json"
    base = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    base.update({"LOTSE_MODE": "local", "LOTSE_BROKER_URL": broker_url,
                 "LOTSE_JWKS_URL": jwks_url, "LOTSE_TOKEN_ISSUER": issuer,
                 # a token signed with a key the service has not seen makes it look again soon
                 "LOTSE_JWKS_REFRESH_INTERVAL": "0.5",
                 "LOTSE_LOG_FORMAT": "json", "LOTSE_LOG_LEVEL": "WARNING"})
    env: dict[str, dict[str, str]] = {}
    for name in SERVICES:
        database = databases.create(f"e2e_{name}")
        prefix = f"LOTSE_{name.upper()}_"
        env[name] = {**base, f"{prefix}DATABASE_URL": database.app_url,
                     f"{prefix}MIGRATION_DATABASE_URL": database.owner_url,
                     # the tenants' keys of the service (ADR 0082, ADR 0104)
                     "LOTSE_KEY_STORE": f"file:{logs / 'keys' / name}"}
    env["identity"].update({
        "LOTSE_IDENTITY_ISSUER": issuer,
        "LOTSE_IDENTITY_KEY_ENCRYPTION_KEY": new_key_encryption_key(),
        # the demo users log in with their passwords: development and tests only
        "LOTSE_IDENTITY_ALLOW_PASSWORD_GRANT": "true",
        "LOTSE_IDENTITY_KEY_PUBLISH_AHEAD": str(PUBLISH_AHEAD_SECONDS),
    })

    _run_all([(name, "setup") for name in SERVICES], env, logs)
    # the first signing key (current) and the next one, before the gateway fetches the JWKS
    _run_all([(name, "seed-demo") for name in SERVICES] + [("identity", "rotate-keys")], env,
             logs)
    for name, service in services.items():
        service.env = env[name]
    platform = Platform(gateway, services, env, issuer)
    try:
        with ThreadPoolExecutor(len(services)) as pool:
            list(pool.map(lambda service: service.start(60), services.values()))
        gateway.routes = ROUTES.format(**{name: services[name].port for name in SERVICES})
        gateway.env = {**base, "LOTSE_GATEWAY_JWKS_POLL_INTERVAL": str(JWKS_POLL_SECONDS)}
        gateway.start()
        print(f"e2e platform up in {time.monotonic() - started:.1f} s")
        yield platform
    finally:
        gateway.stop()
        for service in services.values():
            service.stop()
