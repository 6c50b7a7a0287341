"""Fixtures for the platform's database and bus tests.

The platform has no tables of its own; its building blocks are exercised through the example
stand-in service (its migrations, mappings and contracts), on SQLite and on a fresh PostgreSQL
database of this run, and on this run's RabbitMQ vhost.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from kombu import Connection

from lotse_example.bootstrap import bootstrap
from lotse_example.service_layer.handlers import EVENT_HANDLERS
from lotse_example.settings import ExampleSettings
from lotse_platform.db import create_engine

_numbers = itertools.count(1)


@pytest.fixture
def pg_database(databases):
    return databases.create(f"platform{next(_numbers)}")


def _on_postgres(database, **settings):
    # the tenants' keys of the encrypted note text (ADR 0104), a directory of its own
    settings.setdefault("key_dir", Path(tempfile.mkdtemp(prefix="lotse-keys-")))
    return bootstrap(ExampleSettings(database_url=database.app_url,
                                     migration_database_url=database.owner_url, **settings))


@pytest.fixture
def pg_example(pg_database):
    """The example service migrated on a fresh PostgreSQL database; it connects as the app role."""
    container = _on_postgres(pg_database)
    container.migrate()
    yield container
    container.engine.dispose()


@pytest.fixture
def sqlite_example(tmp_path):
    """The example service migrated on a SQLite file (embedded mode: no row-level security)."""
    container = bootstrap(ExampleSettings(database_url=f"sqlite:///{tmp_path / 'example.db'}",
                                          mode="embedded", key_dir=tmp_path / "keys"))
    container.migrate()
    yield container
    container.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_example(request):
    """The example service on each backend the platform runs on."""
    name = "sqlite_example" if request.param == "sqlite" else "pg_example"
    return request.getfixturevalue(name)


@pytest.fixture
def superuser_engine(pg_database):
    """Sees past row-level security: for arranging and checking, never as the code under test."""
    engine = create_engine(pg_database.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def bus_example(pg_database, broker_url):
    """The example service on PostgreSQL and this run's vhost, its queues declared and empty."""
    container = _on_postgres(pg_database, broker_url=broker_url)
    container.migrate()
    with Connection(broker_url) as connection:
        container.topology.declare_service(connection, "example", list(EVENT_HANDLERS))
        channel = connection.default_channel
        channel.queue_purge("example.events")
        channel.queue_purge("example.dead")
    yield container
    container.engine.dispose()
