"""Start: what prevplan is, who it is for, the samples, and the current plan in five figures."""

from __future__ import annotations

import streamlit as st

from prevplan.i18n import _, ngettext
from prevplan.problems import ProblemsError
from prevplan.storage import StorageError
from prevplan.ui import actions, auth, resources, state, upload_worker
from prevplan.ui.plans import SAMPLE_PLAN, headline
from prevplan.ui.widgets import escape, headline_metrics, problems_table

st.title("🧭 prevplan")
st.markdown(
    "#### "
    + _(
        "Plan drug-use prevention on the SCO Concept on Preventing the Abuse of Narcotic Drugs "
        "and Psychotropic Substances."
    )
)
st.markdown(
    _(
        "prevplan turns the Concept (Annex VI) into recommendations for each group of people "
        "you plan for, every one citing the clause it rests on, and ties your plan to the "
        "SCO Program of Actions (Annex V). It tells you what the SCO text says apart from "
        "what prevplan infers."
    )
)

planners, ngos, trainers = st.columns(3)
with planners, st.container(border=True):
    st.markdown("##### 🏛️ " + _("National prevention planners"))
    st.markdown(
        _(
            "Describe your target populations and get the prevention level, strategy mix and "
            "interventions the Concept calls for, with the clauses behind them. See coverage, "
            "costs and gaps across regions, and report on the Program of Actions."
        )
    )
with ngos, st.container(border=True):
    st.markdown("##### 🤝 " + _("NGOs and service providers"))
    st.markdown(
        _(
            "Fill in the inventory template with what you already do and upload it: prevplan "
            "shows which strategies and Program of Actions items your work covers. It also "
            "points to where the Concept would add something first."
        )
    )
with trainers, st.container(border=True):
    st.markdown("##### 🎓 " + _("Workshop trainers"))
    st.markdown(
        _(
            "Walk participants through the Concept's levels, factors and strategies with the "
            "source text on screen, in presentation mode for a projector. Then let them build "
            "a mix for a scenario and compare it with the Concept's reasoning."
        )
    )

# --- plans as documents ------------------------------------------------------------------


