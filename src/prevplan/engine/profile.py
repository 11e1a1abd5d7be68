"""From a target population to its situation: prevention level, age stages, settings.

The prevention level comes from the declared risk group and any special-risk groups (VI-2,
Table 1, VI-1.2 #p3); the age stages from the Section 4 stages the age range overlaps. A
:class:`Situation` is what the plan depends on apart from the factor shares, whose priorities
:mod:`prevplan.engine.priorities` ranks.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from prevplan.engine.priorities import rank_priorities
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import Level, ProtectiveFactor, RiskFactor

LEVEL_ORDER: tuple[Level, ...] = tuple(Level)

PARENTS = "parents"
"""The audience (``entities.yaml``, ``audiences``) of work that reaches parents and carers."""

Factor = tuple[Kind, str]
"""A risk or protective factor as ``(kind, id)``."""


class Situation(NamedTuple):
    """Everything the mix depends on apart from the factor shares."""

    level: Level
    level_sources: tuple[str, ...]
    age_stages: tuple[str, ...]
    settings: tuple[str, ...]
    """The settings the planner listed, in the rules' order; empty: prevplan proposes them."""
    special_groups: tuple[str, ...]
    audience: str = ""
    """``parents`` when the population are the parents of the children whose ages give
    :attr:`age_stages` (``parents_of``): only work that reaches parents fits (VI-3.1.1)."""
    own_stages: tuple[str, ...] = ()
    """For a population of parents, the parents' own age stages: work aimed at the adults
    themselves (information, treatment) fits those."""


