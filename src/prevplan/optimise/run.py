"""``optimise(plan, budget)``: the whole answer to "what does this money buy?".

Builds the options (:mod:`.options`) and the model (:mod:`.model`) once, checks the
planner's constraints against the plan, solves at the budget, at a 20 % cut and at 10 %,
25 % and 50 % more (the budget curve) and at 1 % more (the marginal value), explains what
stays unfunded (:mod:`.explain`) and scores the plan's own activities with the same
objective at the same money (:mod:`.compare`). Raises :class:`ProblemsError` (exit 2) for a
bad budget or constraint and when the constraints cannot be met, naming the constraint.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from prevplan.catalogue.costs import CostConverter, load_converter
from prevplan.catalogue.loader import Catalogue, load_catalogue
from prevplan.i18n import _
from prevplan.optimise.compare import plan_side
from prevplan.optimise.explain import infeasible, unfunded
from prevplan.optimise.model import Constraints, Model, Solution
from prevplan.optimise.options import CATALOGUE, Money, Options, build_options
from prevplan.optimise.result import (
    Allocation,
    Comparison,
    ConstraintsOut,
    CostSource,
    CurvePoint,
    ExcludedOut,
    OptimisationResult,
    PopulationResult,
    Side,
    WarningItem,
)
from prevplan.optimise.settings import OptimiserSettings, load_settings
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules

CURVE_SHARES: Final = (0.8, 1.0, 1.1, 1.25, 1.5)
"""The budgets of the curve, as shares of the one asked for."""
HIGH_NEED: Final = frozenset({"selective", "symptomatic"})
"""Levels whose populations are warned about when left unfunded (VI-2.2, VI-2.3)."""
MAX_BUDGET: Final = 1e13
"""The largest budget read (as the largest cost a plan may hold)."""


@dataclass
class Prepared:
    """A plan's options and model, built once and solved for any budget."""

    plan: Plan
    options: Options
    model: Model
    rules: RuleSet
    catalogue: Catalogue
    settings: OptimiserSettings


def plan_money(plan: Plan, currency: str | None, year: int | None) -> Money:
    """The budget's currency and price year: the plan's own, else those given."""
    plan_currency = getattr(plan, "currency", None)
    if currency and plan_currency and currency != plan_currency:
        raise ProblemsError(
            [
                Problem(
                    "--currency",
                    "",
                    "",
                    _("the plan's costs are in {plan}; give the budget in {plan}").format(
                        plan=plan_currency
                    ),
                )
            ]
        )
    return Money(plan_currency or currency, getattr(plan, "price_year", None) or year)


def prepare(
    plan: Plan,
    *,
    rules: RuleSet | None = None,
    catalogue: Catalogue | None = None,
    settings: OptimiserSettings | None = None,
    currency: str | None = None,
    year: int | None = None,
) -> Prepared:
    """Build the options and the model of ``plan``."""
    ruleset = rules or load_rules()
    cat = catalogue or load_catalogue(rules=ruleset)
    chosen = settings or load_settings()
    money = plan_money(plan, currency, year)
    converter: CostConverter | None = None
    if money.currency is not None:
        converter = load_converter()
        if money.currency not in converter.currencies:
            expected = _("expected one of {expected}").format(
                expected=", ".join(converter.currencies)
            )
            raise ProblemsError([Problem("--currency", "", "", expected)])
        if money.year is None:
            years = converter.table.price_index.get(money.currency) or {}
            money = Money(money.currency, max(years) if years else None)
    options = build_options(plan, ruleset, cat, chosen, money, converter)
    return Prepared(plan, options, Model(options, chosen), ruleset, cat, chosen)


def working_now(prepared: Prepared) -> tuple[str, ...]:
    """The plan's costed activities that count towards effective coverage now (ids, in plan
    order): "keep what works" keeps each at least at its current reach."""
    working = {o.activity for o in prepared.options.options if o.activity}
    return tuple(a.id for a in prepared.plan.activities if a.id in working)


def check_budget(budget: float) -> float:
    """The budget, or the problem naming it."""
    if not isinstance(budget, int | float) or not math.isfinite(budget):
        raise ProblemsError([Problem("--budget", "", "", _("expected a number"))])
    if budget < 0:
        raise ProblemsError([Problem("--budget", "", "", _("expected a budget of zero or more"))])
    if budget > MAX_BUDGET:
        raise ProblemsError(
            [Problem("--budget", "", "", _("expected at most {max}").format(max=f"{MAX_BUDGET:g}"))]
        )
    return float(budget)


