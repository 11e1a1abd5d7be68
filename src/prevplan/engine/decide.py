"""The engine: what prevplan decides for each target population, and nothing else.

For a batch of populations (a national file, or a single population as a batch of one) it
decides, once and in one place:

- the prevention level and age stages (:mod:`prevplan.engine.profile`, VI-2, VI-4);
- the strategies and interventions that fit (:mod:`prevplan.engine.options`);
- the priority factors (:mod:`prevplan.engine.priorities`, VI-1.2, VI-1.3);
- the mix of strategies and the order of the interventions (:mod:`prevplan.engine.mix`,
  VI-3.2, VI-intro).

A :class:`Decision` holds one population's answers; :mod:`prevplan.engine.build` turns it
into the :class:`~prevplan.engine.models.Recommendation` model (with the judgments of
:mod:`prevplan.engine.judgments`), and the command line writes those models.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from prevplan.engine.mix import (
    InterventionChoice,
    StrategyChoice,
    choose_strategies,
    order_interventions,
)
from prevplan.engine.options import Option, OptionIndex, Pool, index_for
from prevplan.engine.priorities import PriorityRanking, rank_priorities
from prevplan.engine.profile import tables_for
from prevplan.engine.situations import SituationTable
from prevplan.io.columns import PopulationColumns
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

Floats = npt.NDArray[np.float64]

Benchmarked = tuple[str, str] | None
"""``(scope, source)`` of the benchmarks a population's factors were compared with."""

BLOCK = 8192
"""Populations decided in one go (bounds the memory of the arrays)."""


@dataclass(frozen=True)
class ChosenStrategy:
    """A strategy of the mix, with its score and the priority factors it addresses."""

    option: Option
    score: int
    targeted: int
    """Bits of the priority factors it addresses (factor *n* is bit *n*)."""


@dataclass(frozen=True)
class ProposedIntervention:
    """An intervention that fits, with the priority factors it addresses and the chosen
    strategies it delivers (bit *n*: the *n*-th strategy of the rules)."""

    option: Option
    targeted: int
    delivers: int


@dataclass(frozen=True)
class Decision:
    """Everything the engine decides for one population."""

    pool: Pool
    """The population's situation and every option it has."""
    strategies: tuple[ChosenStrategy, ...]
    """The mix, in priority order (1 = first)."""
    interventions: tuple[ProposedIntervention, ...]
    """Every intervention that fits, in the order proposed."""
    priorities: tuple[tuple[int, float], ...]
    """The priority factors (by number) with their shares, most needed first."""
    untargeted: tuple[int, ...]
    """The priority factors that neither the mix nor any intervention that fits addresses."""
    risk_known: bool
    factors_known: bool
    priority_rules: tuple[tuple[int, float | None], ...] = ()
    """For each priority of :attr:`priorities`: the rule that made it one
    (:data:`~prevplan.engine.priorities.CUT_OFF` …) and its benchmark (``None`` where it
    has none)."""
    benchmarks: Benchmarked = None
    """Whether, against what and from where the population's factors were compared with
    benchmarks: ``(scope, source)``, ``None`` when none was."""


class Decisions:
    """The decisions for a batch of populations, made block by block on demand."""

    def __init__(self, columns: PopulationColumns, rules: RuleSet) -> None:
        self.columns = columns
        self.rules = rules
        self.index: OptionIndex = index_for(rules)
        self.table = SituationTable(self.index, columns)
        self.shares = _shares(columns, rules)
        self.benchmarks, self.benchmark_kinds, self.benchmark_of = _benchmarks(columns, rules)
        rule = rules.files.prioritisation
        self._points = np.array(rule.scoring.priority_rank, dtype=np.int64)
        self._risks = sum(1 for kind, _ in tables_for(rules).factors if kind is Kind.RISK_FACTOR)

    def __len__(self) -> int:
        return len(self.columns)

    def blocks(self, start: int = 0, stop: int | None = None) -> Iterator[list[Decision]]:
        """The decisions of populations ``start`` to ``stop``, :data:`BLOCK` at a time."""
        for block in self.arrays(start, stop):
            yield block.decisions()

    def arrays(self, start: int = 0, stop: int | None = None) -> Iterator[Block]:
        """The decisions of populations ``start`` to ``stop`` as arrays, :data:`BLOCK` at a
        time."""
        end = len(self) if stop is None else stop
        for low in range(start, end, BLOCK):
            yield self.block(low, min(end, low + BLOCK))

    def block(self, start: int, stop: int) -> Block:
        """The decisions of populations ``start`` to ``stop``."""
        rows = self.table.of_population[start:stop]
        ranking = rank_priorities(
            self.shares[start:stop],
            self._risks,
            self.rules.files.prioritisation.priority_factors,
            self._points,
            None if self.benchmarks is None else self.benchmarks[start:stop],
        )
        strategies = choose_strategies(self.index, self.table, rows, ranking)
        interventions = order_interventions(self.index, self.table, rows, ranking, strategies)
        return Block(
            start,
            self.table,
            rows,
            ranking,
            strategies,
            interventions,
            self.benchmark_of[start:stop],
            self.benchmark_kinds,
        )


