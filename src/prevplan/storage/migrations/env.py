"""Alembic's entry point for prevplan's migrations.

Migrations are run only through :mod:`prevplan.storage.migrate`, which passes an open
connection inside a transaction; there is no ``alembic.ini`` and no URL here.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from prevplan.storage.schema import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run prevplan's migrations with prevplan.storage.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot alter most of a table in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
