"""Plan: the plan's details and activities (an editable table, checked row by row), the NGO
inventory import, and saving — each save a version with author and comment, with the
history to open, restore or compare."""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from typing import Any, cast

import pandas as pd
import streamlit as st

from prevplan.i18n import _, current_language, grid_number_format, ngettext, writes_decimal_point
from prevplan.inventory.reader import inventory_template_csv, inventory_template_xlsx
from prevplan.plan.models import ActivityFormat, Practice
from prevplan.present import delivery
from prevplan.present.labels import label
from prevplan.problems import ProblemsError
from prevplan.rules.models import Kind
from prevplan.storage import PlanDiff, StorageError, diff_plans
from prevplan.ui import actions, auth, resources, state, upload_worker, workspace
from prevplan.ui import activity_table as table
from prevplan.ui.plans import diff_rows, item_names, merge
from prevplan.ui.widgets import csv_download, escape, field_problems, problems_table

rules = resources.rules()
plan = state.plan()

st.title("📝 " + _("Plan"))
st.caption(
    _(
        "Everything here is kept in your session until you save it. Each save is a new version "
        "with your name and a comment; nothing is ever overwritten."
    )
)

# --- plan details -------------------------------------------------------------------------


@state.callback
def save_details() -> None:
    current = state.plan()
    update = {
        name: (str(st.session_state.get(f"details.{name}") or "").strip() or None)
        for name in ("country", "region", "period", "description")
    }
    new_name = str(st.session_state.get("details.name") or "").strip()
    if not new_name:
        st.session_state["details.problem"] = (
            _("Plan name") + ": " + _("required: please fill this in")
        )
        return
    currency = str(st.session_state.get("details.currency") or "").strip().upper() or None
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
        st.session_state["details.problem"] = (
            _("Currency")
            + ": "
            + _(
                "expected a three-letter ISO 4217 code such as KZT, RUB or CNY, got '{value}'"
            ).format(value=currency)
        )
        return
    year = st.session_state.get("details.price_year")
    st.session_state["details.problem"] = None
    changed = current.model_copy(
        update={
            "name": new_name,
            **update,
            "currency": currency,
            "price_year": int(year) if year is not None else None,
        }
    )
    if changed != current:
        state.set_plan(changed, _("changed the plan's details"))
        state.flash("success", _("Plan details changed."))


costs_in = (
    " · "
    + _("costs in {currency}").format(currency=plan.currency)
    + (f" ({plan.price_year})" if plan.price_year else "")
    if plan.currency
    else ""
)
with st.expander(
    "🗂️ " + _("Plan details: {name}").format(name=escape(plan.name)) + escape(costs_in),
    key="details.open",
):
    for name in ("name", "country", "region", "period", "description"):
        state.sync_widget(f"details.{name}", getattr(plan, name) or "")
    with st.container():
        a, b, c, d = st.columns(4)
        a.text_input(_("Plan name"), key="details.name", persist_state="session")
        b.text_input(_("Country"), key="details.country", persist_state="session")
        c.text_input(_("Region"), key="details.region", persist_state="session")
        d.text_input(
            _("Period"), key="details.period", placeholder="2026–2030", persist_state="session"
        )
        state.sync_widget("details.currency", plan.currency or "")
        state.sync_widget("details.price_year", plan.price_year)
        e, f, _rest = st.columns([1, 1, 2])
        e.text_input(
            _("Currency"),
            key="details.currency",
            max_chars=3,
            help=_("The currency of every cost in the plan, as an ISO 4217 code."),
            persist_state="session",
        )
        f.number_input(
            _("Price year"),
            key="details.price_year",
            min_value=1950,
            max_value=2100,
            step=1,
            placeholder="2026",
            help=_("The year whose prices the costs are in."),
            persist_state="session",
        )
        problem = st.session_state.get("details.problem")
        if problem:
            field_problems(
                [f"{_('Plan name')}: {problem}" if "currency" not in problem else problem]
            )
        st.text_area(
            _("Description"), key="details.description", height=80, persist_state="session"
        )
        st.button(_("Apply"), key="details.apply", on_click=save_details)


# --- activities ---------------------------------------------------------------------------