def check_constraints(prepared: Prepared, constraints: Constraints) -> None:
    """Every constraint that names something the plan does not have, at once."""
    problems: list[Problem] = []
    pop_ids = {p.id for p in prepared.plan.populations}
    problems += [
        Problem("--must-serve", "", pid, _("no population with this id in the plan"))
        for pid in constraints.must_serve
        if pid not in pop_ids
    ]
    problems += [
        Problem(
            "--must-serve-item",
            "",
            item,
            _("unknown Program of Actions item (expected e.g. {example})").format(example="V-3.5"),
        )
        for item in constraints.must_serve_items
        if item not in prepared.rules.action_items
    ]
    share = constraints.min_evidence_share
    if not math.isfinite(share) or not 0 <= share <= 1:
        problems.append(Problem("--min-evidence-share", "", "", _("expected a share from 0 to 1")))
    problems += _unknown_activities(prepared, constraints.keep)
    problems += _bad_caps(prepared, constraints.executor_caps)
    ProblemsError.raise_if_any(problems)


def _bad_caps(prepared: Prepared, caps: Sequence[tuple[str, float]]) -> list[Problem]:
    executors = {a.executor for a in prepared.plan.activities if a.executor}
    out: list[Problem] = []
    for name, cap in caps:
        if name not in executors:
            out.append(
                Problem("--cap-executor", "", name, _("no activity of the plan has this executor"))
            )
        if not math.isfinite(cap) or cap < 0:
            out.append(Problem("--cap-executor", "", name, _("expected an amount of zero or more")))
    return out


def _unknown_activities(prepared: Prepared, ids: Sequence[str]) -> list[Problem]:
    known = {a.id for a in prepared.plan.activities}
    return [
        Problem("--keep-working", "", a, _("no activity with this id in the plan"))
        for a in ids
        if a not in known
    ]


def solve(prepared: Prepared, budget: float, constraints: Constraints) -> Solution:
    """The allocation of ``budget``; the problem naming the constraint when there is none."""
    solution = prepared.model.solve(budget, constraints)
    if not solution.feasible:
        raise infeasible(prepared.model, budget, constraints)
    return solution


def optimise(
    prepared: Prepared,
    budget: float,
    constraints: Constraints | None = None,
    shares: Sequence[float] = CURVE_SHARES,
) -> OptimisationResult:
    """The allocation of ``budget`` with its curve, explanation and comparison."""
    cons = constraints or Constraints()
    amount = check_budget(budget)
    check_constraints(prepared, cons)
    solution = solve(prepared, amount, cons)
    curve = budget_curve(prepared, amount, cons, solution, shares)
    more = prepared.model.solve(amount * 1.01, cons) if amount > 0 else None
    marginal = more.objective - solution.objective if more and more.feasible else 0.0
    side = plan_side(prepared.plan, prepared.model, prepared.rules)
    comparison = None
    if side is not None:
        same = prepared.model.solve(side.cost, cons)
        if same.feasible:
            comparison = Comparison(plan=side, optimised=_side(prepared, same))
    return OptimisationResult(
        budget=amount,
        currency=prepared.options.money.currency,
        price_year=prepared.options.money.year,
        spent=round(solution.spent, 2),
        objective=solution.objective,
        status=solution.status,
        mip_gap=solution.mip_gap,
        allocations=_allocations(prepared, solution),
        populations=_populations(prepared, solution),
        marginal_value=round(max(0.0, marginal), 6),
        curve=curve,
        unfunded=tuple(unfunded(prepared.model, solution)),
        excluded=tuple(
            ExcludedOut(population_id=e.population_id, programme=e.programme, reason=e.reason)
            for e in prepared.options.excluded
        ),
        comparison=comparison,
        constraints=ConstraintsOut(
            must_serve=cons.must_serve,
            must_serve_items=cons.must_serve_items,
            min_evidence_share=cons.min_evidence_share,
            executor_caps=dict(cons.executor_caps),
            keep=cons.keep,
        ),
        warnings=tuple(_warnings(prepared, solution)),
    )


def budget_curve(
    prepared: Prepared,
    budget: float,
    constraints: Constraints,
    base: Solution,
    shares: Sequence[float] = CURVE_SHARES,
) -> tuple[CurvePoint, ...]:
    """The objective at each share of the budget; what each gains or drops."""
    served = {f.option.population_id for f in base.funded}
    out: list[CurvePoint] = []
    for share in shares:
        solution = base if share == 1.0 else prepared.model.solve(budget * share, constraints)
        if not solution.feasible:
            continue
        here = {f.option.population_id for f in solution.funded}
        out.append(
            CurvePoint(
                share=share,
                budget=round(budget * share, 2),
                spent=round(solution.spent, 2),
                objective=solution.objective,
                effective_reach=sum(solution.reach().values()),
                populations_served=len(here),
                gained=tuple(sorted(here - served)),
                dropped=tuple(sorted(served - here)),
            )
        )
    return tuple(out)


