"""The platform's one clock: the instant it is now, and the calendar day it is for a tenant.

Every date rule of every service ("a contact cannot be dated in the future", "a release given
today is valid today", "the plan review is due") asks :func:`today` with the tenant it applies
to, never ``date.today()``: the server runs on UTC, the people in a county live on German time,
and between midnight and 01:00 (02:00 in summer) the two are different days. Each tenant's time
zone is a deployment setting (``LOTSE_TIME_ZONE``, Europe/Berlin by default, and
``LOTSE_TENANT_TIME_ZONES`` for a tenant that differs), installed by the service container at
start (:func:`use_time_zones`).

Timestamps (``occurred_at``, ``decided_at``) are instants and stay in UTC: :func:`now`.

Tests move the clock with :func:`lotse_platform.testing.frozen_clock`, which replaces the source
of :func:`now` for the process, so the services' rules and the tests' own "today" agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME_ZONE = "Europe/Berlin"

TenantId = uuid.UUID | str | None


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Europe/Berlin``); ``ValueError`` for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name, e.g. Europe/Berlin)") from None


@dataclass(frozen=True)
class TimeZones:
    """Which time zone each tenant's calendar days are counted in."""

    default: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIME_ZONE))
    tenants: Mapping[uuid.UUID, ZoneInfo] = field(default_factory=dict)

    @classmethod
    def from_names(cls, default: str = DEFAULT_TIME_ZONE,
                   tenants: Mapping[uuid.UUID, str] | Mapping[str, str] | None = None
                   ) -> TimeZones:
        return cls(time_zone(default), {uuid.UUID(str(tenant)): time_zone(name)
                                        for tenant, name in (tenants or {}).items()})

    def of(self, tenant: TenantId) -> ZoneInfo:
        if tenant is None:
            return self.default
        return self.tenants.get(uuid.UUID(str(tenant)), self.default)


def _system_now() -> datetime:
    return datetime.now(UTC)


_zones = TimeZones()
_source: Callable[[], datetime] = _system_now
#: an instant :func:`held_here` holds for the current thread (context) only
_held_here: ContextVar[datetime | None] = ContextVar("lotse_clock_held_here", default=None)


def use_time_zones(zones: TimeZones) -> None:
    """Install the deployment's time zones (the service container does, from its settings)."""
    global _zones
    _zones = zones


def time_zones() -> TimeZones:
    return _zones


def use_source(source: Callable[[], datetime] | None) -> Callable[[], datetime]:
    """Replace where :func:`now` comes from (``None``: the system clock); returns the previous
    source. For tests (:func:`lotse_platform.testing.frozen_clock`), not for production code."""
    global _source
    previous, _source = _source, source or _system_now
    return previous


@contextmanager
def held_on(day: date, tenant: TenantId = None, at: time = time(10)) -> Iterator[datetime]:
    """Hold :func:`now` at ``at`` o'clock of the tenant's calendar ``day`` for this process until
    the block ends: how the demo history is replayed day by day through the services' commands
    before the process serves anything (ADR 0093). Every thread sees it: never while serving."""
    instant = datetime.combine(day, at, tzinfo=zone(tenant))
    previous = use_source(lambda: instant)
    try:
        yield instant.astimezone(UTC)
    finally:
        use_source(previous)


@contextmanager
def held_here(day: date, tenant: TenantId = None, at: time = time(10)) -> Iterator[datetime]:
    """Hold :func:`now` at ``at`` o'clock of the tenant's calendar ``day`` for the current thread
    (its context) only until the block ends; other threads keep the process's clock. How the
    demo's 2-week reports are submitted on their days in the background while the process
    serves (ADR 0102); :func:`held_on` holds every thread."""
    instant = datetime.combine(day, at, tzinfo=zone(tenant))
    token = _held_here.set(instant)
    try:
        yield instant.astimezone(UTC)
    finally:
        _held_here.reset(token)


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    held = _held_here.get()
    return (held if held is not None else _source()).astimezone(UTC)


def zone(tenant: TenantId = None) -> ZoneInfo:
    """The time zone of ``tenant`` (the deployment's default for ``None`` or an unlisted one)."""
    return _zones.of(tenant)


def today(tenant: TenantId = None) -> date:
    """The calendar day it is now where ``tenant`` works: every date rule's "today"."""
    return day_of(now(), tenant)


def day_of(instant: datetime, tenant: TenantId = None) -> date:
    """The tenant's calendar day of ``instant`` (an aware datetime)."""
    return instant.astimezone(zone(tenant)).date()
