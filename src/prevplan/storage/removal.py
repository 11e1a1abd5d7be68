"""Removing and renaming stored plans, as the roles, the approval and the audit log allow.

A plan is deleted with all its versions (an administrator's step, never while submitted for
approval nor once a version was approved: the plan of record stays), possibly to be brought
back (:meth:`PlanRemoval.take_out` and :meth:`PlanRemoval.put_back`, the Start page's "Undo
delete"), or renamed with its whole history (an editor's, never while submitted or once
approved: an approved text is not rewritten). Each is checked and written in one transaction
with its audit line; the tables are handled by :mod:`prevplan.storage.documents`.
"""

from __future__ import annotations

from prevplan.i18n import _
from prevplan.storage import documents
from prevplan.storage.access import Role
from prevplan.storage.audit import record
from prevplan.storage.errors import (
    PlanNotFoundError,
)
from prevplan.storage.store_core import StoreCore


class PlanRemoval(StoreCore):
    """Deleting, bringing back and renaming plans."""

    def delete(self, name: str, *, actor: str = "") -> None:
        """Remove a plan and all its versions (refused while submitted for approval and once a
        version was approved); the audit log keeps its lines."""
        self.take_out(name, actor=actor)

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
            # Nor while an approver is reviewing it: it goes back to its editors first.
            self._check_unlocked(conn, plan_id, name, None if latest is None else latest.version)
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