def activity_columns(
    pops: dict[str, Any], currency: str | None, cost_fractions: bool = False
) -> dict[str, Any]:
    """How each column of the activities editor is shown and edited.

    Numbers are grouped as the app's language writes them (not the browser's locale). Costs
    with fractions keep two decimals where the language writes a full stop; elsewhere the grid
    shows whole units (its formatter cannot write a decimal comma) and says so in the header's
    help, and the one-activity form below shows the exact amount.
    """
    pop_ids = list(pops)
    cost_label = _("Cost") + (f" ({currency})" if currency else "")
    whole = grid_number_format()
    cost_decimals = 2 if cost_fractions and writes_decimal_point() else 0
    cost_help = (
        _("Rounded to whole units here; the form below the table shows the exact amount.")
        if cost_fractions and not cost_decimals
        else None
    )
    return {
        "id": st.column_config.TextColumn(_("Activity id"), help=_("Unique; filled in if empty")),
        "name": st.column_config.TextColumn(_("Activity"), width="medium"),
        "population_id": st.column_config.SelectboxColumn(
            _("Target population"),
            options=pop_ids,
            format_func=lambda pid: pops[pid].name or pid if pid in pops else str(pid),
            required=True,
            width="medium",
        ),
        "strategies": st.column_config.MultiselectColumn(
            _("Strategies (VI-3)"),
            options=rules.ids(Kind.STRATEGY),
            format_func={s: label(rules, Kind.STRATEGY, s) for s in rules.strategies}.__getitem__,
            width="medium",
        ),
        "interventions": st.column_config.MultiselectColumn(
            _("Interventions (VI-4)"),
            options=rules.ids(Kind.INTERVENTION),
            format_func={
                i: label(rules, Kind.INTERVENTION, i) for i in rules.interventions
            }.__getitem__,
            width="medium",
        ),
        "reach": st.column_config.NumberColumn(
            _("People reached"), min_value=0, step=1, format=whole, width=110
        ),
        "target_reach": st.column_config.NumberColumn(
            _("Target reach"), min_value=0, step=1, format=whole, width=110
        ),
        "cost": st.column_config.NumberColumn(
            cost_label,
            min_value=0.0,
            format=grid_number_format(decimals=cost_decimals),
            help=cost_help,
            width=130,
        ),
        "executor": st.column_config.TextColumn(_("Executor"), width="small"),
        "schedule": st.column_config.TextColumn(_("Schedule"), width="small"),
        "format": st.column_config.SelectboxColumn(
            _("Format"),
            options=[f.value for f in ActivityFormat],
            format_func=lambda value: delivery.format_label(str(value)),
            help=_("How the activity is delivered; the assessment judges its quality from this."),
            width="medium",
        ),
        "sessions": st.column_config.NumberColumn(
            _("Sessions"), min_value=1, step=1, help=_("How many sessions each participant gets.")
        ),
        "boosters": st.column_config.NumberColumn(
            _("Booster sessions"),
            min_value=0,
            step=1,
            help=_("Follow-up sessions in later years that refresh the skills."),
        ),
        "deliverers_trained": st.column_config.CheckboxColumn(
            _("Deliverers trained"),
            help=_("Ticked when those who deliver it were trained in this programme."),
        ),
        "practices": st.column_config.MultiselectColumn(
            _("Practices"),
            options=[p.value for p in Practice],
            format_func=lambda value: delivery.practice_label(str(value)),
            help=_("Practices the Standards find ineffective or harmful, if it uses them."),
            width="medium",
        ),
        "programme": st.column_config.TextColumn(
            _("Programme"), help=_("The named programme it follows, if any (a catalogue id).")
        ),
        "action_items": st.column_config.MultiselectColumn(
            _("Program of Actions items"),
            options=list(rules.action_items),
            format_func={
                ref: f"{ref} {label(rules, Kind.ACTION_ITEM, ref)}" for ref in rules.action_items
            }.__getitem__,
            width="medium",
        ),
    }