class SituationRules:
    """What a situation needs from the rules, indexed once per rule set."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.stage_entities = sorted(rules.age_stages.values(), key=lambda s: s.age_min)
        self.stage_years = rules.files.prioritisation.age_stages.min_years
        """Years of its range a population spends in an age stage for the stage to count
        (``prioritisation.yaml``, ``age_stages``)."""
        self.setting_rank = {setting: n for n, setting in enumerate(rules.ids(Kind.SETTING))}
        """Position of each setting (by id) in the rules' order."""
        # Factors are numbered in the rules' order, risks before protective resources: a
        # priority is its number (cheap to hash), :attr:`factors` says what it stands for.
        self.factors: tuple[Factor, ...] = (
            *((Kind.RISK_FACTOR, f) for f in rules.ids(Kind.RISK_FACTOR)),
            *((Kind.PROTECTIVE_FACTOR, f) for f in rules.ids(Kind.PROTECTIVE_FACTOR)),
        )
        self.factor_code: dict[RiskFactor | ProtectiveFactor, int] = {
            (RiskFactor(fid) if kind is Kind.RISK_FACTOR else ProtectiveFactor(fid)): n
            for n, (kind, fid) in enumerate(self.factors)
        }
        self.levels: dict[tuple[str, tuple[str, ...]], tuple[Level, tuple[str, ...]]] = {}
        self.age_stages: dict[tuple[int, int], tuple[str, ...]] = {}

    def level(
        self, risk_group: str, special_groups: tuple[str, ...]
    ) -> tuple[Level, tuple[str, ...]]:
        """The level and its clauses, for a risk group and special groups given by id."""
        key = (risk_group, special_groups)
        found = self.levels.get(key)
        if found is None:
            found = self.levels[key] = _level(self.rules, risk_group, special_groups)
        return found

    def stages(self, age_min: int, age_max: int) -> tuple[str, ...]:
        """The age stages the range spends at least :attr:`stage_years` of its years in (half
        its years, if it is shorter than twice that): a range of 18 to 60 is not an
        older-adult population because it reaches 60 (VI-4 plans by stage)."""
        key = (age_min, age_max)
        found = self.age_stages.get(key)
        if found is None:
            need = min(self.stage_years, (age_max - age_min + 2) // 2)
            found = self.age_stages[key] = tuple(
                s.id
                for s in self.stage_entities
                if min(age_max, s.age_max) - max(age_min, s.age_min) + 1 >= need
            )
        return found

    def situation_of(
        self,
        risk_group: str,
        special_groups: tuple[str, ...],
        age_min: int,
        age_max: int,
        settings: tuple[str, ...],
        parents_of: tuple[int, int] | None = None,
    ) -> Situation:
        """The situation of a population whose words are given by id.

        For parents of children (``parents_of``) the age stages follow the children and the
        work must reach the parents (VI-3.1.1).
        """
        level, sources = self.level(risk_group, special_groups)
        own = self.stages(age_min, age_max)
        return Situation(
            level=level,
            level_sources=sources,
            age_stages=own if parents_of is None else self.stages(*parents_of),
            settings=tuple(sorted(settings, key=self.setting_rank.__getitem__)),
            special_groups=tuple(sorted(special_groups)),
            audience="" if parents_of is None else PARENTS,
            own_stages=() if parents_of is None else own,
        )


@lru_cache(maxsize=8)
def tables_for(rules: RuleSet) -> SituationRules:
    """The indexes for ``rules`` (one rule set is used for many populations)."""
    return SituationRules(rules)


def _level(
    rules: RuleSet, risk_group: str, special_groups: tuple[str, ...]
) -> tuple[Level, tuple[str, ...]]:
    links = rules.related(Kind.RISK_GROUP, Kind.LEVEL, risk_group)
    level = Level(links[0].object) if links else Level.UNIVERSAL
    sources: list[str] = [ref for link in links for ref in link.relation.sources]
    for group in special_groups:
        for link in rules.related(Kind.SPECIAL_GROUP, Kind.LEVEL, group):
            minimum = Level(link.object)
            if LEVEL_ORDER.index(minimum) > LEVEL_ORDER.index(level):
                level = minimum
                sources = list(link.relation.sources)
            elif minimum is level:
                sources += link.relation.sources
    return level, tuple(dict.fromkeys(sources))


def level_for(population: TargetPopulation, rules: RuleSet) -> tuple[Level, tuple[str, ...]]:
    """The prevention level and the clauses that set it.

    The declared risk group sets the level (VI-2, Table 1); a special group raises it to at
    least the level the rules give that group (VI-1.2 #p3).
    """
    return tables_for(rules).level(
        population.risk_group.value, tuple(g.value for g in population.special_groups)
    )


def age_stages_for(age_min: int, age_max: int, rules: RuleSet) -> tuple[str, ...]:
    """The Section 4 age stages that the age range overlaps, youngest first."""
    return tables_for(rules).stages(age_min, age_max)


def priorities_for(
    populations: Sequence[TargetPopulation], rules: RuleSet
) -> list[tuple[Factor, ...]]:
    """Each population's priority factors, most needed first (see :mod:`.priorities`)."""
    tables = tables_for(rules)
    prioritisation = rules.files.prioritisation
    shares = np.full((len(populations), len(tables.factors)), np.nan, dtype=np.float64)
    benchmarks = np.full_like(shares, np.nan)
    for row, population in enumerate(populations):
        for risk, share in population.risk_factors.items():
            shares[row, tables.factor_code[risk]] = share
        for resource, share in population.protective_factors.items():
            shares[row, tables.factor_code[resource]] = share
        if population.benchmarks is not None:
            given = population.benchmarks
            for risk, share in given.risk_factors.items():
                benchmarks[row, tables.factor_code[risk]] = share
            for resource, share in given.protective_factors.items():
                benchmarks[row, tables.factor_code[resource]] = share
    ranking = rank_priorities(
        shares,
        sum(1 for kind, _ in tables.factors if kind is Kind.RISK_FACTOR),
        prioritisation.priority_factors,
        np.array(prioritisation.scoring.priority_rank, dtype=np.int64),
        benchmarks,
    )
    factors = tables.factors
    return [
        tuple(factors[code] for code, used in zip(codes, flags, strict=True) if used)
        for codes, flags in zip(ranking.codes.tolist(), ranking.used.tolist(), strict=True)
    ]
