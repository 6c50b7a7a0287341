"""Demo data of the network service (``make run``, ``make up``): the demo county's directory,
referrals in every state, agreements and meetings — added with each of them."""

from __future__ import annotations

from collections.abc import Callable

from lotse_demo.county import DemoCounty
from lotse_platform.references import from_directory

from .seed_cooperation import seed_cooperation
from .unit_of_work import NetworkUnitOfWork


def seed_demo(units: Callable[..., NetworkUnitOfWork], county: DemoCounty) -> int:
    """What identity publishes of the county, known before its events arrive (ADR 0054)."""
    with units(county.tenant_id) as uow:
        uow.references.put_all(from_directory(county.directory()))
        uow.commit()
    written = 0
    written += seed_cooperation(units, county)  # agreements, bodies, knowledge (ADR 0085)
    return written
