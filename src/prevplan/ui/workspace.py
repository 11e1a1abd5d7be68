"""Nothing lost: each person's unsaved work kept as a draft, offered back when they return.

Who "a person" is: the signed-in user where sign-in is set up (``st.user``), else this browser
(a random id kept in a cookie, ``prevplan_client``). After every change of the plan the app
writes the plan to :class:`~prevplan.storage.DraftStore` (:func:`autosave`; only when it
changed, so a rerun without an edit writes nothing). A new session of the same person opens
the plan they had open last and, when it has unsaved changes, offers to restore or discard
them (:func:`draft_offer`). While the plan has changes not saved as a version, leaving the
page asks first (the browser's own "leave site?" prompt, :func:`client_script`).
"""

from __future__ import annotations

import json
import re
import secrets
from contextlib import suppress
from datetime import datetime
from typing import Final

import streamlit as st

from prevplan.i18n import _
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.storage import Draft, DraftStore, StorageError
from prevplan.ui import resources

CLIENT_COOKIE: Final = "prevplan_client"
OWNER: Final = "_workspace_owner"
NEW_CLIENT: Final = "_workspace_new_client"
AUTOSAVED: Final = "_workspace_autosaved"
OFFER: Final = "_workspace_offer"
OFFLINE: Final = "_workspace_offline"
"""Set when the session began without the database: the plan came from its file."""
NOT_KEPT: Final = "_workspace_not_kept"
"""Set while the last attempt to keep the draft failed (the database cannot be reached)."""
SAVE_CHOICE: Final = "_workspace_save_choice"
_CLIENT_ID: Final = re.compile(r"^[0-9a-f]{32}$")


def owner() -> str:
    """Whose drafts these are: ``user:<email>`` when signed in, else ``browser:<id>``."""
    ss = st.session_state
    found = ss.get(OWNER)
    if isinstance(found, str):
        return found
    user = _signed_in_user()
    if user:
        found = f"user:{user}"
    else:
        cookie = _cookie(CLIENT_COOKIE)
        if cookie and _CLIENT_ID.match(cookie):
            found = f"browser:{cookie}"
        else:
            new = secrets.token_hex(16)
            ss[NEW_CLIENT] = new  # the browser keeps it: see client_script
            found = f"browser:{new}"
    ss[OWNER] = found
    return found


def _signed_in_user() -> str | None:
    try:
        if st.user.is_logged_in:
            found = st.user.get("email") or st.user.get("sub")
            return str(found) if found else None
    except Exception:  # sign-in not set up on this server
        return None
    return None


def _cookie(name: str) -> str | None:
    try:
        found = st.context.cookies.get(name)
    except Exception:  # no browser (tests, bare mode)
        return None
    return str(found) if found else None


def drafts() -> DraftStore | None:
    """The drafts, in the plan store's database; ``None`` when it cannot be opened."""
    handle = resources.store_handle()
    return DraftStore(handle.store.engine) if handle.store is not None else None


def last_work() -> Draft | None:
    """The plan this person had open last (and their unsaved changes to it), if known."""
    found = drafts()
    if found is None:
        return None
    try:
        return found.last(owner())
    except StorageError:
        return None


def plan_of(draft: Draft) -> Plan | None:
    """The plan a draft holds, checked like a plan file; ``None`` if it no longer opens."""
    if draft.data is None:
        return None
    try:
        return plan_from_data(json.loads(draft.data), _("your draft"), resources.rules())
    except (ValueError, ProblemsError):
        return None


def offer(draft: Draft) -> None:
    """Ask, on the next page drawn, whether to restore ``draft`` or discard it."""
    st.session_state[OFFER] = draft


def pending_offer() -> Draft | None:
    """The draft being offered back, until the person restores or discards it."""
    found = st.session_state.get(OFFER)
    return found if isinstance(found, Draft) else None


def withdraw_offer() -> None:
    """No draft to offer any more (restored or discarded)."""
    st.session_state.pop(OFFER, None)


def mark_autosaved(fingerprint: str, saved_name: str | None, unsaved: bool) -> None:
    """The plan as it is now needs no writing (just opened, or just written)."""
    st.session_state[AUTOSAVED] = (fingerprint, saved_name or "", unsaved)


