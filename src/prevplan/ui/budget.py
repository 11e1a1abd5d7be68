"""The Budget page's parts: the cached allocation, its curve, its tables and the one step
that turns it into plan activities (undoable).

The options and the model of a plan are built once per plan content and language
(``st.cache_resource``: they hold the solver's matrices); the answer for a budget and
constraints is kept with ``st.cache_data`` keyed on the plan's fingerprint, the budget, the
constraints and the language, so a rerun that changes nothing costs no solve.

The solve itself, and the report with the allocation, run in worker processes
(:mod:`prevplan.ui.budget_work`): the page waits for them under a "Solving…" spinner, and
every other planner's pages keep their speed meanwhile. Only while the optimiser's worker is
still starting (the first solve after the app started) is the allocation solved in the
app's process, as before, so the first planner does not wait for a process to start. When
the worker does not answer in time, or ends without an answer, :class:`NotSolved` says so
in words for the page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from prevplan.i18n import N_, _, current_language, format_number, format_percent, use_language
from prevplan.optimise.compare import label, to_plan
from prevplan.optimise.explain import OPTION, constraint_text
from prevplan.optimise.model import Constraints
from prevplan.optimise.result import OptimisationResult
from prevplan.optimise.run import Prepared, optimise, prepare
from prevplan.plan.models import Plan
from prevplan.problems import Problem
from prevplan.rules import RuleSet, load_rules
from prevplan.ui import budget_work, exports, resources, state
from prevplan.ui.background import JobStopped, JobTimeout, WorkerLost

#: The budgets the page's curve shows, as shares of the one asked for.
PAGE_SHARES = (0.25, 0.5, 0.8, 1.0, 1.1, 1.25, 1.5, 2.0)

REASONS = {
    "no_option": N_("no option"),
    "lower_value": N_("buys less per unit of money"),
    "below_minimum": N_("minimum size costs more than the budget"),
}


def warm_up() -> None:
    """Start the optimiser's worker before the first solve needs it (the first call acts)."""
    budget_work.OPTIMISER.warm_up()


class NotSolved(Exception):
    """The allocation could not be had from the worker; the message is for the planner."""


def prepared(plan: Plan, key: str, currency: str | None) -> Prepared:
    """The plan's options and model, built once per plan content, currency and language."""
    return _prepared(key, currency, current_language(), plan)


@st.cache_resource(show_spinner=False, max_entries=16)
def _prepared(key: str, currency: str | None, lang: str, _plan: Plan) -> Prepared:
    return prepare(_plan, rules=resources.rules(), currency=currency)


def allocation(
    plan: Plan, key: str, currency: str | None, budget: float, constraints: Constraints
) -> OptimisationResult:
    """The allocation of ``budget`` (with the page's curve), solved once per input."""
    wanted = (
        constraints.must_serve,
        constraints.must_serve_items,
        constraints.min_evidence_share,
        constraints.executor_caps,
        constraints.keep,
    )
    return _allocation(key, currency, budget, wanted, current_language(), plan)


@st.cache_data(show_spinner=False, max_entries=64)
def _allocation(
    key: str,
    currency: str | None,
    budget: float,
    wanted: budget_work.Wanted,
    lang: str,
    _plan: Plan,
) -> OptimisationResult:
    lane = budget_work.OPTIMISER
    if not lane.ready():
        # The worker is still starting (its first use since the app started): solve here,
        # as before the lanes — a tenth of a second for the sample plan — rather than make
        # the planner wait seconds for a process to start; the next solve goes to it.
        lane.warm_up()
        constraints = Constraints(*wanted)
        return optimise(_prepared(key, currency, lang, _plan), budget, constraints, PAGE_SHARES)
    try:
        return lane.run(budget_work.solve, key, currency, budget, wanted, PAGE_SHARES, _plan)
    except WorkerLost:
        raise NotSolved(
            _(
                "The process solving the allocation ended before it finished (the server may "
                "be short of memory). Nothing was changed; try again."
            )
        ) from None
    except (JobTimeout, JobStopped):
        raise NotSolved(
            _(
                "The allocation took longer than {seconds} s, so it was stopped. Nothing was "
                "changed; try again in a few minutes, or with fewer constraints."
            ).format(seconds=int(lane.timeout_s))
        ) from None