def column_names() -> dict[str, str]:
    """The editor's columns as the planner reads them, for the choice of columns shown."""
    return {
        "name": _("Activity"),
        "population_id": _("Target population"),
        "reach": _("People reached"),
        "target_reach": _("Target reach"),
        "cost": _("Cost"),
        "executor": _("Executor"),
        "schedule": _("Schedule"),
        "strategies": _("Strategies (VI-3)"),
        "interventions": _("Interventions (VI-4)"),
        "format": _("Format"),
        "sessions": _("Sessions"),
        "boosters": _("Booster sessions"),
        "deliverers_trained": _("Deliverers trained"),
        "practices": _("Practices"),
        "programme": _("Programme"),
        "action_items": _("Program of Actions items"),
        "id": _("Activity id"),
    }


ALL_POPULATIONS = ""


def activities_section() -> None:
    session = cast("MutableMapping[str, Any]", st.session_state)
    pops = {p.id: p for p in plan.populations}
    if not pops:
        st.info(_("Add target populations first: every activity serves one of them."))

    st.caption(
        _(
            "Edit a cell to change the plan; add a row at the bottom of the table; select rows "
            "on the left to delete them. Every change is checked at once and can be undone."
        )
    )
    names = column_names()
    state.keep_valid("activities.population", [ALL_POPULATIONS, *pops])
    state.keep_valid("activities.columns", list(names), multi=True)
    a, b, c = st.columns([3, 2, 6], vertical_alignment="bottom")
    shown_population = a.selectbox(
        _("Show the activities of"),
        options=[ALL_POPULATIONS, *pops],
        # Labels made now, in this run's language (Streamlit may call format_func later).
        format_func={
            ALL_POPULATIONS: _("all target populations"),
            **{pid: p.name or pid for pid, p in pops.items()},
        }.__getitem__,
        key="activities.population",
        placeholder=_("Choose an option"),
    )
    by_population = b.toggle(_("Sort by population"), key="activities.sorted")
    columns = c.multiselect(
        _("Columns shown"),
        options=list(names),
        default=list(table.COMPACT_ORDER),
        format_func=names.__getitem__,
        key="activities.columns",
        placeholder=_("Choose an option"),
    )
    shown = table.EditorView(
        population=shown_population or None, sorted_by_population=bool(by_population)
    )
    editor = table.editor_state(session, plan, shown)
    edited = st.data_editor(
        editor.frame,
        key=editor.key,
        num_rows="dynamic",
        hide_index=True,
        column_config=activity_columns(
            pops,
            plan.currency,
            cost_fractions=any(a.cost is not None and a.cost % 1 for a in plan.activities),
        ),
        column_order=[c for c in table.EDITOR_ORDER if c in (columns or table.COMPACT_ORDER)],
        width="stretch",
        height=min(640, 42 + 35 * (len(editor.frame) + 1)),
    )
    csv_download(lambda: table.csv_rows(plan), "prevplan_activities.csv", "activities.csv")
    result = table.apply_editor(session, plan, editor, edited, rules)
    if result is not None and result.plan is not None:
        state.set_plan(result.plan, _("edited the activities table"))
        table.editor_synced(session, state.plan_fingerprint())
        st.rerun()
    if result is not None and result.plan is None:
        st.error(
            ngettext(
                "The table has {n} problem, so the plan was not changed. Correct the row below; "
                "your edits are kept.",
                "The table has {n} problems, so the plan was not changed. Correct the rows below; "
                "your edits are kept.",
                len(result.problems),
            ).format(n=len(result.problems)),
            icon="⚠️",
        )
        st.dataframe(
            pd.DataFrame(table.row_problem_rows(result, edited)),
            hide_index=True,
            width="stretch",
        )

        @state.callback
        def discard_draft() -> None:
            table.editor_reset(session)
            state.flash("info", _("Table edits discarded; the plan is as it was."))

        st.button(_("Discard my table edits"), key="activities.discard", on_click=discard_draft)

    undo_label = state.undo_label()
    st.button(
        "↩️ " + (_("Undo: {change}").format(change=escape(undo_label)) if undo_label else _("Undo")),
        key="plan.undo",
        on_click=state.callback(state.undo),
        disabled=undo_label is None,
    )
    one_activity_form(pops, shown_population or None)


