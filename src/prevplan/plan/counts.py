"""Counting a whole plan's activities at once: reach, costs and what each strategy reaches.

The counting rules of the assessment (interfaces §3; :mod:`prevplan.plan.assess`), applied
to every activity of the plan with arrays rather than activity by activity:

- a population's reach is the largest reach of one activity serving it (activities may
  reach the same people), the sum of reaches its upper bound, its target the largest target;
- an activity whose reach exceeds its population (``reach_exceeds_size``) counts for nothing
  but its cost (and the Program of Actions items it names);
- the same "largest single reach" stands for each strategy (VI-3), setting, risk factor
  (VI-1.2) and protective factor (VI-1.3) within a population; the plan's figure for each is
  the sum over populations, capped at each population's size;
- an activity's whole cost stands against each strategy and setting it is credited with.

Sums of costs and of people are added in the plan's order (populations, then their
activities), one after another, so every figure is the same to the last bit as adding them
up one activity at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from prevplan.engine.profile import Factor
from prevplan.plan.credit import ActivityFacts
from prevplan.plan.models import Activity
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass
class PopulationCounts:
    """Per population (in the plan's order): the figures of its valid activities."""

    reach: list[int]
    """The largest reach of any one valid activity (not yet capped at the size)."""
    factors: list[int]
    """The factors any of its activities (valid or not) addresses, as bits in the order of
    :attr:`Credits.factors`."""
    reach_sum: list[int]
    target: list[int]
    """The largest target reach of a valid activity (0: none)."""
    cost: list[float]
    """The cost of all its activities, valid or not."""
    unreliable: list[int]
    """Its activities whose reach exceeds its size."""
    strategies: list[int]
    """The strategies its valid activities are credited with, as bits in the rules' order."""
    valid: list[bool]
    """Per activity (in :func:`count_plan`'s order): its reach is possible."""


@dataclass
class PlanCounts:
    """The plan's tables (interfaces §3), keyed by the rules' ids in the rules' order."""

    populations: PopulationCounts
    rows: RowArrays
    strategy_pops: dict[str, int]
    strategy_reach: dict[str, int]
    strategy_cost: dict[str, float]
    settings: dict[str, list[float]]
    """Setting -> [activities, reach, cost]."""
    action_items: dict[str, list[str]]
    """Annex V item -> the ids of the activities serving it (valid or not)."""
    risk: dict[str, list[float]]
    """Risk factor -> [people with it, of them reached, populations]."""
    protective: dict[str, list[float]]
    """Protective factor -> [people lacking it, of them reached, populations]."""


@dataclass
class Rows:
    """A plan's activities as :func:`count_plan` takes them: grouped by population, in the
    order of the plan's populations (an activity appears once per population it serves)."""

    activity: list[int] = field(default_factory=list)
    """Each row's activity (its place in the plan's activities)."""
    kind: list[int] = field(default_factory=list)
    """Each row's kind: activities described alike share one (``Tally.number``)."""
    facts: list[int] = field(default_factory=list)
    """Each row's credit: its place in :attr:`distinct`."""
    per_population: list[int] = field(default_factory=list)
    """How many rows each population has."""
    distinct: list[ActivityFacts] = field(default_factory=list)
    """The distinct credits of the plan's activities (at their populations' levels)."""
    numbers: dict[int, int] = field(default_factory=dict)
    """The place in :attr:`distinct` of each credit, by its ``id``."""


class Credits:
    """The distinct credits of a plan's activities as 0/1 (or count) matrices, one row each,
    and the credit of each of the plan's rows (:class:`Rows`)."""

    def __init__(self, rules: RuleSet, rows: Rows) -> None:
        self.strategies = list(rules.strategies)
        self.settings = list(rules.ids(Kind.SETTING))
        self.items = list(rules.action_items)
        self.risk = list(rules.ids(Kind.RISK_FACTOR))
        self.protective = list(rules.ids(Kind.PROTECTIVE_FACTOR))
        distinct = rows.distinct
        self.row: Ints = np.array(rows.facts, dtype=np.int64)
        self.strategy = _matrix(distinct, self.strategies, lambda f: f.strategies)
        self.setting = _matrix(distinct, self.settings, lambda f: f.settings)
        self.item = _matrix(distinct, self.items, lambda f: f.action_items)
        keyed = (
            self.strategy,
            self.setting,
            _matrix(distinct, self.risk, lambda f: f.risk_factors),
            _matrix(distinct, self.protective, lambda f: f.protective_factors),
        )
        self.keys = np.concatenate(keyed, axis=1) > 0
        """Every strategy, setting, risk and protective factor it counts towards."""
        self.factors: list[Factor] = [(Kind.RISK_FACTOR, x) for x in self.risk] + [
            (Kind.PROTECTIVE_FACTOR, x) for x in self.protective
        ]
        """The factors of :attr:`keys`' last columns, in order."""


@dataclass
class RowArrays:
    """The plan's rows (:class:`Rows`) as arrays: what the judgments of each activity
    (:mod:`prevplan.plan.quality`) read beside the counts."""

    pop: Ints
    """Each row's population (its place in the plan's populations)."""
    kind: Ints
    reach: Ints
    valid: npt.NDArray[np.bool_]
    """The row's reach is possible (not larger than its population)."""
    ids: npt.NDArray[np.object_]
    """Each row's activity id."""
    main_reach: Ints
    """Per population: the largest reach of any one of its activities, valid or not."""
    size: Ints
    """Per population: its size."""
    credits: Credits


def _matrix(
    distinct: list[ActivityFacts], ids: list[str], named: Callable[[ActivityFacts], Iterable[str]]
) -> Ints:
    """How many times each facts (a row) names each id (a column)."""
    column = {x: n for n, x in enumerate(ids)}
    out = np.zeros((len(distinct), len(ids)), dtype=np.int64)
    for row, facts in enumerate(distinct):
        for x in named(facts):
            out[row, column[x]] += 1
    return out


def count_plan(
    rules: RuleSet,
    populations: Sequence[TargetPopulation],
    activities: Sequence[Activity],
    rows: Rows,
) -> PlanCounts:
    """Count every population with its activities (``rows``)."""
    n = len(populations)
    facts = Credits(rules, rows)
    row: Ints = np.array(rows.activity, dtype=np.int64)
    pop: Ints = np.repeat(np.arange(n, dtype=np.int64), rows.per_population)
    size: Ints = np.array([p.size for p in populations], dtype=np.int64)
    # Read in the plan's order (the activities lie in memory in that order), then grouped.
    reach: Ints = np.array([a.reach for a in activities], dtype=np.int64)[row]
    target: Ints = np.array([a.target_reach or 0 for a in activities], dtype=np.int64)[row]
    cost: Floats = np.array([a.cost or 0.0 for a in activities], dtype=np.float64)[row]
    valid = reach <= size[pop]
    ids = np.array([a.id for a in activities], dtype=object)[row]
    arrays = RowArrays(
        pop,
        np.array(rows.kind, dtype=np.int64),
        reach,
        valid,
        ids,
        largest(reach, pop, n),
        size,
        facts,
    )
    best = best_reach(facts.keys[facts.row] & valid[:, None], reach, pop, n)
    capped = np.where(best >= 0, np.minimum(best, size[:, None]), 0)
    ns, nx = len(facts.strategies), len(facts.settings)
    delivered = best[:, :ns] >= 0
    strategy_rows, strategy_cols = _pairs(facts.strategy[facts.row] * valid[:, None])
    strategy_cost = np.bincount(strategy_cols, weights=cost[strategy_rows], minlength=ns)
    return PlanCounts(
        populations=PopulationCounts(
            reach=largest(np.where(valid, reach, 0), pop, n).tolist(),
            factors=as_bits(any_of(facts.keys[facts.row][:, ns + nx :], pop, n)),
            reach_sum=_total(np.where(valid, reach, 0), pop, n).tolist(),
            target=largest(np.where(valid, target, 0), pop, n).tolist(),
            cost=np.bincount(pop, weights=cost, minlength=n).tolist(),
            unreliable=np.bincount(pop[~valid], minlength=n).tolist(),
            strategies=as_bits(delivered),
            valid=valid.tolist(),
        ),
        rows=arrays,
        strategy_pops=dict(zip(facts.strategies, delivered.sum(axis=0).tolist(), strict=True)),
        strategy_reach=dict(
            zip(facts.strategies, capped[:, :ns].sum(axis=0).tolist(), strict=True)
        ),
        strategy_cost=dict(zip(facts.strategies, strategy_cost.tolist(), strict=True)),
        settings=_setting_table(facts, valid, cost, capped[:, ns : ns + nx]),
        action_items=_served_by(facts, ids),
        **_factor_tables(populations, facts, capped[:, ns + nx :], size),
    )


def largest(values: Ints, pop: Ints, n: int) -> Ints:
    """The largest of ``values`` per population (0 for none)."""
    out = np.zeros(n, dtype=np.int64)
    np.maximum.at(out, pop, values)
    return out


def as_bits(flags: npt.NDArray[np.bool_]) -> list[int]:
    """Each row of ``flags`` as the bits of an integer (column ``k``: bit ``k``)."""
    weights = np.int64(1) << np.arange(flags.shape[1], dtype=np.int64)
    bits: list[int] = (flags.astype(np.int64) * weights).sum(axis=1).tolist()
    return bits


def any_of(flags: npt.NDArray[np.bool_], pop: Ints, n: int) -> npt.NDArray[np.bool_]:
    """Per population (rows) and column: whether any of its rows has the flag."""
    out = np.zeros((n, flags.shape[1]), dtype=np.bool_)
    if len(pop):
        starts = np.flatnonzero(np.r_[True, pop[1:] != pop[:-1]])
        out[pop[starts]] = np.logical_or.reduceat(flags, starts, axis=0)
    return out


def _total(values: Ints, pop: Ints, n: int) -> Ints:
    """The sum of ``values`` per population."""
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, pop, values)
    return out


