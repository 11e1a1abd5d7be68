"""The plan store as one signed-in person sees it: their plans only, their role enforced.

:class:`ScopedPlanStore` is the store the app hands a session. It lists only the plans the
person may see (their organisations' plans and plans shared with them), refuses — with
:class:`~prevplan.storage.errors.AccessDeniedError`, checked inside the write's own
transaction — what their role does not allow, records every change in the audit log under
their identity (never a name typed in a box), puts a new plan in the organisation the
session works for, and carries the approval steps, comments and the administration of
roles. Without sign-in (the single-user default) the app uses it with
:data:`~prevplan.storage.access.LOCAL`, for whom everything is open and authors are typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from prevplan.i18n import _
from prevplan.plan.models import Plan
from prevplan.storage import access, audit, workflow
from prevplan.storage.access import Identity, Role
from prevplan.storage.administration import Administration
from prevplan.storage.diff import PlanDiff
from prevplan.storage.errors import (
    AccessDeniedError,
    PlanNotFoundError,
    StorageError,
    WorkflowError,
)
from prevplan.storage.records import (
    AuditEntry,
    Comment,
    PlanSummary,
    ReviewStep,
    VersionInfo,
)
from prevplan.storage.schema import organisations, plans
from prevplan.storage.store import OpenedVersion, SqlPlanStore
from prevplan.storage.workflow import COMMENT_TARGETS, REOPENED, Status


@dataclass(frozen=True)
class PlanAccess:
    """What one person may do with one plan, and where it stands."""

    name: str
    role: Role
    organisation: str | None
    status: Status
    latest_version: int
    approval: ReviewStep | None
    """The step that approved the newest approved version, if any."""
    returned: ReviewStep | None = None
    """The step that returned the latest version, while it stands returned."""
    own_work: workflow.OwnWork | None = None
    """Why approving the latest version would be approving the person's own work."""

    @property
    def approval_refusal(self) -> str | None:
        """Why the person may not approve the latest version now (``None``: they may)."""
        if self.own_work is not None and workflow.four_eyes_required():
            return workflow.four_eyes_refusal(self.own_work)
        return None


