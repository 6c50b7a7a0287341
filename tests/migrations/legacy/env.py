"""Alembic environment of the frozen migrations (``versions/<service>``): runs them on the
connection the test hands over in ``config.attributes["connection"]``, as the services' env.py
did (batch mode on SQLite)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
