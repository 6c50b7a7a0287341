"""The schema the migrations build is the one the code maps, and every tenant-owned table of
the directory is under row-level security (PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lotse_network.adapters import orm
from lotse_network.domain.directory import Organization
from lotse_platform import clock

pytestmark = pytest.mark.integration


def test_the_migrations_build_exactly_the_mapped_schema(network_pg):
    with network_pg.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, orm.metadata)
    assert differences == []


def test_every_directory_table_is_under_row_level_security(network_pg):
    network_pg.check_database()  # raises UnsafeDatabase otherwise
    with network_pg.engine.connect() as connection:
        protected = set(connection.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
        )).scalars())
    assert set(orm.DIRECTORY_TABLES) <= protected


def test_another_tenant_sees_nothing_of_the_directory(network_pg):
    """Tenant isolation by RLS like the other services (issue 11, quality bar)."""
    tenant, other = uuid.uuid4(), uuid.uuid4()
    with network_pg.uow(tenant) as uow:
        organization = Organization(name="AWO", description="x", updated_at=clock.now())
        uow.save_organization(organization)
        uow.commit()
    with network_pg.uow(other) as uow:
        rows = uow.session.execute(sa.select(orm.directory_organizations)).all()
    assert rows == []