def _side(prepared: Prepared, solution: Solution) -> Side:
    people = sum(p.size for p in prepared.options.populations)
    reach = sum(solution.reach().values())
    return Side(
        cost=round(solution.spent, 2),
        objective=solution.objective,
        effective_reach=reach,
        effective_coverage=round(reach / people, 4) if people else 0.0,
    )


def _allocations(prepared: Prepared, solution: Solution) -> tuple[Allocation, ...]:
    order = {p.id: n for n, p in enumerate(prepared.options.populations)}
    sizes = {p.id: p.size for p in prepared.options.populations}
    out = []
    for f in sorted(solution.funded, key=lambda f: (order[f.option.population_id], f.option.key)):
        o = f.option
        out.append(
            Allocation(
                population_id=o.population_id,
                intervention=o.intervention,
                programme=o.programme,
                activity=o.activity,
                strategies=o.strategies,
                participants=f.participants,
                cost=round(f.cost, 2),
                unit_cost=round(o.unit_cost, 4),
                cost_source=CostSource(kind=o.cost_kind, ref=o.cost_ref),
                min_participants=o.min_participants,
                coverage=round(f.participants / sizes[o.population_id], 4),
                sessions=o.sessions,
                boosters=o.boosters,
                executor=o.executor,
                evidence_based=o.evidence_based,
                weight=round(o.weight, 4),
                action_items=o.action_items,
                sources=o.sources,
            )
        )
    return tuple(out)


def _populations(prepared: Prepared, solution: Solution) -> tuple[PopulationResult, ...]:
    reach = solution.reach()
    return tuple(
        PopulationResult(
            population_id=p.id,
            size=p.size,
            prevention_level=p.level,
            priority_weight=p.weight,
            effective_reach=reach.get(p.id, 0),
            effective_coverage=round(reach.get(p.id, 0) / p.size, 4) if p.size else 0.0,
        )
        for p in prepared.options.populations
    )


def _warnings(prepared: Prepared, solution: Solution) -> list[WarningItem]:
    out: list[WarningItem] = []
    excluded = prepared.options.excluded
    if any(e.reason == "no_rate" for e in excluded) and prepared.options.money.currency is None:
        out.append(
            WarningItem(
                code="no_currency",
                message=_(
                    "The plan names no currency, so catalogue programmes (costed in their "
                    "registries' currencies) cannot be priced: only the plan's own unit costs "
                    "are used. Name the plan's currency to add them."
                ),
            )
        )
    if any(f.option.cost_kind == CATALOGUE for f in solution.funded):
        out.append(
            WarningItem(
                code="catalogue_cost_converted",
                message=_(
                    "Catalogue costs are registry figures (mostly from the United States), "
                    "converted at market exchange rates and price indices; local delivery "
                    "costs usually differ. Check them before the budget is approved."
                ),
            )
        )
    for pop in prepared.options.populations:
        if pop.route_to_treatment:
            out.append(
                WarningItem(
                    code="route_to_treatment",
                    population_id=pop.id,
                    message=_(
                        "People with dependence need treatment, resocialisation and "
                        "rehabilitation. No catalogue programme serves this level: the "
                        "allocation can fund only what the plan itself costs for them. Make "
                        "sure treatment is funded, from this budget or the treatment budget."
                    ),
                    sources=("VI-T1", "V-4.1", "V-4.4"),
                )
            )
    served = solution.reach()
    has_options = {o.population_id for o in prepared.options.options}
    for pop in prepared.options.populations:
        if pop.level in HIGH_NEED and pop.id not in served and pop.id in has_options:
            out.append(
                WarningItem(
                    code="high_need_unfunded",
                    population_id=pop.id,
                    message=_(
                        "A population at the selective or symptomatic level gets nothing: its "
                        "options cost far more per person than universal work. If the plan "
                        "must serve it, make that a constraint."
                    ),
                    sources=("VI-2.2", "VI-2.3"),
                )
            )
    if solution.status == "time_limit":
        out.append(
            WarningItem(
                code="time_limit",
                message=_(
                    "The solver stopped at its time limit: the allocation is the best found, "
                    "within the gap reported."
                ),
            )
        )
    return out
