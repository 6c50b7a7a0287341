"""The benchmark's own PostgreSQL database and RabbitMQ vhost, removed afterwards.

Created the way :class:`lotse_platform.testing.DatabaseFactory` creates the test databases:
owned by ``lotse_owner`` (migrations), used as ``lotse_app`` (under row-level security), so the
pipeline runs with the same roles and isolation as a deployed service.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

from lotse_platform.testing import AMQP_HOST, DatabaseFactory, rabbitmqctl


@dataclass(frozen=True)
class BenchEnvironment:
    run_id: str
    database: str
    owner_url: str
    app_url: str
    admin_url: str  # the postgres superuser on the bench database: raw references only
    vhost: str
    broker_url: str


@contextmanager
def bench_environment():
    run_id = f"b{os.getpid()}{secrets.token_hex(2)}"
    factory = DatabaseFactory(run_id)
    vhost = f"lotse_bench_{run_id}"
    try:
        db = factory.create("bench")
        rabbitmqctl("add_vhost", vhost)
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        host = db.owner_url.split("@", 1)[1].split("/", 1)[0]
        yield BenchEnvironment(
            run_id=run_id, database=db.name, owner_url=db.owner_url, app_url=db.app_url,
            admin_url=f"postgresql+psycopg://postgres@{host}/{db.name}", vhost=vhost,
            broker_url=f"amqp://guest:guest@{AMQP_HOST}/{vhost}",
        )
    finally:
        try:
            rabbitmqctl("delete_vhost", vhost)
        except RuntimeError:
            pass  # never created
        factory.drop_all()
