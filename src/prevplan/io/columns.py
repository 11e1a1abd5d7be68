"""Many target populations as columns: the engine's input for a national batch.

A national file holds 100,000 populations. Read into as many model objects, they cost more
time and memory than recommending them; the engine needs only a few of their fields, and it
works on all the populations of a batch at once. :class:`PopulationColumns` holds those
fields, one list per field, with the words of the vocabularies as plain text. The CSV reader
builds it directly from the file's columns
(:func:`prevplan.io.populations.read_population_columns`);
:meth:`PopulationColumns.of` builds it from validated :class:`~prevplan.population.TargetPopulation`
objects. Either way the values are already valid (interfaces §2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from math import nan
from typing import TYPE_CHECKING, TypeAlias

from prevplan.population import FactorBenchmarks, TargetPopulation
from prevplan.vocab import ProtectiveFactor, RiskFactor

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Shares: TypeAlias = "Sequence[float] | npt.NDArray[np.float64]"
"""One factor's share of each population: a list, or a numpy array (the byte reader's, a
quarter of the memory of a list of floats)."""


@dataclass(frozen=True)
class PopulationColumns:
    """Validated populations, one sequence per field, all of the same length.

    ``risk_factors`` and ``protective_factors`` map a factor (by its id) to the share of
    each population, ``NaN`` where the share is unknown; a factor that is missing from the
    mapping is unknown for every population.
    """

    ids: Sequence[str]
    age_min: Sequence[int]
    age_max: Sequence[int]
    risk_group: Sequence[str]
    settings: Sequence[tuple[str, ...]]
    special_groups: Sequence[tuple[str, ...]]
    risk_factors: Mapping[str, Shares]
    protective_factors: Mapping[str, Shares]
    parents_of: Sequence[tuple[int, int] | None] | None = None
    """The children's ages (``parents_of``) of populations of parents, ``None`` for the
    others; ``None`` for the whole column when no population is one of parents."""
    benchmarks: Sequence[FactorBenchmarks | None] | None = None
    """The national or regional figures of each population (``None`` where it has none);
    ``None`` for the whole column when no population has any."""

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, populations: Sequence[TargetPopulation]) -> PopulationColumns:
        """The columns of validated population objects."""
        count = len(populations)
        risks: dict[str, list[float]] = {f.value: [nan] * count for f in RiskFactor}
        resources: dict[str, list[float]] = {f.value: [nan] * count for f in ProtectiveFactor}
        for n, population in enumerate(populations):
            for risk, share in population.risk_factors.items():
                risks[risk.value][n] = share
            for resource, share in population.protective_factors.items():
                resources[resource.value][n] = share
        return cls(
            ids=[p.id for p in populations],
            age_min=[p.age_min for p in populations],
            age_max=[p.age_max for p in populations],
            risk_group=[p.risk_group.value for p in populations],
            settings=[tuple(s.value for s in p.settings) for p in populations],
            special_groups=[tuple(g.value for g in p.special_groups) for p in populations],
            risk_factors=risks,
            protective_factors=resources,
            parents_of=[
                None if p.parents_of is None else (p.parents_of.age_min, p.parents_of.age_max)
                for p in populations
            ]
            if any(p.parents_of is not None for p in populations)
            else None,
            benchmarks=[p.benchmarks for p in populations]
            if any(p.benchmarks is not None for p in populations)
            else None,
        )

    def with_benchmarks(self, default: FactorBenchmarks) -> PopulationColumns:
        """The populations with ``default`` as the benchmarks of each that has none of its
        own (a population's own figures are more specific, and are kept whole)."""
        own = self.benchmarks if self.benchmarks is not None else [None] * len(self)
        return replace(self, benchmarks=[b if b is not None else default for b in own])

    def part(self, start: int, stop: int) -> PopulationColumns:
        """The populations ``start`` to ``stop`` (in input order)."""
        return PopulationColumns(
            ids=self.ids[start:stop],
            age_min=self.age_min[start:stop],
            age_max=self.age_max[start:stop],
            risk_group=self.risk_group[start:stop],
            settings=self.settings[start:stop],
            special_groups=self.special_groups[start:stop],
            risk_factors={f: v[start:stop] for f, v in self.risk_factors.items()},
            protective_factors={f: v[start:stop] for f, v in self.protective_factors.items()},
            parents_of=None if self.parents_of is None else self.parents_of[start:stop],
            benchmarks=None if self.benchmarks is None else self.benchmarks[start:stop],
        )
