"""Where plans are kept, and connecting to it safely.

The database is chosen by, in order: the URL given to :func:`resolve_url`, the
``PREVPLAN_DATABASE_URL`` environment variable (a team's PostgreSQL server, for example
``postgresql+psycopg://planner@127.0.0.1:5432/prevplan``), or a SQLite file for one person
at ``$PREVPLAN_HOME/prevplan.db``, where ``PREVPLAN_HOME`` defaults to
``~/.local/share/prevplan``.

SQLite connections use write-ahead logging (readers never block the writer), wait up to
``BUSY_TIMEOUT_MS`` for a lock instead of failing at once, and enforce foreign keys. SQLite
transactions are begun by SQLAlchemy rather than the ``sqlite3`` module, so that a write
transaction can start with ``BEGIN IMMEDIATE``: it takes the write lock before reading the
latest version, so two savers cannot both read version N and both write N+1.

Database failures are turned into :class:`~prevplan.storage.errors.StorageError` with a
one-line message, in the language current when it fails; passwords never appear in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from prevplan.i18n import _
from prevplan.storage.errors import StorageError

URL_ENV: Final = "PREVPLAN_DATABASE_URL"
HOME_ENV: Final = "PREVPLAN_HOME"
DEFAULT_HOME: Final = "~/.local/share/prevplan"
DEFAULT_FILE: Final = "prevplan.db"
BUSY_TIMEOUT_MS: Final = 15_000
CONNECT_TIMEOUT_S: Final = 10

# The connection pool of one app process (or command), shared by all its sessions: each
# store call borrows a connection for a few milliseconds and gives it back. POOL_SIZE stay
# open; up to MAX_OVERFLOW more are opened when that many sessions save or load at the same
# moment, and a call waits up to POOL_TIMEOUT_S for one before failing. A team's PostgreSQL
# server must allow (POOL_SIZE + MAX_OVERFLOW) connections per app process behind the
# reverse proxy (docs/scaling.md); its default max_connections (100) allows six.
POOL_SIZE: Final = 5
MAX_OVERFLOW: Final = 10
POOL_TIMEOUT_S: Final = 30
POOL_RECYCLE_S: Final = 1800
"""A PostgreSQL connection older than this is replaced rather than reused: firewalls and
proxies between the app and its database drop connections idle for long."""

# Execution option that marks a connection whose transaction will write.
WRITE: Final = "prevplan_write"

SQLITE_EXAMPLE: Final = "sqlite:////path/to/prevplan.db"
POSTGRESQL_EXAMPLE: Final = "postgresql+psycopg://user@host:5432/prevplan"


def default_home() -> Path:
    """prevplan's data folder: ``$PREVPLAN_HOME`` or ``~/.local/share/prevplan``."""
    return Path(os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser()


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``$PREVPLAN_DATABASE_URL``, else the SQLite file."""
    if url:
        return url
    from_env = os.environ.get(URL_ENV, "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{default_home() / DEFAULT_FILE}"


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages.

    The password ends at the *last* ``@`` (a password with an unescaped ``@`` must not have
    its tail shown); anything without ``://`` is shown as ``***`` whole.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "***" if "@" in url or ":" in url else url
    at = rest.rfind("@")
    if at < 0:
        return url
    user, has_password, _password = rest[:at].partition(":")
    return f"{scheme}://{user}{':***' if has_password else ''}{rest[at:]}"


def describe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    """``url`` parsed; :class:`StorageError` naming it (without its password) when it cannot
    be, or when an unescaped ``@`` leaves the password's tail in the host name."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StorageError(
            _("invalid database URL '{url}'; expected for example {sqlite} or {postgresql}").format(
                url=redact(url), sqlite=SQLITE_EXAMPLE, postgresql=POSTGRESQL_EXAMPLE
            )
        ) from None
    if "@" in (parsed.host or ""):
        raise StorageError(
            _(
                "invalid database URL '{url}': its user name or password contains '@'; "
                "write each '@' in them as %40"
            ).format(url=redact(url))
        )
    return parsed


def postgresql_backup_advice(url: URL) -> str:
    """How to back up (and restore) a team's PostgreSQL database: its own tools."""
    return _(
        "the plans are kept in {url}, a PostgreSQL database: back it up with "
        "pg_dump (for example: pg_dump --format=custom --file=prevplan.dump "
        "DBNAME) and restore it with pg_restore"
    ).format(url=describe(url))