class ScopedPlanStore(Administration):
    """A :class:`SqlPlanStore` seen by ``identity``, new plans going to ``organisation``."""

    def list_plans(self) -> list[PlanSummary]:
        """The stored plans the person may see."""
        every = super().list_plans()
        with self._errors(_("listing plans")), self._transaction() as conn:
            visible = access.visible_plan_ids(conn, self.identity)
            if visible is None:
                return every
            names = {
                str(row.name)
                for row in conn.execute(select(plans.c.name).where(plans.c.id.in_(visible)))
            }
        return [summary for summary in every if summary.name in names]

    def versions(self, name: str) -> list[VersionInfo]:
        """Every version of a plan the person may see."""
        self.require(name, Role.VIEWER)
        return super().versions(name)

    def load(self, name: str, version: int | None = None) -> Plan:
        """A version of a plan the person may see."""
        self.require(name, Role.VIEWER)
        return super().load(name, version)

    def load_latest_valid(self, name: str) -> OpenedVersion:
        """The newest version that opens, of a plan the person may see."""
        self.require(name, Role.VIEWER)
        return super().load_latest_valid(name)

    def diff(self, name: str, v1: int, v2: int) -> PlanDiff:
        """What changed between two versions of a plan the person may see."""
        self.require(name, Role.VIEWER)
        return super().diff(name, v1, v2)

    def save(
        self, plan: Plan, *, author: str, comment: str = "", base_version: int | None
    ) -> VersionInfo:
        """Save as the person, refused unless they may edit the plan (or create one in the
        session's organisation). A new plan whose name another organisation's plan has is
        refused without saying whose it is."""
        try:
            return super().save(plan, author=author, comment=comment, base_version=base_version)
        except PlanNotFoundError:
            if base_version is not None:
                raise
            raise AccessDeniedError(
                _(
                    "the name '{name}' is taken by a plan you cannot see; save the plan "
                    "under another name"
                ).format(name=plan.name)
            ) from None

    def plan_access(self, name: str) -> PlanAccess:
        """The person's role on the plan, its organisation, and where its approval stands."""
        role = self.require(name, Role.VIEWER)
        with (
            self._errors(_("reading plan '{name}'").format(name=name)),
            self._transaction() as conn,
        ):
            plan_id, latest = self._lock_plan(conn, name, lock=False)
            if plan_id is None or latest is None:
                raise PlanNotFoundError(name)
            owner = access.plan_owner(conn, plan_id)
            owner_name = (
                None
                if owner is None
                else conn.execute(
                    select(organisations.c.name).where(organisations.c.id == owner)
                ).scalar_one()
            )
            history = workflow.history(conn, plan_id)
            approved = [s for s in history if s.status == Status.APPROVED]
            status = workflow.status_of(conn, plan_id, latest.version)
            return PlanAccess(
                name=name,
                role=role,
                organisation=owner_name,
                status=status,
                latest_version=latest.version,
                approval=approved[-1] if approved else None,
                returned=history[-1] if status is Status.RETURNED else None,
                own_work=workflow.own_work(conn, plan_id, latest.version, self.identity),
            )

    def submit(self, name: str, *, comment: str = "") -> ReviewStep:
        """Submit the latest version for approval (editor; from draft or returned)."""
        return self._step(name, "submit", Role.EDITOR, (Status.DRAFT, Status.RETURNED), comment)

    def approve(self, name: str, *, comment: str = "") -> ReviewStep:
        """Approve the submitted version (approver); it is frozen from then on."""
        return self._step(name, "approve", Role.APPROVER, (Status.SUBMITTED,), comment)

    def return_for_revision(self, name: str, *, comment: str) -> ReviewStep:
        """Return the submitted version to its editors with the approver's reasons."""
        if not comment.strip():
            raise WorkflowError(_("say why the version is returned: a comment is required"))
        return self._step(name, "return", Role.APPROVER, (Status.SUBMITTED,), comment)

    def reopen(self, name: str, *, comment: str = "") -> ReviewStep:
        """Start a new revision above the approved version (editor); it stays approved."""
        return self._step(name, "reopen", Role.EDITOR, (Status.APPROVED,), comment)

    def review_history(self, name: str) -> list[ReviewStep]:
        """Every approval step of the plan, oldest first."""
        self.require(name, Role.VIEWER)
        with (
            self._errors(_("reading plan '{name}'").format(name=name)),
            self._transaction() as conn,
        ):
            plan_id = self._plan_id(conn, name)
            return [] if plan_id is None else workflow.history(conn, plan_id)

    def approval_of(self, name: str, version: int) -> ReviewStep | None:
        """Who approved ``version`` of the plan and when, if it was approved."""
        self.require(name, Role.VIEWER)
        with (
            self._errors(_("reading plan '{name}'").format(name=name)),
            self._transaction() as conn,
        ):
            plan_id = self._plan_id(conn, name)
            return None if plan_id is None else workflow.approval_of(conn, plan_id, version)

    def _step(
        self,
        name: str,
        action: str,
        needed: Role,
        allowed_from: Sequence[Status],
        comment: str,
    ) -> ReviewStep:
        status_after = {
            "submit": Status.SUBMITTED,
            "approve": Status.APPROVED,
            "return": Status.RETURNED,
            "reopen": REOPENED,
        }[action]
        with (
            self._errors(_("changing the approval of plan '{name}'").format(name=name)),
            self._transaction(write=True) as conn,
        ):
            plan_id, latest = self._lock_plan(conn, name)
            if plan_id is None or latest is None:
                raise PlanNotFoundError(name)
            self._authorise(conn, plan_id, name, needed)
            status = workflow.status_of(conn, plan_id, latest.version)
            if status not in allowed_from:
                raise WorkflowError(
                    _(
                        "version {version} of plan '{name}' is {status}: it cannot be {action} now"
                    ).format(
                        version=latest.version,
                        name=name,
                        status=status.label,
                        action=audit.action_label(action),
                    )
                )
            waived = None
            if action == "approve":
                waived = workflow.own_work(conn, plan_id, latest.version, self.identity)
                if waived is not None and workflow.four_eyes_required():
                    raise AccessDeniedError(workflow.four_eyes_refusal(waived))
            step = workflow.add_step(
                conn, plan_id, latest.version, status_after, self.identity_author, comment.strip()
            )
            if waived is not None:
                audit.record(
                    conn,
                    actor=self.identity_author,
                    action="own_approval",
                    target=f"{workflow.FOUR_EYES_ENV}=off",
                    plan_id=plan_id,
                    plan_name=name,
                    version=latest.version,
                    after=waived.code,
                )
            audit.record(
                conn,
                actor=self.identity_author,
                action=action,
                target=comment.strip(),
                plan_id=plan_id,
                plan_name=name,
                version=latest.version,
                before=status,
                after=Status.DRAFT if status_after == REOPENED else status_after,
            )
            return step

    def comment(
        self,
        name: str,
        text: str,
        *,
        target_kind: str = "plan",
        target_id: str | None = None,
    ) -> Comment:
        """Remark on the plan, one of its populations or one of its activities (editor)."""
        if target_kind not in COMMENT_TARGETS:
            raise WorkflowError(
                _("a comment is about one of {kinds}").format(kinds=", ".join(COMMENT_TARGETS))
            )
        if not text.strip():
            raise WorkflowError(_("the comment is empty"))
        with (
            self._errors(_("commenting on plan '{name}'").format(name=name)),
            self._transaction(write=True) as conn,
        ):
            plan_id, latest = self._lock_plan(conn, name, lock=False)
            if plan_id is None or latest is None:
                raise PlanNotFoundError(name)
            self._authorise(conn, plan_id, name, Role.EDITOR)
            found = workflow.add_comment(
                conn,
                plan_id,
                latest.version,
                target_kind=target_kind,
                target_id=target_id if target_kind != "plan" else None,
                author=self.identity_author,
                text=text.strip(),
            )
            audit.record(
                conn,
                actor=self.identity_author,
                action="comment",
                target=target_kind if target_id is None else f"{target_kind} {target_id}",
                plan_id=plan_id,
                plan_name=name,
                version=latest.version,
                after=text.strip(),
            )
            return found

    def comments(self, name: str) -> list[Comment]:
        """Every comment on the plan, oldest first."""
        self.require(name, Role.VIEWER)
        with (
            self._errors(_("reading plan '{name}'").format(name=name)),
            self._transaction() as conn,
        ):
            plan_id = self._plan_id(conn, name)
            return [] if plan_id is None else workflow.comments_of(conn, plan_id)

    def audit_log(self, name: str) -> list[AuditEntry]:
        """Every line of the plan's audit log, oldest first (viewer)."""
        self.require(name, Role.VIEWER)
        with self._errors(_("reading the audit log")), self._transaction() as conn:
            plan_id = self._plan_id(conn, name)
            return [] if plan_id is None else audit.entries(conn, plan_id=plan_id)


def scoped(
    store: SqlPlanStore, identity: Identity, organisation: str | None = None
) -> ScopedPlanStore:
    """``store`` as ``identity`` sees it (sharing its database connections)."""
    return ScopedPlanStore(store._engine, store.rules, identity, organisation)


__all__: Sequence[str] = ("PlanAccess", "ScopedPlanStore", "StorageError", "scoped")