def one_activity_form(pops: dict[str, Any], population: str | None) -> None:
    """One activity in a form beside the table, and several deleted at once (undoable)."""
    acts = [a for a in plan.activities if population is None or a.population_id == population]
    if not acts:
        return
    by_id = {a.id: a for a in acts}

    def title(activity_id: str) -> str:
        found = by_id[activity_id]
        pop = pops.get(found.population_id)
        return f"{found.name or found.id} — {pop.name or pop.id if pop else found.population_id}"

    box = st.expander(
        "🖊️ " + _("Edit one activity in a form"), key="activities.form.open", on_change="rerun"
    )
    if not box.open:
        return  # drawn only when open
    with box:
        state.keep_valid("activities.form.id", list(by_id))
        chosen = st.selectbox(
            _("Activity"),
            options=list(by_id),
            format_func=title,
            key="activities.form.id",
            placeholder=_("Choose an option"),
        )
        if chosen is None:
            return
        act = by_id[chosen]
        with st.form(f"activities.form.{chosen}.{state.revision()}", border=False):
            a, b = st.columns(2)
            name = a.text_input(_("Activity"), value=act.name)
            pop_id = b.selectbox(
                _("Target population"),
                options=list(pops),
                index=list(pops).index(act.population_id) if act.population_id in pops else 0,
                format_func={pid: p.name or pid for pid, p in pops.items()}.__getitem__,
                placeholder=_("Choose an option"),
            )
            a, b, c = st.columns(3)
            reach = a.number_input(_("People reached"), min_value=0, step=1, value=act.reach)
            target = b.number_input(
                _("Target reach"), min_value=0, step=1, value=act.target_reach, placeholder="—"
            )
            cost = c.number_input(
                _("Cost") + (f" ({plan.currency})" if plan.currency else ""),
                min_value=0.0,
                value=act.cost,
                placeholder="—",
                format="%.2f",
            )
            a, b = st.columns(2)
            executor = a.text_input(_("Executor"), value=act.executor or "")
            schedule = b.text_input(_("Schedule"), value=act.schedule or "")
            strategies = st.multiselect(
                _("Strategies (VI-3)"),
                options=rules.ids(Kind.STRATEGY),
                default=[s for s in act.strategies if s in rules.strategies],
                format_func={
                    s: label(rules, Kind.STRATEGY, s) for s in rules.strategies
                }.__getitem__,
                placeholder=_("Choose an option"),
            )
            interventions = st.multiselect(
                _("Interventions (VI-4)"),
                options=rules.ids(Kind.INTERVENTION),
                default=[i for i in act.interventions if i in rules.interventions],
                format_func={
                    i: label(rules, Kind.INTERVENTION, i) for i in rules.interventions
                }.__getitem__,
                placeholder=_("Choose an option"),
            )
            submitted = st.form_submit_button(_("Apply"), type="primary")
        if submitted:
            changed = act.model_copy(
                update={
                    "name": name.strip(),
                    "population_id": pop_id,
                    "reach": int(reach),
                    "target_reach": None if target is None else int(target),
                    "cost": None if cost is None else float(cost),
                    "executor": executor.strip() or None,
                    "schedule": schedule.strip() or None,
                    "strategies": tuple(strategies),
                    "interventions": tuple(interventions),
                }
            )
            result = table.replace_activity(plan, changed, rules)
            if result.plan is None:
                problems_table(result.problems)
            elif result.plan != plan:
                state.set_plan(
                    result.plan,
                    _("changed the activity {name}").format(name=changed.name or changed.id),
                )
                state.flash("success", _("Activity changed."))
                st.rerun()

        st.divider()
        doomed = st.multiselect(
            _("Delete several activities"),
            options=list(by_id),
            format_func=title,
            key="activities.delete",
            placeholder=_("Choose an option"),
        )

        @state.callback
        def delete_chosen() -> None:
            gone = set(st.session_state.get("activities.delete") or ())
            current = state.plan()
            kept = tuple(a for a in current.activities if a.id not in gone)
            removed = len(current.activities) - len(kept)
            if not removed:
                return
            state.set_plan(
                current.model_copy(update={"activities": kept}),
                ngettext("deleted {n} activity", "deleted {n} activities", removed).format(
                    n=removed
                ),
            )
            st.session_state["activities.delete"] = []
            state.flash(
                "success",
                ngettext(
                    "Deleted {n} activity; Undo brings it back.",
                    "Deleted {n} activities; Undo brings them back.",
                    removed,
                ).format(n=removed),
            )

        st.button(
            "🗑️ " + _("Delete"),
            key="activities.delete.submit",
            on_click=delete_chosen,
            disabled=not doomed,
        )


