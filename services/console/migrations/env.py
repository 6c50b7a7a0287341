"""Alembic environment of the console; the logic is the platform's."""

from alembic import context

from lotse_console.adapters.orm import metadata
from lotse_platform.db.migrations import run_env

run_env(context, metadata)
