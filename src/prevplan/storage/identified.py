"""The plan store as one person: who they are, their role on a plan and in organisations,
and the checks that refuse, inside a write's own transaction, what that role does not allow.

:class:`IdentifiedStore` fills the plan store's hooks (:mod:`prevplan.storage.store_core`):
version authors and audit lines name the signed-in person, never a name typed in a box; a new
plan needs an editor of the organisation it goes to; a plan the person may not see is
reported as not stored, so its name leaks nothing. :mod:`prevplan.storage.administration`
adds the administration of roles on it, :mod:`prevplan.storage.scoped` what a session uses.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from prevplan.i18n import _
from prevplan.rules import RuleSet
from prevplan.storage import access
from prevplan.storage.access import Identity, Role
from prevplan.storage.errors import (
    AccessDeniedError,
    PlanNotFoundError,
    WorkflowError,
)
from prevplan.storage.schema import plans
from prevplan.storage.store import SqlPlanStore


class IdentifiedStore(SqlPlanStore):
    """A :class:`SqlPlanStore` acting for ``identity``, new plans going to ``organisation``."""

    def __init__(
        self,
        engine: Engine,
        rules: RuleSet | None,
        identity: Identity,
        organisation: str | None = None,
    ) -> None:
        super().__init__(engine, rules)
        self.identity = identity
        self.organisation = organisation

    def role_on(self, name: str) -> Role | None:
        """The person's role on plan ``name`` (``None``: they may not see it, or no such plan)."""
        with self._errors(_("reading roles")), self._transaction() as conn:
            plan_id = self._plan_id(conn, name)
            return None if plan_id is None else access.plan_role(conn, self.identity, plan_id)

    def require(self, name: str, needed: Role) -> Role:
        """The person's role on plan ``name``; :class:`AccessDeniedError` if below ``needed``.

        A plan the person may not see is reported as not stored, so its name leaks nothing.
        """
        return self._checked(self.role_on(name), name, needed)

    def organisation_roles(self) -> dict[str, Role]:
        """The person's role in each organisation they belong to, by organisation name."""
        with self._errors(_("reading roles")), self._transaction() as conn:
            return self._roles_by_name(conn)

    def can_create(self) -> bool:
        """Whether a save of a new plan would be allowed (editor in the session's organisation)."""
        if self.identity.local:
            return True
        role = self.organisation_roles().get(self.organisation or "")
        return role is not None and role.allows(Role.EDITOR)

    @property
    def identity_author(self) -> str:
        """How the audit log and the approval steps name the person."""
        return self.identity.author

    def _author(self, author: str) -> str:
        if self.identity.local:
            return super()._author(author)
        return self.identity.author

    def _actor(self, actor: str) -> str:
        if self.identity.local:
            return super()._actor(actor)
        return self.identity.author

    def _authorise(self, conn: Connection, plan_id: int | None, name: str, needed: Role) -> None:
        if plan_id is None:
            # A new plan: the person must be an editor of the organisation it goes to.
            if self.identity.local:
                return
            held = self._roles_by_name(conn).get(self.organisation or "")
            if self.organisation is None or held is None:
                raise AccessDeniedError(
                    _(
                        "{who} belongs to no organisation that could own a new plan; an "
                        "administrator gives people roles on the Admin page"
                    ).format(who=self.identity.author)
                )
            if not held.allows(needed):
                raise AccessDeniedError(self._denied_in(self.organisation, held, needed))
            return
        self._checked(access.plan_role(conn, self.identity, plan_id), name, needed)

    def _created(self, conn: Connection, plan_id: int, name: str, author: str) -> None:
        if self.organisation is None:
            return
        org_id = access.organisation_id(conn, self.organisation)
        if org_id is not None:
            access.set_plan_owner(conn, plan_id, org_id)

    def _plan_id(self, conn: Connection, name: str) -> int | None:
        found = conn.execute(select(plans.c.id).where(plans.c.name == name)).scalar_one_or_none()
        return None if found is None else int(found)

    def _checked(self, role: Role | None, name: str, needed: Role) -> Role:
        """``role`` on plan ``name`` if it allows ``needed``; a plan the person may not see
        is reported as not stored, so its name leaks nothing."""
        if role is None:
            raise PlanNotFoundError(name)
        if not role.allows(needed):
            raise AccessDeniedError(self._denied(name, role, needed))
        return role

    def _roles_by_name(self, conn: Connection) -> dict[str, Role]:
        held = access.organisation_roles(conn, self.identity)
        return {org.name: held[org.id] for org in access.list_organisations(conn) if org.id in held}

    def _administered_id(self, conn: Connection, organisation: str) -> int:
        """The organisation's id, if the person administers it; else refused."""
        org_id = access.organisation_id(conn, organisation)
        if org_id is None or org_id not in self._administered(conn):
            raise AccessDeniedError(self._not_admin(organisation))
        return org_id

    def _administered(self, conn: Connection) -> list[int]:
        return [
            org
            for org, role in access.organisation_roles(conn, self.identity).items()
            if role.allows(Role.ADMIN)
        ]

    def _denied(self, name: str, role: Role, needed: Role) -> str:
        return _(
            "{who} is a {role} of plan '{name}': this needs the {needed} role; an "
            "administrator of its organisation can give it"
        ).format(who=self.identity.author, role=role.label, name=name, needed=needed.label)

    def _denied_in(self, organisation: str, role: Role, needed: Role) -> str:
        return _(
            "{who} is a {role} in {organisation}: this needs the {needed} role; an "
            "administrator of the organisation can give it"
        ).format(
            who=self.identity.author,
            role=role.label,
            organisation=organisation,
            needed=needed.label,
        )

    def _not_admin(self, organisation: str) -> str:
        return _("{who} is not an administrator of {organisation}").format(
            who=self.identity.author, organisation=organisation
        )


def person_subject(subject: str) -> str:
    """A person as roles name them (their e-mail, lower case); refused when empty."""
    subject = subject.strip().lower()
    if not subject:
        raise WorkflowError(_("name the person by their e-mail address"))
    return subject
