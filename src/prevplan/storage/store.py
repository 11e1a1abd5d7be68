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

The store is built in parts: :mod:`prevplan.storage.store_core` (transactions, the write
lock, writing and reading a version), :mod:`prevplan.storage.lifetime` (closing, backups)
and :mod:`prevplan.storage.removal` (deleting and renaming plans, with their checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from prevplan.i18n import _
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet
from prevplan.storage.access import Role
from prevplan.storage.audit import record_save
from prevplan.storage.database import (
    create_storage_engine,
    resolve_url,
)
from prevplan.storage.diff import PlanDiff, diff_plan_data
from prevplan.storage.errors import (
    ConflictError,
    DamagedVersionError,
    PlanNotFoundError,
    StorageError,
)
from prevplan.storage.lifetime import StoreLifetime
from prevplan.storage.migrate import upgrade_to_head
from prevplan.storage.records import PlanSummary, VersionInfo
from prevplan.storage.removal import PlanRemoval
from prevplan.storage.schema import plan_versions, plans
from prevplan.storage.store_core import (
    NO_AUTHOR,
    SHOWN_PROBLEMS,
    VERSION_COLUMNS,
    decoded_version,
    version_info,
)


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


class SqlPlanStore(PlanRemoval, StoreLifetime):
    """A :class:`PlanStore` in a SQLite or PostgreSQL database, through SQLAlchemy Core.

    Safe to share between threads (the Streamlit app's sessions) and processes. The
    database's tables must be current: use :func:`store_from_url`, which upgrades them.
    """

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
            select(*VERSION_COLUMNS)
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
        return [version_info(row) for row in rows]

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
                new=decoded_version(text, name, version),
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
        return decoded_version(text, name, found)


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


__all__: Sequence[str] = (
    "NO_AUTHOR",
    "SHOWN_PROBLEMS",
    "OpenedVersion",
    "PlanStore",
    "SqlPlanStore",
    "store_from_url",
)