def autosave(
    plan: Plan, fingerprint: str, saved_name: str | None, base_version: int | None, unsaved: bool
) -> bool:
    """Write the plan as this person's draft if it changed since last written; whether it
    was written. A plan without unsaved changes is recorded as open, without data.

    Held while a restore is being offered for the same plan: the offered draft is not
    overwritten before the person has chosen.
    """
    ss = st.session_state
    key = saved_name or ""
    if ss.get(AUTOSAVED) == (fingerprint, key, unsaved):
        return False
    pending = pending_offer()
    if pending is not None and pending.plan_key == key:
        return False
    store = drafts()
    if store is None:
        return False
    data = (
        json.dumps(plan_to_data(plan), ensure_ascii=False, separators=(",", ":"))
        if unsaved
        else None
    )
    try:
        store.write(owner(), key, base_version, data)
    except StorageError:
        ss[NOT_KEPT] = True  # said in the sidebar; retried on the next run
        return False
    ss[AUTOSAVED] = (fingerprint, key, unsaved)
    ss.pop(NOT_KEPT, None)
    return True


def draft_kept() -> bool:
    """Whether this person's work is being kept as a draft in the database right now."""
    return not st.session_state.get(NOT_KEPT) and drafts() is not None


def started_offline(reason: str) -> str:
    """Record that the session began without the database (the plan is the sample from its
    file, not the stored one) and say so, with what happens to the person's work."""
    st.session_state[OFFLINE] = True
    return (
        _("The database cannot be reached ({reason}).").format(reason=reason)
        + " "
        + _(
            "The sample plan is open from its file, not from the database. Your changes stay "
            "in this browser tab and are kept as a draft as soon as the database is back; "
            "download the plan (JSON) from the sidebar to keep a copy on this computer."
        )
    )


def began_offline() -> bool:
    """Whether the session began without the database (see :func:`started_offline`)."""
    return bool(st.session_state.get(OFFLINE))


def ask_how_to_save(name: str, author: str, comment: str, latest_version: int) -> None:
    """A plan called ``name`` is stored already and this one did not start from it: ask
    whether to save it as a new plan or as the next version of that one (with a comparison)
    instead of reporting a conflict."""
    st.session_state[SAVE_CHOICE] = (name, author, comment, latest_version)


def pending_save_choice() -> tuple[str, str, str, int] | None:
    """The save waiting for "new plan or next version": name, author, comment, stored
    version."""
    found = st.session_state.get(SAVE_CHOICE)
    return found if isinstance(found, tuple) else None


def forget_save_choice() -> None:
    """No save waiting for a choice any more (saved, or cancelled)."""
    st.session_state.pop(SAVE_CHOICE, None)


def discard(draft: Draft) -> None:
    """Forget ``draft``'s unsaved changes (the plan stays recorded as open)."""
    store = drafts()
    if store is not None:
        with suppress(StorageError):
            store.write(draft.owner, draft.plan_key, draft.base_version, None)


def client_script(unsaved: bool) -> str:
    """The page's script: keeps this browser's id in a cookie (first visit only), and asks
    before the page is left while the plan has changes not saved as a version."""
    new = st.session_state.get(NEW_CLIENT)
    cookie = (
        f"document.cookie = {json.dumps(f'{CLIENT_COOKIE}={new}')} + "
        '"; path=/; max-age=31536000; SameSite=Lax";'
        if new
        else ""
    )
    return (
        "<script>(function () {"
        + cookie
        + f"window.prevplanUnsaved = {json.dumps(bool(unsaved))};"
        + "if (!window.prevplanLeaveGuard) {"
        + "window.prevplanLeaveGuard = true;"
        + "window.addEventListener('beforeunload', function (event) {"
        + "if (window.prevplanUnsaved) { event.preventDefault(); event.returnValue = ''; }"
        + "});}"
        + "})();</script>"
    )


def when(moment: datetime) -> str:
    """A draft's time as the reader sees it (UTC, minutes)."""
    return moment.strftime("%Y-%m-%d %H:%M") + " UTC"


def offline_panel(plan: Plan, unsaved: bool) -> None:
    """In the sidebar, while the database cannot be reached and the plan has changes: that
    they are not kept yet, and a copy to download."""
    if not unsaved or draft_kept():
        return
    st.caption(
        "⚠️ "
        + _(
            "The database cannot be reached: your changes are only in this browser tab. "
            "They are kept as a draft as soon as it is back."
        )
    )
    st.download_button(
        _("Download a copy (JSON)"),
        data=lambda: json.dumps(plan_to_data(plan), ensure_ascii=False, indent=2),
        file_name="prevplan_plan.json",
        mime="application/json",
        key="workspace.local_copy",
        width="stretch",
        on_click="ignore",
    )