# --- NGO inventory ------------------------------------------------------------------------


def inventory_section() -> None:
    st.markdown(
        "1. "
        + _("Download the template (Excel, or the two CSV files).")
        + "\n2. "
        + _("Fill in one row per target population and one row per activity.")
        + "\n3. "
        + _(
            "Upload it: every problem is listed by row and column, and nothing is imported until "
            "the whole file is correct."
        )
    )
    # The files are made when a button is pressed, outside this run: in this run's language.
    lang = current_language()
    a, b, c = st.columns(3)
    a.download_button(
        "⬇️ " + _("Template (Excel)"),
        data=lambda: inventory_template_xlsx(rules, lang=lang),
        file_name="prevplan_inventory.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="inventory.template.xlsx",
        on_click="ignore",
    )
    b.download_button(
        "⬇️ " + _("Template (CSV): populations"),
        data=lambda: inventory_template_csv(rules, lang=lang)[0],
        file_name="prevplan_inventory_populations.csv",
        mime="text/csv",
        key="inventory.template.populations",
        on_click="ignore",
    )
    c.download_button(
        "⬇️ " + _("Template (CSV): activities"),
        data=lambda: inventory_template_csv(rules, lang=lang)[1],
        file_name="prevplan_inventory_activities.csv",
        mime="text/csv",
        key="inventory.template.activities",
        on_click="ignore",
    )
    upload_worker.warm_up()  # uploads are read in worker processes: start them now
    uploads = st.file_uploader(
        _("Filled-in inventory: the Excel file, or both CSV files"),
        type=["xlsx", "csv"],
        accept_multiple_files=True,
        key="inventory.upload",
    )
    if uploads:
        files = [(f.name, f.getvalue()) for f in uploads]
        if len(upload_worker.latest_files(files)) < len(files):
            # A corrected workbook dropped beside the first: the one added last is read.
            st.caption(
                "ℹ️ "
                + escape(
                    _("Reading the file added last, {name}; remove the others.").format(
                        name=upload_worker.latest_files(files)[0][0]
                    )
                )
            )
        try:
            imported = upload_worker.read_inventory_upload(files)
        except ProblemsError as err:
            st.error(
                ngettext(
                    "The inventory has {n} problem; nothing was imported. Correct it and "
                    "upload the file again.",
                    "The inventory has {n} problems; nothing was imported. Correct them and "
                    "upload the file again.",
                    len(err.problems),
                ).format(n=len(err.problems)),
                icon="⚠️",
            )
            problems_table(err.problems)
        else:
            incoming = imported.plan
            st.success(
                _("The inventory is correct: {p} target populations and {a} activities.").format(
                    p=len(incoming.populations), a=len(incoming.activities)
                )
            )
            for note in imported.notes:
                st.caption("ℹ️ " + escape(note))

            @state.callback
            def import_as_plan() -> None:
                state.open_plan(incoming, _("opened the uploaded inventory"), None, None)
                state.flash("success", _("The inventory is open as the current plan."))

            @state.callback
            def import_into_plan() -> None:
                merged, skipped = merge(state.plan(), incoming)
                state.set_plan(merged, _("added the uploaded inventory to the plan"))
                message = _("The inventory's populations and activities were added.")
                if skipped:
                    message += " " + _("Left out, because their ids are taken: {ids}.").format(
                        ids=", ".join(skipped)
                    )
                state.flash("success" if not skipped else "warning", message)

            # Its own plan first: merging into the plan that happens to be open is asked for.
            a, b = st.columns(2)
            a.button(
                _("Open it as its own plan"),
                key="inventory.open",
                on_click=import_as_plan,
                type="primary",
            )
            b.button(
                _("Add it to the current plan"), key="inventory.merge", on_click=import_into_plan
            )


# --- save and versions --------------------------------------------------------------------


