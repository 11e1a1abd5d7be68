"""Counting a plan: reach, effective reach, costs and warnings, population by population.

:class:`Tally` takes the plan's target populations with their activities
(:meth:`Tally.add_all`): what each activity is credited with at its population's level, then
the whole plan's reach and costs at once (:mod:`prevplan.plan.counts`: the largest single
reach per strategy, setting and factor — no double counting, activities may reach the same
people — costs by strategy and setting, the factors of VI-1.2 and VI-1.3 addressed and the
Program of Actions items served, Annex V) and the quality judgments of every activity
(:mod:`prevplan.plan.quality`: which count towards effective reach), then, population by
population, the warnings, costs by prevention level and the people of each level × age
stage cell (VI-2, VI-4).
:meth:`Tally.coverage` and :meth:`Tally.costs` turn them into the tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import chain
from operator import attrgetter

import numpy as np

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
from prevplan.plan.counts import Ints, Rows, count_plan
from prevplan.plan.credit import ActivityFacts, activity_facts
from prevplan.plan.family import Family
from prevplan.plan.models import Activity
from prevplan.plan.quality import Context, PlanJudgments, is_parent_group, judge_plan
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import Level


@lru_cache(maxsize=64)
def not_raised_at(rules: RuleSet, level: str) -> frozenset[str]:
    """The warnings ``assess`` does not raise at ``level``: the ``not_at_levels`` of their
    triggers (``warnings.yaml``). At the tertiary level these are the advice on a mix of
    prevention strategies and on delivering a curriculum: people with dependence need
    treatment and rehabilitation (V-4.1, V-4.4; VI-T1, degree III), which
    ``route_to_treatment`` asks for when the plan gives none."""
    return frozenset(
        code
        for code, definition in rules.warning_definitions.items()
        if level in definition.trigger.not_at_levels
    )


#: The fields an activity's credit depends on (:func:`prevplan.plan.credit.activity_facts`,
#: with the population's level); :data:`_DESCRIBED` adds those its judgment depends on
#: (:func:`prevplan.plan.quality.describe`, with the population's kind).
_CREDITED = ("strategies", "interventions", "action_items", "settings", "format")
_CREDITED_FIELDS = len(_CREDITED)
_DESCRIBED = attrgetter(
    *_CREDITED, "sessions", "boosters", "deliverers_trained", "practices", "programme"
)


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
        self.level_cells: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.level_cost: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.rows = Rows()
        self.counts = count_plan(rules, (), (), self.rows)
        self.judgments = PlanJudgments([], [], [], {s: 0 for s in strategies})
        """The plan's counts (:func:`prevplan.plan.counts.count_plan`), once :meth:`add_all`
        has counted it."""
        self.strategy_names: dict[int, tuple[str, ...]] = {}
        # Plans repeat the same programmes: activities that name the same things are numbered
        # alike (what they are credited with, then how they are delivered), and each number
        # is expanded and judged once per kind of population.
        self.kinds: dict[tuple[object, ...], int] = {}
        self.credit_cache: dict[tuple[tuple[object, ...], str], ActivityFacts] = {}
        self.factor_sets: dict[int, frozenset[Factor]] = {}

    def number(self, activities: Sequence[Activity]) -> list[int]:
        """The kind of each activity (:attr:`prevplan.plan.quality.Served.kind`), numbered
        for the whole plan at once: activities described alike share one."""
        kinds = self.kinds
        return [kinds.setdefault(key, len(kinds)) for key in map(_DESCRIBED, activities)]

    def _credit(self, activities: Sequence[Activity], levels: list[str], rows: Rows) -> None:
        """What each row is credited with at its population's level (:attr:`Rows.facts`):
        one expansion for all the activities of a kind at each level."""
        numbers = {lv: n for n, lv in enumerate(dict.fromkeys(levels))}
        level_of: Ints = np.array([numbers[lv] for lv in levels], dtype=np.int64)
        pop = np.repeat(np.arange(len(levels), dtype=np.int64), rows.per_population)
        kind: Ints = np.array(rows.kind, dtype=np.int64)
        width = int(kind.max()) + 1 if len(kind) else 1
        _keys, first, at = np.unique(
            level_of[pop] * width + kind, return_index=True, return_inverse=True
        )
        found = []
        for r in first.tolist():
            a = activities[rows.activity[r]]
            found.append(self._numbered(self._facts(a, _DESCRIBED(a), levels[int(pop[r])]), rows))
        rows.facts = np.array(found, dtype=np.int64)[at].tolist()

    @staticmethod
    def _numbered(facts: ActivityFacts, rows: Rows) -> int:
        """The place of ``facts`` among the distinct credits of ``rows``."""
        n = rows.numbers.setdefault(id(facts), len(rows.distinct))
        if n == len(rows.distinct):
            rows.distinct.append(facts)
        return n

    def _facts(self, activity: Activity, key: tuple[object, ...], level: str) -> ActivityFacts:
        """What an activity is credited with at the ``level``: one for all the activities
        whose credit depends on the same things (:data:`_CREDITED`), however delivered."""
        credited = key[:_CREDITED_FIELDS]
        found = self.credit_cache.get((credited, level))
        if found is None:
            found = self.credit_cache[(credited, level)] = activity_facts(
                activity, self.rules, level
            )
        return found

    def _context(
        self, population: TargetPopulation, level: str, stages: tuple[str, ...]
    ) -> Context:
        """What the judgments of the population's activities depend on; for parents, what
        an activity is fit for follows their children's ages."""
        rules = self.rules
        children = population.parents_of
        if children is None:
            adult = is_parent_group(rules, population.special_groups)
            return Context(level, stages, adult, (population.age_min, population.age_max))
        fit_stages = age_stages_for(children.age_min, children.age_max, rules)
        return Context(level, fit_stages, True, (children.age_min, children.age_max))

    def add_all(
        self,
        populations: Sequence[TargetPopulation],
        activities: Sequence[Activity],
        by_population: Mapping[str, list[int]],
        priorities: Sequence[tuple[Factor, ...]],
        families: Mapping[str, Family],
    ) -> None:
        """Count every population with its activities (``by_population``: their places in
        ``activities``), its priority factors and its links as parents and children
        (``families``: the strategies the family programmes of linked populations deliver,
        which serve both)."""
        rules = self.rules
        levels = [level_for(p, rules)[0] for p in populations]
        stages = [age_stages_for(p.age_min, p.age_max, rules) for p in populations]
        rows = self.rows = Rows()
        for p in populations:
            at = by_population.get(p.id, [])
            rows.activity += at
            rows.per_population.append(len(at))
        kinds: Ints = np.array(self.number(activities), dtype=np.int64)
        rows.kind = kinds[rows.activity].tolist()
        self._credit(activities, [lv.value for lv in levels], rows)
        counts = self.counts = count_plan(rules, populations, activities, rows)
        contexts = [
            self._context(p, lv.value, st)
            for p, lv, st in zip(populations, levels, stages, strict=True)
        ]
        self.judgments = judge_plan(rules, activities, rows, counts.rows, contexts)
        start = 0
        for n, population in enumerate(populations):
            end = start + rows.per_population[n]
            family = families[population.id]
            self._add(population, n, levels[n], stages[n], (start, end), priorities[n], family)
            start = end

    def _add(
        self,
        population: TargetPopulation,
        n: int,
        level: Level,
        stages: tuple[str, ...],
        span: tuple[int, int],
        priorities: tuple[Factor, ...],
        family: Family,
    ) -> None:
        """Count one population, the ``n``-th (:attr:`counts`, :attr:`judgments`), whose
        activities are the rows ``span`` (from, to), with its warnings."""
        size = population.size
        lv = level.value
        counted = self.counts.populations
        judged = self.judgments.judged[n]
        effective = min(size, self.judgments.effective_reach[n])
        reach, upper = min(size, counted.reach[n]), min(size, counted.reach_sum[n])
        served = self._strategy_names(counted.strategies[n])
        pop_warnings = self._warnings(population, n, lv, span, priorities, family, served)
        self.warnings += pop_warnings
        target = counted.target[n]
        capped_target = min(target, size) if target else None
        cost = counted.cost[n]
        self.populations.append(
            trusted(
                PopulationCoverage,
                population_id=population.id,
                name=population.name or population.id,
                region=population.region,
                size=size,
                prevention_level=level,
                age_stages=stages,
                activities=span[1] - span[0],
                reach=reach,
                reach_upper=upper,
                coverage=ratio(reach, size),
                effective_reach=effective,
                effective_coverage=ratio(effective, size),
                effective_activities=self.judgments.effective_ids[n],
                linked_populations=family.linked,
                unreliable_activities=counted.unreliable[n],
                undescribed_activities=judged.undescribed,
                target_reach=capped_target,
                target_coverage=ratio(capped_target, size) if capped_target else None,
                cost=round(cost, 2),
                cost_per_person=per(cost, reach),
                cost_per_effective_person=per(cost, effective),
                strategies=served,
                warnings=tuple(dict.fromkeys(w.code for w in pop_warnings)),
            )
        )
        line = self.level_cost[lv]
        line[0] += cost
        line[1] += reach
        line[2] += effective
        _add_stage_cells(self.level_cells, lv, stages, population, reach, effective, self.rules)

    def _warnings(
        self,
        population: TargetPopulation,
        n: int,
        level: str,
        span: tuple[int, int],
        priorities: tuple[Factor, ...],
        family: Family,
        served: tuple[str, ...],
    ) -> list[AssessWarning]:
        """The warnings on the ``n``-th population (rows ``span``), whose valid activities
        deliver the strategies ``served``: its mix and factors, then its activities'."""
        rules = self.rules
        has_activities = span[1] > span[0]
        mix = (
            [*served, *(s for s in family.strategies if s not in served)]
            if has_activities
            else list(served)
        )
        # The interventions matter to the mix only beside a single strategy (single_strategy).
        named = self._interventions(*span) if len(mix) == 1 else ()
        addressed = self._factor_set(self.counts.populations.factors[n])
        out = population_warnings(
            population, has_activities, addressed, mix, priorities, rules, named
        )
        out += quality_warnings(population, self.judgments.judged[n], level, rules)
        if hidden := not_raised_at(rules, level):
            # The activities they flag still count for nothing in effective reach.
            out = [w for w in out if w.code not in hidden]
        return out

    def _interventions(self, start: int, end: int) -> tuple[str, ...]:
        """The interventions the rows ``start`` to ``end`` of possible reach name, sorted."""
        rows, valid = self.rows, self.counts.populations.valid
        distinct = {rows.facts[r] for r in range(start, end) if valid[r]}
        return tuple(sorted(set().union(*(rows.distinct[f].interventions for f in distinct))))

    def _factor_set(self, bits: int) -> frozenset[Factor]:
        """The factors of :attr:`PopulationCounts.factors`' bits (kept: populations share
        them)."""
        found = self.factor_sets.get(bits)
        if found is None:
            factors = self.counts.rows.credits.factors
            found = self.factor_sets[bits] = frozenset(
                f for k, f in enumerate(factors) if bits >> k & 1
            )
        return found

    def _strategy_names(self, bits: int) -> tuple[str, ...]:
        """The strategies of :attr:`PopulationCounts.strategies`' bits, in the rules' order
        (kept: populations share their mixes)."""
        names = self.strategy_names.get(bits)
        if names is None:
            strategies = self.rules.strategies
            names = self.strategy_names[bits] = tuple(
                s for n, s in enumerate(strategies) if bits >> n & 1
            )
        return names

    def coverage(self, scope: AnnexVScope) -> Coverage:
        """The coverage tables of every population counted (interfaces §3)."""
        effective = frozenset(chain.from_iterable(self.judgments.effective_ids))
        return Coverage(
            populations=tuple(self.populations),
            strategies={
                self.rules.strategies[s].clause: n for s, n in self.counts.strategy_pops.items()
            },
            action_items={ref: tuple(ids) for ref, ids in self.counts.action_items.items()},
            strategy_reach={
                self.rules.strategies[s].clause: n for s, n in self.counts.strategy_reach.items()
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
            risk_factors=_factor_coverage(self.counts.risk, Kind.RISK_FACTOR, self.rules),
            protective_factors=_factor_coverage(
                self.counts.protective, Kind.PROTECTIVE_FACTOR, self.rules
            ),
            settings=tuple(
                SettingCoverage(
                    setting=s, activities=int(v[0]), reach=round(v[1]), cost=round(v[2], 2)
                )
                for s, v in self.counts.settings.items()
            ),
            annex_v=AnnexVCoverage(
                activity_items=scope.activities,
                activity_items_served=tuple(
                    r for r in scope.activities if self.counts.action_items.get(r)
                ),
                activity_items_served_effectively=tuple(
                    r
                    for r in scope.activities
                    if not effective.isdisjoint(self.counts.action_items.get(r, ()))
                ),
                served_by_plan=scope.plan,
                served_by_report=scope.report,
                outside=scope.outside,
            ),
        )

    def costs(self) -> tuple[CostLine, ...]:
        """The cost lines: by strategy (in the rules' order), then by prevention level."""
        strategies = self.rules.strategies
        strategy_cost, strategy_reach = self.counts.strategy_cost, self.counts.strategy_reach
        effective_reach = self.judgments.strategy_effective
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
    spans, total = _stage_spans(rules, stages, population.age_min, population.age_max)
    size = population.size
    for stage_id, years in spans:
        cell = cells[(level, stage_id)]
        cell[0] += size * years / total
        cell[1] += reach * years / total
        cell[2] += effective * years / total


@lru_cache(maxsize=4096)
def _stage_spans(
    rules: RuleSet, stages: tuple[str, ...], age_min: int, age_max: int
) -> tuple[tuple[tuple[str, int], ...], int]:
    """The years of ``age_min``-``age_max`` in each of its age stages, and their total."""
    spans = []
    for stage_id in stages:
        stage = rules.age_stages[stage_id]
        years = min(stage.age_max, age_max) - max(stage.age_min, age_min) + 1
        spans.append((stage_id, years))
    return tuple(spans), sum(y for _, y in spans) or 1


def _factor_coverage(
    table: dict[str, list[float]], kind: Kind, rules: RuleSet
) -> tuple[FactorCoverage, ...]:
    """The rows of a factor table (:attr:`PlanCounts.risk`, :attr:`PlanCounts.protective`):
    people, reach, coverage, populations."""
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
