"""The real intake service for reporting's tests: migrated on a database of its own, its API
through Flask's test client, and what it published (its outbox) handed to reporting's consumer
as the broker would deliver it."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from lotse_platform.contracts import Envelope
from lotse_platform.testing import TokenCaller


@contextmanager
def intake_service(databases: Any, broker_url: str, issuer: Any, name: str) -> Iterator[Any]:
    """Intake's container on its own database, trusting the test issuer's tokens."""
    from lotse_intake.bootstrap import IntakeService
    from lotse_intake.settings import IntakeSettings

    database = databases.create(name)
    service = IntakeService(IntakeSettings(database_url=database.app_url,
                                           migration_database_url=database.owner_url,
                                           broker_url=broker_url,
                                           key_dir=tempfile.mkdtemp(prefix="lotse-keys-")),
                            keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    try:
        yield service
    finally:
        service.engine.dispose()


def caller(app: Any, issuer: Any, tenant: uuid.UUID, subject: str, roles: tuple[str, ...],
           org: str, areas: tuple[str, ...] = ()) -> TokenCaller:
    return TokenCaller(app.test_client(), issuer.issue(subject, tenant, org, list(roles),
                                                       areas=list(areas)))


def published(service: Any, tenant: uuid.UUID) -> list[Envelope]:
    """What ``service`` put into its outbox for ``tenant``, in order, as the relay sends it."""
    outbox = service.tables.outbox
    with service.engine.connect() as connection:
        rows = connection.execute(sa.select(outbox).where(outbox.c.tenant_id == tenant)
                                  .order_by(outbox.c.id)).all()
    return [Envelope(id=r.event_id, type=r.event_type, source=r.source, time=r.occurred_at,
                     data=r.payload, subject=r.subject, tenant=r.tenant_id,
                     traceparent=r.traceparent, sequence=r.sequence) for r in rows]


def deliver(reporting: Any, envelopes: list[Envelope]) -> int:
    """Hand ``envelopes`` to reporting's consumer as the broker would; the number processed."""
    consumer = reporting.consumer()
    done = 0
    for envelope in envelopes:
        if consumer.process(envelope, envelope.decode(reporting.registry)) == "processed":
            done += 1
    return done
