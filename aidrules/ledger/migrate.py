"""Schema migrations shipped in the package (``migrations/``), run without an alembic.ini."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from aidrules.ledger.tables import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (the newest by default), in one transaction."""
    config = _config()
    with engine.begin() as connection:
        _begin_ddl(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision``, in one transaction (a refused step changes
    nothing, the steps before it included)."""
    config = _config()
    with engine.begin() as connection:
        _begin_ddl(connection)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _begin_ddl(connection: Connection) -> None:
    """On SQLite, open the transaction now: the driver opens one only before a data change,
    so the schema changes made before it (a dropped table) would be kept on a rollback."""
    if connection.dialect.name == "sqlite" and not connection.connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def differences(engine: Engine) -> list[Any]:
    """What alembic autogenerate would change to make the database match the tables."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)
