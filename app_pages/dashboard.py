"""Coverage dashboard: headline figures, coverage by level and age stage, by strategy and
by Program of Actions item, reach against target, cost per person and the gaps — each gap
naming its population and clause — for the whole plan or a region or population; and the
plan as a PDF report, an Excel workbook or JSON."""

from __future__ import annotations

import streamlit as st

from prevplan.analytics import gap_frame, warning_frame
from prevplan.analytics.charts import chart_config
from prevplan.i18n import _
from prevplan.plan.models import Plan
from prevplan.present.labels import population_label
from prevplan.ui import exports, resources, state
from prevplan.ui.plans import (
    filter_plan,
    fingerprint,
    gap_rows,
    headline,
    regions,
    warning_rows,
)
from prevplan.ui.widgets import escape, headline_metrics, plain_rows, unfolded

# Rows a table shows in full; a longer one scrolls inside TABLE_HEIGHT pixels. (A comment,
# not a docstring: Streamlit's "magic" would print a bare string on the page.)
TABLE_ROWS = 10
TABLE_HEIGHT = 640
rules = resources.rules()
plan = state.plan()

st.title("📊 " + _("Coverage dashboard"))
st.caption(
    _(
        "Effective coverage comes first: people reached by an activity that works, over people "
        "in the target population. Coverage by any activity, whatever its quality, comes second. A "
        "population's reach is the largest reach of any one activity serving it, so people "
        "are never counted twice."
    )
)
if not plan.populations:
    st.info(_("The plan has no target populations yet: add some on the Populations page."))
    st.stop()

# --- filters ------------------------------------------------------------------------------

a, b = st.columns(2)
region_options = regions(plan)
state.keep_valid("dash.regions", region_options, multi=True)
chosen_regions = a.multiselect(
    _("Regions"),
    options=region_options,
    key="dash.regions",
    placeholder=_("All regions"),
    disabled=not region_options,
    persist_state="session",
)
pops = {p.id: p for p in plan.populations}
in_regions = [
    p.id for p in plan.populations if not chosen_regions or (p.region or "") in chosen_regions
]
state.keep_valid("dash.populations", in_regions, multi=True)
chosen_pops = b.multiselect(
    _("Target populations"),
    options=in_regions,
    format_func=lambda pid: population_label(pops[pid]) if pid in pops else pid,
    key="dash.populations",
    placeholder=_("All populations"),
    persist_state="session",
)
shown: Plan = filter_plan(plan, chosen_regions, chosen_pops)
key = state.plan_fingerprint() if shown is plan else fingerprint(shown)
assessment = resources.assessment(shown, key)
if shown is not plan:
    st.caption(
        _("Showing {p} of {total} target populations.").format(
            p=len(shown.populations), total=len(plan.populations)
        )
    )

headline_metrics(headline(assessment))
with st.expander(_("How effective coverage is counted")):
    st.markdown(escape(assessment.effective_rule))
    st.markdown(escape(assessment.reach_rule))
    st.markdown(escape(assessment.cost_rule))
    st.caption(
        escape(
            _(
                "An activity that says how it is delivered (format, sessions, boosters, "
                "trained deliverers) can be judged; one that does not counts only in coverage by "
                "any activity. The full rule, with its sources, is in docs/effective-coverage.md."
            )
        )
    )

# --- charts -------------------------------------------------------------------------------

figures = resources.figures(shown, key)
st.plotly_chart(figures["effective"], key="fig.effective", config=chart_config())
st.plotly_chart(figures["level_stage"], key="fig.level_stage", config=chart_config())
# The detailed charts one click away, each under its own title: a folded chart is not drawn
# at all (drawing a chart costs the planner's browser more than the rest of the page), so
# the page stays quick on a modest laptop and with a whole team on one server.
for name in ("strategies", "action_items", "reach_vs_target", "cost_per_person"):
    title = str(figures[name].layout.title.text or "").replace("<br>", " ")
    folded = unfolded("📊 " + escape(title), key=f"fig.{name}.open")
    if folded is not None:
        with folded:
            st.plotly_chart(figures[name], key=f"fig.{name}", config=chart_config())

# --- gaps and warnings --------------------------------------------------------------------

st.subheader("🔎 " + _("Gaps"))
st.caption(
    _(
        "What the Concept asks for and the plan does not do yet: each gap names the target "
        "population (where it concerns one) and the clause it is measured against."
    )
)
gaps = plain_rows(gap_rows(gap_frame(assessment, rules, shown), rules))
if not gaps:
    st.success(_("No gaps found."))
else:
    # A static table: its cells wrap, so long Russian and Chinese texts are read in full
    # (an interactive table cuts them at the column's width).
    st.table(gaps, hide_index=True, height=TABLE_HEIGHT if len(gaps) > TABLE_ROWS else "content")

warnings = plain_rows(warning_rows(warning_frame(assessment, rules), rules, shown))
with st.expander(_("Warnings ({n})").format(n=len(warnings))):
    if not warnings:
        st.caption(_("No warnings."))
    else:
        st.table(
            warnings,
            hide_index=True,
            height=TABLE_HEIGHT if len(warnings) > TABLE_ROWS else "content",
        )

# --- downloads ----------------------------------------------------------------------------

st.subheader("⬇️ " + _("Download"))
st.caption(
    _("The report, workbook and JSON cover the populations shown above.")
    if shown is not plan
    else _("The report, workbook and JSON cover the whole plan.")
)
lang = state.language()
stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in shown.name) or "plan"
why_not_pdf = exports.pdf_unavailable()
exports.warm_up()  # exports are made in a worker process: start it now
a, b, c = st.columns(3)
a.download_button(
    "📄 " + _("PDF report"),
    data=lambda: exports.export_bytes(shown, "pdf", rules, lang),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    key="download.pdf",
    on_click="ignore",
    disabled=why_not_pdf is not None,
    help=why_not_pdf,
)
b.download_button(
    "📗 " + _("Excel workbook"),
    data=lambda: exports.export_bytes(shown, "xlsx", rules, lang),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download.xlsx",
    on_click="ignore",
)
c.download_button(
    "🧾 " + _("JSON (re-importable)"),
    data=lambda: exports.export_bytes(shown, "json", rules, lang),
    file_name=f"{stem}.json",
    mime="application/json",
    key="download.json",
    on_click="ignore",
)
st.caption(escape(_("Exports are made when you click, in the language of the app.")))
