"""Help: the words prevplan uses, explained — the evidence tags [V]/[S]/[R], "stated" and
"inferred", coverage and effective coverage, drafts and versions — and where to find what."""

from __future__ import annotations

import streamlit as st

from prevplan.i18n import _

st.title("📘 " + _("Help and glossary"))
st.caption(
    _(
        "What prevplan's marks and figures mean. Every recommendation cites the clause of the "
        "SCO Concept (Annex VI) or of the Program of Actions (Annex V) it rests on."
    )
)

GLOSSARY = (
    (
        "📜 " + _("Stated in the text"),
        _(
            "The SCO text itself links the two things (a level to a strategy, a factor to an "
            "intervention); the clause is cited beside the mark."
        ),
    ),
    (
        "🧩 " + _("Inferred by prevplan"),
        _(
            "prevplan draws the link from the text and from prevention science; the reason is "
            "given with it. Treat it as a proposal to check, not as the Concept's words."
        ),
    ),
    (
        "[V]",
        _("Read in the UNODC/WHO International Standards on Drug Use Prevention (2018)."),
    ),
    (
        "[S]",
        _("From a training curriculum built on the Standards (not checked page by page)."),
    ),
    (
        "[R]",
        _("Reported in the field, not checked against the Standards: weigh it accordingly."),
    ),
    (
        _("Coverage by any activity"),
        _(
            "People reached by at least one activity, over the people planned for. A "
            "population's reach is the largest reach of any one of its activities, because "
            "activities may reach the same people."
        ),
    ),
    (
        _("Effective coverage"),
        _(
            "People reached by an activity that works — a fundamental strategy delivered "
            "interactively, one-to-one, by screening or as a policy — that no quality warning "
            "flags, over the people planned for. A one-off lecture reaches people but does not "
            "count here."
        ),
    ),
    (
        _("Prevention level"),
        _(
            "Universal (everyone in a setting), selective (groups at higher risk) or "
            "indicated (people already showing problems), as the Concept defines them."
        ),
    ),
    (
        _("Unsaved changes and drafts"),
        _(
            "Every change is kept at once as your draft in the database: a reload, a closed "
            "tab or a restart loses nothing, and on return you choose to restore the draft "
            "or discard it. A draft is not a version: only Save records a version, with your "
            "name and a comment."
        ),
    ),
    (
        _("Versions"),
        _(
            "Each save adds a numbered version; nothing is overwritten. An older version can "
            "be opened, compared or restored (a restore is a new version)."
        ),
    ),
    (
        _("Ids"),
        _(
            "Short names a machine reads (in files and links), such as a population's id. "
            "The screens and reports show names; files show ids where they must."
        ),
    ),
)

for term, meaning in GLOSSARY:
    with st.container(border=True):
        st.markdown("**" + term.replace("[", "\\[").replace("]", "\\]") + "**")
        st.write(meaning)

st.subheader(_("Where to find what"))
st.markdown(
    "\n".join(
        [
            "- " + _("Start: your plans (new, open a file, rename, duplicate, delete)."),
            "- "
            + _("Populations & recommendations: describe a group, see what the Concept calls for."),
            "- " + _("Plan: activities, plan details and currency, NGO import, save and versions."),
            "- " + _("Coverage dashboard: figures, gaps and the reports (PDF, Excel, JSON)."),
            "- " + _("Concept explorer: the source text, with a presentation view for trainers."),
            "- " + _("Workshop exercise: groups choose a mix and compare it with the Concept."),
        ]
    )
)
st.caption(
    _(
        "File formats: docs/interfaces.md in the prevplan repository describes every field of "
        "the population, plan and inventory files."
    )
)
