"""From a target population to its planning profile: level, age stages, settings, priorities.

The prevention level comes from the declared risk group and any special-risk groups (VI-2,
Table 1, VI-1.2 #p3); the age stages from the Section 4 stages the age range overlaps; the
priority factors from the known shares, in the Communities That Care manner the rules'
``prioritisation.yaml`` describes: the most prevalent risks and the weakest protective
resources, 2 to 5 of them. A factor whose share is missing is *unknown* and never becomes a
priority; a factor nobody has (a risk share of 0, a resource everybody has) is not one either.

A :class:`Situation` is what the plan depends on apart from the factor shares; a
:class:`Profile` adds the ranked priorities. Populations with the same profile get the same
mix, so the engine computes it once per profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import Level, ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

LEVEL_ORDER: tuple[Level, ...] = tuple(Level)

Factor = tuple[Kind, str]
"""A risk or protective factor as ``(kind, id)``."""


class Priority(NamedTuple):
    """A factor chosen as a priority: a prevalent risk or a weak protective resource."""

    kind: Kind
    id: str
    share: float


class Situation(NamedTuple):
    """Everything the mix depends on apart from the factor shares."""

    level: Level
    level_sources: tuple[str, ...]
    age_stages: tuple[str, ...]
    settings: tuple[str, ...]
    """The settings the planner listed, in the rules' order; empty: prevplan proposes them."""
    special_groups: tuple[str, ...]


class Profile(NamedTuple):
    """A situation with its ranked priority factors: all a recommendation depends on."""

    situation: Situation
    priorities: tuple[int, ...]
    """The priority factors, most needed first, numbered as in ``tables_for(rules).factors``."""
    risk_known: bool
    """Whether any risk-factor share was given (else the ``unknown_risk_factors`` warning)."""
    factors_known: bool
    """Whether any risk or protective share was given."""

    @property
    def level(self) -> Level:
        return self.situation.level


class _Tables:
    """What the profile needs from the rules, indexed once per rule set."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.stage_entities = sorted(rules.age_stages.values(), key=lambda s: s.age_min)
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
        rule = rules.files.prioritisation.priority_factors
        self.min_priorities = rule.min
        self.max_priorities = rule.max
        self.min_risk_share = rule.min_risk_share
        self.max_protective_share = rule.max_protective_share
        self.situations: dict[
            tuple[RiskGroup, tuple[SpecialGroup, ...], int, int, tuple[Setting, ...]], Situation
        ] = {}
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
        key = (age_min, age_max)
        found = self.age_stages.get(key)
        if found is None:
            found = self.age_stages[key] = tuple(
                s.id for s in self.stage_entities if s.age_min <= age_max and age_min <= s.age_max
            )
        return found

    def situation(self, population: TargetPopulation) -> Situation:
        key = (
            population.risk_group,
            population.special_groups,
            population.age_min,
            population.age_max,
            population.settings,
        )
        found = self.situations.get(key)
        if found is None:
            found = self.situations[key] = self.situation_of(
                population.risk_group.value,
                tuple(g.value for g in population.special_groups),
                population.age_min,
                population.age_max,
                tuple(s.value for s in population.settings),
            )
        return found

    def situation_of(
        self,
        risk_group: str,
        special_groups: tuple[str, ...],
        age_min: int,
        age_max: int,
        settings: tuple[str, ...],
    ) -> Situation:
        """The situation of a population whose words are given by id (not remembered)."""
        level, sources = self.level(risk_group, special_groups)
        return Situation(
            level=level,
            level_sources=sources,
            age_stages=self.stages(age_min, age_max),
            settings=tuple(sorted(settings, key=self.setting_rank.__getitem__)),
            special_groups=tuple(sorted(special_groups)),
        )

    def ranked_factors(
        self,
        risks: Mapping[RiskFactor, float],
        resources: Mapping[ProtectiveFactor, float],
    ) -> tuple[tuple[int, ...], tuple[float, ...]]:
        """The 2–5 factors to target first (as numbers), and their shares.

        Factors are ranked by need (the risk's share, or the share *without* the resource),
        ties in the rules' order; those past the thresholds of ``prioritisation.yaml`` come
        first, up to its maximum; if fewer than its minimum pass, the next most needed
        factors fill up, but never one nobody needs.
        """
        code = self.factor_code
        ranked = [
            (-share, code[f], share, share >= self.min_risk_share) for f, share in risks.items()
        ]
        ranked += [
            (share - 1.0, code[f], share, share <= self.max_protective_share)
            for f, share in resources.items()
        ]
        ranked.sort()
        chosen = [r for r in ranked if r[3]][: self.max_priorities]
        if len(chosen) < self.min_priorities:
            for r in ranked:
                if len(chosen) >= self.min_priorities:
                    break
                if not r[3] and r[0] < 0.0:  # somebody needs it: need > 0
                    chosen.append(r)
        return tuple(r[1] for r in chosen), tuple(r[2] for r in chosen)

    def priorities(
        self,
        risks: Mapping[RiskFactor, float],
        resources: Mapping[ProtectiveFactor, float],
    ) -> tuple[Priority, ...]:
        codes, shares = self.ranked_factors(risks, resources)
        factors = self.factors
        return tuple(
            Priority(factors[c][0], factors[c][1], share)
            for c, share in zip(codes, shares, strict=True)
        )

    def profile(self, population: TargetPopulation) -> tuple[Profile, tuple[float, ...]]:
        """The population's profile, and the shares of its priority factors."""
        risks, resources = population.risk_factors, population.protective_factors
        if risks or resources:
            codes, shares = self.ranked_factors(risks, resources)
        else:
            codes, shares = (), ()
        profile = Profile(self.situation(population), codes, bool(risks), bool(risks or resources))
        return profile, shares


@lru_cache(maxsize=8)
def tables_for(rules: RuleSet) -> _Tables:
    """The indexes for ``rules`` (one rule set is used for many populations)."""
    return _Tables(rules)


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


def priorities_for(population: TargetPopulation, rules: RuleSet) -> tuple[Priority, ...]:
    """The 2–5 factors to target first: most prevalent risks, weakest protections."""
    return tables_for(rules).priorities(population.risk_factors, population.protective_factors)


def profile_for(
    population: TargetPopulation, rules: RuleSet
) -> tuple[Profile, tuple[Priority, ...]]:
    """The population's profile, and its priorities with their shares."""
    tables = tables_for(rules)
    profile, shares = tables.profile(population)
    factors = tables.factors
    return profile, tuple(
        Priority(factors[c][0], factors[c][1], share)
        for c, share in zip(profile.priorities, shares, strict=True)
    )
