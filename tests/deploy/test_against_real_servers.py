"""The compose artefacts against real servers of this machine, not only parsed.

- docker/postgres/10-lotse-roles.sh on a fresh PostgreSQL 15 cluster (initdb in a temporary
  directory, its own port): the roles and databases it creates are what the platform accepts —
  the setup command migrates as lotse_owner and the start-up check passes as lotse_app.
- infra/rabbitmq/definitions.json imported into the machine's RabbitMQ (a vhost and users of this
  run, removed afterwards): the services' user may declare every service's topology, and the
  policies apply to the queues the platform declares.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from kombu import Connection

from lotse_platform.bus.topology import Topology
from lotse_platform.testing import AMQP_HOST, broker_listing, rabbitmqctl

from .conftest import ROOT, service_folders

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PG_BIN = Path(os.environ.get("LOTSE_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb refuses to run as root; the machine's postgres user owns the cluster then
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture
def fresh_postgres():
    if not (PG_BIN / "initdb").is_file():
        pytest.fail(f"PostgreSQL 15 server binaries not found in {PG_BIN} (make services "
                    "installs them; LOTSE_TEST_PG_BIN points elsewhere)", pytrace=False)
    # directly under /tmp: pytest's own tmp directories are private to root, closed to postgres
    base = Path(tempfile.mkdtemp(prefix="lotse-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    data, port = base / "data", _free_port()
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
                                 "--auth=trust", "-E", "UTF8"]), check=True, capture_output=True)
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l",
                                 str(base / "log"), "-o",
                                 f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
                                 "start"]), check=True, capture_output=True)
    try:
        yield port
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_postgres_init_script_creates_what_the_platform_accepts(fresh_postgres):
    port = fresh_postgres
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(port), "POSTGRES_USER": "postgres",
           "LOTSE_DB_OWNER_PASSWORD": "owner-pw-1", "LOTSE_DB_APP_PASSWORD": "app-pw-2",
           "LOTSE_DATABASES": "lotse_example lotse_other"}
    init = subprocess.run(["bash", str(ROOT / "docker/postgres/10-lotse-roles.sh")], env=env,
                          capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    service = {
        **os.environ,
        "LOTSE_EXAMPLE_DATABASE_URL":
            f"postgresql+psycopg://lotse_app:app-pw-2@127.0.0.1:{port}/lotse_example",
        "LOTSE_EXAMPLE_MIGRATION_DATABASE_URL":
            f"postgresql+psycopg://lotse_owner:owner-pw-1@127.0.0.1:{port}/lotse_example",
    }
    cli = [sys.executable, "-m", "lotse_example.entrypoints.cli"]
    migrate = subprocess.run([*cli, "migrate"], env=service, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    # the start-up check refuses an app role that owns tables, bypasses RLS or is a superuser
    check = subprocess.run([*cli, "check-db"], env=service, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr[-2000:]
    assert "tenant isolation in place" in check.stdout


def test_init_script_refuses_to_run_without_passwords(tmp_path):
    env = {"PATH": os.environ["PATH"], "LOTSE_DATABASES": "lotse_example"}
    result = subprocess.run(["bash", str(ROOT / "docker/postgres/10-lotse-roles.sh")], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "LOTSE_DB_OWNER_PASSWORD" in result.stderr


@pytest.fixture
def imported_definitions(run_id):
    """infra/rabbitmq/definitions.json with this run's vhost and user names, imported."""
    vhost, suffix = f"lotse_d_{run_id}", f"_d_{run_id}"
    text = (ROOT / "infra/rabbitmq/definitions.json").read_text()
    definitions = json.loads(text.replace('"lotse"', json.dumps(vhost))
                             .replace('"lotse_admin"', json.dumps("lotse_admin" + suffix))
                             .replace('"lotse_services"', json.dumps("lotse_services" + suffix)))
    for user in definitions["users"]:
        user.pop("password_env")
        user["password"] = f"pw-{run_id}"
    path = Path(f"/tmp/lotse-definitions-{run_id}.json")
    path.write_text(json.dumps(definitions))
    try:
        rabbitmqctl("import_definitions", str(path))
        yield vhost, "lotse_services" + suffix, f"pw-{run_id}"
    finally:
        path.unlink(missing_ok=True)
        for command in (("delete_vhost", vhost), ("delete_user", "lotse_admin" + suffix),
                        ("delete_user", "lotse_services" + suffix)):
            try:
                rabbitmqctl(*command)
            except RuntimeError:
                pass


def test_services_declare_their_topology_under_the_definitions(imported_definitions):
    vhost, user, password = imported_definitions
    topology = Topology()
    with Connection(f"amqp://{user}:{password}@{AMQP_HOST}/{vhost}") as connection:
        connection.ensure_connection(max_retries=20, interval_start=0.2, interval_step=0.2)
        topology.declare_exchanges(connection)
        for service in service_folders():
            topology.declare_service(connection, service, [f"{service}.thing.happened.v1"])
    queues = {q["name"]: q for q in broker_listing("queues", vhost, "name", "policy", "type")}
    for service in service_folders():
        assert queues[f"{service}.events"]["policy"] == "lotse-event-queues"
        assert queues[f"{service}.events"]["type"] == "quorum"
        assert queues[f"{service}.dead"]["policy"] == "lotse-dead-letter-queues"
    exchanges = {e["name"]: e["type"] for e in broker_listing("exchanges", vhost, "name", "type")}
    assert exchanges["lotse.events"] == "topic" and exchanges["lotse.dead"] == "direct"
