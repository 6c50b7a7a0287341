"""The retention sweep, scheduled in the coordinating service's worker (ADR 0109).

Once a day per tenant, from ``LOTSE_RETENTION_SWEEP_HOUR`` on the tenant's clock
(Europe/Berlin unless ``LOTSE_TENANT_TIME_ZONES`` says otherwise), the worker starts the
erasure of every person whose record's period ended (:func:`.retention.sweep`). The day of
each tenant's last sweep is kept in ``retention_sweep`` and written **in the transaction of
the sweep**: a worker killed during a sweep leaves neither its erasures nor the day, so the
next start sweeps again; one killed after the commit finds the day taken and does not repeat
it. A sweep whose last run is more than a day old runs at once, whatever the hour (a worker
that was down over the sweep hour catches up when it starts). Two workers cannot both sweep a
tenant's day: the tenant's row is locked while it is swept, and a first row written twice
fails the second transaction (retried later, when the day is taken).

The decision is :func:`due`, a function of the tenant's local time and the day of the last
sweep: tested with an injected clock, no waiting.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from .. import clock, retry
from ..db.tables import PlatformTables

log = logging.getLogger("lotse.retention")


def due(local_now: datetime, last_swept_on: date | None, hour: int) -> bool:
    """Whether a tenant is swept at ``local_now`` (the tenant's local time): never swept; last
    swept more than a day ago (at once: the worker was down over the hour); or last swept
    yesterday and the sweep hour has come. Never twice on one day."""
    today = local_now.date()
    if last_swept_on is None or last_swept_on < today - timedelta(days=1):
        return True
    return last_swept_on < today and local_now.hour >= hour


class RetentionSchedule:
    """The worker's loop of the retention sweep: every ``interval`` seconds, each tenant that
    is :func:`due` is swept once, in one transaction with the day of its sweep."""

    def __init__(self, *, service: str, tables: PlatformTables,
                 unit_of_work: Callable[[uuid.UUID], Any],
                 sweep: Callable[[Any], Sequence[uuid.UUID]],
                 tenants: Callable[[], Sequence[uuid.UUID]], hour: int,
                 interval: float = 300.0) -> None:
        self.service = service
        self._tables = tables
        self._uow = unit_of_work
        self._sweep = sweep
        self._tenants = tenants
        self.hour = hour
        self._interval = interval

    def run_once(self, tenants: Sequence[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
        """One round: tenant -> erasures started, for each tenant that was due (every tenant
        with an audit trail unless named)."""
        swept: dict[uuid.UUID, int] = {}
        for tenant in (self._tenants() if tenants is None else tenants):
            started = self._sweep_tenant(tenant)
            if started is not None:
                swept[tenant] = started
        if swept:
            log.info("retention.swept", extra={"service": self.service, "tenants": len(swept),
                                               "erasures": sum(swept.values())})
        return swept

    def _sweep_tenant(self, tenant: uuid.UUID) -> int | None:
        table = self._tables.retention_sweep
        with self._uow(tenant) as uow:
            last = uow.session.execute(
                sa.select(table.c.swept_on).where(table.c.tenant_id == tenant)
                .with_for_update()).scalar_one_or_none()
            local_now = clock.now().astimezone(clock.zone(tenant))
            if not due(local_now, last, self.hour):
                return None
            started = len(self._sweep(uow))
            values = {"swept_on": local_now.date(), "swept_at": local_now.astimezone(UTC),
                      "started": started}
            if last is None:
                uow.session.execute(sa.insert(table).values(tenant_id=tenant, **values))
            else:
                uow.session.execute(sa.update(table).where(table.c.tenant_id == tenant)
                                    .values(values))
            uow.commit()
        return started

    def run(self, stop: threading.Event) -> None:
        """A round every ``interval`` until ``stop``; a failed round (the database away) is
        tried again after 1, 2 … minutes, at most every interval."""
        log.info("retention.schedule_start", extra={"service": self.service, "hour": self.hour})
        rounds = retry.until_stopped(
            stop, first=60.0, most=self._interval,
            after=retry.log_failure(log, "retention.sweep_error", service=self.service),
            retry_error_callback=retry.quietly)
        while not stop.is_set():
            rounds(self._round, stop)
            stop.wait(self._interval)
        log.info("retention.schedule_stop", extra={"service": self.service})

    def _round(self, stop: threading.Event) -> None:
        if not stop.is_set():
            self.run_once()
