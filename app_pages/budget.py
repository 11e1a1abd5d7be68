"""Budget: how to spend a budget on the plan's populations, what it buys, what 10 %, 25 % and
50 % more would buy and what a 20 % cut would drop, what stays unfunded and why, against the
plan's own activities — and the allocation turned into plan activities in one undoable
step (docs/optimiser.md)."""

from __future__ import annotations

import streamlit as st

from prevplan.analytics.charts import chart_config
from prevplan.catalogue.costs import load_converter
from prevplan.i18n import _, format_number, format_percent
from prevplan.optimise.model import Constraints
from prevplan.optimise.result import status_text
from prevplan.optimise.run import working_now
from prevplan.problems import ProblemsError
from prevplan.ui import auth, budget, exports, resources, state
from prevplan.ui.plans import fingerprint
from prevplan.ui.widgets import escape

rules = resources.rules()
plan = state.plan()

st.title("💰 " + _("Budget"))
st.caption(
    _(
        "prevplan chooses how to spend a budget on the plan's populations: which programme or "
        "activity to fund for each and at what size, so that the budget buys the most "
        "priority-weighted effective coverage. Harmful or ineffective programmes, and those "
        "that do not fit a population's ages or level, are never funded. The model and its "
        "assumptions are explained in docs/optimiser.md."
    )
)
if not plan.populations:
    st.info(_("The plan has no target populations yet: add some on the Populations page."))
    st.stop()

budget.warm_up()
key = fingerprint(plan)
plan_cost = sum(a.cost or 0.0 for a in plan.activities)
left, right = st.columns([2, 1])
amount = left.number_input(
    _("Budget"),
    min_value=0.0,
    max_value=1e13,
    value=float(round(plan_cost)) if plan_cost else 1_000_000.0,
    step=100_000.0,
    format="%.0f",
    key="budget.amount",
    help=_(
        "The money to allocate, in the plan's currency (the plan's own activities cost {cost})."
    ).format(cost=format_number(round(plan_cost))),
)
currency = plan.currency
if currency is None:
    choices = ["", *load_converter().currencies]
    chosen = right.selectbox(
        _("Currency of the plan's costs"),
        options=choices,
        format_func=lambda c: c or _("not named"),
        key="budget.currency",
        help=_(
            "Catalogue programmes are costed in their registries' currencies; name the "
            "plan's currency to price them. Without it only the plan's own unit costs are used."
        ),
    )
    currency = chosen or None
else:
    right.metric(_("Currency of the plan's costs"), currency)

names = {p.id: p.name or p.id for p in plan.populations}
executors = sorted({a.executor for a in plan.activities if a.executor})
items = list(rules.files.assessment.annex_v_scope.activities)
with st.expander(_("Constraints"), expanded=False):
    keep = st.checkbox(
        _("Keep what works: each of the plan's effective activities at least at its current reach"),
        value=True,
        key="budget.keep",
        help=_(
            "Without it the budget goes where it buys most, and a population served today "
            "(people who use drugs, people in treatment) may be left with nothing."
        ),
    )
    must = st.multiselect(
        _("Populations that must be served"),
        options=list(names),
        format_func=names.__getitem__,
        key="budget.must",
    )
    must_items = st.multiselect(
        _("Program of Actions items that must be served"),
        options=items,
        format_func=lambda ref: f"{ref} — {rules.label('action_items', ref)}",
        key="budget.items",
    )
    share = st.slider(
        _(
            "Least share of the money for evidence-based programmes delivering a "
            "fundamental strategy"
        ),
        min_value=0,
        max_value=100,
        value=0,
        step=5,
        format="%d%%",
        key="budget.share",
    )
    capped = st.multiselect(
        _("Executors whose money is capped"), options=executors, key="budget.capped"
    )
    cap = st.number_input(
        _("Most money each of them may receive"),
        min_value=0.0,
        value=float(round(plan_cost / 4)) if plan_cost else 0.0,
        step=100_000.0,
        format="%.0f",
        key="budget.cap",
        disabled=not capped,
    )
with st.spinner(_("Solving…")):
    prep = budget.prepared(plan, key, currency)
constraints = Constraints(
    must_serve=tuple(must),
    must_serve_items=tuple(must_items),
    min_evidence_share=share / 100,
    executor_caps=tuple((name, float(cap)) for name in capped),
    keep=working_now(prep) if keep else (),
)

with st.spinner(_("Solving…"), show_time=True):
    try:
        result = budget.allocation(plan, key, currency, float(amount), constraints)
    except ProblemsError as err:
        st.error(_("No allocation meets every constraint. Relax the one named:"), icon="⚠️")
        for line in budget.problem_lines(list(err.problems), constraints):
            st.markdown("- " + escape(line))
        st.stop()
    except budget.NotSolved as err:
        st.error(escape(str(err)), icon="⚠️")
        st.stop()

