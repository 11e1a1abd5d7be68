"""Administering a team: organisations, people's roles in them and on single plans, plan
ownership, the roles the identity provider's group claim gives, and the whole audit log.

An organisation's admin gives and removes roles in it and on its plans and gives a plan to an
organisation they administer; an administrator of the whole deployment creates organisations
and reads the whole log. Every change is checked and written with its audit line in one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from prevplan.i18n import _
from prevplan.storage import access, audit
from prevplan.storage.access import SOURCE_ADMIN, SOURCE_CLAIM, Role
from prevplan.storage.errors import (
    AccessDeniedError,
    PlanNotFoundError,
    WorkflowError,
)
from prevplan.storage.identified import IdentifiedStore, person_subject
from prevplan.storage.records import (
    AuditEntry,
    Membership,
    Organisation,
)


class Administration(IdentifiedStore):
    """The administration of roles and ownership, on a store acting for one person."""

    def full_audit_log(self) -> list[AuditEntry]:
        """The whole deployment's log (a deployment administrator only)."""
        if not self.identity.superuser:
            raise AccessDeniedError(
                _("only an administrator of the whole deployment reads the whole audit log")
            )
        with self._errors(_("reading the audit log")), self._transaction() as conn:
            return audit.entries(conn)

    def organisations(self) -> list[Organisation]:
        """Every organisation of the deployment."""
        with self._errors(_("reading roles")), self._transaction() as conn:
            return access.list_organisations(conn)

    def create_organisation(self, name: str) -> Organisation:
        """A new organisation (a deployment administrator only)."""
        name = name.strip()
        if not self.identity.superuser:
            raise AccessDeniedError(
                _("only an administrator of the whole deployment creates organisations")
            )
        if not name:
            raise WorkflowError(_("the organisation needs a name"))
        with (
            self._errors(_("creating organisation '{name}'").format(name=name)),
            self._transaction(write=True) as conn,
        ):
            existed = access.organisation_id(conn, name)
            org_id = access.ensure_organisation(conn, name)
            if existed is None:
                audit.record(conn, actor=self.identity_author, action="organisation", target=name)
            return Organisation(id=org_id, name=name)

    def members(self) -> list[Membership]:
        """The memberships of every organisation the person administers."""
        with self._errors(_("reading roles")), self._transaction() as conn:
            administered = self._administered(conn)
            return access.list_memberships(conn, org_ids=administered)

    def set_member_role(self, organisation: str, subject: str, role: Role | None) -> None:
        """Give ``subject`` ``role`` in the organisation, or remove it (``None``); admin."""
        subject = person_subject(subject)
        with (
            self._errors(_("changing roles in '{name}'").format(name=organisation)),
            self._transaction(write=True) as conn,
        ):
            org_id = self._administered_id(conn, organisation)
            before = access.set_membership(conn, org_id, subject, role, SOURCE_ADMIN)
            if before != role:
                audit.record(
                    conn,
                    actor=self.identity_author,
                    action="role",
                    target=f"{organisation}: {subject}",
                    before=before,
                    after=role,
                )

    def set_plan_role(self, name: str, subject: str, role: Role | None) -> None:
        """Give ``subject`` ``role`` on one plan, or remove it; an admin of the plan."""
        subject = person_subject(subject)
        with (
            self._errors(_("changing roles on plan '{name}'").format(name=name)),
            self._transaction(write=True) as conn,
        ):
            plan_id = self._plan_id(conn, name)
            if plan_id is None:
                raise PlanNotFoundError(name)
            self._authorise(conn, plan_id, name, Role.ADMIN)
            before = access.set_plan_grant(conn, plan_id, subject, role)
            if before != role:
                audit.record(
                    conn,
                    actor=self.identity_author,
                    action="grant",
                    target=subject,
                    plan_id=plan_id,
                    plan_name=name,
                    before=before,
                    after=role,
                )

    def plan_roles(self, name: str) -> dict[str, Role]:
        """The roles given on one plan, by person (an admin of the plan)."""
        self.require(name, Role.ADMIN)
        with self._errors(_("reading roles")), self._transaction() as conn:
            plan_id = self._plan_id(conn, name)
            return {} if plan_id is None else access.plan_grants_of(conn, plan_id)

    def give_plan(self, name: str, organisation: str) -> None:
        """Make ``organisation`` the plan's owner (admin of the plan and of the organisation)."""
        with (
            self._errors(_("changing roles on plan '{name}'").format(name=name)),
            self._transaction(write=True) as conn,
        ):
            plan_id = self._plan_id(conn, name)
            if plan_id is None:
                raise PlanNotFoundError(name)
            self._authorise(conn, plan_id, name, Role.ADMIN)
            org_id = self._administered_id(conn, organisation)
            before = access.set_plan_owner(conn, plan_id, org_id)
            if before != org_id:
                names = {org.id: org.name for org in access.list_organisations(conn)}
                audit.record(
                    conn,
                    actor=self.identity_author,
                    action="owner",
                    target=name,
                    plan_id=plan_id,
                    plan_name=name,
                    before=None if before is None else names.get(before),
                    after=organisation,
                )

    def sync_claimed_roles(self, claimed: Sequence[tuple[str, Role]]) -> None:
        """Make the person's roles from the provider's group claim exactly ``claimed``
        (at sign-in); each change is in the audit log."""
        if self.identity.local:
            return
        with self._errors(_("reading roles")), self._transaction(write=True) as conn:
            for organisation, before, after in access.sync_claimed_roles(
                conn, self.identity.subject, claimed
            ):
                audit.record(
                    conn,
                    actor=self.identity_author,
                    action="role",
                    target=f"{organisation}: {self.identity.subject} ({SOURCE_CLAIM})",
                    before=before,
                    after=after,
                )
