"""``prevplan backup PATH``: a consistent copy of every saved plan and version.

One person's plans live in a SQLite file that, while the app runs, keeps recent saves in a
write-ahead log beside it (``prevplan.db-wal``): copying ``prevplan.db`` alone can lose
them. This command copies the database with SQLite's online backup API — consistent even
while the app is saving — into one self-contained file, owner-readable only, written under
a temporary name and renamed into place. A team's PostgreSQL database is backed up with
``pg_dump``; the command says so. The README describes how to restore a backup.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prevplan.commands.output import check_output
from prevplan.i18n import _, ngettext
from prevplan.problems import Problem, ProblemsError


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``backup`` and its arguments to the command line."""
    parser = commands.add_parser(
        "backup",
        help=_("copy every saved plan and version into one backup file"),
        description=_(
            "Copy the database of saved plans (every plan, every version) into one SQLite "
            "file, safely while the app is running. Restore it as the README describes."
        ),
    )
    parser.add_argument("path", type=Path, metavar=_("PATH"), help=_("the backup file to write"))
    parser.add_argument(
        "--force", action="store_true", help=_("replace PATH if it is an existing file")
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Back up the database of ``$PREVPLAN_DATABASE_URL`` or ``$PREVPLAN_HOME`` to PATH."""
    from prevplan import storage
    from prevplan.storage.database import parse_url, postgresql_backup_advice, sqlite_path

    path: Path = args.path
    url = storage.resolve_url()
    where = "PREVPLAN_DATABASE_URL"
    try:
        parsed = parse_url(url)
    except storage.StorageError as err:
        raise ProblemsError([Problem(where, "", "", str(err))]) from None
    check_output(path)
    if path.exists() and not args.force:
        raise ProblemsError(
            [Problem(str(path), "", "", _("exists; give --force to replace it, or a new name"))]
        )
    if parsed.get_backend_name() == "postgresql":
        raise ProblemsError([Problem(where, "", "", postgresql_backup_advice(parsed))])
    source = sqlite_path(parsed)
    if source is not None and not source.exists():
        raise ProblemsError(
            [
                Problem(
                    str(source),
                    "",
                    "",
                    _("no plans are saved yet (the database does not exist); nothing to back up"),
                )
            ]
        )
    if source is not None and source.resolve() == path.resolve():
        raise ProblemsError(
            [Problem(str(path), "", "", _("is the database itself; choose another file"))]
        )
    try:
        with storage.store_from_url(url) as store:
            store.backup(path)
            plans = store.list_plans()
    except OSError as err:
        raise ProblemsError(
            [Problem(str(path), "", "", _("cannot write: {error}").format(error=err.strerror))]
        ) from None
    except storage.StorageError as err:
        raise ProblemsError([Problem(str(path), "", "", str(err))]) from None
    versions = sum(plan.latest_version for plan in plans)
    print(
        ngettext(
            "Backed up {plans} plan ({versions} versions) to {path}.",
            "Backed up {plans} plans ({versions} versions) to {path}.",
            len(plans),
        ).format(plans=len(plans), versions=versions, path=path)
    )
    return 0
