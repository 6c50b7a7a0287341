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
    cli = [sys.executable, "-m", "lotse_example.cli"]
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


@pytest.fixture
def provider_on_the_broker(imported_definitions, toolbox, run_id):
    """The provider intake's broker user as the chart describes it, imported next to the cell's."""
    vhost = imported_definitions[0]
    (config,) = [m["object"] for m in toolbox["charts"]["provider-caritas"]["manifests"]
                 if m["object"]["kind"] == "ConfigMap"]
    fragment = json.loads(config["data"]["definitions.json"])
    user = f"intake-caritas-{run_id}"
    for entry in fragment["users"]:
        entry.update(name=user, password=f"pw-{run_id}")
    for entry in fragment["permissions"] + fragment["topic_permissions"]:
        entry.update(user=user, vhost=vhost)
    path = Path(f"/tmp/lotse-provider-{run_id}.json")
    path.write_text(json.dumps(fragment))
    try:
        rabbitmqctl("import_definitions", str(path))
        yield vhost, user, f"pw-{run_id}"
    finally:
        path.unlink(missing_ok=True)
        try:
            rabbitmqctl("delete_user", user)
        except RuntimeError:
            pass


def _publish(vhost: str, user: str, password: str, routing_key: str) -> str:
    """Publish one message with confirms as ``user``: "ok", or the broker's reason for refusing."""
    import pika

    host, port = AMQP_HOST.split(":")
    parameters = pika.ConnectionParameters(host=host, port=int(port), virtual_host=vhost,
                                           credentials=pika.PlainCredentials(user, password))
    connection = pika.BlockingConnection(parameters)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish("lotse.events", routing_key, b"{}")
        return "ok"
    except pika.exceptions.ChannelClosed as closed:
        return closed.reply_text
    finally:
        if connection.is_open:
            connection.close()


def test_provider_intake_may_publish_its_own_routing_keys_and_nothing_else(provider_on_the_broker):
    vhost, user, password = provider_on_the_broker
    assert _publish(vhost, user, password, "intake.case.admitted.v1.caritas-hoexter") == "ok"
    for foreign in ("intake.case.admitted.v1", "casework.case.closed.v1.caritas-hoexter",
                    "intake.case.admitted.v1.awo-hoexter"):
        refused = _publish(vhost, user, password, foreign)
        assert "ACCESS_REFUSED" in refused, f"{foreign}: {refused}"


def test_provider_intake_may_not_declare_or_read_queues(provider_on_the_broker):
    import pika

    vhost, user, password = provider_on_the_broker
    host, port = AMQP_HOST.split(":")
    connection = pika.BlockingConnection(pika.ConnectionParameters(
        host=host, port=int(port), virtual_host=vhost,
        credentials=pika.PlainCredentials(user, password)))
    try:
        with pytest.raises(pika.exceptions.ChannelClosedByBroker, match="ACCESS_REFUSED"):
            connection.channel().queue_declare("intake.events", passive=False, durable=True,
                                               arguments={"x-queue-type": "quorum"})
        with pytest.raises(pika.exceptions.ChannelClosedByBroker, match="ACCESS_REFUSED"):
            connection.channel().basic_get("example.events")
    finally:
        if connection.is_open:
            connection.close()
