"""Alembic environment of the identity service; the logic is the platform's."""

from alembic import context

from lotse_identity.adapters.orm import metadata
from lotse_platform.db.migrations import run_env

run_env(context, metadata)
