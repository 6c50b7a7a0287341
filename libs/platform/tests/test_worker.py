"""The worker process (``lotse-<service> worker``: outbox relay and consumer) stops cleanly when
its supervisor (systemd, Kubernetes) sends SIGTERM: it finishes, closes its connections and
exits 0, so a rolling restart is not reported as a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from kombu import Connection

from lotse_example.domain.commands import RecordNote
from lotse_example.domain.model import AreaTally
from lotse_example.service_layer.handlers import record_note
from lotse_platform.testing import poll

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TENANT = uuid.UUID("ffffffff-6666-4000-8000-00000000000f")


def consumers_on(broker_url: str, queue: str) -> int:
    with Connection(broker_url) as connection:
        channel = connection.channel()
        try:
            return channel.queue_declare(queue, passive=True).consumer_count
        finally:
            channel.close()


def tally(example, area: str) -> int:
    with example.sessions() as session:
        session.set_tenant(TENANT)
        found = session.execute(sa.select(AreaTally.notes).where(AreaTally.area_id == area))
        return found.scalar_one_or_none() or 0


@pytest.fixture
def worker(bus_example, tmp_path):
    settings = bus_example.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update({
        "LOTSE_EXAMPLE_DATABASE_URL": settings.database_url,
        "LOTSE_EXAMPLE_MIGRATION_DATABASE_URL": settings.owner_database_url,
        "LOTSE_BROKER_URL": settings.broker_url,
        "LOTSE_RELAY_POLL_INTERVAL": "0.02",
    })
    log = (tmp_path / "worker.log").open("w+")
    process = subprocess.Popen([sys.executable, "-m", "lotse_example.cli", "worker"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    process.output = lambda: (tmp_path / "worker.log").read_text()[-3000:]
    yield process
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)
    log.close()


def test_the_worker_stops_cleanly_on_sigterm_with_status_0(bus_example, worker):
    # it is up and doing its work: the note's event goes out through the relay and comes
    # back through the consumer
    record_note(RecordNote("area-w", "user-1", "hello"), bus_example.uow(TENANT))
    poll(lambda: tally(bus_example, "area-w") == 1, timeout=30,
         message="the worker's relay and consumer to process the note's event")
    assert consumers_on(bus_example.settings.broker_url, "example.events") == 1

    started = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    status = worker.wait(timeout=30)

    assert status == 0, worker.output()
    assert time.monotonic() - started < 10, "the worker took too long to stop"
    assert consumers_on(bus_example.settings.broker_url, "example.events") == 0
