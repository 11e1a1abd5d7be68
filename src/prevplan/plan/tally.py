"""Counting a plan population by population: reach, effective reach, costs and warnings.

:class:`Tally` takes each target population with its activities (:func:`Tally.add`) and
keeps what the assessment's tables need: the largest single reach per strategy, setting and
factor (no double counting: activities may reach the same people), the reach of the
activities that count as effective (:mod:`prevplan.plan.quality`), costs by strategy and
prevention level, the people of each level × age stage cell (VI-2, VI-4), the factors of
VI-1.2 and VI-1.3 addressed, the Program of Actions items served (Annex V) and the warnings.
:meth:`Tally.coverage` and :meth:`Tally.costs` turn them into the tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from prevplan.engine.profile import Factor, age_stages_for, level_for
from prevplan.plan.annex_v_scope import AnnexVScope
from prevplan.plan.assess_warnings import population_warnings, quality_warnings
from prevplan.plan.assessment import (
    AnnexVCoverage,
    AssessWarning,
    CostLine,
    Coverage,
    CoverageCell,
    FactorCoverage,
    PopulationCoverage,
    SettingCoverage,
    trusted,
)
from prevplan.plan.credit import ActivityFacts, activity_facts
from prevplan.plan.family import Family
from prevplan.plan.models import Activity
from prevplan.plan.quality import Description, Judged, Served, is_parent_group, judge
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import ProtectiveFactor, RiskFactor

TERTIARY = "tertiary"
TREATMENT_NEED = "route_to_treatment"
PREVENTION_MIX_CODES = frozenset({"information_only", "no_fundamental_strategy", "single_strategy"})
"""Warnings on the mix of prevention strategies, which a population referred to treatment
does not get (its answer is the treatment and rehabilitation of V-4.1 and V-4.4)."""


class _Counted(NamedTuple):
    valid: list[Served]
    """The activities whose reach is possible."""
    cost: float
    reach_max: int
    reach_sum: int
    target: int
    unreliable: int


def ratio(part: float, whole: float) -> float:
    """``part`` over ``whole`` to four decimals (0 when there is no whole)."""
    return round(part / whole, 4) if whole else 0.0


def per(cost: float, people: float) -> float | None:
    """Cost per person, to the cent (``None`` when nobody is reached)."""
    return round(cost / people, 2) if people else None


class Tally:
    """Coverage, costs and warnings built up population by population."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        strategies = rules.strategies
        self.populations: list[PopulationCoverage] = []
        self.warnings: list[AssessWarning] = []
        self.strategy_pops: dict[str, int] = {s: 0 for s in strategies}
        self.strategy_reach: dict[str, int] = {s: 0 for s in strategies}
        self.strategy_effective: dict[str, int] = {s: 0 for s in strategies}
        self.strategy_cost: dict[str, float] = {s: 0.0 for s in strategies}
        self.level_cells: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.risk = {f: [0.0, 0.0, 0] for f in rules.ids(Kind.RISK_FACTOR)}
        self.protective = {f: [0.0, 0.0, 0] for f in rules.ids(Kind.PROTECTIVE_FACTOR)}
        self.settings: dict[str, list[float]] = {
            s: [0.0, 0.0, 0.0] for s in rules.ids(Kind.SETTING)
        }
        self.level_cost: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.action_items: dict[str, list[str]] = {ref: [] for ref in rules.action_items}
        self.strategy_order = {s: n for n, s in enumerate(strategies)}
        self.facts_cache: dict[tuple[object, ...], ActivityFacts] = {}
        self.keys_of: dict[int, frozenset[str]] = {}
        self.fit_cache: dict[tuple[object, ...], Description] = {}

    def _best_reach(self, valid: list[Served]) -> dict[str, int]:
        """The largest reach of any one activity per strategy, setting and factor it counts
        towards (:attr:`ActivityFacts.keys`): the activities are taken from the largest
        reach down, and each key takes the reach of the first that has it."""
        best: dict[str, int] = {}
        seen: set[str] = set()
        for f in sorted(valid, key=lambda f: -f.activity.reach):
            keys = self.keys_of.get(id(f.facts))
            if keys is None:
                keys = self.keys_of[id(f.facts)] = frozenset(f.facts.keys)
            new = keys - seen
            if new:
                seen |= new
                best.update(dict.fromkeys(new, f.activity.reach))
        return best

    def _judge(
        self, population: TargetPopulation, acts: list[Served], level: str, stages: tuple[str, ...]
    ) -> Judged:
        """The quality judgments on the population's activities; for parents, what an
        activity is fit for follows their children's ages."""
        rules = self.rules
        children = population.parents_of
        fit_stages = (
            age_stages_for(children.age_min, children.age_max, rules) if children else stages
        )
        adult = children is not None or is_parent_group(rules, population.special_groups)
        ages = (
            (children.age_min, children.age_max)
            if children
            else (population.age_min, population.age_max)
        )
        return judge(acts, rules, level, fit_stages, population.size, adult, self.fit_cache, ages)

    def _count(self, acts: list[Served], size: int) -> _Counted:
        """One pass over the activities: totals, costs and the Annex V items served. An
        activity whose reach is impossible (``reach_exceeds_size``) counts for nothing but
        its cost."""
        reach_max = reach_sum = target = unreliable = 0
        cost = 0.0
        valid: list[Served] = []
        for f in acts:
            activity = f.activity
            activity_cost = activity.cost or 0.0
            cost += activity_cost
            for ref in f.facts.action_items:
                self.action_items[ref].append(activity.id)
            if activity.reach > size:
                unreliable += 1
                continue
            valid.append(f)
            r = activity.reach
            reach_max = max(reach_max, r)
            reach_sum += r
            target = max(target, activity.target_reach or 0)
            # The whole cost of an activity stands against each strategy it delivers: the
            # strategy lines overlap and do not add up to the plan's cost.
            for s in f.facts.strategies:
                self.strategy_cost[s] += activity_cost
            for x in f.facts.settings:
                cell = self.settings[x]
                cell[0] += 1
                cell[2] += activity_cost
        return _Counted(valid, cost, reach_max, reach_sum, target, unreliable)

    def add(
        self,
        population: TargetPopulation,
        activities: list[Activity],
        priorities: tuple[Factor, ...],
        family: Family,
    ) -> None:
        """Count one population and its activities.

        ``family``: the populations linked to it as parents and children, and the strategies
        their family programmes deliver (which serve both).
        """
        rules = self.rules
        size = population.size
        level, _sources = level_for(population, rules)
        stages = age_stages_for(population.age_min, population.age_max, rules)
        lv = level.value
        known, acts = self.facts_cache, []
        # What each activity is credited with, kept for activities alike (plans repeat the
        # same programmes).
        for a in activities:
            key = (a.strategies, a.interventions, a.action_items, a.settings, a.format, lv)
            facts = known.get(key)
            if facts is None:
                facts = known[key] = activity_facts(a, rules, lv)
            acts.append(Served(a, facts))
        judged = self._judge(population, acts, lv, stages)
        counted = self._count(acts, size)
        valid, cost, unreliable = counted.valid, counted.cost, counted.unreliable
        reach_max, reach_sum, target = counted.reach_max, counted.reach_sum, counted.target
        best = self._best_reach(valid)
        effective_best: dict[str, int] = {}
        for f in judged.effective:
            for s in f.facts.strategies:
                effective_best[s] = max(effective_best.get(s, 0), f.activity.reach)
        effective = min(size, max((f.activity.reach for f in judged.effective), default=0))
        reach, upper = min(size, reach_max), min(size, reach_sum)
        served = sorted(
            {s for f in valid for s in f.facts.strategies}, key=self.strategy_order.__getitem__
        )
        mix = [*served, *(s for s in family.strategies if s not in served)] if acts else served
        pop_warnings = population_warnings(population, acts, mix, priorities, rules)
        if level.value == TERTIARY and TREATMENT_NEED not in judged.population_codes:
            # People with dependence who are referred to treatment (V-4.1, V-4.4) are not
            # also asked for a mix of prevention strategies (VI-T1, degree III).
            pop_warnings = [w for w in pop_warnings if w.code not in PREVENTION_MIX_CODES]
        pop_warnings += quality_warnings(population, acts, judged, level.value, rules)
        self.warnings += pop_warnings
        capped_target = min(target, size) if target else None
        self.populations.append(
            trusted(
                PopulationCoverage,
                population_id=population.id,
                name=population.name or population.id,
                region=population.region,
                size=size,
                prevention_level=level,
                age_stages=stages,
                activities=len(acts),
                reach=reach,
                reach_upper=upper,
                coverage=ratio(reach, size),
                effective_reach=effective,
                effective_coverage=ratio(effective, size),
                effective_activities=tuple(f.activity.id for f in judged.effective),
                linked_populations=family.linked,
                unreliable_activities=unreliable,
                undescribed_activities=judged.undescribed,
                target_reach=capped_target,
                target_coverage=ratio(capped_target, size) if capped_target else None,
                cost=round(cost, 2),
                cost_per_person=per(cost, reach),
                cost_per_effective_person=per(cost, effective),
                strategies=tuple(served),
                warnings=tuple(dict.fromkeys(w.code for w in pop_warnings)),
            )
        )
        for s in served:
            self.strategy_pops[s] += 1
            self.strategy_reach[s] += min(size, best[f"s:{s}"])
        for s, value in effective_best.items():
            self.strategy_effective[s] += min(size, value)
        for x in {x for f in valid for x in f.facts.settings}:
            self.settings[x][1] += min(size, best[f"set:{x}"])
        line = self.level_cost[level.value]
        line[0] += cost
        line[1] += reach
        line[2] += effective
        _add_stage_cells(self.level_cells, level.value, stages, population, reach, effective, rules)
        _add_factors(self.risk, population.risk_factors, best, "r:", size, risk=True)
        _add_factors(self.protective, population.protective_factors, best, "p:", size, risk=False)

    def coverage(self, scope: AnnexVScope) -> Coverage:
        """The coverage tables of every population counted (interfaces §3)."""
        return Coverage(
            populations=tuple(self.populations),
            strategies={self.rules.strategies[s].clause: n for s, n in self.strategy_pops.items()},
            action_items={ref: tuple(ids) for ref, ids in self.action_items.items()},
            strategy_reach={
                self.rules.strategies[s].clause: n for s, n in self.strategy_reach.items()
            },
            levels=tuple(
                CoverageCell(
                    level=lv,
                    age_stage=st,
                    people=round(v[0]),
                    reach=round(v[1]),
                    coverage=ratio(v[1], v[0]),
                    effective_reach=round(v[2]),
                    effective_coverage=ratio(v[2], v[0]),
                )
                for (lv, st), v in sorted(
                    self.level_cells.items(), key=lambda kv: _cell_order(kv[0], self.rules)
                )
            ),
            risk_factors=_factor_coverage(self.risk, Kind.RISK_FACTOR, self.rules),
            protective_factors=_factor_coverage(
                self.protective, Kind.PROTECTIVE_FACTOR, self.rules
            ),
            settings=tuple(
                SettingCoverage(
                    setting=s, activities=int(v[0]), reach=round(v[1]), cost=round(v[2], 2)
                )
                for s, v in self.settings.items()
            ),
            annex_v=AnnexVCoverage(
                activity_items=scope.activities,
                activity_items_served=tuple(
                    r for r in scope.activities if self.action_items.get(r)
                ),
                served_by_plan=scope.plan,
                served_by_report=scope.report,
                outside=scope.outside,
            ),
        )

    def costs(self) -> tuple[CostLine, ...]:
        """The cost lines: by strategy (in the rules' order), then by prevention level."""
        strategies = self.rules.strategies
        strategy_cost, strategy_reach = self.strategy_cost, self.strategy_reach
        effective_reach = self.strategy_effective
        return tuple(
            CostLine(
                group="strategy",
                id=s,
                clause=strategies[s].clause,
                cost=round(strategy_cost[s], 2),
                reach=strategy_reach[s],
                cost_per_person=per(strategy_cost[s], strategy_reach[s]),
                effective_reach=effective_reach[s],
                cost_per_effective_person=per(strategy_cost[s], effective_reach[s]),
            )
            for s in strategies
        ) + tuple(
            CostLine(
                group="level",
                id=lv,
                clause=self.rules.levels[lv].clauses[0],
                cost=round(v[0], 2),
                reach=round(v[1]),
                cost_per_person=per(v[0], v[1]),
                effective_reach=round(v[2]),
                cost_per_effective_person=per(v[0], v[2]),
            )
            for lv, v in sorted(
                self.level_cost.items(), key=lambda kv: self.rules.ids(Kind.LEVEL).index(kv[0])
            )
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
    effective: int,
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
        cell[2] += effective * years / total


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
            coverage=ratio(v[1], v[0]),
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
