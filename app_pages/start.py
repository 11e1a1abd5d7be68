"""Start: what prevplan is, who it is for, the samples, and the current plan in five figures."""

from __future__ import annotations

import streamlit as st

from prevplan.i18n import _
from prevplan.ui import actions, resources, state
from prevplan.ui.plans import SAMPLE_PLAN, headline
from prevplan.ui.widgets import escape, headline_metrics

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
