"""Who may see and change which plan: organisations, people's roles, and plan ownership.

A team deployment serves several organisations from one database — a ministry, a regional
health department, NGOs — and each plan belongs to one of them. A person holds a role in
an organisation (``viewer`` < ``editor`` < ``approver`` < ``admin``), given by an
administrator in the app or read at sign-in from the identity provider's group claim, and
may also hold a role on one plan (a reviewer from another organisation, say). A person's
role on a plan is the highest of the two; without either they do not see it at all.

The roles mean: a *viewer* reads a plan, its history, comments and audit log; an *editor*
also saves versions, restores them, comments and submits a version for approval; an
*approver* also approves a submitted version or returns it with comments; an *admin* also
assigns roles in the organisation and removes plans. An administrator of the whole
deployment (:attr:`Identity.superuser`) sees every plan, including plans stored before
organisations existed, and creates organisations.

People are named by their *subject*: their e-mail address when the provider gives one (what
an administrator knows and types), else the provider's ``sub``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import Connection, and_, delete, insert, select, update

from prevplan.i18n import N_, _
from prevplan.storage.records import Membership, Organisation
from prevplan.storage.schema import memberships, organisations, plan_grants, plan_owners


class Role(StrEnum):
    """What a person may do in an organisation or on a plan; each includes the ones below."""

    VIEWER = "viewer"
    EDITOR = "editor"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """The role's place in the order viewer < editor < approver < admin."""
        return ROLE_ORDER.index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role includes ``needed``."""
        return self.rank >= needed.rank

    @property
    def label(self) -> str:
        """The role's name in the current language."""
        return _(ROLE_LABELS[self])


ROLE_ORDER: Final = (Role.VIEWER, Role.EDITOR, Role.APPROVER, Role.ADMIN)
ROLE_LABELS: Final = {
    Role.VIEWER: N_("viewer"),
    Role.EDITOR: N_("editor"),
    Role.APPROVER: N_("approver"),
    Role.ADMIN: N_("admin"),
}

#: Where a membership comes from: given in the app, or read from the provider's group claim.
SOURCE_ADMIN: Final = "admin"
SOURCE_CLAIM: Final = "claim"

#: The first part of a group that gives prevplan roles (``prevplan/<organisation>/<role>``).
GROUP_PREFIX: Final = "prevplan"
#: A group naming an administrator of the whole deployment (``prevplan/admin``).
DEPLOYMENT_ADMIN_GROUP: Final = "admin"


@dataclass(frozen=True)
class Identity:
    """The person a session acts for.

    ``local`` is the single-user default (no sign-in, on loopback only): the author of a
    version is typed by hand and every plan is open. ``superuser`` is an administrator of
    the whole deployment.
    """

    subject: str
    name: str = ""
    email: str | None = None
    superuser: bool = False
    local: bool = False

    @property
    def author(self) -> str:
        """How versions, comments and the audit log name this person."""
        if self.name and self.email and self.name != self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email or self.subject


#: The single-user default: everything is open; version authors are typed by hand.
LOCAL: Final = Identity(subject="local", name="", superuser=True, local=True)


def same_person(author: str, person: Identity) -> bool:
    """Whether a stored author or actor (``Name <e-mail>``, an e-mail or a ``sub``) names
    ``person`` — by their subject, so a changed display name still matches."""
    author = author.strip()
    if author == person.author:
        return True
    subject = person.subject.lower()
    if author.lower() == subject:
        return True
    return author.endswith(">") and author.rsplit("<", 1)[-1][:-1].strip().lower() == subject


def subject_of(claims: Mapping[str, object]) -> str:
    """The subject prevplan names a signed-in person by: e-mail (lower case), else ``sub``."""
    email = claims.get("email")
    if isinstance(email, str) and email.strip():
        return email.strip().lower()
    return str(claims.get("sub") or "").strip()


