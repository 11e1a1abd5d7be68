"""``assess(plan)``: what a plan or an inventory covers, for how many people, at what cost.

Coverage is people reached over people in the target population (the population's ``size``
is the denominator), per population, per strategy (VI-3), per prevention level × age stage
(VI-2, VI-4), per risk-factor group (VI-1.2) and protective level (VI-1.3) addressed, per
setting and per Program of Actions item (Annex V). The gaps are named as warnings with the
codes of interfaces §4, each citing the clauses it rests on.

Reach is never double-counted: activities serving the same population may reach the same
people, so a population's reach is the largest reach of any one activity, capped at its size
(a lower bound); the sum of reaches, capped at size, is reported beside it as the upper
bound. The same rule applies within each strategy, factor and setting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from prevplan.engine.profile import age_stages_for, level_for, priorities_for
from prevplan.i18n import _
from prevplan.plan.assessment import (
    AssessWarning,
    Assessment,
    CostLine,
    Coverage,
    CoverageCell,
    FactorCoverage,
    PopulationCoverage,
    SettingCoverage,
    Totals,
)
from prevplan.plan.models import Activity, Plan
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind
from prevplan.vocab import StrategyKind

REACH_RULE = (
    "A population's reach is the largest reach of any single activity serving it, capped at "
    "its size (activities may reach the same people); the sum of reaches, capped at size, is "
    "the upper bound."
)


@dataclass(frozen=True)
class ActivityFacts:
    """What one activity delivers, once its interventions are expanded into strategies."""

    activity: Activity
    strategies: frozenset[str]
    action_items: tuple[str, ...]
    settings: tuple[str, ...]
    risk_factors: frozenset[str]
    protective_factors: frozenset[str]
    levels: frozenset[str]


def activity_facts(activity: Activity, rules: RuleSet) -> ActivityFacts:
    """Expand an activity through the rules: strategies, Annex V items, factors, levels."""
    items = list(activity.interventions)
    strategies = set(activity.strategies)
    for intervention in items:
        strategies.update(rules.objects(Kind.INTERVENTION, Kind.STRATEGY, intervention))
    delivered = [(Kind.STRATEGY, s) for s in activity.strategies] + [
        (Kind.INTERVENTION, i) for i in items
    ]
    if activity.action_items:
        action_items = tuple(activity.action_items)
    else:
        found = {ref for kind, x in delivered for ref in rules.objects(kind, Kind.ACTION_ITEM, x)}
        action_items = tuple(ref for ref in rules.action_items if ref in found)
    if activity.settings:
        settings = tuple(s.value for s in activity.settings)
    else:
        found_settings = {s for i in items for s in rules.objects(Kind.INTERVENTION, Kind.SETTING, i)}
        settings = tuple(s for s in rules.ids(Kind.SETTING) if s in found_settings)
    return ActivityFacts(
        activity=activity,
        strategies=frozenset(strategies),
        action_items=action_items,
        settings=settings,
        risk_factors=frozenset(
            f for kind, x in delivered for f in rules.objects(kind, Kind.RISK_FACTOR, x)
        ),
        protective_factors=frozenset(
            f for kind, x in delivered for f in rules.objects(kind, Kind.PROTECTIVE_FACTOR, x)
        ),
        levels=frozenset(l for kind, x in delivered for l in rules.objects(kind, Kind.LEVEL, x)),
    )


def _reach(size: int, reaches: Iterable[int]) -> tuple[int, int]:
    values = list(reaches)
    if not values:
        return 0, 0
    return min(size, max(values)), min(size, sum(values))


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def assess(plan: Plan, rules: RuleSet | None = None) -> Assessment:
    """Coverage, costs and warnings for a plan (pure: no I/O beyond default rules)."""
    ruleset = rules if rules is not None else load_rules()
    strategies = ruleset.strategies
    facts_cache: dict[tuple[object, ...], ActivityFacts] = {}  # many activities look alike
    by_population: dict[str, list[ActivityFacts]] = defaultdict(list)
    warnings: list[AssessWarning] = []
    sizes = {p.id: p.size for p in plan.populations}
    for activity in plan.activities:
        key = (activity.strategies, activity.interventions, activity.action_items, activity.settings)
        template = facts_cache.get(key)
        if template is None:
            template = facts_cache[key] = activity_facts(activity, ruleset)
        facts = replace(template, activity=activity)
        by_population[activity.population_id].append(facts)
        size = sizes.get(activity.population_id)
        if size is not None and activity.reach > size:
            warnings.append(
                _warn(ruleset, "reach_exceeds_size", activity.population_id, activity.id,
                      _("Reach {reach} is larger than the population ({size}).").format(
                          reach=activity.reach, size=size))
            )

    populations: list[PopulationCoverage] = []
    strategy_pops: dict[str, int] = {s: 0 for s in strategies}
    strategy_reach: dict[str, int] = {s: 0 for s in strategies}
    strategy_cost: dict[str, float] = {s: 0.0 for s in strategies}
    level_cells: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    risk = {f: [0.0, 0.0, 0] for f in ruleset.ids(Kind.RISK_FACTOR)}
    protective = {f: [0.0, 0.0, 0] for f in ruleset.ids(Kind.PROTECTIVE_FACTOR)}
    settings: dict[str, list[float]] = {s: [0.0, 0.0, 0.0] for s in ruleset.ids(Kind.SETTING)}
    level_cost: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    action_items: dict[str, list[str]] = {ref: [] for ref in ruleset.action_items}

    for population in plan.populations:
        acts = by_population.get(population.id, [])
        level, _sources = level_for(population, ruleset)
        stages = age_stages_for(population.age_min, population.age_max, ruleset)
        reach, upper = _reach(population.size, (f.activity.reach for f in acts))
        target = sum(f.activity.target_reach or 0 for f in acts) or None
        cost = sum(f.activity.cost or 0.0 for f in acts)
        served = sorted({s for f in acts for s in f.strategies}, key=list(strategies).index)
        pop_warnings = _population_warnings(population, acts, served, level.value, ruleset)
        warnings += pop_warnings
        populations.append(
            PopulationCoverage(
                population_id=population.id,
                name=population.name or population.id,
                region=population.region,
                size=population.size,
                prevention_level=level,
                age_stages=stages,
                activities=len(acts),
                reach=reach,
                reach_upper=upper,
                coverage=_ratio(reach, population.size),
                target_reach=min(target, population.size) if target else None,
                target_coverage=_ratio(min(target, population.size), population.size)
                if target
                else None,
                cost=round(cost, 2),
                cost_per_person=round(cost / reach, 2) if reach else None,
                strategies=tuple(served),
                warnings=tuple(dict.fromkeys(w.code for w in pop_warnings)),
            )
        )
        for s in served:
            strategy_pops[s] += 1
            strategy_reach[s] += _reach(
                population.size, (f.activity.reach for f in acts if s in f.strategies)
            )[0]
        for f in acts:
            if f.strategies and f.activity.cost:
                share = f.activity.cost / len(f.strategies)
                for s in f.strategies:
                    strategy_cost[s] += share
            for ref in f.action_items:
                action_items[ref].append(f.activity.id)
        level_cost[level.value][0] += cost
        level_cost[level.value][1] += reach
        _add_stage_cells(level_cells, level.value, stages, population, reach, ruleset)
        _add_factors(risk, population.risk_factors, acts, population.size, risk=True)
        _add_factors(protective, population.protective_factors, acts, population.size, risk=False)
        for setting in settings:
            in_setting = [f for f in acts if setting in f.settings]
            if in_setting:
                cell = settings[setting]
                cell[0] += len(in_setting)
                cell[1] += _reach(population.size, (f.activity.reach for f in in_setting))[0]
                cell[2] += sum(f.activity.cost or 0.0 for f in in_setting)

    total_people = sum(p.size for p in plan.populations)
    total_reach = sum(p.reach for p in populations)
    total_cost = sum(a.cost or 0.0 for a in plan.activities)
    coverage = Coverage(
        populations=tuple(populations),
        strategies={strategies[s].clause: n for s, n in strategy_pops.items()},
        action_items={ref: tuple(ids) for ref, ids in action_items.items()},
        strategy_reach={strategies[s].clause: n for s, n in strategy_reach.items()},
        levels=tuple(
            CoverageCell(
                level=lv, age_stage=st, people=round(v[0]), reach=round(v[1]),
                coverage=_ratio(v[1], v[0]),
            )
            for (lv, st), v in sorted(level_cells.items(), key=lambda kv: _cell_order(kv[0], ruleset))
        ),
        risk_factors=tuple(
            FactorCoverage(id=f, clause=_clause(ruleset, Kind.RISK_FACTOR, f), people=round(v[0]),
                           reach=round(v[1]), coverage=_ratio(v[1], v[0]), populations=int(v[2]))
            for f, v in risk.items()
        ),
        protective_factors=tuple(
            FactorCoverage(id=f, clause=_clause(ruleset, Kind.PROTECTIVE_FACTOR, f),
                           people=round(v[0]), reach=round(v[1]), coverage=_ratio(v[1], v[0]),
                           populations=int(v[2]))
            for f, v in protective.items()
        ),
        settings=tuple(
            SettingCoverage(setting=s, activities=int(v[0]), reach=round(v[1]), cost=round(v[2], 2))
            for s, v in settings.items()
        ),
    )
    costs = tuple(
        CostLine(
            group="strategy", id=s, clause=strategies[s].clause, cost=round(strategy_cost[s], 2),
            reach=strategy_reach[s],
            cost_per_person=round(strategy_cost[s] / strategy_reach[s], 2)
            if strategy_reach[s] else None,
        )
        for s in strategies
    ) + tuple(
        CostLine(
            group="level", id=lv, clause=ruleset.levels[lv].clauses[0], cost=round(v[0], 2),
            reach=round(v[1]), cost_per_person=round(v[0] / v[1], 2) if v[1] else None,
        )
        for lv, v in sorted(level_cost.items(), key=lambda kv: ruleset.ids(Kind.LEVEL).index(kv[0]))
    )
    return Assessment(
        plan_name=plan.name,
        reach_rule=_(REACH_RULE),
        totals=Totals(
            populations=len(plan.populations),
            activities=len(plan.activities),
            people=total_people,
            reach=total_reach,
            coverage=_ratio(total_reach, total_people),
            cost=round(total_cost, 2),
            cost_per_person=round(total_cost / total_reach, 2) if total_reach else None,
            uncovered_populations=sum(1 for p in populations if p.activities == 0),
            action_items_served=sum(1 for ids in action_items.values() if ids),
        ),
        coverage=coverage,
        costs=costs,
        warnings=tuple(warnings),
    )


def _clause(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    entity = rules.entity(kind, entity_id)
    return entity.clauses[0] if entity else ""


def _cell_order(key: tuple[str, str], rules: RuleSet) -> tuple[int, int]:
    return rules.ids(Kind.LEVEL).index(key[0]), rules.ids(Kind.AGE_STAGE).index(key[1])


def _add_stage_cells(
    cells: dict[tuple[str, str], list[float]],
    level: str,
    stages: tuple[str, ...],
    population: TargetPopulation,
    reach: int,
    rules: RuleSet,
) -> None:
    """Split a population across the age stages it spans, in proportion to the years."""
    spans = []
    for stage_id in stages:
        stage = rules.age_stages[stage_id]
        years = min(stage.age_max, population.age_max) - max(stage.age_min, population.age_min) + 1
        spans.append((stage_id, years))
    total = sum(y for _, y in spans) or 1
    for stage_id, years in spans:
        cell = cells[(level, stage_id)]
        cell[0] += population.size * years / total
        cell[1] += reach * years / total


def _add_factors(
    table: dict[str, list[float]],
    shares: dict[object, float],
    acts: list[ActivityFacts],
    size: int,
    *,
    risk: bool,
) -> None:
    """People with the risk (or lacking the resource) and how many of them are reached."""
    for factor, share in shares.items():
        key = str(getattr(factor, "value", factor))
        need = share if risk else 1.0 - share
        people = need * size
        addressing = [
            f for f in acts if key in (f.risk_factors if risk else f.protective_factors)
        ]
        reached = _reach(size, (f.activity.reach for f in addressing))[0] * need
        cell = table[key]
        cell[0] += people
        cell[1] += reached
        cell[2] += 1


def _warn(
    rules: RuleSet,
    code: str,
    population_id: str | None,
    activity_id: str | None,
    detail: str = "",
) -> AssessWarning:
    definition = rules.warning_definitions[code]
    message = _(definition.explanation).replace(
        "{population}", population_id or _("this population")
    )
    return AssessWarning(
        code=code,
        population_id=population_id,
        activity_id=activity_id,
        message=f"{message} {detail}".strip(),
        sources=definition.sources,
    )


def _population_warnings(
    population: TargetPopulation,
    acts: list[ActivityFacts],
    served: list[str],
    level: str,
    rules: RuleSet,
) -> list[AssessWarning]:
    pid = population.id
    out: list[AssessWarning] = []
    if not acts:
        out.append(_warn(rules, "uncovered_population", pid, None))
    else:
        kinds = {rules.strategies[s].kind for s in served}
        if StrategyKind.FUNDAMENTAL not in kinds:
            if "information" in served:
                out.append(_warn(rules, "information_only", pid, None))
            out.append(_warn(rules, "no_fundamental_strategy", pid, None))
        if len(served) == 1:
            out.append(_warn(rules, "single_strategy", pid, None))
        for f in acts:
            if f.levels and level not in f.levels:
                out.append(
                    _warn(rules, "level_mismatch", pid, f.activity.id,
                          _("Activity '{name}' does not suit {level} prevention.").format(
                              name=f.activity.name or f.activity.id, level=level))
                )
    # The level's Program of Actions items under "Measures of medical and rehabilitation
    # nature" (focus area V-4) are the treatment services the population must be routed to.
    treatment_items = {
        ref
        for ref in rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level)
        if rules.action_items[ref].focus_area == "V-4"
    }
    if treatment_items and not any(set(f.action_items) & treatment_items for f in acts):
        out.append(_warn(rules, "route_to_treatment", pid, None))
    addressed = {("risk", x) for f in acts for x in f.risk_factors} | {
        ("protective", x) for f in acts for x in f.protective_factors
    }
    for priority in priorities_for(population, rules):
        tag = "risk" if priority.kind is Kind.RISK_FACTOR else "protective"
        if acts and (tag, priority.id) not in addressed:
            label = rules.entities[priority.kind][priority.id].label
            out.append(
                _warn(rules, "untargeted_priority_risk", pid, None,
                      _("Not addressed: {factor}.").format(factor=label))
            )
    return out
