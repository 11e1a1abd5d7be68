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
from collections.abc import Mapping
from dataclasses import dataclass

from prevplan.engine import judgments
from prevplan.engine.judgments import Finding, WarningCode
from prevplan.engine.profile import Factor, age_stages_for, level_for, priorities_for
from prevplan.i18n import DEFAULT_LANGUAGE, N_, _, current_language, format_number
from prevplan.plan.assessment import (
    Assessment,
    AssessWarning,
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
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind
from prevplan.vocab import Level, ProtectiveFactor, RiskFactor

#: How reach is counted; stated on every assessment (in the language of the assessment).
REACH_RULE = N_(
    "A population's reach is the largest reach of any single activity serving it, capped at "
    "its size (activities may reach the same people); the sum of reaches, capped at size, is "
    "the upper bound. Targets are combined the same way, so reach and target compare."
)


@dataclass(frozen=True)
class ActivityFacts:
    """What an activity delivers, once its interventions are expanded into strategies.

    Activities that name the same strategies, interventions, items and settings share one.
    """

    strategies: frozenset[str]
    action_items: tuple[str, ...]
    settings: tuple[str, ...]
    risk_factors: frozenset[str]
    protective_factors: frozenset[str]
    levels: frozenset[str]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every strategy, setting and factor this activity counts towards, tagged by kind."""
        return (
            *(f"s:{x}" for x in self.strategies),
            *(f"set:{x}" for x in self.settings),
            *(f"r:{x}" for x in self.risk_factors),
            *(f"p:{x}" for x in self.protective_factors),
        )


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
        found_settings = {
            s for i in items for s in rules.objects(Kind.INTERVENTION, Kind.SETTING, i)
        }
        settings = tuple(s for s in rules.ids(Kind.SETTING) if s in found_settings)
    return ActivityFacts(
        strategies=frozenset(strategies),
        action_items=action_items,
        settings=settings,
        risk_factors=frozenset(
            f for kind, x in delivered for f in rules.objects(kind, Kind.RISK_FACTOR, x)
        ),
        protective_factors=frozenset(
            f for kind, x in delivered for f in rules.objects(kind, Kind.PROTECTIVE_FACTOR, x)
        ),
        levels=frozenset(lv for kind, x in delivered for lv in rules.objects(kind, Kind.LEVEL, x)),
    )


# One whole sentence per kind of reference an activity makes.
_UNKNOWN_ID: dict[Kind, str] = {
    Kind.STRATEGY: N_("unknown strategy id '{id}'"),
    Kind.INTERVENTION: N_("unknown intervention id '{id}'"),
    Kind.ACTION_ITEM: N_("unknown action_item id '{id}'"),
}


def _check_references(plan: Plan, rules: RuleSet) -> None:
    """A plan built in code (not read through plan.io) may name things that do not exist."""
    problems: list[Problem] = []
    population_ids = {p.id for p in plan.populations}
    for activity in plan.activities:
        where = _("activity {id}").format(id=activity.id)
        if activity.population_id not in population_ids:
            problems.append(
                Problem(
                    plan.name,
                    where,
                    "population_id",
                    _("unknown population '{id}'").format(id=activity.population_id),
                )
            )
        for kind, field, names in (
            (Kind.STRATEGY, "strategies", activity.strategies),
            (Kind.INTERVENTION, "interventions", activity.interventions),
            (Kind.ACTION_ITEM, "action_items", activity.action_items),
        ):
            problems += [
                Problem(plan.name, where, field, _(_UNKNOWN_ID[kind]).format(id=name))
                for name in names
                if not rules.exists(kind, name)
            ]
    ProblemsError.raise_if_any(problems)


@dataclass(frozen=True)
class Served:
    """An activity of a population together with what it delivers."""

    activity: Activity
    facts: ActivityFacts


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def assess(plan: Plan, rules: RuleSet | None = None) -> Assessment:
    """Coverage, costs and warnings for a plan (pure: no I/O beyond default rules)."""
    ruleset = rules if rules is not None else load_rules()
    _check_references(plan, ruleset)
    strategies = ruleset.strategies
    facts_cache: dict[tuple[object, ...], ActivityFacts] = {}  # many activities look alike
    by_population: dict[str, list[Served]] = defaultdict(list)
    warnings: list[AssessWarning] = []
    sizes = {p.id: p.size for p in plan.populations}
    for activity in plan.activities:
        key = (
            activity.strategies,
            activity.interventions,
            activity.action_items,
            activity.settings,
        )
        facts = facts_cache.get(key)
        if facts is None:
            facts = facts_cache[key] = activity_facts(activity, ruleset)
        by_population[activity.population_id].append(Served(activity, facts))
        size = sizes.get(activity.population_id)
        if size is not None and activity.reach > size:
            finding = Finding(
                WarningCode.REACH_EXCEEDS_SIZE,
                activity.population_id,
                activity.id,
                detail=(("reach", format_number(activity.reach)), ("size", format_number(size))),
            )
            warnings.append(_warn(ruleset, finding))

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

    strategy_order = {s: n for n, s in enumerate(strategies)}
    keys_of: dict[int, tuple[str, ...]] = {}
    priorities = priorities_for(plan.populations, ruleset)
    for population, population_priorities in zip(plan.populations, priorities, strict=True):
        acts = by_population.get(population.id, [])
        size = population.size
        level, _sources = level_for(population, ruleset)
        stages = age_stages_for(population.age_min, population.age_max, ruleset)
        # One pass: the largest single reach per strategy, setting and factor (no double
        # counting), plus totals, costs and the Annex V items served.
        best: dict[str, int] = {}
        reach_max = reach_sum = target = 0
        cost = 0.0
        for f in acts:
            r = f.activity.reach
            reach_max = max(reach_max, r)
            reach_sum += r
            target = max(target, f.activity.target_reach or 0)
            activity_cost = f.activity.cost or 0.0
            cost += activity_cost
            facts_keys = keys_of.get(id(f.facts))
            if facts_keys is None:
                facts_keys = keys_of[id(f.facts)] = f.facts.keys
            for tag in facts_keys:
                if r > best.get(tag, -1):
                    best[tag] = r
            if f.facts.strategies and activity_cost:
                share = activity_cost / len(f.facts.strategies)
                for s in f.facts.strategies:
                    strategy_cost[s] += share
            for x in f.facts.settings:
                cell = settings[x]
                cell[0] += 1
                cell[2] += activity_cost
            for ref in f.facts.action_items:
                action_items[ref].append(f.activity.id)
        reach, upper = min(size, reach_max), min(size, reach_sum)
        served = sorted((k[2:] for k in best if k.startswith("s:")), key=strategy_order.__getitem__)
        pop_warnings = _population_warnings(
            population, acts, served, level, population_priorities, ruleset
        )
        warnings += pop_warnings
        capped_target = min(target, size) if target else None
        populations.append(
            PopulationCoverage.model_construct(
                population_id=population.id,
                name=population.name or population.id,
                region=population.region,
                size=size,
                prevention_level=level,
                age_stages=stages,
                activities=len(acts),
                reach=reach,
                reach_upper=upper,
                coverage=_ratio(reach, size),
                target_reach=capped_target,
                target_coverage=_ratio(capped_target, size) if capped_target else None,
                cost=round(cost, 2),
                cost_per_person=round(cost / reach, 2) if reach else None,
                strategies=tuple(served),
                warnings=tuple(dict.fromkeys(w.code for w in pop_warnings)),
            )
        )
        for s in served:
            strategy_pops[s] += 1
            strategy_reach[s] += min(size, best[f"s:{s}"])
        for tag, value in best.items():
            if tag.startswith("set:"):
                settings[tag[4:]][1] += min(size, value)
        level_cost[level.value][0] += cost
        level_cost[level.value][1] += reach
        _add_stage_cells(level_cells, level.value, stages, population, reach, ruleset)
        _add_factors(risk, population.risk_factors, best, "r:", size, risk=True)
        _add_factors(protective, population.protective_factors, best, "p:", size, risk=False)

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
                level=lv,
                age_stage=st,
                people=round(v[0]),
                reach=round(v[1]),
                coverage=_ratio(v[1], v[0]),
            )
            for (lv, st), v in sorted(
                level_cells.items(), key=lambda kv: _cell_order(kv[0], ruleset)
            )
        ),
        risk_factors=_factor_coverage(risk, Kind.RISK_FACTOR, ruleset),
        protective_factors=_factor_coverage(protective, Kind.PROTECTIVE_FACTOR, ruleset),
        settings=tuple(
            SettingCoverage(setting=s, activities=int(v[0]), reach=round(v[1]), cost=round(v[2], 2))
            for s, v in settings.items()
        ),
    )
    costs = tuple(
        CostLine(
            group="strategy",
            id=s,
            clause=strategies[s].clause,
            cost=round(strategy_cost[s], 2),
            reach=strategy_reach[s],
            cost_per_person=round(strategy_cost[s] / strategy_reach[s], 2)
            if strategy_reach[s]
            else None,
        )
        for s in strategies
    ) + tuple(
        CostLine(
            group="level",
            id=lv,
            clause=ruleset.levels[lv].clauses[0],
            cost=round(v[0], 2),
            reach=round(v[1]),
            cost_per_person=round(v[0] / v[1], 2) if v[1] else None,
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


def _factor_coverage(
    table: dict[str, list[float]], kind: Kind, rules: RuleSet
) -> tuple[FactorCoverage, ...]:
    """The rows of :func:`_add_factors`' table: people, reach, coverage, populations."""
    return tuple(
        FactorCoverage(
            id=f,
            clause=_clause(rules, kind, f),
            people=round(v[0]),
            reach=round(v[1]),
            coverage=_ratio(v[1], v[0]),
            populations=int(v[2]),
        )
        for f, v in table.items()
    )


def _add_factors(
    table: dict[str, list[float]],
    shares: Mapping[RiskFactor, float] | Mapping[ProtectiveFactor, float],
    best: dict[str, int],
    prefix: str,
    size: int,
    *,
    risk: bool,
) -> None:
    """People with the risk (or lacking the resource) and how many of them are reached."""
    for factor, share in shares.items():
        key = factor.value
        need = share if risk else 1.0 - share
        cell = table[key]
        cell[0] += need * size
        cell[1] += min(size, best.get(prefix + key, 0)) * need
        cell[2] += 1


def _warn(rules: RuleSet, finding: Finding) -> AssessWarning:
    """A finding as an assessment warning, in the current language, about its population."""
    fields = judgments.warning_fields(rules, finding, current_language(), finding.population_id)
    factor = finding.factor
    return AssessWarning(
        **fields,
        population_id=finding.population_id,
        activity_id=finding.activity_id,
        factor_kind=factor[0].value if factor else None,
        factor_id=factor[1] if factor else None,
    )


def level_name(level: str, rules: RuleSet) -> str:
    """The level as the level-mismatch message names it: the id in English ("selective
    prevention"), the translated label in another language (whose message quotes it)."""
    if current_language() == DEFAULT_LANGUAGE:
        return level
    return rules.translated(Kind.LEVEL, level, "label")


def _population_warnings(
    population: TargetPopulation,
    acts: list[Served],
    served: list[str],
    level: Level,
    priorities: tuple[Factor, ...],
    rules: RuleSet,
) -> list[AssessWarning]:
    """The judgments on one population's activities (:mod:`prevplan.engine.judgments`)."""
    pid = population.id
    found: list[Finding] = []
    if not acts:
        found.append(Finding(WarningCode.UNCOVERED_POPULATION, pid))
    else:
        found += judgments.mix_findings(rules, served, pid)
        for f in acts:
            if f.facts.levels and level.value not in f.facts.levels:
                name = f.activity.name or f.activity.id
                detail = (("name", name), ("level", level_name(level.value, rules)))
                found.append(Finding(WarningCode.LEVEL_MISMATCH, pid, f.activity.id, detail=detail))
    found += judgments.level_findings(rules, level, pid)
    if acts:
        addressed = {(Kind.RISK_FACTOR, x) for f in acts for x in f.facts.risk_factors} | {
            (Kind.PROTECTIVE_FACTOR, x) for f in acts for x in f.facts.protective_factors
        }
        untargeted = [factor for factor in priorities if factor not in addressed]
        found += judgments.untargeted_findings(rules, untargeted, pid)
    return [_warn(rules, finding) for finding in found]