def create_storage_engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL; :class:`StorageError` for anything else.

    ``postgresql://`` without a driver means psycopg 3, the driver prevplan ships with.
    """
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    options: dict[str, Any] = {}
    if backend == "sqlite":
        _prepare_sqlite_file(parsed)
        if sqlite_path(parsed) is not None:  # in memory: one connection, SQLAlchemy's own pool
            options = _pool_options()
    elif backend == "postgresql":
        # pool_pre_ping: a connection the server dropped (a restart, an outage) is replaced
        # before use, so the store works again as soon as the server does.
        options = {
            **_pool_options(),
            "pool_pre_ping": True,
            "pool_recycle": POOL_RECYCLE_S,
            "connect_args": {"connect_timeout": CONNECT_TIMEOUT_S},
        }
    else:
        raise StorageError(
            _(
                "unsupported database '{backend}' in '{url}'; "
                "prevplan keeps plans in SQLite or PostgreSQL ({sqlite} or {postgresql})"
            ).format(
                backend=backend,
                url=describe(parsed),
                sqlite=SQLITE_EXAMPLE,
                postgresql=POSTGRESQL_EXAMPLE,
            )
        )
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, NoSuchModuleError, ImportError) as err:
        raise StorageError(
            _("cannot use database URL '{url}': {error}").format(url=describe(parsed), error=err)
        ) from None
    if backend == "sqlite":
        _configure_sqlite(engine)
    return engine


def _pool_options() -> dict[str, Any]:
    return {
        "pool_size": POOL_SIZE,
        "max_overflow": MAX_OVERFLOW,
        "pool_timeout": POOL_TIMEOUT_S,
    }


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; ``None`` for an in-memory or other database."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser()


FOLDER_MODE: Final = 0o700
FILE_MODE: Final = 0o600
"""Plans may hold a ministry's unpublished figures: the database (and the folder prevplan
creates for it) is readable by its owner only."""


def _prepare_sqlite_file(url: URL) -> None:
    path = sqlite_path(url)
    if path is None:
        return
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as err:
        raise StorageError(
            _("cannot create the folder {folder} for the database: {reason}").format(
                folder=folder, reason=err.strerror
            )
        ) from None
    try:
        # Created empty, owner-only, before SQLite creates it with the umask's mode; the
        # -wal and -shm files SQLite adds take the database file's mode.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass  # there already, or another process created it first
    except OSError as err:
        raise StorageError(
            _("cannot create the database file {path}: {reason}").format(
                path=path, reason=err.strerror
            )
        ) from None


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see _on_begin); sqlite3 still commits.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def storage_errors(action: str, url: URL) -> Iterator[None]:
    """Turn a database failure while doing ``action`` into a one-line :class:`StorageError`.

    ``action`` names what was being done, already in the reader's language
    (``_("listing plans")``); the message is one whole sentence around it.
    """
    try:
        yield
    except DBAPIError as err:
        reason = _one_line(str(err.orig)) if err.orig is not None else _one_line(str(err))
        if err.connection_invalidated or _is_connect_failure(err):
            message = _("cannot connect to the database {url}: {reason}").format(
                url=describe(url), reason=reason
            )
        else:
            message = _("{action} failed in the database {url}: {reason}").format(
                action=action, url=describe(url), reason=reason
            )
        raise StorageError(message) from err
    except SQLAlchemyError as err:
        raise StorageError(
            _("{action} failed: {reason}").format(action=action, reason=_one_line(str(err)))
        ) from err


_CONNECT_FAILURES: Final = (
    "connection failed",
    "could not connect",
    "connection refused",
    "timeout expired",
    "unable to open database file",
)


def _is_connect_failure(err: DBAPIError) -> bool:
    text = str(err.orig).lower()
    return any(marker in text for marker in _CONNECT_FAILURES)


def _one_line(text: str) -> str:
    # Driver messages span lines and end with SQLAlchemy's background link; keep the facts.
    text = text.split("(Background on this error", 1)[0]
    return " ".join(part.strip() for part in text.splitlines() if part.strip())
