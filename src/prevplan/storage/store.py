"""Keeping plans in a database so that they survive, with every version kept.

A planner's plan is saved as a new version each time — numbered 1, 2, 3 … per plan, with
the author, the UTC time and a comment — so an earlier state can be opened, compared with
another (:meth:`PlanStore.diff`) or restored (a restore is itself a new version; history is
never rewritten).

Saving is optimistic: the editor says which version it started from (``base_version``;
``None`` for a new plan). If someone saved the plan since, the save raises
:class:`~prevplan.storage.errors.ConflictError` with the newest version and writes nothing;
the editor keeps its changes. The check and the write happen in one transaction that first
takes the plan's write lock (``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite), and the unique ``(plan_id, version)`` constraint backs it up, so of two saves from
the same base exactly one succeeds, even from two processes at the same moment.

A version is validated before it is written and again when it is loaded
(:func:`prevplan.plan.io.plan_from_data` against the concept rules), so the store never
hands back a plan the rest of prevplan would refuse. A stored version that no longer opens —
damaged data, or a value saved before a limit existed — is quarantined: it stays in the
database untouched, loading it raises :class:`~prevplan.storage.errors.DamagedVersionError`
naming the newest older version that does open, and :meth:`SqlPlanStore.load_latest_valid`
opens that one instead.

On SQLite, every write is checkpointed (passively) into the database file as it commits,
:meth:`SqlPlanStore.close` checkpoints the whole write-ahead log, and
:meth:`SqlPlanStore.backup` copies a consistent snapshot with SQLite's online backup API
while the app keeps running (a team's PostgreSQL is backed up with ``pg_dump``).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Row, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from prevplan.i18n import N_, _
from prevplan.memory import gc_paused
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.storage import documents, workflow
from prevplan.storage.access import Role
from prevplan.storage.audit import record, record_save
from prevplan.storage.database import (
    FILE_MODE,
    WRITE,
    create_storage_engine,
    describe,
    postgresql_backup_advice,
    resolve_url,
    sqlite_path,
    storage_errors,
)
from prevplan.storage.diff import PlanDiff, diff_plan_data
from prevplan.storage.errors import (
    ConflictError,
    DamagedVersionError,
    PlanLockedError,
    PlanNotFoundError,
    StorageError,
)
from prevplan.storage.migrate import upgrade_to_head
from prevplan.storage.records import PlanSummary, VersionInfo
from prevplan.storage.schema import audit_log, plan_versions, plans

#: Why a version without an author is refused (every version records who saved it).
NO_AUTHOR = N_("every saved version needs an author")

#: Problems of a damaged version named in its message; the rest are counted.
SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class OpenedVersion:
    """A plan opened from the store, and the newer versions skipped because they are damaged."""

    plan: Plan
    version: int
    skipped: tuple[DamagedVersionError, ...] = ()


class PlanStore(Protocol):
    """Where plans are kept, every save a new version."""

    def save(
        self, plan: Plan, *, author: str, comment: str = "", base_version: int | None
    ) -> VersionInfo:
        """Store ``plan`` as its next version; :class:`ConflictError` if it moved on."""
        ...

    def list_plans(self) -> list[PlanSummary]:
        """Every stored plan with its latest version, by name."""
        ...

    def versions(self, name: str) -> list[VersionInfo]:
        """Every version of a plan, oldest first."""
        ...

    def load(self, name: str, version: int | None = None) -> Plan:
        """A version of a plan (the latest by default), validated."""
        ...

    def restore(self, name: str, version: int, *, author: str) -> VersionInfo:
        """Make an old version the latest again, as a new version."""
        ...

    def diff(self, name: str, v1: int, v2: int) -> PlanDiff:
        """What changed from version ``v1`` to version ``v2``."""
        ...

    def delete(self, name: str) -> None:
        """Remove a plan and all its versions."""
        ...


_VERSION_COLUMNS = (
    plans.c.name,
    plan_versions.c.version,
    plan_versions.c.author,
    plan_versions.c.comment,
    plan_versions.c.created_at,
    plan_versions.c.population_count,
    plan_versions.c.activity_count,
    plan_versions.c.described_count,
)


class SqlPlanStore:
    """A :class:`PlanStore` in a SQLite or PostgreSQL database, through SQLAlchemy Core.

    Safe to share between threads (the Streamlit app's sessions) and processes. The
    database's tables must be current: use :func:`store_from_url`, which upgrades them.
    """

    def __init__(self, engine: Engine, rules: RuleSet | None = None) -> None:
        self._engine = engine
        self._rules = rules

    # ------------------------------------------------------------------ the PlanStore API

    def save(
        self, plan: Plan, *, author: str, comment: str = "", base_version: int | None
    ) -> VersionInfo:
        author = self._author(author)
        data, text = self._stored_text(plan)
        with self._errors(_("saving plan '{name}'").format(name=plan.name)):
            try:
                with self._transaction(write=True) as conn:
                    plan_id, latest = self._lock_plan(conn, plan.name)
                    self._authorise(conn, plan_id, plan.name, Role.EDITOR)
                    found = latest.version if latest is not None else None
                    if found != base_version:
                        raise ConflictError(plan.name, base_version, latest)
                    if plan_id is None:
                        plan_id = self._create_plan(conn, plan.name)
                        self._created(conn, plan_id, plan.name, author)
                    else:
                        self._check_unlocked(conn, plan_id, plan.name, found)
                    info = self._add_version(
                        conn,
                        plan_id,
                        name=plan.name,
                        version=(found or 0) + 1,
                        author=author,
                        comment=comment,
                        text=text,
                        plan=plan,
                    )
                    record_save(
                        conn,
                        actor=author,
                        action="save",
                        plan_id=plan_id,
                        plan_name=plan.name,
                        version=info.version,
                        old=self._stored_data(conn, plan_id, found, unless=(text, data)),
                        new=data,
                        comment=comment,
                    )
                    self._before_commit(conn)
                    return info
            except IntegrityError:
                # Another saver inserted the same plan name or version first (PostgreSQL
                # waits for it on the unique index, then refuses this one).
                raise ConflictError(plan.name, base_version, self._latest(plan.name)) from None

    def list_plans(self) -> list[PlanSummary]:
        latest = (
            select(plan_versions.c.plan_id, func.max(plan_versions.c.version).label("version"))
            .group_by(plan_versions.c.plan_id)
            .subquery()
        )
        query = (
            select(
                plans.c.name,
                plans.c.description,
                plans.c.created_at,
                plan_versions.c.version,
                plan_versions.c.created_at.label("updated_at"),
                plan_versions.c.author,
                plan_versions.c.population_count,
                plan_versions.c.activity_count,
                plan_versions.c.described_count,
            )
            .join(plan_versions, plan_versions.c.plan_id == plans.c.id)
            .join(
                latest,
                and_(
                    latest.c.plan_id == plan_versions.c.plan_id,
                    latest.c.version == plan_versions.c.version,
                ),
            )
            .order_by(plans.c.name)
        )
        with self._errors(_("listing plans")), self._transaction() as conn:
            rows = conn.execute(query).all()
        return [
            PlanSummary(
                name=row.name,
                description=row.description,
                latest_version=row.version,
                created_at=row.created_at,
                updated_at=row.updated_at,
                author=row.author,
                population_count=row.population_count,
                activity_count=row.activity_count,
                described_count=row.described_count,
            )
            for row in rows
        ]

    def versions(self, name: str) -> list[VersionInfo]:
        query = (
            select(*_VERSION_COLUMNS)
            .join(plans, plans.c.id == plan_versions.c.plan_id)
            .where(plans.c.name == name)
            .order_by(plan_versions.c.version)
        )
        with (
            self._errors(_("listing versions of plan '{name}'").format(name=name)),
            self._transaction() as conn,
        ):
            rows = conn.execute(query).all()
        if not rows:
            raise PlanNotFoundError(name)
        return [_version_info(row) for row in rows]

    def load(self, name: str, version: int | None = None) -> Plan:
        found, text = self._read_data(name, version)
        try:
            return self._plan_from_text(text, name, found)
        except DamagedVersionError as err:
            raise DamagedVersionError(
                name,
                found,
                err.reason,
                self._latest_valid_before(name, found),
                err.problems,
            ) from None

    def load_latest_valid(self, name: str) -> OpenedVersion:
        """The newest version of plan ``name`` that opens, and the damaged ones skipped.

        :class:`DamagedVersionError` (of the latest version) when none opens.
        """
        skipped: list[DamagedVersionError] = []
        for info in reversed(self.versions(name)):
            _found, text = self._read_data(name, info.version)
            try:
                plan = self._plan_from_text(text, name, info.version)
            except DamagedVersionError as err:
                skipped.append(err)
                continue
            return OpenedVersion(plan, info.version, tuple(skipped))
        raise skipped[0]

    def _latest_valid_before(self, name: str, version: int) -> int | None:
        try:
            older = [v.version for v in self.versions(name) if v.version < version]
        except StorageError:
            return None
        for candidate in reversed(older):
            _found, text = self._read_data(name, candidate)
            try:
                self._plan_from_text(text, name, candidate)
            except DamagedVersionError:
                continue
            return candidate
        return None

    def restore(self, name: str, version: int, *, author: str, comment: str = "") -> VersionInfo:
        author = self._author(author)
        _found, text = self._read_data(name, version)
        # Only a version that still validates may become the latest: the rules may have
        # changed since it was saved.
        plan = self._plan_from_text(text, name, version)
        with (
            self._errors(
                _("restoring version {version} of plan '{name}'").format(version=version, name=name)
            ),
            self._transaction(write=True) as conn,
        ):
            plan_id, latest = self._lock_plan(conn, name)
            if plan_id is None or latest is None:
                raise PlanNotFoundError(name)
            self._authorise(conn, plan_id, name, Role.EDITOR)
            self._check_unlocked(conn, plan_id, name, latest.version)
            # The comment is the restorer's own words, so in their language.
            comment = comment or _("restored version {version}").format(version=version)
            info = self._add_version(
                conn,
                plan_id,
                name=name,
                version=latest.version + 1,
                author=author,
                comment=comment,
                text=text,
                plan=plan,
            )
            record_save(
                conn,
                actor=author,
                action="restore",
                plan_id=plan_id,
                plan_name=name,
                version=info.version,
                old=self._stored_data(conn, plan_id, latest.version),
                new=_decoded(text, name, version),
                comment=comment,
            )
            self._before_commit(conn)
            return info

    def diff(self, name: str, v1: int, v2: int) -> PlanDiff:
        old = self._data_of(name, v1)
        new = self._data_of(name, v2)
        return diff_plan_data(old, new, old_version=v1, new_version=v2)

    def _data_of(self, name: str, version: int) -> dict[str, Any]:
        found, text = self._read_data(name, version)
        return _decoded(text, name, found)

    def delete(self, name: str, *, actor: str = "") -> None:
        """Remove a plan and all its versions (refused once a version was approved); the
        audit log keeps its lines."""
        with (
            self._errors(_("deleting plan '{name}'").format(name=name)),
            self._transaction(write=True) as conn,
        ):
            plan_id, latest = self._lock_plan(conn, name)
            if plan_id is None:
                raise PlanNotFoundError(name)
            self._authorise(conn, plan_id, name, Role.ADMIN)
            self._check_never_approved(conn, plan_id, name)
            conn.execute(delete(plan_versions).where(plan_versions.c.plan_id == plan_id))
            conn.execute(delete(plans).where(plans.c.id == plan_id))
            record(
                conn,
                actor=self._actor(actor),
                action="delete",
                target=name,
                plan_id=plan_id,
                plan_name=name,
                version=None if latest is None else latest.version,
            )

    def rename(self, old: str, new: str, *, actor: str = "") -> None:
        """Call plan ``old`` ``new`` with its whole history (editor; refused while the
        plan is submitted, and once a version was approved: an approved text is not
        rewritten)."""
        with (
            self._errors(_("renaming plan '{name}'").format(name=old)),
            self._transaction(write=True) as conn,
        ):
            plan_id, latest = self._lock_plan(conn, old)
            if plan_id is None:
                raise PlanNotFoundError(old)
            self._authorise(conn, plan_id, old, Role.EDITOR)
            self._check_never_approved(conn, plan_id, old)
            self._check_unlocked(conn, plan_id, old, None if latest is None else latest.version)
            documents.rename_in(conn, plan_id, old, new)
            record(
                conn,
                actor=self._actor(actor),
                action="rename",
                target=new.strip(),
                plan_id=plan_id,
                plan_name=new.strip(),
                before=old,
                after=new.strip(),
            )

    def take_out(self, name: str, *, actor: str = "") -> documents.PlanHistory:
        """Delete the plan as :meth:`delete` does (admin; never once approved) and return
        everything it held, so that :meth:`put_back` can undo the deletion."""
        with (
            self._errors(_("deleting plan '{name}'").format(name=name)),
            self._transaction(write=True) as conn,
        ):
            plan_id, latest = self._lock_plan(conn, name)
            if plan_id is None:
                raise PlanNotFoundError(name)
            self._authorise(conn, plan_id, name, Role.ADMIN)
            self._check_never_approved(conn, plan_id, name)
            history = documents.take_out_in(conn, plan_id)
            record(
                conn,
                actor=self._actor(actor),
                action="delete",
                target=name,
                plan_id=plan_id,
                plan_name=name,
                version=None if latest is None else latest.version,
            )
            return history

    def put_back(self, history: documents.PlanHistory, *, actor: str = "") -> None:
        """Store a plan taken out by :meth:`take_out` again, with its versions and owner."""
        with (
            self._errors(_("restoring plan '{name}'").format(name=history.name)),
            self._transaction(write=True) as conn,
        ):
            plan_id = documents.put_back_in(conn, history)
            record(
                conn,
                actor=self._actor(actor),
                action="undelete",
                target=history.name,
                plan_id=plan_id,
                plan_name=history.name,
                version=int(history.versions[-1]["version"]) if history.versions else None,
            )

    def _check_never_approved(self, conn: Connection, plan_id: int, name: str) -> None:
        approved = [s.version for s in workflow.history(conn, plan_id) if s.status == "approved"]
        if approved:
            raise PlanLockedError(name, approved[-1], "approved")

    # ------------------------------------------------------------------ lifetime

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
                _checkpoint(conn, "TRUNCATE")
        self._engine.dispose()

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the SQLite database file (nothing on PostgreSQL)."""
        if self._engine.dialect.name != "sqlite":
            return
        with (
            self._errors(_("writing saved versions into the database file")),
            self._engine.connect() as conn,
        ):
            _checkpoint(conn, "TRUNCATE")

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

    def __enter__(self) -> SqlPlanStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ inside

    @property
    def rules(self) -> RuleSet:
        """The concept rules plans are validated against, loaded once per store."""
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    def _before_commit(self, conn: Connection) -> None:
        """Called inside a save's transaction after its writes, just before commit.

        Does nothing; tests override it to stall or kill a save half-way.
        """

    def _errors(self, action: str) -> AbstractContextManager[None]:
        return storage_errors(action, self._engine.url)

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            if write:
                conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn
            if write and conn.dialect.name == "sqlite":
                # Committed saves go on into the database file at once (as far as readers
                # allow), so that the file a user copies holds them; the app's store is
                # open for the life of the process and rarely closed.
                _checkpoint(conn, "PASSIVE")

    def _stored_text(self, plan: Plan) -> tuple[dict[str, Any], str]:
        """The plan's data and JSON as it will be stored, after checking it will load again."""
        with gc_paused():
            data = plan_to_data(plan)
            checked = plan_from_data(data, _("plan '{name}'").format(name=plan.name), self.rules)
            if checked != plan:
                # Validation resolved clause references to rule ids: store what loads back.
                data = plan_to_data(checked)
            # Compact: a 10,000-population plan is a third smaller than indented JSON.
            return data, json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def _stored_data(
        self,
        conn: Connection,
        plan_id: int,
        version: int | None,
        unless: tuple[str, dict[str, Any]] | None = None,
    ) -> dict[str, Any] | None:
        """A stored version's data for the audit log (``{}`` when damaged, ``None`` for none).

        ``unless`` is the new version's text and data: when the stored text is the same, its
        data is returned without decoding it again (a save without changes).
        """
        if version is None:
            return None
        text = conn.execute(
            select(plan_versions.c.data).where(
                and_(plan_versions.c.plan_id == plan_id, plan_versions.c.version == version)
            )
        ).scalar_one_or_none()
        if unless is not None and text == unless[0]:
            return unless[1]
        try:
            found = json.loads(text) if text is not None else {}
        except (ValueError, RecursionError):
            return {}
        return found if isinstance(found, dict) else {}

    # ------------------------------------------------------------------ hooks for access

    def _author(self, author: str) -> str:
        """Who a change is recorded as: the author given (one person, no sign-in)."""
        _require_author(author)
        return author

    def _actor(self, actor: str) -> str:
        """Who an action without a typed author (a deletion) is recorded as."""
        return actor.strip() or "local"

    def _authorise(self, conn: Connection, plan_id: int | None, name: str, needed: Role) -> None:
        """Refuse, inside the write's transaction, what the person may not do (nothing here:
        without sign-in one person does everything; :class:`ScopedPlanStore` checks roles)."""

    def _created(self, conn: Connection, plan_id: int, name: str, author: str) -> None:
        """Called when a save creates a new plan, inside its transaction."""

    def _check_unlocked(
        self, conn: Connection, plan_id: int, name: str, latest: int | None
    ) -> None:
        """:class:`PlanLockedError` when the latest version is submitted or approved."""
        if latest is None:
            return
        status = workflow.status_of(conn, plan_id, latest)
        if status in (workflow.Status.SUBMITTED, workflow.Status.APPROVED):
            raise PlanLockedError(name, latest, status)

    def transaction(self, *, write: bool = False) -> AbstractContextManager[Connection]:
        """A transaction on the store's database (for the team modules beside it)."""
        return self._transaction(write=write)

    def errors(self, action: str) -> AbstractContextManager[None]:
        """Database failures while doing ``action`` become one-line :class:`StorageError`."""
        return self._errors(action)

    def _plan_from_text(self, text: str, name: str, version: int) -> Plan:
        """The plan stored as ``text``; :class:`DamagedVersionError` when it does not open."""
        where = _("stored plan '{name}' version {version}").format(name=name, version=version)
        data = _decoded(text, name, version)
        try:
            with gc_paused():
                return plan_from_data(data, where, self.rules)
        except ProblemsError as err:
            shown = "; ".join(str(problem) for problem in err.problems[:SHOWN_PROBLEMS])
            more = len(err.problems) - SHOWN_PROBLEMS
            if more > 0:
                shown += " " + _("(and {n} more)").format(n=more)
            raise DamagedVersionError(name, version, shown, problems=err.problems) from None
        except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as err:
            raise DamagedVersionError(name, version, _damage(err)) from None

    def _lock_plan(
        self, conn: Connection, name: str, *, lock: bool = True
    ) -> tuple[int | None, VersionInfo | None]:
        """The plan's id and latest version, holding its write lock until commit."""
        query = select(plans.c.id).where(plans.c.name == name)
        plan_id = conn.execute(query.with_for_update() if lock else query).scalar_one_or_none()
        if plan_id is None:
            return None, None
        row = conn.execute(
            select(*_VERSION_COLUMNS)
            .join(plans, plans.c.id == plan_versions.c.plan_id)
            .where(plan_versions.c.plan_id == plan_id)
            .order_by(plan_versions.c.version.desc())
            .limit(1)
        ).first()
        return plan_id, (_version_info(row) if row is not None else None)

    def _latest(self, name: str) -> VersionInfo | None:
        with self._transaction() as conn:
            return self._lock_plan(conn, name, lock=False)[1]

    def _create_plan(self, conn: Connection, name: str) -> int:
        values: dict[str, Any] = {"name": name, "created_at": datetime.now(UTC)}
        if conn.dialect.name == "sqlite":
            # SQLite hands a deleted plan's id to the next plan; the audit log (no foreign
            # key: it outlives plans) would then show the deleted plan's lines as the new
            # one's. PostgreSQL's sequence never gives an id twice.
            used = conn.execute(
                select(
                    func.max(plans.c.id),
                    select(func.max(audit_log.c.plan_id)).scalar_subquery(),
                )
            ).one()
            values["id"] = max(int(used[0] or 0), int(used[1] or 0)) + 1
        result = conn.execute(insert(plans).values(**values))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _add_version(
        self,
        conn: Connection,
        plan_id: int,
        *,
        name: str,
        version: int,
        author: str,
        comment: str,
        text: str,
        plan: Plan,
    ) -> VersionInfo:
        """Insert version ``version`` (``text``, the stored JSON of ``plan``)."""
        info = VersionInfo(
            name=name,
            version=version,
            author=author,
            comment=comment,
            created_at=datetime.now(UTC),
            population_count=len(plan.populations),
            activity_count=len(plan.activities),
            described_count=sum(1 for a in plan.activities if a.format is not None),
        )
        conn.execute(
            insert(plan_versions).values(
                plan_id=plan_id,
                version=info.version,
                author=info.author,
                comment=info.comment,
                created_at=info.created_at,
                population_count=info.population_count,
                activity_count=info.activity_count,
                described_count=info.described_count,
                data=text,
            )
        )
        conn.execute(
            update(plans).where(plans.c.id == plan_id).values(description=plan.description)
        )
        return info

    def _read_data(self, name: str, version: int | None) -> tuple[int, str]:
        """A version's number and stored JSON text (the latest when ``version`` is None)."""
        query = (
            select(plan_versions.c.version, plan_versions.c.data)
            .join(plans, plans.c.id == plan_versions.c.plan_id)
            .where(plans.c.name == name)
        )
        if version is None:
            query = query.order_by(plan_versions.c.version.desc()).limit(1)
        else:
            query = query.where(plan_versions.c.version == version)
        with (
            self._errors(_("loading plan '{name}'").format(name=name)),
            self._transaction() as conn,
        ):
            row = conn.execute(query).first()
        if row is None:
            raise PlanNotFoundError(name, version)
        return int(row.version), str(row.data)


def store_from_url(url: str | None = None, *, rules: RuleSet | None = None) -> SqlPlanStore:
    """Open the plan store at ``url``, ``$PREVPLAN_DATABASE_URL`` or the default SQLite file.

    Creates or upgrades the tables first. Raises :class:`StorageError` with a one-line
    message when the URL is invalid or the database cannot be reached.
    """
    engine = create_storage_engine(resolve_url(url))
    try:
        upgrade_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlPlanStore(engine, rules)


def _checkpoint(conn: Connection, mode: str) -> None:
    """Copy SQLite's write-ahead log into the database file, outside any transaction.

    On the driver's own connection: through SQLAlchemy the pragma would run inside the
    transaction it begins, whose snapshot the checkpoint cannot pass. A passive checkpoint
    that readers hold back is not an error: the next one goes further.
    """
    raw = conn.connection.driver_connection
    if raw is None:
        return
    with suppress(Exception):
        raw.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()


def _decoded(text: str, name: str, version: int) -> dict[str, Any]:
    """A stored version's JSON; :class:`DamagedVersionError` when it is not a plan's."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise DamagedVersionError(name, version, _damage(err)) from None
    if not isinstance(data, dict):
        raise DamagedVersionError(name, version, _("the stored data is not a plan"))
    return data


def _damage(err: BaseException) -> str:
    """What is wrong with a stored version's data, in one short line."""
    if isinstance(err, json.JSONDecodeError):
        return _("the stored data is damaged (not valid JSON at character {pos})").format(
            pos=err.pos
        )
    if isinstance(err, RecursionError):
        return _("the stored data is nested too deeply")
    return _("the stored data is damaged ({kind})").format(kind=type(err).__name__)


def _version_info(row: Row[*tuple[Any, ...]]) -> VersionInfo:
    return VersionInfo(
        name=row.name,
        version=row.version,
        author=row.author,
        comment=row.comment,
        created_at=row.created_at,
        population_count=row.population_count,
        activity_count=row.activity_count,
        described_count=row.described_count,
    )


def _require_author(author: str) -> None:
    if not author.strip():
        raise ValueError(_(NO_AUTHOR))


__all__: Sequence[str] = ("OpenedVersion", "PlanStore", "SqlPlanStore", "store_from_url")
