"""The plan store's lifetime: its engine and location, closing it, and backups.

On SQLite every write is checkpointed (passively) into the database file as it commits,
:meth:`StoreLifetime.close` checkpoints the whole write-ahead log, and
:meth:`StoreLifetime.backup` copies a consistent snapshot with SQLite's online backup API
while the app keeps running (a team's PostgreSQL is backed up with ``pg_dump``).
"""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import Engine

from prevplan.i18n import _
from prevplan.storage.database import (
    FILE_MODE,
    describe,
    postgresql_backup_advice,
    sqlite_path,
)
from prevplan.storage.errors import (
    StorageError,
)
from prevplan.storage.store_core import StoreCore, sqlite_checkpoint


class StoreLifetime(StoreCore):
    """Opening, closing and backing up the store's database."""

    @property
    def engine(self) -> Engine:
        """The database engine, for the modules that keep more beside plans (drafts)."""
        return self._engine

    @property
    def location(self) -> str:
        """Where the plans are kept, as a URL without its password."""
        return describe(self._engine.url)

    def close(self) -> None:
        """Close the store's database connections, the write-ahead log checkpointed first.

        On SQLite, saved versions wait in ``prevplan.db-wal`` until a checkpoint; after
        :meth:`close` the database file alone holds every one of them.
        """
        if self._engine.dialect.name == "sqlite":
            with suppress(Exception), self._engine.connect() as conn:
                sqlite_checkpoint(conn, "TRUNCATE")
        self._engine.dispose()

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the SQLite database file (nothing on PostgreSQL)."""
        if self._engine.dialect.name != "sqlite":
            return
        with (
            self._errors(_("writing saved versions into the database file")),
            self._engine.connect() as conn,
        ):
            sqlite_checkpoint(conn, "TRUNCATE")

    def backup(self, destination: Path) -> Path:
        """Copy the whole database, consistent, to the new SQLite file ``destination``.

        Uses SQLite's online backup API: the copy holds every committed version, including
        those still in the write-ahead log, while other processes keep saving. The copy is
        written under a temporary name beside ``destination`` and renamed into place, owner
        readable only. On PostgreSQL a :class:`StorageError` says to use ``pg_dump``.
        """
        source = sqlite_path(self._engine.url)
        if self._engine.dialect.name != "sqlite" or source is None:
            raise StorageError(postgresql_backup_advice(self._engine.url))
        destination = destination.expanduser()
        partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}")
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
            with self._errors(_("backing up the database")):
                raw = self._engine.raw_connection()
                try:
                    import sqlite3

                    target = sqlite3.connect(partial)
                    try:
                        driver = raw.driver_connection
                        assert isinstance(driver, sqlite3.Connection)
                        driver.backup(target)
                        # One self-contained file: no write-ahead log beside the copy.
                        target.execute("PRAGMA journal_mode = DELETE")
                        check = target.execute("PRAGMA integrity_check").fetchone()
                    finally:
                        target.close()
                finally:
                    raw.close()
            if check is None or check[0] != "ok":
                raise StorageError(
                    _("the backup copy failed its integrity check: {result}").format(
                        result=check[0] if check else "?"
                    )
                )
            os.replace(partial, destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return destination

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
