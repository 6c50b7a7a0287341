"""Alembic environment of the network service; the logic is the platform's."""

from alembic import context

from lotse_network.adapters.orm import metadata
from lotse_platform.db.migrations import run_env

run_env(context, metadata)
