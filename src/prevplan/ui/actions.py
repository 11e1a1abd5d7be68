"""What the app's buttons do to the session's plan: load samples, open and save versions,
add a recommendation. Each is a Streamlit callback (run before the page, in the session's
language, errors shown as a message) that ends with a one-line flash message."""

from __future__ import annotations

from typing import Final

import streamlit as st

from prevplan.i18n import _, ngettext
from prevplan.plan.from_recommendation import activities_from_recommendation
from prevplan.plan.models import Activity, Plan
from prevplan.problems import ProblemsError
from prevplan.storage import ConflictError, StorageError
from prevplan.ui import resources, state
from prevplan.ui.plans import SAMPLE_INVENTORY, add_activities, fingerprint


def _open_with_store_info(plan: Plan, label: str) -> None:
    """Open ``plan``; if a plan of that name is stored, saving will add a version to it."""
    handle = resources.store_handle()
    name: str | None = None
    version: int | None = None
    same = False
    if handle.store is not None:
        try:
            found = {s.name: s for s in handle.store.list_plans()}.get(plan.name)
            if found is not None:
                name, version = found.name, found.latest_version
                same = fingerprint(handle.store.load(found.name)) == fingerprint(plan)
        except (StorageError, ProblemsError):
            name, version = None, None
    state.open_plan(plan, label, name, version)
    if name is not None and not same:
        # Saving will add a version on top of the stored one; until then the difference shows.
        state.forget_saved_fingerprint()


@state.callback
def load_sample_plan() -> None:
    try:
        plan = resources.sample_plan()
    except ProblemsError as err:
        state.flash("error", _("The sample plan could not be read:") + "\n\n" + str(err))
        return
    _open_with_store_info(plan, _("opened the sample national plan"))
    state.flash("success", _("The sample national plan is open."))


def inventory_available() -> bool:
    return SAMPLE_INVENTORY.exists()


@state.callback
def load_sample_inventory() -> None:
    # Imported here: openpyxl is a slow import that the first page does not need.
    from prevplan.inventory.reader import read_inventory

    try:
        plan = read_inventory(SAMPLE_INVENTORY, rules=resources.rules())
    except ProblemsError as err:
        state.flash("error", _("The sample inventory could not be read:") + "\n\n" + str(err))
        return
    _open_with_store_info(plan, _("opened the sample NGO inventory"))
    state.flash("success", _("The sample NGO inventory is open as the current plan."))


def missing_activities(plan: Plan, proposed: list[Activity]) -> list[Activity]:
    """The proposed activities whose intervention (or, for a strategy alone, whose strategy)
    the population's activities in ``plan`` do not deliver yet: adding a recommendation
    twice — a second press, a double click — adds nothing the second time."""
    out: list[Activity] = []
    delivered: dict[str, tuple[set[str], set[str]]] = {}
    for activity in plan.activities:
        interventions, strategies = delivered.setdefault(activity.population_id, (set(), set()))
        interventions.update(activity.interventions)
        strategies.update(activity.strategies)
    for activity in proposed:
        interventions, strategies = delivered.get(activity.population_id, (set(), set()))
        if activity.interventions:
            if set(activity.interventions) <= interventions:
                continue
        elif set(activity.strategies) <= strategies:
            continue
        out.append(activity)
    return out


@state.callback
def add_recommendation(population_id: str) -> None:
    """Add the recommended activities the plan does not have yet for one population."""
    plan = state.plan()
    population = plan.population(population_id)
    if population is None:
        state.flash("warning", _("That population is no longer in the plan."))
        return
    recommendation = resources.recommendation(population)
    proposed = activities_from_recommendation(
        population, recommendation, resources.rules(), {a.id for a in plan.activities}
    )
    activities = missing_activities(plan, proposed)
    name = population.name or population.id
    if not activities:
        state.flash(
            "info",
            _(
                "The plan already has every recommended activity for {name}; nothing was added."
            ).format(name=name),
        )
        return
    state.set_plan(
        add_activities(plan, activities),
        _("added the recommendation for {name}").format(name=name),
    )
    count = len(activities)
    state.flash(
        "success",
        ngettext(
            "Added {n} activity for {name} to the plan: {added}.",
            "Added {n} activities for {name} to the plan: {added}.",
            count,
        ).format(n=count, name=name, added="; ".join(a.name or a.id for a in activities))
        + " "
        + _("Set their reach, cost and executor on the Plan page."),
    )