people = sum(p.size for p in plan.populations)
reach = sum(p.effective_reach for p in result.populations)
cols = st.columns(4, vertical_alignment="bottom")
cols[0].metric(
    _("Objective"),
    f"{result.objective:.2f}",
    help=_("Priority-weighted effective coverage, 0–100 (docs/optimiser.md)"),
)
cols[1].metric(_("Effective coverage"), format_percent(reach / people if people else 0.0))
cols[2].metric(_("Spent"), format_number(round(result.spent)))
cols[3].metric(
    _("Marginal value"),
    f"{result.marginal_value:.3f}",
    help=_("Objective gained per 1 % more budget"),
)
st.caption(
    _(
        "Solver: {status}; gap {gap}. Same plan, budget and constraints always give the "
        "same allocation."
    ).format(status=status_text(result.status), gap=f"{result.mip_gap:.2g}")
)
for warning in result.warnings:
    who = (
        f"**{escape(names.get(warning.population_id or '', ''))}** — "
        if warning.population_id
        else ""
    )
    st.warning(who + escape(warning.message), icon="ℹ️")

st.subheader(_("Allocation"))
rows = budget.allocation_rows(result, prep)
if rows:
    st.dataframe(rows, hide_index=True, width="stretch")
else:
    st.info(_("Nothing is funded at this budget."))

# Exploring budgets changes nothing; turning one into the plan's activities is editing.
locked = auth.edit_refusal()
apply_col, link_col = st.columns([1, 1])
if apply_col.button(
    _("Turn the allocation into plan activities"),
    type="primary",
    disabled=not rows or locked is not None,
    key="budget.apply",
    help=locked
    or _("Replaces the plan's activities with the allocation; Undo in the sidebar restores them."),
):
    budget.apply(plan, result, prep)
    st.rerun()
link_col.page_link("app_pages/dashboard.py", label=_("Open the coverage dashboard"), icon="📊")

st.subheader(_("What more or less money buys"))
st.plotly_chart(budget.curve_figure(result), config=chart_config(), key="budget.curve")
shown = {p.share for p in result.curve}
missing = [s for s in budget.PAGE_SHARES if s not in shown]
if missing:
    st.caption(
        _(
            "At {shares} of the budget the constraints cannot be met; those points are not shown."
        ).format(shares=", ".join(format_percent(s) for s in missing))
    )
for point in result.curve:
    if point.share == 1.0 or not (point.gained or point.dropped):
        continue
    changes = []
    if point.gained:
        changes.append(
            _("also serves {names}").format(names=", ".join(names.get(p, p) for p in point.gained))
        )
    if point.dropped:
        changes.append(
            _("drops {names}").format(names=", ".join(names.get(p, p) for p in point.dropped))
        )
    st.markdown(
        "- "
        + escape(
            _("At {share} of the budget: {changes}").format(
                share=format_percent(point.share), changes="; ".join(changes)
            )
        )
    )

if result.comparison is not None:
    st.subheader(_("Against the plan's own activities"))
    c = result.comparison
    a, b = st.columns(2)
    a.markdown("**" + escape(_("The plan's own activities")) + "**")
    a.metric(_("Objective"), f"{c.plan.objective:.2f}")
    a.metric(_("Effective coverage"), format_percent(c.plan.effective_coverage))
    a.metric(_("Cost"), format_number(round(c.plan.cost)))
    b.markdown("**" + escape(_("Optimised with the same money")) + "**")
    b.metric(_("Objective"), f"{c.optimised.objective:.2f}")
    b.metric(_("Effective coverage"), format_percent(c.optimised.effective_coverage))
    b.metric(_("Cost"), format_number(round(c.optimised.cost)))

st.subheader(_("Effective coverage per population"))
st.dataframe(budget.coverage_rows(result, prep), hide_index=True, width="stretch")

unfunded = budget.unfunded_rows(result, prep)
if unfunded:
    st.subheader(_("What stays unfunded, and why"))
    st.dataframe(unfunded, hide_index=True, width="stretch")

st.subheader(_("The plan report with this allocation"))
lang = state.language()
stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in plan.name) or "plan"
why_not_pdf = exports.pdf_unavailable()
pdf_col, xlsx_col = st.columns(2)
pdf_col.download_button(
    "📄 " + _("PDF report"),
    data=lambda: budget.report_bytes(plan, result, "pdf", rules, lang),
    file_name=f"{stem}-budget.pdf",
    mime="application/pdf",
    key="budget.pdf",
    on_click="ignore",
    disabled=why_not_pdf is not None,
    help=why_not_pdf,
)
xlsx_col.download_button(
    "📗 " + _("Excel workbook"),
    data=lambda: budget.report_bytes(plan, result, "xlsx", rules, lang),
    file_name=f"{stem}-budget.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="budget.xlsx",
    on_click="ignore",
)
