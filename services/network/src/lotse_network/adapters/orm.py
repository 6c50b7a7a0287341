"""Tables of the network service and their mapping onto the domain classes (plus the platform's
outbox, inbox, audit log and directory replica)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import registry

from lotse_platform.db import platform_tables

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    _mapped = True