def versions_section() -> None:
    handle = resources.store_handle()
    if handle.store is None:
        return  # the page says so above the tabs
    store = handle.store
    if not auth.team_mode() or auth.identity().superuser:  # the server's address: admins only
        st.caption(_("Plans are kept in {where}.").format(where=escape(handle.location)))

    @state.callback
    def save() -> None:
        author = str(st.session_state.get("save.author") or "").strip()
        name = str(st.session_state.get("save.name") or "").strip()
        missing = {}
        if not author:
            missing["author"] = _("required: every version records who saved it")
        if not name:
            missing["name"] = _("required: please fill this in")
        st.session_state["save.problems"] = missing
        if not missing:
            actions.save_plan(name, author, str(st.session_state.get("save.comment") or "").strip())
            st.session_state["save.comment"] = ""

    state.sync_widget("save.name", plan.name)
    save_problems: dict[str, str] = st.session_state.get("save.problems") or {}
    with st.container(border=True):
        a, b, c = st.columns([2, 2, 3])
        with a:
            st.text_input(_("Save as plan"), key="save.name", persist_state="session")
            field_problems([save_problems["name"]] if "name" in save_problems else [])
        with b:
            st.text_input(
                _("Your name"),
                key="save.author",
                persist_state="session",
                disabled=auth.author_locked(),  # signed in: the identity is the author
            )
            field_problems([save_problems["author"]] if "author" in save_problems else [])
        with c:
            st.text_input(_("Comment"), key="save.comment", placeholder=_("what changed, and why"))
        refusal = auth.save_refusal(str(st.session_state.get("save.name") or "") or None)
        if refusal:
            st.caption("🔒 " + escape(refusal))
        st.button(
            "💾 " + _("Save"),
            key="save.submit",
            on_click=save,
            type="primary",
            disabled=refusal is not None,
        )

    def show_diff(diff: PlanDiff, names: dict[str, str]) -> None:
        if diff.is_empty:
            st.info(_("No differences."))
            return
        st.dataframe(diff_rows(diff, names), hide_index=True, width="stretch")

    save_choice(store, show_diff)

    saved = state.saved_name()
    if saved is not None and state.has_unsaved_changes() and state.base_version() is not None:
        with st.expander(_("What changed since version {v}").format(v=state.base_version())):
            try:
                before = store.load(saved, state.base_version())
            except (StorageError, ProblemsError) as err:
                st.caption(escape(str(err)))
            else:
                show_diff(diff_plans(before, plan), item_names(before, plan))

    try:
        stored = store.list_plans()
    except StorageError as err:
        st.error(escape(str(err)))
        stored = []

    if stored:
        names = [s.name for s in stored]
        default = names.index(saved) if saved in names else 0
        chosen = st.selectbox(
            _("Stored plan"),
            options=names,
            index=default,
            key="versions.plan",
            placeholder=_("Choose an option"),
        )
        try:
            versions = store.versions(chosen)
        except StorageError as err:
            st.error(escape(str(err)))
            versions = []
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _("Version"): v.version,
                        _("Saved at (UTC)"): v.created_at.strftime("%Y-%m-%d %H:%M"),
                        _("Author"): v.author,
                        _("Comment"): resources.version_comment(v.comment),
                        _("Populations"): v.population_count,
                        _("Activities"): v.activity_count,
                        _("Delivery described"): v.described_count,
                    }
                    for v in reversed(versions)
                ]
            ),
            hide_index=True,
            width="stretch",
            height=min(320, 42 + 35 * len(versions)),
        )
        numbers = [v.version for v in reversed(versions)]
        if numbers:
            a, b, c = st.columns([2, 1, 1])
            version = a.selectbox(
                _("Version"),
                options=numbers,
                key="versions.version",
                placeholder=_("Choose an option"),
            )

            @state.callback
            def open_chosen() -> None:
                actions.open_version(chosen, version)

            @state.callback
            def restore_chosen() -> None:
                author = str(st.session_state.get("save.author") or "").strip()
                if not author:
                    state.flash("warning", _("Enter your name in the save form first."))
                    return
                actions.restore_version(chosen, version, author)

            b.button(
                "📂 " + _("Open"),
                key="versions.open",
                on_click=open_chosen,
                width="stretch",
                help=_("Edit this version; saving adds a new version on top of the latest."),
            )
            c.button(
                "⏪ " + _("Restore"),
                key="versions.restore",
                on_click=restore_chosen,
                width="stretch",
                help=_("Make this version the latest again, as a new version."),
            )
        if len(numbers) >= 2:
            st.markdown("**" + _("Compare two versions") + "**")
            a, b = st.columns(2)
            older = a.selectbox(
                _("From version"),
                options=numbers,
                index=1,
                key="versions.from",
                placeholder=_("Choose an option"),
            )
            newer = b.selectbox(
                _("To version"),
                options=numbers,
                index=0,
                key="versions.to",
                placeholder=_("Choose an option"),
            )
            if older != newer:
                try:
                    diff = store.diff(chosen, older, newer)
                except StorageError as err:
                    st.error(escape(str(err)))
                else:
                    labels: dict[str, str]
                    try:
                        labels = item_names(store.load(chosen, older), store.load(chosen, newer))
                    except (StorageError, ProblemsError):
                        labels = {}  # an old version that no longer loads: show the ids
                    show_diff(diff, labels)
    else:
        st.caption(_("No plan is stored yet."))