def problem_lines(problems: list[Problem], constraints: Constraints) -> list[str]:
    """Problems of an allocation in the page's words (the constraint, not the CLI option)."""
    kinds = {flag: kind for kind, flag in OPTION.items()}
    out = []
    for p in problems:
        kind = kinds.get(p.file)
        name = f"{kind}:{p.field}" if kind and p.field else kind
        where = constraint_text(name, constraints) if name else (p.field or p.file)
        out.append(f"{where}: {p.message}")
    return out


def curve_figure(result: OptimisationResult) -> Any:
    """Objective against budget, the budget asked for marked."""
    import plotly.graph_objects as go

    xs = [p.budget for p in result.curve]
    ys = [p.objective for p in result.curve]
    texts = [format_percent(p.share) for p in result.curve]
    figure = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers+text",
            text=texts,
            textposition="top left",
            name=_("Objective"),
            hovertemplate=_("Budget %{x:,.0f}: objective %{y:.2f}") + "<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[result.budget],
            y=[result.objective],
            mode="markers",
            marker={"size": 14, "symbol": "diamond"},
            name=_("Budget asked for"),
            hoverinfo="skip",
        )
    )
    figure.update_layout(
        xaxis_title=_("Budget"),
        yaxis_title=_("Objective (0–100)"),
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.25},
    )
    return figure


def allocation_rows(result: OptimisationResult, prep: Prepared) -> list[dict[str, object]]:
    """One row per funded option, for a table."""
    names = {p.id: p.name for p in prep.options.populations}
    activities = {a.id: a.name or a.id for a in prep.plan.activities}
    kinds = {
        "catalogue": _("registry cost, converted"),
        "plan_activity": _("this activity's own cost"),
        "plan_intervention": _("the plan's unit cost for it"),
    }
    return [
        {
            _("Population"): names.get(a.population_id, a.population_id),
            _("Funded"): label(
                a.programme,
                a.intervention,
                a.strategies,
                prep.rules,
                prep.catalogue,
                activities.get(a.activity or ""),
            ),
            _("Participants"): format_number(a.participants),
            _("Coverage"): format_percent(a.coverage),
            _("Cost"): format_number(round(a.cost)),
            _("Cost per participant"): format_number(round(a.unit_cost, 2)),
            _("Cost from"): kinds.get(a.cost_source.kind, a.cost_source.kind),
        }
        for a in result.allocations
    ]


def coverage_rows(result: OptimisationResult, prep: Prepared) -> list[dict[str, object]]:
    """Effective coverage the allocation buys, per population."""
    names = {p.id: p.name for p in prep.options.populations}
    return [
        {
            _("Population"): names.get(p.population_id, p.population_id),
            _("People"): format_number(p.size),
            _("Priority weight"): f"{p.priority_weight:g}",
            _("People effectively reached"): format_number(p.effective_reach),
            _("Effective coverage"): format_percent(p.effective_coverage),
        }
        for p in result.populations
    ]


def unfunded_rows(result: OptimisationResult, prep: Prepared) -> list[dict[str, object]]:
    """What stays unfunded and why."""
    names = {p.id: p.name for p in prep.options.populations}
    return [
        {
            _("Population"): names.get(u.population_id, u.population_id),
            _("Reason"): _(REASONS[u.reason]) if u.reason in REASONS else u.reason,
            _("Why"): u.message,
        }
        for u in result.unfunded
    ]


def apply(plan: Plan, result: OptimisationResult, prep: Prepared) -> None:
    """Make the allocation the plan's activities (one undoable step)."""
    new = to_plan(plan, result, prep.rules, prep.catalogue)
    state.set_plan(
        new,
        _("allocation of {budget} turned into plan activities").format(
            budget=format_number(result.budget)
        ),
    )
    state.flash(
        "success",
        _(
            "The plan's activities are now the allocation ({n} activities). Undo restores them."
        ).format(n=len(new.activities)),
    )


def report_bytes(
    plan: Plan, result: OptimisationResult, fmt: str, rules: RuleSet, lang: str
) -> bytes:
    """The plan report (``pdf``) or workbook (``xlsx``) with the allocation, in ``lang``.

    Called by a download button when it is clicked, outside the page's run: the language
    is passed in. Made in the export worker (:data:`prevplan.ui.exports.EXPORTS`), one at a
    time with the dashboard's downloads; :class:`ProblemsError` when that fails."""
    with use_language(lang):
        sent = None if rules is load_rules() else rules  # the worker loads the shipped rules
        try:
            return exports.EXPORTS.run(budget_work.report, plan, result, fmt, sent, lang)
        except (JobTimeout, JobStopped):
            raise exports.stopped() from None