def best_reach(counts: npt.NDArray[np.bool_], reach: Ints, pop: Ints, n: int) -> Ints:
    """Per population (rows) and key (columns): the largest reach of one of its activities
    that counts towards the key; -1 where none does. The activities come grouped by
    population, in the populations' order."""
    best = np.full((n, counts.shape[1]), -1, dtype=np.int64)
    if len(pop):
        values = np.where(counts, reach[:, None], -1)
        starts = np.flatnonzero(np.r_[True, pop[1:] != pop[:-1]])
        best[pop[starts]] = np.maximum.reduceat(values, starts, axis=0)
    return best


def _pairs(matrix: Ints) -> tuple[Ints, Ints]:
    """The (row, column) of every count in ``matrix``, row by row, repeated by its count."""
    rows, cols = np.nonzero(matrix)
    times = matrix[rows, cols]
    return np.repeat(rows, times), np.repeat(cols, times)


def _setting_table(
    facts: Credits, valid: npt.NDArray[np.bool_], cost: Floats, reached: Ints
) -> dict[str, list[float]]:
    """Per setting: the valid activities in it, the people they reach (each population's
    capped best ``reached``, summed) and their cost (each activity's whole cost)."""
    rows, cols = _pairs(facts.setting[facts.row] * valid[:, None])
    n = len(facts.settings)
    return {
        x: [float(a), float(r), c]
        for x, a, r, c in zip(
            facts.settings,
            np.bincount(cols, minlength=n).tolist(),
            reached.sum(axis=0).tolist(),
            np.bincount(cols, weights=cost[rows], minlength=n).tolist(),
            strict=True,
        )
    }


