"""Demo data of the network service (``make run``, ``make up``): the demo county's directory,
referrals in every state, agreements and meetings — added with each of them."""

from __future__ import annotations

from collections.abc import Callable

from lotse_demo.county import DemoCounty
from lotse_platform.references import from_directory

from .seed_directory import seed_directory
from .unit_of_work import NetworkUnitOfWork


def seed_demo(units: Callable[..., NetworkUnitOfWork], county: DemoCounty) -> int:
    """What identity publishes of the county, known before its events arrive (ADR 0054); then
    the county's directory of partners and services (ADR 0083)."""
    with units(county.tenant_id) as uow:
        uow.references.put_all(from_directory(county.directory()))
        uow.commit()
    written = 0
    written += seed_directory(units, county)
    return written
