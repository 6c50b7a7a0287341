"""Cross-service fixtures: the example service on a fresh PostgreSQL database and this run's
RabbitMQ vhost, with its queues empty."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from kombu import Connection

from lotse_example.bootstrap import bootstrap
from lotse_example.service_layer.handlers import EVENT_HANDLERS
from lotse_example.settings import ExampleSettings

_numbers = itertools.count(1)


@pytest.fixture
def example_db(databases):
    return databases.create(f"example{next(_numbers)}")


@pytest.fixture
def example_settings(example_db, broker_url, tmp_path_factory) -> ExampleSettings:
    return ExampleSettings(
        database_url=example_db.app_url,
        migration_database_url=example_db.owner_url,
        broker_url=broker_url,
        relay_poll_interval=0.02,
        # the tenants' keys of the encrypted note text (ADR 0104)
        key_dir=tmp_path_factory.mktemp("example-keys"),
    )


@pytest.fixture
def example(example_settings):
    container = bootstrap(example_settings)
    container.migrate()
    with Connection(example_settings.broker_url) as connection:
        container.topology.declare_service(connection, "example", list(EVENT_HANDLERS))
        channel = connection.default_channel
        channel.queue_purge("example.events")
        channel.queue_purge("example.dead")
    yield container
    container.engine.dispose()


@pytest.fixture
def example_env(example_settings, tmp_path) -> dict[str, str]:
    """Environment for running ``lotse-example`` as a separate process."""
    env = dict(os.environ)
    env.update({
        "LOTSE_EXAMPLE_DATABASE_URL": example_settings.database_url,
        "LOTSE_EXAMPLE_MIGRATION_DATABASE_URL": example_settings.owner_database_url,
        "LOTSE_BROKER_URL": example_settings.broker_url,
        "LOTSE_RELAY_POLL_INTERVAL": "0.02",
        "LOTSE_FAULT_DIR": str(tmp_path),
    })
    return env


def start_example(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lotse_example.cli", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


@pytest.fixture
def example_superuser_engine(example_db):
    """The PostgreSQL superuser on the example's database: sees past row-level security, for
    arranging and checking only, never as the code under test."""
    engine = sa.create_engine(example_db.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
