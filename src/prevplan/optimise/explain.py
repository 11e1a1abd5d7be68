"""Why the allocation is what it is: what stays unfunded, and which constraint makes a
problem infeasible.

- A population stays unfunded because no option fits it with a cost figure (the programmes
  that fit are listed with what is missing, and harmful or ineffective ones are named as
  never funded), because its cheapest viable size costs more than the money left, or
  because its options buy less priority-weighted effective coverage per unit of money than
  those funded.
- When the planner's constraints cannot all be met, the problem is solved again with each
  constraint dropped in turn; those whose removal makes it feasible are named. When no
  single one does, all of them are named together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from prevplan.i18n import _, format_number
from prevplan.optimise.model import Constraints, Model, Solution
from prevplan.optimise.options import Option
from prevplan.optimise.result import Unfunded
from prevplan.problems import Problem, ProblemsError

#: The command-line option of each kind of constraint (how the CLI names it).
OPTION: Final = {
    "must_serve": "--must-serve",
    "must_serve_item": "--must-serve-item",
    "min_evidence_share": "--min-evidence-share",
    "executor_cap": "--cap-executor",
    "keep": "--keep-working",
}


def constraint_text(name: str, constraints: Constraints) -> str:
    """A constraint in the planner's words."""
    kind, _sep, what = name.partition(":")
    if kind == "must_serve":
        return _("population {id} must be served").format(id=what)
    if kind == "must_serve_item":
        return _("Program of Actions item {item} must be served").format(item=what)
    if kind == "min_evidence_share":
        return _("at least {share} of the money must go to evidence-based programmes").format(
            share=f"{constraints.min_evidence_share:.0%}"
        )
    if kind == "keep":
        return _("the plan's effective activities kept at least at their current reach")
    cap = dict(constraints.executor_caps).get(what, 0.0)
    return _("executor {name} may receive at most {cap}").format(name=what, cap=format_number(cap))


def infeasible(model: Model, budget: float, constraints: Constraints) -> ProblemsError:
    """The problem naming the constraint(s) that make the allocation impossible."""
    names = constraints.names()
    culprits = [n for n in names if model.solve(budget, constraints.without(n)).feasible]
    named = culprits or names
    problems = []
    for name in named:
        kind, _sep, what = name.partition(":")
        detail = _detail(model, budget, name, constraints)
        message = _("cannot be met with a budget of {budget}").format(budget=format_number(budget))
        if detail:
            message = f"{message}: {detail}"
        if not culprits and len(names) > 1:
            message = _("{message} (together with the other constraints named)").format(
                message=message
            )
        problems.append(Problem(OPTION[kind], "", what, message))
    return ProblemsError(problems)


def _detail(model: Model, budget: float, name: str, constraints: Constraints) -> str:
    kind, _sep, what = name.partition(":")
    opts = model.options.options
    chosen: Sequence[Option] = []
    if kind == "must_serve":
        chosen = [o for o in opts if o.population_id == what]
        if not chosen:
            return _("no programme or activity with a cost figure fits this population")
    elif kind == "must_serve_item":
        chosen = [o for o in opts if what in o.action_items]
        if not chosen:
            return _("no option with a cost figure serves this item")
    elif kind == "keep":
        wanted = set(constraints.keep)
        total = sum(
            min(o.current, o.max_participants) * o.unit_cost for o in opts if o.activity in wanted
        )
        return _("keeping them costs {cost}").format(cost=format_number(round(total, 2)))
    if chosen:
        cheapest = min(o.min_participants * o.unit_cost for o in chosen)
        if cheapest > budget:
            return _("the cheapest viable option costs {cost}").format(
                cost=format_number(round(cheapest, 2))
            )
    return ""


def unfunded(model: Model, solution: Solution) -> list[Unfunded]:
    """Each population the allocation leaves unfunded, with the reason."""
    funded = {f.option.population_id for f in solution.funded}
    by_pop = model.options.by_population()
    out: list[Unfunded] = []
    for pop in model.options.populations:
        if pop.id in funded:
            continue
        options = by_pop.get(pop.id, [])
        if not options:
            out.append(
                Unfunded(
                    population_id=pop.id,
                    reason="no_option",
                    message=_no_option_text(model, pop.id),
                )
            )
            continue
        cheapest = min(o.min_participants * o.unit_cost for o in options)
        if cheapest > solution.budget:
            out.append(
                Unfunded(
                    population_id=pop.id,
                    reason="below_minimum",
                    message=_(
                        "its cheapest viable option costs {cost}, more than the whole budget"
                    ).format(cost=format_number(round(cheapest, 2))),
                    cheapest=round(cheapest, 2),
                )
            )
            continue
        message = _(
            "its options buy less priority-weighted effective coverage per unit of money "
            "than those funded"
        )
        out.append(
            Unfunded(
                population_id=pop.id,
                reason="lower_value",
                message=message,
                cheapest=round(cheapest, 2),
            )
        )
    return out


def _no_option_text(model: Model, population_id: str) -> str:
    reasons = {e.reason for e in model.options.excluded if e.population_id == population_id}
    parts = [_("no programme or activity with a cost figure fits this population")]
    if "no_rate" in reasons:
        parts.append(
            _(
                "programmes that fit have no cost figure in the budget's currency: name the "
                "plan's currency or cost them in the plan"
            )
        )
    elif "no_cost" in reasons:
        parts.append(
            _(
                "programmes that fit have no published cost: cost them in the plan (an "
                "activity that names the programme, with its cost and reach)"
            )
        )
    if reasons & {"harmful", "no_effect"}:
        parts.append(_("programmes evaluated as ineffective or harmful are never funded"))
    return "; ".join(parts)
