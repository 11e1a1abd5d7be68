"""Unsaved work that survives a reload, a closed tab and a restart: drafts per person and plan.

A planner's edits live in the browser session until they save a version (with author and
comment, :mod:`prevplan.storage.store`). So that nothing is lost meanwhile, the app writes the
plan being edited here after every change — one row per person (``owner``) and plan — and
offers it back ("restore the draft, or discard it") when that person returns. The same row,
without data, records which plan a person had open last, so a new session opens *their*
plan, not whichever plan anyone saved last.

``plan_key`` is the stored plan's name, or ``""`` for a plan not saved yet. ``data`` is the
plan's JSON (:func:`prevplan.plan.io.plan_to_data`) or ``NULL`` when the plan has no unsaved
changes. Drafts are not versions: they are never validated on write, only when restored, and
they are replaced, not kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Connection,
    Engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from prevplan.i18n import _
from prevplan.storage.database import WRITE, storage_errors
from prevplan.storage.schema import plan_drafts


@dataclass(frozen=True)
class Draft:
    """A person's work on one plan: the unsaved plan (JSON) if any, and when it was written."""

    owner: str
    plan_key: str
    base_version: int | None
    data: str | None
    updated_at: datetime

    @property
    def saved_name(self) -> str | None:
        """The stored plan the draft edits, or ``None`` for a plan never saved."""
        return self.plan_key or None


class DraftStore:
    """Drafts in the plan store's database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def write(self, owner: str, plan_key: str, base_version: int | None, data: str | None) -> None:
        """Keep ``data`` (``None``: no unsaved changes) as ``owner``'s work on ``plan_key``,
        which becomes the plan they had open last."""
        values = {
            "base_version": base_version,
            "data": data,
            "updated_at": datetime.now(UTC),
        }
        where = (plan_drafts.c.owner == owner) & (plan_drafts.c.plan_key == plan_key)
        with self._transaction() as conn:
            if conn.execute(update(plan_drafts).where(where).values(**values)).rowcount:
                return
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(plan_drafts).values(owner=owner, plan_key=plan_key, **values)
                    )
            except IntegrityError:  # written by the same person's other tab meanwhile
                conn.execute(update(plan_drafts).where(where).values(**values))

    def last(self, owner: str) -> Draft | None:
        """The plan ``owner`` had open last, with their unsaved changes to it if any."""
        with self._transaction(write=False) as conn:
            row = conn.execute(
                select(plan_drafts)
                .where(plan_drafts.c.owner == owner)
                .order_by(plan_drafts.c.updated_at.desc(), plan_drafts.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return Draft(row.owner, row.plan_key, row.base_version, row.data, row.updated_at)

    def get(self, owner: str, plan_key: str) -> Draft | None:
        """``owner``'s work on ``plan_key``, if any."""
        with self._transaction(write=False) as conn:
            row = conn.execute(
                select(plan_drafts).where(
                    (plan_drafts.c.owner == owner) & (plan_drafts.c.plan_key == plan_key)
                )
            ).first()
        if row is None:
            return None
        return Draft(row.owner, row.plan_key, row.base_version, row.data, row.updated_at)

    def forget_plan(self, plan_key: str) -> None:
        """Everyone's drafts of a plan that was deleted."""
        with self._transaction() as conn:
            conn.execute(delete(plan_drafts).where(plan_drafts.c.plan_key == plan_key))

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Connection]:
        with (
            storage_errors(_("keeping your unsaved changes"), self._engine.url),
            self._engine.connect() as conn,
        ):
            if write:
                conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn
