"""Sign-in for a team, and the single-user default: who a session acts for.

Alone on one machine prevplan needs no sign-in: it listens on 127.0.0.1 only and the one
person there may do everything (:data:`~prevplan.storage.access.LOCAL`). For a team it runs
with ``PREVPLAN_AUTH=oidc`` against the organisation's OpenID Connect provider through
Streamlit's ``st.login``: the provider is configured in ``.streamlit/secrets.toml``
(``[auth]``) or, when that has no ``[auth]`` section, from the environment
(:data:`ENV_SETTINGS`), which this module hands to Streamlit's secrets when the app starts.
Served beyond loopback without sign-in, prevplan shows no plan at all and says how to
configure it.

A signed-in person is named by their e-mail (else the provider's ``sub``); their roles come
from the Admin page and from the provider's group claim (``prevplan/<organisation>/<role>``,
``prevplan/admin`` for an administrator of the whole deployment), synchronised once per
session; ``PREVPLAN_ADMINS`` lists deployment administrators by e-mail (the first one has to
come from somewhere). The session's store is a
:class:`~prevplan.storage.scoped.ScopedPlanStore` for that person, so every page sees only
their plans and the storage refuses what their role does not allow.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import replace
from typing import Final

import streamlit as st

from prevplan.i18n import _
from prevplan.storage import SqlPlanStore, StorageError
from prevplan.storage.access import LOCAL, Identity, Role, roles_from_groups, subject_of
from prevplan.storage.scoped import PlanAccess, ScopedPlanStore, scoped

AUTH_ENV: Final = "PREVPLAN_AUTH"
ADMINS_ENV: Final = "PREVPLAN_ADMINS"
GROUPS_CLAIM_ENV: Final = "PREVPLAN_GROUPS_CLAIM"
#: Settings of the ``[auth]`` section read from the environment, when secrets have none.
ENV_SETTINGS: Final = {
    "server_metadata_url": "PREVPLAN_OIDC_METADATA_URL",
    "client_id": "PREVPLAN_OIDC_CLIENT_ID",
    "client_secret": "PREVPLAN_OIDC_CLIENT_SECRET",
    "redirect_uri": "PREVPLAN_OIDC_REDIRECT_URI",
    "cookie_secret": "PREVPLAN_OIDC_COOKIE_SECRET",
}
ISSUER_ENV: Final = "PREVPLAN_OIDC_ISSUER"
#: Streamlit's own setting for the key that signs its cookies, read when the server starts.
STREAMLIT_COOKIE_ENV: Final = "STREAMLIT_SERVER_COOKIE_SECRET"
LOOPBACK_SCHEME: Final = "http" + "://"
LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

_LOG: Final = logging.getLogger(__name__)

IDENTITY: Final = "_prevplan_identity"
SYNCED: Final = "_prevplan_claims_synced"
ORGANISATION: Final = "auth.organisation"
AUTHOR_KEY: Final = "save.author"


def gate_language() -> str:
    """The language of the sign-in screen: the session's, else the address's ``?lang=``."""
    from prevplan.i18n import LANGUAGES

    found = st.session_state.get("lang") or st.query_params.get("lang")
    return str(found) if found in LANGUAGES else "en"


def auth_mode() -> str:
    """``oidc`` for sign-in with the organisation's provider, else ``""`` (one person)."""
    return os.environ.get(AUTH_ENV, "").strip().lower()


def team_mode() -> bool:
    """Whether sign-in is switched on."""
    return auth_mode() == "oidc"


def on_loopback() -> bool:
    """Whether the server listens on this machine only (``server.address``)."""
    address = str(st.get_option("server.address") or "").strip().lower()
    return address in LOOPBACK


def identity() -> Identity:
    """Who this session acts for (the single-user default when nobody signed in)."""
    found = st.session_state.get(IDENTITY)
    return found if isinstance(found, Identity) else LOCAL


def organisation() -> str | None:
    """The organisation a new plan of this session goes to."""
    found = st.session_state.get(ORGANISATION)
    return str(found) if found else None


def scoped_store(store: SqlPlanStore) -> ScopedPlanStore:
    """``store`` as this session's person sees it (one person on loopback: named, in the
    approval steps and comments, by the name typed in the Plan page's save form)."""
    person = identity()
    typed = str(st.session_state.get(AUTHOR_KEY) or "").strip()
    if person.local and typed:
        person = replace(person, name=typed)
    return scoped(store, person, organisation())


def author_locked() -> bool:
    """Whether version authors come from the signed-in identity (not typed)."""
    return not identity().local


# ---------------------------------------------------------------------------- the gate


def require_access() -> None:
    """Let the session in, or show why not and stop the page.

    One person on loopback: in, as :data:`LOCAL`. Beyond loopback without sign-in: no plan,
    only how to configure it. With ``PREVPLAN_AUTH=oidc``: the sign-in screen until the
    provider says who it is.
    """
    mode = auth_mode()
    if mode not in ("", "none", "oidc"):
        _refuse(
            _(
                "PREVPLAN_AUTH is set to '{value}'; prevplan knows 'oidc' (sign-in) or nothing."
            ).format(value=mode)
        )
    if mode != "oidc":
        if not on_loopback():
            _refuse(
                _(
                    "prevplan is served beyond this machine (server.address = '{address}') "
                    "without sign-in, so it shows no plan. Set PREVPLAN_AUTH=oidc and configure "
                    "your organisation's OpenID Connect provider (docs/deployment.md), or serve "
                    "it on 127.0.0.1 for one person."
                ).format(address=st.get_option("server.address") or "0.0.0.0")
            )
        st.session_state[IDENTITY] = LOCAL
        return
    missing = configure_provider()
    if missing:
        _refuse(
            _(
                "Sign-in is switched on (PREVPLAN_AUTH=oidc) but the provider is not configured: "
                "set {names}, or an [auth] section in .streamlit/secrets.toml "
                "(docs/deployment.md)."
            ).format(names=", ".join(missing))
        )
    if not st.user.is_logged_in:
        sign_in_screen()
        st.stop()
    person = identity_from_claims(st.user.to_dict())
    st.session_state[IDENTITY] = person
    st.session_state[AUTHOR_KEY] = person.author
    _sync_claims(person, st.user.to_dict())
    identity_panel(person)


def configure_provider() -> list[str]:
    """Give Streamlit an ``[auth]`` section from the environment when secrets have none.

    Returns the environment variables still missing (nothing when secrets or the
    environment configure the provider).
    """
    from streamlit.runtime.secrets import SecretsValue, secrets_singleton

    if secrets_singleton.load_if_toml_exists() and secrets_singleton.get("auth"):
        return []
    settings = {key: os.environ.get(name, "").strip() for key, name in ENV_SETTINGS.items()}
    settings["cookie_secret"] = _cookie_secret(settings["cookie_secret"])
    issuer = os.environ.get(ISSUER_ENV, "").strip().rstrip("/")
    if not settings["server_metadata_url"] and issuer:
        settings["server_metadata_url"] = issuer + "/.well-known/openid-configuration"
    if not settings["redirect_uri"] and on_loopback():
        address = str(st.get_option("server.address"))
        # Plain HTTP is right only here, on this machine; beyond it the URI must be given.
        settings["redirect_uri"] = f"{LOOPBACK_SCHEME}{address}:{{port}}/oauth2callback"
    missing = [ENV_SETTINGS[key] for key, value in settings.items() if not value]
    if missing:
        return missing
    section: dict[str, SecretsValue] = dict(settings)
    secrets_singleton.merge_programmatic_secrets({"auth": section})
    return []


def _cookie_secret(given: str) -> str:
    """The key that signs the sign-in cookie: ``PREVPLAN_OIDC_COOKIE_SECRET``, else
    Streamlit's own ``STREAMLIT_SERVER_COOKIE_SECRET``.

    Configured from the environment, the ``[auth]`` section reaches Streamlit when the first
    session runs the app; but Streamlit checks a returning browser's cookie when its
    connection opens, before that, with ``server.cookieSecret`` — random for each process
    unless ``STREAMLIT_SERVER_COOKIE_SECRET`` is set when the server starts. Without it the
    first session after every restart must sign in again (and, behind a proxy with several
    processes, the first on each). So it is accepted alone, and its absence is logged once.
    """
    from streamlit import config

    started = (
        str(config.get_option("server.cookieSecret"))
        if config.is_manually_set("server.cookieSecret")
        else ""
    )
    secret = given or started
    if secret and started != secret and not _WARNED:
        _WARNED.add(True)
        _LOG.warning(
            "%s is not set to the sign-in cookie secret when the server starts: the first "
            "session after every restart must sign in again (docs/deployment.md)",
            STREAMLIT_COOKIE_ENV,
        )
    return secret


_WARNED: Final[set[bool]] = set()


def identity_from_claims(claims: Mapping[str, object]) -> Identity:
    """The person the provider's claims describe."""
    subject = subject_of(claims)
    email = claims.get("email")
    name = claims.get("name") or claims.get("preferred_username") or email or subject
    _claimed, group_admin = roles_from_groups(_groups(claims))
    admins = {
        part.strip().lower() for part in os.environ.get(ADMINS_ENV, "").split(",") if part.strip()
    }
    return Identity(
        subject=subject,
        name=str(name),
        email=str(email) if isinstance(email, str) else None,
        superuser=group_admin or subject in admins,
    )


def _groups(claims: Mapping[str, object]) -> list[str]:
    found = claims.get(os.environ.get(GROUPS_CLAIM_ENV, "").strip() or "groups")
    if isinstance(found, str):
        return [found]
    if isinstance(found, list | tuple):
        return [str(group) for group in found]
    return []


def _sync_claims(person: Identity, claims: Mapping[str, object]) -> None:
    """Once per session: the roles the provider's group claim gives, as the provider says."""
    if st.session_state.get(SYNCED) == person.subject:
        return
    from prevplan.ui import resources

    handle = resources.store_handle()
    if handle.store is None:
        return
    claimed, _admin = roles_from_groups(_groups(claims))
    try:
        scoped(handle.store, person).sync_claimed_roles(claimed)
    except StorageError as err:
        st.warning(
            _("Your roles from the sign-in could not be recorded: {reason}").format(reason=err)
        )
        return
    st.session_state[SYNCED] = person.subject


def _refuse(message: str) -> None:
    st.title("🧭 prevplan")
    st.error(message, icon="🔒")
    st.stop()


def sign_in_screen() -> None:
    """What a visitor who has not signed in sees: what prevplan is, and the sign-in button."""
    st.title("🧭 prevplan")
    st.markdown(
        "#### "
        + _(
            "Plan drug-use prevention on the SCO Concept on Preventing the Abuse of Narcotic "
            "Drugs and Psychotropic Substances."
        )
    )
    with st.container(border=True):
        st.markdown("**" + _("Sign in to see your organisation's plans") + "**")
        st.caption(
            _(
                "prevplan is shared by your team. Sign in with your organisation's account; "
                "you will see the plans of the organisations you belong to, with the role an "
                "administrator gave you."
            )
        )
        if st.button("🔑 " + _("Sign in"), key="auth.sign_in", type="primary"):
            st.login()


# ---------------------------------------------------------------------------- the sidebar


def identity_panel(person: Identity) -> None:
    """Who is signed in, the organisation new plans go to, their roles, and Sign out."""
    from prevplan.ui import resources

    handle = resources.store_handle()
    roles: dict[str, Role] = {}
    if handle.store is not None:
        try:
            roles = scoped(handle.store, person).organisation_roles()
        except StorageError:
            roles = {}
    with st.sidebar:
        st.markdown("**" + _("Signed in") + "**")
        st.caption(_escape(person.author))
        if person.superuser:
            st.caption(_("Administrator of the whole deployment"))
        if roles:
            names = sorted(roles)
            if st.session_state.get(ORGANISATION) not in names:
                editable = [name for name in names if roles[name].allows(Role.EDITOR)]
                st.session_state[ORGANISATION] = (editable or names)[0]
            st.selectbox(
                _("Organisation"),
                options=names,
                key=ORGANISATION,
                format_func=lambda name: f"{name} · {roles[name].label}",
                help=_("New plans you save belong to this organisation."),
            )
        else:
            st.session_state[ORGANISATION] = None
            st.caption(_("You belong to no organisation yet: ask an administrator for a role."))
        st.button(_("Sign out"), key="auth.sign_out", on_click=st.logout, width="stretch")


def team_pages() -> list[st.Page]:
    """The team's pages: approval and audit for everyone; Admin for administrators."""
    pages = [st.Page("app_pages/approval.py", title=_("Approval and audit"), icon="✔️")]
    person = identity()
    if person.local:
        return pages
    if person.superuser or _administers_any(person):
        pages.append(st.Page("app_pages/admin.py", title=_("Admin"), icon="🛡️"))
    return pages


def _administers_any(person: Identity) -> bool:
    from prevplan.ui import resources

    handle = resources.store_handle()
    if handle.store is None:
        return False
    try:
        roles = scoped(handle.store, person).organisation_roles().values()
    except StorageError:
        return False
    return any(role.allows(Role.ADMIN) for role in roles)


def save_refusal(name: str | None) -> str | None:
    """Why this session may not save plan ``name`` now (``None``: it may).

    The Plan page greys its Save button out with this reason; the store refuses the save
    anyway (:class:`~prevplan.storage.errors.AccessDeniedError`, ``PlanLockedError``).
    """
    return _refusal(name, editing=False)


def edit_refusal() -> str | None:
    """Why this session may not change the plan it has open (``None``: it may), in one line
    that says whom to ask: it reads the plan as a viewer, or the plan's latest version is
    submitted or approved (frozen).

    Every page that changes the plan disables its editors with this reason; saving is
    refused by the store whatever the page shows.
    """
    from prevplan.ui import state

    return _refusal(state.saved_name(), editing=True)


def read_only_notice(refusal: str | None) -> bool:
    """Show ``refusal`` as the page's one-line read-only notice; whether the page is read-only."""
    if refusal is None:
        return False
    st.info(escape_text(refusal), icon="🔒")
    return True


def _refusal(name: str | None, *, editing: bool) -> str | None:
    from prevplan.storage.errors import PlanNotFoundError
    from prevplan.ui import resources

    store = resources.store_handle().store
    if store is None:
        return None
    if not isinstance(store, ScopedPlanStore):
        store = scoped_store(store)
    try:
        if name is None or store.role_on(name) is None:
            if store.can_create():
                return None
            return _(
                "You hold no editor role in an organisation, so you cannot save a new plan; "
                "an administrator of your organisation can give you one."
            )
        found = store.plan_access(name)
    except (StorageError, PlanNotFoundError) as err:
        return str(err)
    if not found.role.allows(Role.EDITOR):
        if editing:
            return _(
                "You are a {role} of this plan: you can read it, not change it; an "
                "administrator of its organisation can make you an editor."
            ).format(role=found.role.label)
        return _("You are a {role} of this plan: you can read it, not save it.").format(
            role=found.role.label
        )
    return _status_refusal(found, editing=editing)


def _status_refusal(found: PlanAccess, *, editing: bool) -> str | None:
    """Why a plan in ``found.status`` takes no change (``None``: a draft takes changes)."""
    from prevplan.storage.workflow import Status

    if found.status is Status.SUBMITTED and editing:
        return _(
            "Version {version} is submitted for approval, so the plan is frozen until an "
            "approver returns it (Approval and audit page)."
        ).format(version=found.latest_version)
    if found.status is Status.APPROVED and editing:
        return _(
            "Version {version} is approved, so the plan is frozen; an editor starts a new "
            "revision on the Approval and audit page."
        ).format(version=found.latest_version)
    if found.status in (Status.SUBMITTED, Status.APPROVED):
        return _(
            "Version {version} is {status}: the plan takes no new version now (see the "
            "Approval and audit page)."
        ).format(version=found.latest_version, status=found.status.label)
    return None


def escape_text(text: str) -> str:
    """``text`` with Markdown's special characters escaped."""
    return _escape(text)


def _escape(text: str) -> str:
    from prevplan.ui.widgets import escape  # imported here: widgets needs state, state auth

    return escape(text)
