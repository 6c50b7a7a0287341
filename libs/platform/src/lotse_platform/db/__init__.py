"""Database building blocks: engine and tenant-scoped sessions, platform tables, Alembic helpers
and the start-up check that refuses a database without tenant isolation. The unit of work, which
builds on them, is :mod:`lotse_platform.uow`."""

from .engine import (
    MissingTenantContext,
    TenantOwned,
    TenantSession,
    create_engine,
    is_postgres,
    session_factory,
)
from .tables import PlatformTables, platform_tables

__all__ = [
    "MissingTenantContext",
    "PlatformTables",
    "TenantOwned",
    "TenantSession",
    "create_engine",
    "is_postgres",
    "platform_tables",
    "session_factory",
]
