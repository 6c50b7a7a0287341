"""Alembic environment of the steering service; the logic is the platform's."""

from alembic import context

from lotse_steering.adapters.orm import metadata
from lotse_platform.db.migrations import run_env

run_env(context, metadata)
