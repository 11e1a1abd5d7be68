"""Stored plans handled as documents: renamed with their whole history, and deleted so that
the deletion can be undone.

A planner's list of plans (the Start page) renames, duplicates and deletes plans. The plan
store (:mod:`prevplan.storage.store`) saves, lists and loads versions; the two operations
here work on its tables directly, each in one transaction:

- :func:`rename_plan` gives a plan and every one of its versions the new name (the name is
  also inside each version's JSON), so its history stays with it and later saves go on from
  its latest version;
- :func:`take_out` deletes a plan and returns everything it held (:class:`PlanHistory`), and
  :func:`put_back` writes that history back unchanged — authors, times, comments and
  versions — which is how "Undo" brings a deleted plan back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from prevplan.i18n import _
from prevplan.storage.database import WRITE, storage_errors
from prevplan.storage.drafts import plan_drafts
from prevplan.storage.errors import PlanNotFoundError, StorageError
from prevplan.storage.schema import plan_versions, plans


@dataclass(frozen=True)
class PlanHistory:
    """A deleted plan as it was stored: its row and every version's row."""

    name: str
    created_at: datetime
    description: str | None
    versions: tuple[dict[str, Any], ...]


def rename_plan(engine: Engine, old: str, new: str) -> None:
    """Call plan ``old`` ``new``, with all its versions; refused if ``new`` is taken."""
    new = new.strip()
    if not new:
        raise StorageError(_("a plan needs a name"))
    with _transaction(engine, _("renaming plan '{name}'").format(name=old)) as conn:
        if conn.execute(select(plans.c.id).where(plans.c.name == new)).first() is not None:
            raise StorageError(_("a plan named '{name}' is already stored").format(name=new))
        found = conn.execute(select(plans.c.id).where(plans.c.name == old)).first()
        if found is None:
            raise PlanNotFoundError(old)
        plan_id = found[0]
        conn.execute(update(plans).where(plans.c.id == plan_id).values(name=new))
        rows = conn.execute(
            select(plan_versions.c.id, plan_versions.c.data).where(
                plan_versions.c.plan_id == plan_id
            )
        ).all()
        for version_id, text in rows:
            conn.execute(
                update(plan_versions)
                .where(plan_versions.c.id == version_id)
                .values(data=_renamed(text, new))
            )
        conn.execute(update(plan_drafts).where(plan_drafts.c.plan_key == old).values(plan_key=new))


def _renamed(text: str, name: str) -> str:
    """A version's stored JSON with the plan's new name; damaged data is left as it is (it
    stays quarantined, see :class:`~prevplan.storage.errors.DamagedVersionError`)."""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    data["name"] = name
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def take_out(engine: Engine, name: str) -> PlanHistory:
    """Delete plan ``name`` and return everything it held, for :func:`put_back`."""
    with _transaction(engine, _("deleting plan '{name}'").format(name=name)) as conn:
        row = conn.execute(select(plans).where(plans.c.name == name)).first()
        if row is None:
            raise PlanNotFoundError(name)
        versions = conn.execute(
            select(plan_versions)
            .where(plan_versions.c.plan_id == row.id)
            .order_by(plan_versions.c.version)
        ).all()
        history = PlanHistory(
            name=row.name,
            created_at=row.created_at,
            description=row.description,
            versions=tuple(
                {k: v for k, v in version._mapping.items() if k not in ("id", "plan_id")}
                for version in versions
            ),
        )
        conn.execute(delete(plan_versions).where(plan_versions.c.plan_id == row.id))
        conn.execute(delete(plans).where(plans.c.id == row.id))
    return history


def put_back(engine: Engine, history: PlanHistory) -> None:
    """Store a deleted plan again exactly as it was; refused if its name was taken since."""
    with _transaction(engine, _("restoring plan '{name}'").format(name=history.name)) as conn:
        if conn.execute(select(plans.c.id).where(plans.c.name == history.name)).first():
            raise StorageError(
                _("a plan named '{name}' was stored meanwhile; nothing was restored").format(
                    name=history.name
                )
            )
        result = conn.execute(
            insert(plans).values(
                name=history.name,
                created_at=history.created_at,
                description=history.description,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        for version in history.versions:
            conn.execute(insert(plan_versions).values(plan_id=int(key[0]), **version))


@contextmanager
def _transaction(engine: Engine, action: str) -> Iterator[Connection]:
    with storage_errors(action, engine.url), engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            yield conn