def _served_by(facts: Credits, ids: npt.NDArray[np.object_]) -> dict[str, list[str]]:
    """Each Annex V item with the ids of the activities (rows, ``ids``) credited with it,
    in the plan's order."""
    rows, cols = _pairs(facts.item[facts.row])
    ordered: list[str] = ids[rows[np.argsort(cols, kind="stable")]].tolist()
    counts = np.bincount(cols, minlength=len(facts.items)).tolist()
    return {
        ref: ordered[end - k : end]
        for ref, end, k in zip(facts.items, accumulate(counts), counts, strict=True)
    }


def _factor_tables(
    populations: Sequence[TargetPopulation], facts: Credits, reached: Ints, size: Ints
) -> dict[str, dict[str, list[float]]]:
    """People with each risk factor (or lacking each protective factor) and how many of them
    are reached, with the number of populations that give it: each population's share of
    them times its size (or its capped best ``reached``), summed over the populations that
    give the factor, in the plan's order."""
    ids = facts.risk + facts.protective
    column = {x: n for n, x in enumerate(ids)}
    rows: list[int] = []
    cols: list[int] = []
    shares: list[float] = []
    for row, population in enumerate(populations):
        for given in (population.risk_factors, population.protective_factors):
            rows += [row] * len(given)
            cols += map(column.__getitem__, given)
            shares += given.values()
    flat = np.array(shares, dtype=np.float64)
    at = np.array(cols, dtype=np.int64)
    # People at risk: the share with the risk factor, or the share lacking the resource.
    need = np.zeros((len(populations), len(ids)), dtype=np.float64)
    need[rows, at] = np.where(at < len(facts.risk), flat, 1.0 - flat)
    people = _running_total(need * size[:, None], len(ids)).tolist()
    reach = _running_total(reached * need, len(ids)).tolist()
    counts = np.bincount(at, minlength=len(ids)).tolist()
    table = {x: [p, r, c] for x, p, r, c in zip(ids, people, reach, counts, strict=True)}
    return {
        "risk": {x: table[x] for x in facts.risk},
        "protective": {x: table[x] for x in facts.protective},
    }


def _running_total(values: Floats, width: int) -> Floats:
    """Each column's sum, added one row after another (as a loop over populations would)."""
    if not len(values):
        return np.zeros(width, dtype=np.float64)
    total: Floats = np.add.accumulate(values, axis=0)[-1]
    return total