def roles_from_groups(groups: Iterable[str]) -> tuple[list[tuple[str, Role]], bool]:
    """The ``(organisation, role)`` pairs a group claim gives, and whether it names a
    deployment administrator.

    A group ``prevplan/<organisation>/<role>`` (Keycloak writes group paths with a leading
    ``/``; ``:`` also separates) gives ``role`` in ``organisation``; ``prevplan/admin``
    makes a deployment administrator. Other groups, and unknown roles, are ignored.
    """
    found: list[tuple[str, Role]] = []
    admin = False
    for group in groups:
        if not isinstance(group, str):
            continue
        parts = [part.strip() for part in group.replace(":", "/").strip("/").split("/")]
        if not parts or parts[0].lower() != GROUP_PREFIX:
            continue
        if len(parts) == 2 and parts[1].lower() == DEPLOYMENT_ADMIN_GROUP:
            admin = True
        elif len(parts) == 3 and parts[1] and parts[2].lower() in ROLE_LABELS:
            found.append((parts[1], Role(parts[2].lower())))
    return found, admin


# ---------------------------------------------------------------------------- organisations


def organisation_id(conn: Connection, name: str) -> int | None:
    found = conn.execute(
        select(organisations.c.id).where(organisations.c.name == name)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def ensure_organisation(conn: Connection, name: str) -> int:
    """The organisation called ``name``, created if it does not exist yet."""
    found = organisation_id(conn, name)
    if found is not None:
        return found
    result = conn.execute(insert(organisations).values(name=name, created_at=datetime.now(UTC)))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def list_organisations(conn: Connection) -> list[Organisation]:
    rows = conn.execute(
        select(organisations.c.id, organisations.c.name).order_by(organisations.c.name)
    ).all()
    return [Organisation(id=row.id, name=row.name) for row in rows]


# ---------------------------------------------------------------------------- memberships


def set_membership(
    conn: Connection, org_id: int, subject: str, role: Role | None, source: str
) -> Role | None:
    """Give ``subject`` ``role`` in the organisation (``None`` removes it); the role before."""
    where = and_(
        memberships.c.organisation_id == org_id,
        memberships.c.subject == subject,
        memberships.c.source == source,
    )
    before = conn.execute(select(memberships.c.role).where(where)).scalar_one_or_none()
    now = datetime.now(UTC)
    if role is None:
        conn.execute(delete(memberships).where(where))
    elif before is None:
        conn.execute(
            insert(memberships).values(
                organisation_id=org_id, subject=subject, role=role, source=source, updated_at=now
            )
        )
    else:
        conn.execute(update(memberships).where(where).values(role=role, updated_at=now))
    return None if before is None else Role(before)


def sync_claimed_roles(
    conn: Connection, subject: str, claimed: Sequence[tuple[str, Role]]
) -> list[tuple[str, Role | None, Role | None]]:
    """Make ``subject``'s roles from the group claim exactly ``claimed``.

    Organisations named in the claim are created. Returns what changed, as
    ``(organisation, before, after)``.
    """
    wanted: dict[int, tuple[str, Role]] = {}
    for org_name, role in claimed:
        org = ensure_organisation(conn, org_name)
        if org not in wanted or role.rank > wanted[org][1].rank:
            wanted[org] = (org_name, role)
    rows = conn.execute(
        select(memberships.c.organisation_id, memberships.c.role, organisations.c.name)
        .join(organisations, organisations.c.id == memberships.c.organisation_id)
        .where(and_(memberships.c.subject == subject, memberships.c.source == SOURCE_CLAIM))
    ).all()
    held = {int(row.organisation_id): (str(row.name), Role(row.role)) for row in rows}
    changes: list[tuple[str, Role | None, Role | None]] = []
    for org, (org_name, role) in held.items():
        if org not in wanted:
            set_membership(conn, org, subject, None, SOURCE_CLAIM)
            changes.append((org_name, role, None))
    for org, (org_name, role) in wanted.items():
        before = held.get(org, (org_name, None))[1]
        if before != role:
            set_membership(conn, org, subject, role, SOURCE_CLAIM)
            changes.append((org_name, before, role))
    return changes


def list_memberships(
    conn: Connection, *, subject: str | None = None, org_ids: Iterable[int] | None = None
) -> list[Membership]:
    query = select(
        memberships.c.subject,
        memberships.c.role,
        memberships.c.source,
        organisations.c.id,
        organisations.c.name,
    ).join(organisations, organisations.c.id == memberships.c.organisation_id)
    if subject is not None:
        query = query.where(memberships.c.subject == subject)
    if org_ids is not None:
        query = query.where(memberships.c.organisation_id.in_(list(org_ids)))
    rows = conn.execute(query.order_by(organisations.c.name, memberships.c.subject)).all()
    return [
        Membership(
            organisation_id=row.id,
            organisation=row.name,
            subject=row.subject,
            role=row.role,
            source=row.source,
        )
        for row in rows
    ]


def organisation_roles(conn: Connection, identity: Identity) -> dict[int, Role]:
    """The person's role in each organisation they belong to (the highest of any source)."""
    if identity.superuser:
        return {org.id: Role.ADMIN for org in list_organisations(conn)}
    roles: dict[int, Role] = {}
    for member in list_memberships(conn, subject=identity.subject):
        role = Role(member.role)
        held = roles.get(member.organisation_id)
        if held is None or role.rank > held.rank:
            roles[member.organisation_id] = role
    return roles


# ---------------------------------------------------------------------------- plans


def plan_owner(conn: Connection, plan_id: int) -> int | None:
    found = conn.execute(
        select(plan_owners.c.organisation_id).where(plan_owners.c.plan_id == plan_id)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def set_plan_owner(conn: Connection, plan_id: int, org_id: int) -> int | None:
    """Make the organisation the plan's owner; the owner before."""
    before = plan_owner(conn, plan_id)
    if before is None:
        conn.execute(insert(plan_owners).values(plan_id=plan_id, organisation_id=org_id))
    elif before != org_id:
        conn.execute(
            update(plan_owners)
            .where(plan_owners.c.plan_id == plan_id)
            .values(organisation_id=org_id)
        )
    return before


def set_plan_grant(conn: Connection, plan_id: int, subject: str, role: Role | None) -> Role | None:
    """Give ``subject`` ``role`` on one plan (``None`` removes it); the role before."""
    where = and_(plan_grants.c.plan_id == plan_id, plan_grants.c.subject == subject)
    before = conn.execute(select(plan_grants.c.role).where(where)).scalar_one_or_none()
    now = datetime.now(UTC)
    if role is None:
        conn.execute(delete(plan_grants).where(where))
    elif before is None:
        conn.execute(
            insert(plan_grants).values(plan_id=plan_id, subject=subject, role=role, updated_at=now)
        )
    else:
        conn.execute(update(plan_grants).where(where).values(role=role, updated_at=now))
    return None if before is None else Role(before)


def plan_grants_of(conn: Connection, plan_id: int) -> dict[str, Role]:
    rows = conn.execute(
        select(plan_grants.c.subject, plan_grants.c.role)
        .where(plan_grants.c.plan_id == plan_id)
        .order_by(plan_grants.c.subject)
    ).all()
    return {str(row.subject): Role(row.role) for row in rows}


def plan_role(conn: Connection, identity: Identity, plan_id: int) -> Role | None:
    """The person's role on a plan: the highest of their role in its organisation and any
    role given on the plan itself; ``None`` when they may not even see it."""
    if identity.superuser:
        return Role.ADMIN
    roles: list[Role] = []
    owner = plan_owner(conn, plan_id)
    if owner is not None:
        held = organisation_roles(conn, identity).get(owner)
        if held is not None:
            roles.append(held)
    granted = plan_grants_of(conn, plan_id).get(identity.subject)
    if granted is not None:
        roles.append(granted)
    return max(roles, key=lambda role: role.rank) if roles else None


def visible_plan_ids(conn: Connection, identity: Identity) -> set[int] | None:
    """The plans the person may see; ``None`` means every plan (a deployment administrator)."""
    if identity.superuser:
        return None
    orgs = list(organisation_roles(conn, identity))
    owned = conn.execute(
        select(plan_owners.c.plan_id).where(plan_owners.c.organisation_id.in_(orgs))
    ).scalars()
    granted = conn.execute(
        select(plan_grants.c.plan_id).where(plan_grants.c.subject == identity.subject)
    ).scalars()
    return {int(found) for found in owned} | {int(found) for found in granted}


__all__: Sequence[str] = (
    "LOCAL",
    "ROLE_ORDER",
    "Identity",
    "Role",
    "roles_from_groups",
    "same_person",
    "subject_of",
)
