"""The worker's retention sweep (ADR 0109): once a day per tenant from the configured hour on the
tenant's clock (Europe/Berlin), at once when the last sweep is more than a day old, never twice
on a day — also across a restart — and, when a sweep fails or its worker dies before the commit,
not marked done (the next round sweeps again). The decision with an injected clock, no waiting;
the record of the last sweep on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from lotse_platform.subject_rights.schedule import RetentionSchedule, due
from lotse_platform.testing import frozen_clock

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 2


def _berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(("now", "last", "expected"), [
    (_berlin(7, 0, 30), None, True),               # never swept: at once, whatever the hour
    (_berlin(7, 1, 59), date(2026, 12, 6), False),  # swept yesterday: not before the hour
    (_berlin(7, 2, 0), date(2026, 12, 6), True),    # swept yesterday, the hour has come
    (_berlin(7, 23, 0), date(2026, 12, 6), True),   # later that day (the worker was down)
    (_berlin(7, 2, 0), date(2026, 12, 7), False),   # swept today: never twice
    (_berlin(7, 23, 59), date(2026, 12, 7), False),
    (_berlin(7, 0, 30), date(2026, 12, 5), True),   # more than a day old: at once (a restart)
])
def test_a_tenant_is_swept_once_a_day_from_the_hour_or_at_once_when_overdue(now, last, expected):
    assert due(now, last, HOUR) is expected


def test_the_hour_is_the_tenants_not_the_machines():
    # 01:30 UTC on 7 December is 02:30 in Berlin: the sweep hour has come there
    at = datetime(2026, 12, 7, 1, 30, tzinfo=UTC).astimezone(BERLIN)
    assert due(at, date(2026, 12, 6), HOUR)
    # 00:30 UTC on 7 December is 01:30 in Berlin: not yet
    assert not due(datetime(2026, 12, 7, 0, 30, tzinfo=UTC).astimezone(BERLIN),
                   date(2026, 12, 6), HOUR)


class _Sweeps:
    """What the schedule runs in a tenant's unit of work (in place of the coordinator's sweep,
    which the end-to-end tests run): counts its calls, starts ``erasures``, or fails."""

    def __init__(self) -> None:
        self.calls: list[uuid.UUID] = []
        self.failing = False

    def __call__(self, uow) -> list[uuid.UUID]:
        self.calls.append(uow.tenant_id)
        if self.failing:
            raise RuntimeError("the worker dies in the middle of the sweep")
        return [uuid.uuid4()]


def _schedule(example, sweeps: _Sweeps) -> RetentionSchedule:
    """A schedule as a (re)started worker makes it: nothing held in memory between two."""
    return RetentionSchedule(service="example", tables=example.tables,
                             unit_of_work=example.uow, sweep=sweeps,
                             tenants=lambda: [], hour=HOUR)


def _swept_on(example, tenant: uuid.UUID) -> date | None:
    table = example.tables.retention_sweep
    with example.uow(tenant) as uow:
        return uow.session.execute(sa.select(table.c.swept_on).where(
            table.c.tenant_id == tenant)).scalar_one_or_none()


def test_a_restart_neither_repeats_nor_skips_a_day(any_example):
    tenant, other = uuid.uuid4(), uuid.uuid4()
    sweeps = _Sweeps()
    with frozen_clock(_berlin(7, 0, 30)):  # first start, at night: never swept, so at once
        assert _schedule(any_example, sweeps).run_once([tenant, other]) == {tenant: 1, other: 1}
        assert _schedule(any_example, sweeps).run_once([tenant, other]) == {}, "a restart"
    assert _swept_on(any_example, tenant) == date(2026, 12, 7)
    with frozen_clock(_berlin(8, 1, 0)):  # the next night, before the hour
        assert _schedule(any_example, sweeps).run_once([tenant]) == {}
    with frozen_clock(_berlin(8, 2, 5)):
        assert _schedule(any_example, sweeps).run_once([tenant]) == {tenant: 1}
        assert _schedule(any_example, sweeps).run_once([tenant]) == {}
    assert sweeps.calls == [tenant, other, tenant]
    assert _swept_on(any_example, tenant) == date(2026, 12, 8)
    assert _swept_on(any_example, other) == date(2026, 12, 7)


def test_a_sweep_that_dies_is_not_taken_for_done(any_example):
    tenant = uuid.uuid4()
    sweeps = _Sweeps()
    with frozen_clock(_berlin(7, 3, 0)):
        sweeps.failing = True
        with pytest.raises(RuntimeError):
            _schedule(any_example, sweeps).run_once([tenant])
        assert _swept_on(any_example, tenant) is None
        sweeps.failing = False
        assert _schedule(any_example, sweeps).run_once([tenant]) == {tenant: 1}
    assert sweeps.calls == [tenant, tenant]
    assert _swept_on(any_example, tenant) == date(2026, 12, 7)
