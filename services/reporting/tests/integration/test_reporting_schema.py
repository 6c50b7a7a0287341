"""The schema reporting's migrations build is the one its code maps, and every projection table
is under row-level security (PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lotse_reporting.adapters import orm

pytestmark = pytest.mark.integration


def test_the_migrations_build_exactly_the_mapped_schema(reporting):
    with reporting.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, orm.metadata)
    assert differences == []


def test_every_projection_table_is_under_row_level_security(reporting):
    with reporting.engine.connect() as connection:
        protected = set(connection.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
        )).scalars())
    assert {table.name for table in orm.PROJECTION_TABLES.values()} | {"event_store"} <= protected