@dataclass(frozen=True)
class Block:
    """The decisions for consecutive populations, as arrays (one row each)."""

    start: int
    """The number of the block's first population in the batch."""
    table: SituationTable
    rows: npt.NDArray[np.int64]
    """(population,): the row of its situation in :attr:`table`."""
    ranking: PriorityRanking
    strategies: StrategyChoice
    interventions: InterventionChoice
    benchmark_of: npt.NDArray[np.int64]
    """(population,): the number of its benchmarks' ``(scope, source)`` in
    :attr:`benchmark_kinds`, -1 where it has none."""
    benchmark_kinds: tuple[tuple[str, str], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def decisions(self) -> list[Decision]:
        """Every population's decision."""
        return [self.decision(n) for n in range(len(self))]

    def decision(self, n: int) -> Decision:
        """The decision of the block's ``n``-th population."""
        row = int(self.rows[n])
        strategies, interventions, ranking = self.strategies, self.interventions, self.ranking
        strategy_options = self.table.strategy_options[row]
        intervention_options = self.table.intervention_options[row]
        chosen = [
            ChosenStrategy(strategy_options[s], score, targeted)
            for s, score, targeted in zip(
                strategies.order[n, : strategies.count[n]].tolist(),
                strategies.score[n].tolist(),
                strategies.targeted[n].tolist(),
                strict=False,
            )
        ]
        proposed = [
            ProposedIntervention(intervention_options[i], targeted, delivers)
            for i, targeted, delivers in zip(
                interventions.order[n, : interventions.count[n]].tolist(),
                interventions.targeted[n].tolist(),
                interventions.delivers[n].tolist(),
                strict=False,
            )
        ]
        priorities = tuple(
            (code, share)
            for code, share, used in zip(
                ranking.codes[n].tolist(),
                ranking.shares[n].tolist(),
                ranking.used[n].tolist(),
                strict=True,
            )
            if used
        )
        rules = tuple(
            (rule, None if np.isnan(bench) else bench)
            for rule, bench, used in zip(
                ranking.rules[n].tolist(),
                ranking.benchmarks[n].tolist(),
                ranking.used[n].tolist(),
                strict=True,
            )
            if used
        )
        kind = int(self.benchmark_of[n])
        addressed = int(strategies.addressed[n])
        return Decision(
            pool=self.table.pools[row],
            strategies=tuple(chosen),
            interventions=tuple(proposed),
            priorities=priorities,
            untargeted=tuple(c for c, _ in priorities if not addressed >> c & 1),
            risk_known=bool(ranking.risk_known[n]),
            factors_known=bool(ranking.factors_known[n]),
            priority_rules=rules,
            benchmarks=self.benchmark_kinds[kind] if kind >= 0 and ranking.benchmarked[n] else None,
        )


def _shares(columns: PopulationColumns, rules: RuleSet) -> Floats:
    """(population, factor number): the share, ``NaN`` where unknown."""
    factors = tables_for(rules).factors
    found = np.full((len(columns), len(factors)), np.nan, dtype=np.float64)
    for code, (kind, factor_id) in enumerate(factors):
        given = columns.risk_factors if kind is Kind.RISK_FACTOR else columns.protective_factors
        values = given.get(factor_id)
        if values is not None:
            found[:, code] = np.asarray(values, dtype=np.float64)
    return found


def _benchmarks(
    columns: PopulationColumns, rules: RuleSet
) -> tuple[Floats | None, tuple[tuple[str, str], ...], npt.NDArray[np.int64]]:
    """(population, factor number): the benchmark, ``NaN`` where none (``None`` when no
    population has any); the distinct ``(scope, source)`` of the benchmarks; and for each
    population the number of its own among them, -1 where it has none."""
    given = columns.benchmarks
    of = np.full(len(columns), -1, dtype=np.int64)
    if given is None:
        return None, (), of
    code = tables_for(rules).factor_code
    found = np.full((len(columns), len(code)), np.nan, dtype=np.float64)
    kinds: dict[tuple[str, str], int] = {}
    for row, benchmarks in enumerate(given):
        if benchmarks is None:
            continue
        of[row] = kinds.setdefault((benchmarks.scope, benchmarks.source or ""), len(kinds))
        for risk, share in benchmarks.risk_factors.items():
            found[row, code[risk]] = share
        for resource, share in benchmarks.protective_factors.items():
            found[row, code[resource]] = share
    return found, tuple(kinds), of
