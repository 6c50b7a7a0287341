"""The schema steering's migrations build is the one the code maps, and the project groups'
tables are under row-level security (PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lotse_steering.adapters import orm

pytestmark = pytest.mark.integration

PROJECT_GROUP_TABLES = ("project_groups", "project_group_members", "project_group_meetings",
                        "goal_systems", "service_chains", "project_group_results")


def test_the_migrations_build_exactly_the_mapped_schema(steering):
    with steering.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, orm.metadata)
    assert differences == []


def test_every_project_group_table_is_under_row_level_security(steering):
    with steering.engine.connect() as connection:
        protected = set(connection.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
        )).scalars())
    assert set(PROJECT_GROUP_TABLES) <= protected
