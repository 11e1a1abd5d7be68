"""Admin: organisations, who holds which role in them, roles on a single plan, which
organisation a plan belongs to, and (for an administrator of the whole deployment) the
whole audit log. Shown only to administrators; the store refuses everyone else anyway."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prevplan.i18n import _
from prevplan.storage import StorageError
from prevplan.storage.access import ROLE_ORDER, SOURCE_CLAIM, Role
from prevplan.storage.audit import audit_csv
from prevplan.storage.scoped import ScopedPlanStore
from prevplan.ui import auth, resources, state
from prevplan.ui.widgets import escape

st.title("🛡️ " + _("Admin"))
st.caption(
    _(
        "Give people roles in your organisations: a viewer reads plans; an editor also saves, "
        "comments and submits; an approver also approves or returns; an admin also assigns "
        "roles. Roles from the sign-in provider's groups are shown and follow the provider."
    )
)

handle = resources.store_handle()
opened = handle.store
person = auth.identity()
if not isinstance(opened, ScopedPlanStore) or person.local:
    st.info(_("The Admin page is for a team deployment with sign-in (PREVPLAN_AUTH=oidc)."))
    st.stop()
assert isinstance(opened, ScopedPlanStore)
store: ScopedPlanStore = opened

REMOVE = "—"
role_options = [REMOVE, *[role.value for role in ROLE_ORDER]]


def role_name(value: str) -> str:
    return _("no role (remove)") if value == REMOVE else Role(value).label


def _done(action: str) -> None:
    state.flash("success", action)


try:
    roles = store.organisation_roles()
    administered = sorted(name for name, role in roles.items() if role.allows(Role.ADMIN))
except StorageError as err:
    st.error(escape(str(err)))
    st.stop()

# --- organisations ------------------------------------------------------------------------

if person.superuser:
    with st.expander("🏢 " + _("Organisations"), expanded=not administered):
        st.markdown(", ".join(escape(org.name) for org in store.organisations()) or "—")

        @state.callback
        def create_organisation() -> None:
            name = str(st.session_state.get("admin.org.name") or "")
            try:
                store.create_organisation(name)
            except StorageError as err:
                state.flash("error", _("Not done: {reason}").format(reason=err))
                return
            st.session_state["admin.org.name"] = ""
            _done(_("Organisation {name} created.").format(name=name.strip()))

        st.text_input(_("New organisation"), key="admin.org.name")
        st.button(_("Create"), key="admin.org.create", on_click=create_organisation)

# --- members ------------------------------------------------------------------------------

st.subheader(_("People and roles"))
if not administered:
    st.info(_("You administer no organisation yet."))
else:
    members = store.members()
    if members:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _("Organisation"): m.organisation,
                        _("Person"): m.subject,
                        _("Role"): Role(m.role).label,
                        _("Given by"): _("sign-in groups")
                        if m.source == SOURCE_CLAIM
                        else _("an administrator"),
                    }
                    for m in members
                ]
            ),
            hide_index=True,
            width="stretch",
        )

    @state.callback
    def set_role() -> None:
        org = str(st.session_state.get("admin.member.org") or "")
        subject = str(st.session_state.get("admin.member.subject") or "")
        value = str(st.session_state.get("admin.member.role") or REMOVE)
        try:
            store.set_member_role(org, subject, None if value == REMOVE else Role(value))
        except StorageError as err:
            state.flash("error", _("Not done: {reason}").format(reason=err))
            return
        _done(
            _("{person} in {organisation}: {role}.").format(
                person=subject.strip().lower(), organisation=org, role=role_name(value)
            )
        )

    with st.container(border=True):
        a, b, c = st.columns([2, 3, 2])
        a.selectbox(_("Organisation"), options=administered, key="admin.member.org")
        b.text_input(
            _("Person (e-mail address)"),
            key="admin.member.subject",
            placeholder="name@ministry.example",
        )
        c.selectbox(
            _("Role"),
            options=role_options,
            index=1,
            format_func=role_name,
            key="admin.member.role",
        )
        st.button(_("Give the role"), key="admin.member.set", on_click=set_role, type="primary")

# --- plans --------------------------------------------------------------------------------

st.subheader(_("Roles on one plan"))
try:
    plan_names = [
        s.name for s in store.list_plans() if (store.role_on(s.name) or Role.VIEWER) is Role.ADMIN
    ]
except StorageError as err:
    st.error(escape(str(err)))
    plan_names = []
if not plan_names:
    st.caption(_("You administer no stored plan."))
else:
    chosen = st.selectbox(_("Stored plan"), options=plan_names, key="admin.plan")
    access = store.plan_access(chosen)
    st.caption(
        _("Belongs to: {organisation}").format(
            organisation=escape(access.organisation or _("no organisation"))
        )
    )
    grants = store.plan_roles(chosen)
    if grants:
        st.dataframe(
            pd.DataFrame(
                [{_("Person"): who, _("Role"): role.label} for who, role in grants.items()]
            ),
            hide_index=True,
            width="stretch",
        )

    @state.callback
    def set_plan_role() -> None:
        subject = str(st.session_state.get("admin.grant.subject") or "")
        value = str(st.session_state.get("admin.grant.role") or REMOVE)
        try:
            store.set_plan_role(chosen, subject, None if value == REMOVE else Role(value))
        except StorageError as err:
            state.flash("error", _("Not done: {reason}").format(reason=err))
            return
        _done(
            _("{person} on plan {plan}: {role}.").format(
                person=subject.strip().lower(), plan=chosen, role=role_name(value)
            )
        )

    with st.container(border=True):
        a, b = st.columns([3, 2])
        a.text_input(_("Person (e-mail address)"), key="admin.grant.subject")
        b.selectbox(
            _("Role"), options=role_options, index=1, format_func=role_name, key="admin.grant.role"
        )
        st.button(_("Give the role on this plan"), key="admin.grant.set", on_click=set_plan_role)

    if administered:

        @state.callback
        def give_plan() -> None:
            org = str(st.session_state.get("admin.owner.org") or "")
            try:
                store.give_plan(chosen, org)
            except StorageError as err:
                state.flash("error", _("Not done: {reason}").format(reason=err))
                return
            _done(_("Plan {plan} belongs to {organisation}.").format(plan=chosen, organisation=org))

        with st.container(border=True):
            a, b = st.columns([3, 2])
            a.selectbox(
                _("Give the plan to the organisation"), options=administered, key="admin.owner.org"
            )
            b.button(_("Give"), key="admin.owner.give", on_click=give_plan, width="stretch")

if person.superuser:
    st.subheader(_("The whole audit log"))
    lines = store.full_audit_log()
    st.caption(_("{n} lines.").format(n=len(lines)))
    st.download_button(
        "⬇️ " + _("Export the audit log (CSV)"),
        data=audit_csv(lines),
        file_name="prevplan_audit_log_all.csv",
        mime="text/csv",
        key="admin.audit.download",
        on_click="ignore",
    )
