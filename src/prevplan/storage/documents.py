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

The engine-level functions serve the single-user store; the plan store's
:meth:`~prevplan.storage.store.SqlPlanStore.rename` and
:meth:`~prevplan.storage.store.SqlPlanStore.take_out` run the connection-level ones
(:func:`rename_in`, :func:`take_out_in`, :func:`put_back_in`) inside their own transaction,
after the role and approval checks, and write the audit line.
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
from prevplan.storage.errors import PlanNotFoundError, StorageError
from prevplan.storage.schema import plan_drafts, plan_owners, plan_versions, plans


@dataclass(frozen=True)
class PlanHistory:
    """A deleted plan as it was stored: its row and every version's row."""

    name: str
    created_at: datetime
    description: str | None
    versions: tuple[dict[str, Any], ...]
    owner: int | None = None
    """The organisation that owned the plan (a team's database), given back with it."""
    plan_id: int | None = None
    """The plan's id, taken again when free: its audit log, approval steps and comments
    (kept by id) are then its own again."""


def rename_plan(engine: Engine, old: str, new: str) -> None:
    """Call plan ``old`` ``new``, with all its versions; refused if ``new`` is taken."""
    with _transaction(engine, _("renaming plan '{name}'").format(name=old)) as conn:
        found = conn.execute(select(plans.c.id).where(plans.c.name == old)).first()
        if found is None:
            raise PlanNotFoundError(old)
        rename_in(conn, int(found[0]), old, new)


def rename_in(conn: Connection, plan_id: int, old: str, new: str) -> None:
    """:func:`rename_plan` inside the caller's transaction, the plan found."""
    new = new.strip()
    if not new:
        raise StorageError(_("a plan needs a name"))
    if conn.execute(select(plans.c.id).where(plans.c.name == new)).first() is not None:
        raise StorageError(_("a plan named '{name}' is already stored").format(name=new))
    conn.execute(update(plans).where(plans.c.id == plan_id).values(name=new))
    rows = conn.execute(
        select(plan_versions.c.id, plan_versions.c.data).where(plan_versions.c.plan_id == plan_id)
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
        found = conn.execute(select(plans.c.id).where(plans.c.name == name)).first()
        if found is None:
            raise PlanNotFoundError(name)
        return take_out_in(conn, int(found[0]))


def take_out_in(conn: Connection, plan_id: int) -> PlanHistory:
    """:func:`take_out` inside the caller's transaction, the plan found."""
    row = conn.execute(select(plans).where(plans.c.id == plan_id)).one()
    versions = conn.execute(
        select(plan_versions)
        .where(plan_versions.c.plan_id == plan_id)
        .order_by(plan_versions.c.version)
    ).all()
    owner = conn.execute(
        select(plan_owners.c.organisation_id).where(plan_owners.c.plan_id == plan_id)
    ).scalar_one_or_none()
    history = PlanHistory(
        name=row.name,
        created_at=row.created_at,
        description=row.description,
        versions=tuple(
            {k: v for k, v in version._mapping.items() if k not in ("id", "plan_id")}
            for version in versions
        ),
        owner=None if owner is None else int(owner),
        plan_id=plan_id,
    )
    conn.execute(delete(plan_owners).where(plan_owners.c.plan_id == plan_id))
    conn.execute(delete(plan_versions).where(plan_versions.c.plan_id == plan_id))
    conn.execute(delete(plans).where(plans.c.id == plan_id))
    return history


def put_back(engine: Engine, history: PlanHistory) -> None:
    """Store a deleted plan again exactly as it was; refused if its name was taken since."""
    with _transaction(engine, _("restoring plan '{name}'").format(name=history.name)) as conn:
        put_back_in(conn, history)


def put_back_in(conn: Connection, history: PlanHistory) -> int:
    """:func:`put_back` inside the caller's transaction; the plan's new id."""
    if conn.execute(select(plans.c.id).where(plans.c.name == history.name)).first():
        raise StorageError(
            _("a plan named '{name}' was stored meanwhile; nothing was restored").format(
                name=history.name
            )
        )
    values: dict[str, Any] = {
        "name": history.name,
        "created_at": history.created_at,
        "description": history.description,
    }
    if (
        history.plan_id is not None
        and conn.execute(select(plans.c.id).where(plans.c.id == history.plan_id)).first() is None
    ):
        values["id"] = history.plan_id  # free: no plan was given it since
    result = conn.execute(insert(plans).values(**values))
    key = result.inserted_primary_key
    assert key is not None
    plan_id = int(key[0])
    for version in history.versions:
        conn.execute(insert(plan_versions).values(plan_id=plan_id, **version))
    if history.owner is not None:
        conn.execute(insert(plan_owners).values(plan_id=plan_id, organisation_id=history.owner))
    return plan_id


@contextmanager
def _transaction(engine: Engine, action: str) -> Iterator[Connection]:
    with storage_errors(action, engine.url), engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            yield conn
