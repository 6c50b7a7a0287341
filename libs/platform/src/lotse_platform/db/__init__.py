"""Database building blocks: engine and tenant-scoped sessions, unit of work, platform tables,
Alembic helpers and the start-up check that refuses a database without tenant isolation."""

from .engine import (
    MissingTenantContext,
    TenantOwned,
    TenantSession,
    create_engine,
    is_postgres,
    session_factory,
)
from .tables import PlatformTables, platform_tables
from .unit_of_work import SqlAlchemyUnitOfWork, UnitOfWork

__all__ = [
    "MissingTenantContext",
    "PlatformTables",
    "SqlAlchemyUnitOfWork",
    "TenantOwned",
    "TenantSession",
    "UnitOfWork",
    "create_engine",
    "is_postgres",
    "platform_tables",
    "session_factory",
]