def save_plan(name: str, author: str, comment: str) -> None:
    """Save the session's plan as a new version; a conflict keeps the edits and says why."""
    handle = resources.store_handle()
    if handle.store is None:
        state.flash("error", _("Plans cannot be saved: {error}").format(error=handle.error))
        return
    plan = state.plan()
    if name != plan.name:
        plan = plan.model_copy(update={"name": name})
        state.set_plan(plan, _("renamed the plan to {name}").format(name=name))
    base = state.base_version() if state.saved_name() == name else None
    try:
        info = handle.store.save(plan, author=author, comment=comment, base_version=base)
    except ConflictError as err:
        if base is None and err.latest is not None:
            # Not a colleague's change to the plan being edited: another plan of this name
            # (the stored sample, when the session began without the database). Ask.
            from prevplan.ui import workspace

            workspace.ask_how_to_save(name, author, comment, err.latest.version)
            state.flash(
                "info",
                _(
                    "A plan named {name} is already stored. Choose below whether to save yours "
                    "as a new plan or as its next version."
                ).format(name=name),
            )
            return
        state.flash(
            "warning",
            _("Not saved: {reason}.").format(reason=err)
            + " "
            + _(
                "Your edits are still here. Open the latest version to see your colleague's "
                "changes, or save your plan under another name."
            ),
        )
        return
    except (StorageError, ProblemsError, ValueError) as err:
        state.flash("error", _("Not saved: {reason}").format(reason=err))
        return
    state.mark_saved(info.name, info.version)
    state.flash("success", _("Saved {name} as version {v}.").format(name=info.name, v=info.version))


def save_chosen(name: str, author: str, comment: str, over: int | None) -> None:
    """Save the session's plan as ``name``: a new plan (``over`` is ``None``) or the next
    version on top of stored version ``over`` (the earlier versions stay in its history)."""
    from prevplan.ui import workspace

    handle = resources.store_handle()
    if handle.store is None:
        state.flash("error", _("Plans cannot be saved: {error}").format(error=handle.error))
        return
    plan = state.plan()
    if name != plan.name:
        plan = plan.model_copy(update={"name": name})
        state.set_plan(plan, _("renamed the plan to {name}").format(name=name))
    try:
        info = handle.store.save(plan, author=author, comment=comment, base_version=over)
    except ConflictError as err:
        if err.latest is not None:
            workspace.ask_how_to_save(name, author, comment, err.latest.version)
        state.flash("warning", _("Not saved: {reason}.").format(reason=err))
        return
    except (StorageError, ProblemsError, ValueError) as err:
        state.flash("error", _("Not saved: {reason}").format(reason=err))
        return
    workspace.forget_save_choice()
    state.mark_saved(info.name, info.version)
    state.flash("success", _("Saved {name} as version {v}.").format(name=info.name, v=info.version))


def open_version(name: str, version: int | None) -> None:
    handle = resources.store_handle()
    if handle.store is None:
        return
    notice = None
    try:
        if version is None:
            opened = handle.store.load_latest_valid(name)
            plan, version = opened.plan, opened.version
            if opened.skipped:
                notice = state.damaged_notice(opened.skipped, opened.version)
        else:
            plan = handle.store.load(name, version)
        latest = handle.store.versions(name)[-1].version
    except (StorageError, ProblemsError) as err:
        state.flash("error", _("Could not open it: {reason}").format(reason=err))
        return
    if notice:
        state.flash("warning", notice)
    shown = version or latest
    state.open_plan(plan, _("opened {name} version {v}").format(name=name, v=shown), name, latest)
    if shown != latest:
        state.forget_saved_fingerprint()
    state.flash("success", _("Opened {name}, version {v}.").format(name=name, v=shown))
    offer_draft(name)


def offer_draft(name: str) -> None:
    """Offer back this person's unsaved changes to plan ``name``, if any were kept."""
    from prevplan.ui import workspace

    store = workspace.drafts()
    if store is None:
        return
    try:
        found = store.get(workspace.owner(), name)
    except StorageError:
        return
    if found is not None and found.data is not None:
        workspace.offer(found)


def restore_version(name: str, version: int, author: str) -> None:
    handle = resources.store_handle()
    if handle.store is None:
        return
    try:
        info = handle.store.restore(name, version, author=author)
        plan = handle.store.load(name, info.version)
    except (StorageError, ProblemsError, ValueError) as err:
        state.flash("error", _("Could not restore it: {reason}").format(reason=err))
        return
    state.open_plan(
        plan,
        _("restored {name} version {v}").format(name=name, v=version),
        name,
        info.version,
    )
    state.flash(
        "success",
        _("Version {old} is the latest again, saved as version {new}.").format(
            old=version, new=info.version
        ),
    )


