"""Alembic environment: always handed a connection by :mod:`aidrules.ledger.migrate`."""

from alembic import context

from aidrules.ledger.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, compare_type=True,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