def save_choice(store: Any, show_diff: Callable[[PlanDiff, dict[str, str]], None]) -> None:
    """A plan of the same name is stored and this one did not start from it (for one, the
    session began while the database was down and opened the sample from its file): what
    differs, then "save as a new plan" or "save as its next version" — never a bare conflict."""
    pending = workspace.pending_save_choice()
    if pending is None:
        return
    name, author, comment, latest = pending
    with st.container(border=True, key="save.choice"):
        st.markdown(
            "**" + _("A plan named {name} is already stored").format(name=escape(name)) + "**"
        )
        why = (
            _(
                "This session began while the database could not be reached, so your plan "
                "was opened from a file, not from the stored one."
            )
            if workspace.began_offline()
            else _("Your plan was not opened from the stored one.")
        )
        st.caption(
            why + " " + _("What differs between its version {v} and your plan:").format(v=latest)
        )
        try:
            stored = store.load(name, latest)
        except (StorageError, ProblemsError) as err:
            st.caption(escape(str(err)))
        else:
            show_diff(diff_plans(stored, plan), item_names(stored, plan))
        state.sync_widget("save.new_name", _("{name} (copy)").format(name=name))
        a, b, c = st.columns([3, 2, 2], vertical_alignment="bottom")
        a.text_input(_("Name of the new plan"), key="save.new_name")

        @state.callback
        def as_new() -> None:
            new_name = str(st.session_state.get("save.new_name") or "").strip()
            if not new_name or new_name == name:
                state.flash("warning", _("Choose another name for the new plan."))
                return
            actions.save_chosen(new_name, author, comment, None)

        @state.callback
        def as_next() -> None:
            actions.save_chosen(name, author, comment, latest)

        b.button(
            _("Save as a new plan"),
            key="save.as_new",
            on_click=as_new,
            type="primary",
            width="stretch",
        )
        c.button(
            _("Save as version {v} of {name}").format(v=latest + 1, name=name),
            key="save.as_next",
            on_click=as_next,
            width="stretch",
            help=_("Its earlier versions stay in its history and can be restored."),
        )
        st.button(
            _("Cancel"),
            key="save.choice_cancel",
            on_click=state.callback(workspace.forget_save_choice),
        )


store_state = resources.store_handle()
if store_state.store is None:  # said above the tabs: whichever is open, saving is not possible
    st.warning(
        _("Plans cannot be saved right now: {error}").format(error=escape(store_state.error or "")),
        icon="⚠️",
    )

# The tabs remember which one is open (their key), so a Save or any message does not send
# the planner back to the first; only the open tab's content is drawn on each rerun.
activities_tab, inventory_tab, versions_tab = st.tabs(
    ["📝 " + _("Activities"), "📥 " + _("Import an NGO inventory"), "💾 " + _("Save and versions")],
    key="plan.tab",
    on_change="rerun",
)
if activities_tab.open is not False:
    with activities_tab:
        activities_section()
if inventory_tab.open:
    with inventory_tab:
        inventory_section()
if versions_tab.open:
    with versions_tab:
        versions_section()