def plans_section() -> None:
    """New, open (stored or from a file), rename, duplicate, delete with undo."""
    st.subheader("🗂️ " + _("Your plans"))
    a, b = st.columns([1, 2])
    with a:
        st.button(
            "➕ " + _("New blank plan"),
            key="plans.new",
            on_click=actions.new_blank_plan,
            width="stretch",
        )
        st.caption(_("Starts empty; the plan you are editing stays in Undo and in your draft."))
    with b:
        files = st.file_uploader(
            _("Open a file: a plan exported by prevplan (JSON, YAML or Excel) or an NGO inventory"),
            type=["json", "yaml", "yml", "xlsx", "csv"],
            accept_multiple_files=True,
            key="plans.file",
        )
        if files:
            read = upload_worker.latest_files([(f.name, f.getvalue()) for f in files])
            if len(read) < len(files):
                st.caption(
                    "ℹ️ "
                    + escape(
                        _("Reading the file added last, {name}; remove the others.").format(
                            name=read[0][0]
                        )
                    )
                )
            try:
                imported = upload_worker.read_plan_upload(read)
            except ProblemsError as err:
                st.error(
                    ngettext(
                        "The file has {n} problem; nothing was opened.",
                        "The file has {n} problems; nothing was opened.",
                        len(err.problems),
                    ).format(n=len(err.problems)),
                    icon="⚠️",
                )
                problems_table(err.problems)
            else:
                found = imported.plan
                st.button(
                    "📂 "
                    + _("Open {name}: {p} populations, {a} activities").format(
                        name=found.name, p=len(found.populations), a=len(found.activities)
                    ),
                    key="plans.file.open",
                    on_click=actions.open_file_plan,
                    args=(found, ", ".join(f[0] for f in read)),
                    type="primary",
                )

    handle = resources.store_handle()
    if handle.store is None:
        return
    try:
        stored = handle.store.list_plans()
    except StorageError as err:
        st.error(escape(str(err)))
        return
    deleted = st.session_state.get(actions.DELETED) or []
    if deleted:
        st.button(
            "↩️ " + _("Undo delete: {name}").format(name=escape(deleted[-1].name)),
            key="plans.undo_delete",
            on_click=actions.undo_delete,
        )
    if not stored:
        st.caption(_("No plan is stored yet."))
        return
    current = state.saved_name()
    st.dataframe(
        [
            {
                _("Plan"): ("▶ " if s.name == current else "") + s.name,
                _("Latest version"): s.latest_version,
                _("Saved at (UTC)"): s.updated_at.strftime("%Y-%m-%d %H:%M"),
                _("Author"): s.author,
                _("Populations"): s.population_count,
                _("Activities"): s.activity_count,
            }
            for s in sorted(stored, key=lambda s: s.updated_at, reverse=True)
        ],
        hide_index=True,
        width="stretch",
        height=min(300, 42 + 35 * len(stored)),
    )
    names = [s.name for s in sorted(stored, key=lambda s: s.updated_at, reverse=True)]
    state.keep_valid("plans.chosen", names)
    a, b, c, d = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    chosen = a.selectbox(
        _("Stored plan"), options=names, key="plans.chosen", placeholder=_("Choose an option")
    )
    if chosen is None:
        return
    b.button(
        "📂 " + _("Open"),
        key="plans.open",
        on_click=actions.open_stored,
        args=(chosen,),
        width="stretch",
    )
    c.button(
        "🗐 " + _("Duplicate"),
        key="plans.duplicate",
        on_click=actions.duplicate_stored,
        args=(chosen,),
        width="stretch",
        help=_("Stores a copy of its latest version under a new name, with your name."),
    )
    # A reader, or a plan under approval: no rename, no deletion (the store refuses both).
    locked = auth.save_refusal(chosen)
    d.button(
        "🗑️ " + _("Delete"),
        key="plans.delete",
        on_click=actions.delete_stored,
        args=(chosen,),
        width="stretch",
        help=locked or _("Deletes the plan with all its versions; Undo delete brings it back."),
        disabled=locked is not None,
    )
    a, b, c = st.columns([3, 2, 1], vertical_alignment="bottom")
    a.text_input(_("New name"), key="plans.rename", placeholder=chosen)
    b.text_input(
        _("Your name"),
        key="save.author",
        persist_state="session",
        help=_("Recorded with the copy a Duplicate stores."),
    )
    c.button(
        "✏️ " + _("Rename"),
        key="plans.rename.submit",
        on_click=actions.rename_stored,
        args=(chosen,),
        width="stretch",
        help=locked,
        disabled=locked is not None,
    )


plans_section()

st.subheader(_("Start with sample data"))
left, right = st.columns(2)
with left:
    st.button(
        "📥 " + _("Load the sample national plan"),
        key="load_sample_plan",
        on_click=actions.load_sample_plan,
        disabled=not SAMPLE_PLAN.exists(),
        type="primary",
    )
    st.caption(_("A national programme with target populations across regions and age groups."))
with right:
    st.button(
        "📥 " + _("Load the sample NGO inventory"),
        key="load_sample_inventory",
        on_click=actions.load_sample_inventory,
        disabled=not actions.inventory_available(),
    )
    st.caption(_("What one NGO already does, as filled in on the inventory template."))

plan = state.plan()
st.subheader(_("Current plan: {name}").format(name=escape(plan.name)))
if plan.populations:
    figures = headline(resources.assessment(plan, state.plan_fingerprint()))
    headline_metrics(figures)
    st.caption(
        _("{p} target populations, {a} activities.").format(
            p=figures.populations, a=figures.activities
        )
        + " "
        + _(
            "A population's reach is the largest reach of any one of its activities "
            "(activities may reach the same people)."
        )
    )
else:
    st.info(_("The plan has no target populations yet: load a sample or add one."))

st.markdown("**" + _("Next steps") + "**")
steps = st.columns(3)
steps[0].page_link("app_pages/populations.py", label=_("Describe target populations"), icon="👥")
steps[1].page_link("app_pages/dashboard.py", label=_("See coverage and gaps"), icon="📊")
steps[2].page_link("app_pages/concept.py", label=_("Explore the Concept"), icon="📖")
