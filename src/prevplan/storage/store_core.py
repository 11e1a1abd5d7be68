"""What every part of the plan store stands on: its transactions, the plan's write lock,
how a version is written, read and checked, and the hooks a team's store overrides.

:class:`StoreCore` holds the engine and the rules; :mod:`prevplan.storage.store` builds the
plan store's public face on it (saving, listing, loading, restoring, comparing versions),
:mod:`prevplan.storage.lifetime` its opening, closing and backups, and
:mod:`prevplan.storage.removal` deleting and renaming plans. A version is validated before it
is written and again when it is read (:func:`prevplan.plan.io.plan_from_data`), so the store
never hands back a plan the rest of prevplan would refuse. The hooks (:meth:`StoreCore._author`,
``_actor``, ``_authorise``, ``_created``) do nothing for one person without sign-in;
:class:`~prevplan.storage.scoped.ScopedPlanStore` fills them with roles and identities.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, func, insert, select, update

from prevplan.i18n import N_, _
from prevplan.memory import gc_paused
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.storage import workflow
from prevplan.storage.access import Role
from prevplan.storage.database import (
    WRITE,
    storage_errors,
)
from prevplan.storage.errors import (
    DamagedVersionError,
    PlanLockedError,
    PlanNotFoundError,
)
from prevplan.storage.records import VersionInfo
from prevplan.storage.schema import audit_log, plan_versions, plans

#: Why a version without an author is refused (every version records who saved it).
NO_AUTHOR = N_("every saved version needs an author")

#: Problems of a damaged version named in its message; the rest are counted.
SHOWN_PROBLEMS = 3

VERSION_COLUMNS = (
    plans.c.name,
    plan_versions.c.version,
    plan_versions.c.author,
    plan_versions.c.comment,
    plan_versions.c.created_at,
    plan_versions.c.population_count,
    plan_versions.c.activity_count,
    plan_versions.c.described_count,
)


class StoreCore:
    """The engine, the rules and the inside of every store operation."""

    def __init__(self, engine: Engine, rules: RuleSet | None = None) -> None:
        self._engine = engine
        self._rules = rules

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
                sqlite_checkpoint(conn, "PASSIVE")

    def transaction(self, *, write: bool = False) -> AbstractContextManager[Connection]:
        """A transaction on the store's database (for the team modules beside it)."""
        return self._transaction(write=write)

    def errors(self, action: str) -> AbstractContextManager[None]:
        """Database failures while doing ``action`` become one-line :class:`StorageError`."""
        return self._errors(action)

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

    def _check_never_approved(self, conn: Connection, plan_id: int, name: str) -> None:
        approved = [s.version for s in workflow.history(conn, plan_id) if s.status == "approved"]
        if approved:
            raise PlanLockedError(name, approved[-1], "approved")

    def _plan_from_text(self, text: str, name: str, version: int) -> Plan:
        """The plan stored as ``text``; :class:`DamagedVersionError` when it does not open."""
        where = _("stored plan '{name}' version {version}").format(name=name, version=version)
        data = decoded_version(text, name, version)
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
            select(*VERSION_COLUMNS)
            .join(plans, plans.c.id == plan_versions.c.plan_id)
            .where(plan_versions.c.plan_id == plan_id)
            .order_by(plan_versions.c.version.desc())
            .limit(1)
        ).first()
        return plan_id, (version_info(row) if row is not None else None)

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


def sqlite_checkpoint(conn: Connection, mode: str) -> None:
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


def decoded_version(text: str, name: str, version: int) -> dict[str, Any]:
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


def version_info(row: Row[*tuple[Any, ...]]) -> VersionInfo:
    """A row of :data:`VERSION_COLUMNS` as a :class:`VersionInfo`."""
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
