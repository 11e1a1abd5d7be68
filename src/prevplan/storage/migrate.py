"""Bringing a database's tables up to date with this version of prevplan.

The schema is changed only by the Alembic migrations in ``migrations/versions``, run from
Python (no ``alembic.ini``): opening a store calls :func:`upgrade_to_head`, so a database
written by an older prevplan is upgraded on first use and never stranded. The upgrade runs
in one transaction holding the write lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock
on PostgreSQL), so two processes opening a new database at once do not both create tables,
and a failed migration leaves the database as it was.

On SQLite, foreign keys are switched off while migrating, as SQLite's documentation asks
for schema changes: a migration that rebuilds ``plans`` (Alembic's batch mode copies and
drops the table) would otherwise delete every version through ``ON DELETE CASCADE``. The
keys are checked before the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy import Connection, Engine, inspect, text

from prevplan.i18n import _
from prevplan.storage.database import WRITE, describe, storage_errors
from prevplan.storage.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

#: The newest migration in ``migrations/versions`` (a test checks it against Alembic's head).
#: Knowing it without Alembic lets an up-to-date database open without importing Alembic,
#: which is most of the app's start-up time spent on storage.
HEAD_REVISION: Final = "0006"

MIGRATIONS_DIR: Final = Path(__file__).with_name("migrations")

# Any fixed number: it names the lock every prevplan process takes to migrate PostgreSQL.
_PG_MIGRATION_LOCK: Final = 0x70726576706C616E  # "prevplan"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for prevplan's migrations, bound to ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest migration this prevplan knows."""
    head = _scripts().get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise StorageError(_("prevplan's database migrations are missing"))
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at; ``None`` for a database without prevplan tables."""
    with storage_errors(_("reading the schema version"), engine.url), engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def upgrade_to_head(engine: Engine) -> None:
    """Upgrade the database to the newest migration unless it is already there."""
    if current_revision(engine) != HEAD_REVISION:
        upgrade(engine, "head")


def upgrade(engine: Engine, revision: str) -> None:
    """Upgrade the database to ``revision`` in one locked transaction."""
    with (
        storage_errors(_("upgrading the database"), engine.url),
        engine.connect() as conn,
        _sqlite_foreign_keys_off(conn),
    ):
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            from alembic import command
            from alembic.runtime.migration import MigrationContext

            current = MigrationContext.configure(conn).get_current_revision()
            if current is not None and current not in _known_revisions():
                raise StorageError(
                    _(
                        "the database {url} is at schema revision {revision}, which this "
                        "prevplan does not know: a newer prevplan wrote it; upgrade prevplan "
                        "to open it"
                    ).format(url=describe(engine.url), revision=current)
                )
            command.upgrade(alembic_config(conn), revision)
            if (
                conn.dialect.name == "sqlite"
                and conn.exec_driver_sql("PRAGMA foreign_key_check").first()
            ):
                raise StorageError(_("a database migration broke links between plans and versions"))


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    if conn.dialect.name != "sqlite":
        yield
        return
    # Outside any transaction (the pragma is ignored inside one), on the driver connection.
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def _known_revisions() -> set[str]:
    return {script.revision for script in _scripts().walk_revisions()}
