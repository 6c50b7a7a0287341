"""Pytest plugin shared by every package's tests (enabled with ``-p lotse_platform.testing``).

Each test run gets its own PostgreSQL databases and its own RabbitMQ vhost, named after the run,
and removes them at the end, so runs never see each other's data and nothing is mocked.
A missing PostgreSQL or RabbitMQ fails the tests that need them; it never skips them.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get(
    "LOTSE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PG_HOST = os.environ.get("LOTSE_TEST_PG_HOST", "127.0.0.1:5432")
AMQP_HOST = os.environ.get("LOTSE_TEST_AMQP_HOST", "127.0.0.1:5672")

ROLES_SQL = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotse_owner') THEN
    CREATE ROLE lotse_owner LOGIN NOSUPERUSER NOBYPASSRLS CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotse_app') THEN
    CREATE ROLE lotse_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB;
  END IF;
END $$;
"""


def poll(condition: Callable[[], object], timeout: float = 20.0, interval: float = 0.05,
         message: str = "condition") -> object:
    """Wait until ``condition()`` is truthy and return it; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


@dataclass(frozen=True)
class TestDatabase:
    name: str
    owner_url: str  # the table owner: migrations
    app_url: str  # what the services connect as: lotse_app, under row-level security

    @property
    def admin_url(self) -> str:
        """A superuser: bypasses row-level security; for arranging and inspecting, never for
        the code under test."""
        return f"postgresql+psycopg://postgres@{PG_HOST}/{self.name}"


class DatabaseFactory:
    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self._admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT",
                                       poolclass=sa.pool.NullPool)
        self._created: list[str] = []
        with self._admin.connect() as connection:
            connection.execute(sa.text(ROLES_SQL))

    def create(self, purpose: str) -> TestDatabase:
        name = f"lotse_t_{self.run_id}_{purpose}"[:63]
        with self._admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}" OWNER lotse_owner'))
        self._created.append(name)
        return TestDatabase(
            name=name,
            owner_url=f"postgresql+psycopg://lotse_owner@{PG_HOST}/{name}",
            app_url=f"postgresql+psycopg://lotse_app@{PG_HOST}/{name}",
        )

    def drop_all(self) -> None:
        with self._admin.connect() as connection:
            for name in self._created:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


def rabbitmqctl(*args: str) -> str:
    result = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


@pytest.fixture(scope="session")
def run_id() -> str:
    return f"{os.getpid()}{secrets.token_hex(2)}"


@pytest.fixture(scope="session")
def databases(run_id):
    factory = DatabaseFactory(run_id)
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def broker_vhost(run_id):
    vhost = f"lotse_t_{run_id}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    yield vhost
    rabbitmqctl("delete_vhost", vhost)


@pytest.fixture(scope="session")
def broker_url(broker_vhost) -> str:
    return f"amqp://guest:guest@{AMQP_HOST}/{broker_vhost}"