# --- plans as documents (the Start page's list) -------------------------------------------

DELETED: Final = "deleted_plans"
"""Plans deleted in this session, newest last, for "Undo delete"."""


@state.callback
def new_blank_plan() -> None:
    """Start a new, empty plan (the one being edited stays in Undo and in its draft)."""
    state.open_plan(Plan(name=_("New plan")), _("started a new plan"), None, None)
    state.flash("success", _("A new blank plan is open. Give it a name on the Plan page."))


@state.callback
def open_stored(name: str) -> None:
    open_version(name, None)


@state.callback
def duplicate_stored(name: str) -> None:
    """Store a copy of plan ``name``'s latest version under a new name, as version 1."""
    handle = resources.store_handle()
    author = str(st.session_state.get("save.author") or "").strip()
    if handle.store is None:
        return
    if not author:
        state.flash("warning", _("Enter your name first: every saved version records it."))
        return
    try:
        taken = {s.name for s in handle.store.list_plans()}
        copy_name = _("{name} (copy)").format(name=name)
        n = 2
        while copy_name in taken:
            copy_name = _("{name} (copy {n})").format(name=name, n=n)
            n += 1
        plan = handle.store.load(name).model_copy(update={"name": copy_name})
        handle.store.save(
            plan,
            author=author,
            comment=_("copy of {name}").format(name=name),
            base_version=None,
        )
    except (StorageError, ProblemsError) as err:
        state.flash("error", _("Could not copy it: {reason}").format(reason=err))
        return
    state.flash("success", _("Stored a copy as {name}.").format(name=copy_name))


@state.callback
def rename_stored(name: str) -> None:
    from prevplan.storage.documents import rename_plan

    handle = resources.store_handle()
    new = str(st.session_state.get("plans.rename") or "").strip()
    if handle.store is None or not new or new == name:
        return
    try:
        rename_plan(handle.store.engine, name, new)
    except StorageError as err:
        state.flash("error", _("Could not rename it: {reason}").format(reason=err))
        return
    if state.saved_name() == name:
        current = state.plan()
        state.open_plan(
            current.model_copy(update={"name": new}),
            _("renamed the plan to {name}").format(name=new),
            new,
            state.base_version(),
        )
        if current.model_copy(update={"name": new}) != state.plan():
            state.forget_saved_fingerprint()
    st.session_state["plans.chosen"] = new
    state.flash("success", _("Renamed {old} to {new}.").format(old=name, new=new))


@state.callback
def delete_stored(name: str) -> None:
    """Delete a stored plan with all its versions; "Undo delete" brings it back."""
    from prevplan.storage.documents import take_out

    handle = resources.store_handle()
    if handle.store is None:
        return
    try:
        history = take_out(handle.store.engine, name)
    except StorageError as err:
        state.flash("error", _("Could not delete it: {reason}").format(reason=err))
        return
    st.session_state.setdefault(DELETED, []).append(history)
    if state.saved_name() == name:
        # The plan stays open, unsaved: nothing the planner has on screen is lost.
        st.session_state[state.SAVED_NAME] = None
        st.session_state[state.BASE_VERSION] = None
        state.forget_saved_fingerprint()
    state.flash(
        "success",
        (
            ngettext(
                "Deleted {name} and its {n} version. Undo delete brings it back.",
                "Deleted {name} and its {n} versions. Undo delete brings it back.",
                len(history.versions),
            )
            if history.versions
            else _("Deleted {name}. Undo delete brings it back.")
        ).format(name=name, n=len(history.versions)),
    )


@state.callback
def undo_delete() -> None:
    from prevplan.storage.documents import PlanHistory, put_back

    handle = resources.store_handle()
    deleted: list[PlanHistory] = st.session_state.get(DELETED) or []
    if handle.store is None or not deleted:
        return
    history = deleted[-1]
    try:
        put_back(handle.store.engine, history)
    except StorageError as err:
        state.flash("error", _("Could not bring it back: {reason}").format(reason=err))
        return
    deleted.pop()
    state.flash("success", _("{name} is back with all its versions.").format(name=history.name))


@state.callback
def open_file_plan(plan: Plan, file_name: str) -> None:
    """Open a plan read from a file as its own plan (not saved yet; nothing merged)."""
    state.open_plan(plan, _("opened {file}").format(file=file_name), None, None)
    state.flash(
        "success",
        _("{file} is open as its own plan: {name}. Save it on the Plan page to keep it.").format(
            file=file_name, name=plan.name
        ),
    )
