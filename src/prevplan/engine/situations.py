"""The distinct situations of a batch of populations, with their options as arrays.

A population's situation is what its mix depends on apart from its factor shares: its
prevention level (VI-2, Table 1), age stages (VI-4), listed settings and special groups
(VI-1.2 #p3). A national file repeats them: the 100,000 varied populations of
``benchmarks/bench_recommend.py`` hold about 25,500 distinct situations; the options of each
are evaluated once (:meth:`OptionIndex.pool`) and laid out
as arrays, one row per situation and one column per strategy or intervention, for the
choice of :mod:`prevplan.engine.mix`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from prevplan.engine.options import Option, OptionIndex, Pool
from prevplan.engine.profile import LEVEL_ORDER, tables_for
from prevplan.io.columns import PopulationColumns

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class SituationTable:
    """The situations of a batch (one row each) and which row each population has."""

    def __init__(self, index: OptionIndex, columns: PopulationColumns) -> None:
        tables = tables_for(index.rules)
        rows: dict[tuple[object, ...], int] = {}
        self.pools: list[Pool] = []
        """Each situation's options."""
        of_population: list[int] = []
        parents = columns.parents_of or [None] * len(columns)
        for key in zip(
            columns.risk_group,
            columns.special_groups,
            columns.age_min,
            columns.age_max,
            columns.settings,
            parents,
            strict=True,
        ):
            row = rows.get(key)
            if row is None:
                row = rows[key] = len(self.pools)
                self.pools.append(index.pool(tables.situation_of(*key)))
            of_population.append(row)
        self.of_population: Ints = np.array(of_population, dtype=np.int64)
        self._arrays(index)

    def _arrays(self, index: OptionIndex) -> None:
        pools = self.pools
        strategies = [
            tuple(
                within or outside for within, outside in zip(p.strategies, p.relaxed, strict=True)
            )
            for p in pools
        ]
        interventions = [p.interventions for p in pools]
        self.strategy_options: list[tuple[Option | None, ...]] = strategies
        """Per situation, each strategy's option: within the listed settings, else outside."""
        self.intervention_options: list[tuple[Option | None, ...]] = interventions
        """Per situation, each intervention's option (the situation's pool's)."""
        self._fit_arrays(index, strategies, interventions)
        numbers: dict[int, int] = {}
        self.options: list[Option] = []
        """Every distinct option of the batch; an option's number is its place here + 1."""
        self.strategy_number: Ints = self._numbers(strategies, numbers)
        """(situation, strategy): the number of its option, 0 where none."""
        self.intervention_number: Ints = self._numbers(interventions, numbers)
        self._situation_arrays(interventions)

    def _fit_arrays(
        self,
        index: OptionIndex,
        strategies: Sequence[Sequence[Option | None]],
        interventions: Sequence[Sequence[Option | None]],
    ) -> None:
        """What fits each situation and its base points: (situation, strategy or
        intervention)."""
        pools = self.pools
        self.within: Bools = _present([p.strategies for p in pools])
        """The strategy fits within the listed settings (or none were listed)."""
        self.outside: Bools = _present([p.relaxed for p in pools])
        """The strategy fits only outside the listed settings."""
        self.strategy_base: Ints = _bases(strategies)
        self.fits: Bools = _present(interventions)
        self.intervention_base: Ints = _bases(interventions)
        self.special: Bools = _present(
            [[o if o is not None and o.special else None for o in row] for row in interventions]
        )
        """The intervention is named for a special group of the population."""
        self.forced: Bools = np.array(
            [_forced(index, row) for row in interventions], dtype=np.bool_
        ).reshape(len(pools), len(index.strategy_ids))
        """(situation, strategy): the strategy a special-group intervention mainly delivers,
        which the mix must hold."""

    def _situation_arrays(self, interventions: Sequence[Sequence[Option | None]]) -> None:
        """What the writer and the plan read of each situation: (situation,)."""
        pools = self.pools
        self.proposes_from_strategies: Bools = np.array(
            [not p.situation.settings and not any(p.interventions) for p in pools], dtype=np.bool_
        ).reshape(len(pools))
        """No settings are listed and no intervention fits: the settings proposed are those
        of the strategies of the mix."""
        self.addressed: Ints = np.array(
            [_factor_bits(row) for row in interventions], dtype=np.int64
        ).reshape(len(pools))
        """Bits of the factors that some intervention that fits addresses."""
        self.level: Ints = np.array(
            [LEVEL_ORDER.index(p.situation.level) for p in pools], dtype=np.int64
        ).reshape(len(pools))
        """The number of the situation's prevention level (VI-2 order)."""
        self.plan_class: Ints = _plan_classes(pools)
        """Situations alike in what the plan around the mix and its judgments depend on
        (level, age stages, listed settings, the interventions that fit) share a number."""

    def _numbers(self, rows: Sequence[Sequence[Option | None]], numbers: dict[int, int]) -> Ints:
        found: list[list[int]] = []
        for options in rows:
            row: list[int] = []
            for option in options:
                if option is None:
                    row.append(0)
                    continue
                number = numbers.get(id(option))
                if number is None:
                    self.options.append(option)
                    number = numbers[id(option)] = len(self.options)
                row.append(number)
            found.append(row)
        width = len(found[0]) if found else 0
        return np.array(found, dtype=np.int64).reshape(len(found), width)

    def __len__(self) -> int:
        return len(self.pools)


def _present(rows: Sequence[Sequence[Option | None]]) -> Bools:
    """(situation, entity): whether there is an option."""
    width = len(rows[0]) if rows else 0
    return np.array([[o is not None for o in row] for row in rows], dtype=np.bool_).reshape(
        len(rows), width
    )


def _bases(rows: Sequence[Sequence[Option | None]]) -> Ints:
    """(situation, entity): the option's base points (0 where there is none)."""
    width = len(rows[0]) if rows else 0
    return np.array(
        [[0 if o is None else o.base for o in row] for row in rows], dtype=np.int64
    ).reshape(len(rows), width)


def _forced(index: OptionIndex, options: Sequence[Option | None]) -> list[bool]:
    """For each strategy, whether a special-group intervention of the situation mainly
    delivers it (its relation of the greatest weight)."""
    found = [False] * len(index.strategy_ids)
    for option in options:
        if option is not None and option.special and option.strategies:
            best = max(link.relation.weight for _, _, link in option.strategies)
            for bit, _, link in option.strategies:
                if link.relation.weight == best:
                    found[bit] = True
    return found


def _plan_classes(pools: Sequence[Pool]) -> Ints:
    """(situation,): a number shared by the situations alike in level, age stages, listed
    settings and the interventions that fit."""
    classes: dict[tuple[object, ...], int] = {}
    return np.array(
        [
            classes.setdefault(
                (
                    p.situation.level,
                    p.situation.age_stages,
                    p.situation.settings,
                    tuple(o.id for o in p.interventions if o is not None),
                ),
                len(classes),
            )
            for p in pools
        ],
        dtype=np.int64,
    ).reshape(len(pools))


def _factor_bits(options: Sequence[Option | None]) -> int:
    bits = 0
    for option in options:
        if option is not None:
            for code, _ in option.factor_weights:
                bits |= 1 << code
    return bits
