"""From a target population to its planning profile: level, age stages, priorities.

The prevention level comes from the declared risk group and any special-risk groups (VI-2,
Table 1, VI-1.2 #p3); the age stages from the Section 4 stages the age range overlaps; the
priority factors from the known shares, in the Communities That Care manner the rules'
``prioritisation.yaml`` describes (most prevalent risks, weakest protective resources).

A :class:`Profile` is everything the recommendation depends on apart from the population's
identity and exact shares, so populations with the same profile share one computed mix.
"""

from __future__ import annotations

from dataclasses import dataclass

from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import Level

LEVEL_ORDER: tuple[Level, ...] = tuple(Level)


@dataclass(frozen=True)
class Priority:
    """A factor chosen as a priority: risk (prevalent) or protective (weak)."""

    kind: Kind
    id: str
    share: float


@dataclass(frozen=True)
class Profile:
    level: Level
    level_sources: tuple[str, ...]
    age_stages: tuple[str, ...]
    settings: tuple[str, ...]
    special_groups: tuple[str, ...]
    priorities: tuple[tuple[Kind, str], ...]
    factors_known: bool


def level_for(population: TargetPopulation, rules: RuleSet) -> tuple[Level, tuple[str, ...]]:
    """The prevention level and the clauses that set it."""
    links = rules.related(Kind.RISK_GROUP, Kind.LEVEL, population.risk_group.value)
    level = Level(links[0].object) if links else Level.UNIVERSAL
    sources: list[str] = [ref for link in links for ref in link.relation.sources]
    for group in population.special_groups:
        for link in rules.related(Kind.SPECIAL_GROUP, Kind.LEVEL, group.value):
            minimum = Level(link.object)
            if LEVEL_ORDER.index(minimum) > LEVEL_ORDER.index(level):
                level = minimum
                sources = list(link.relation.sources)
            elif LEVEL_ORDER.index(minimum) == LEVEL_ORDER.index(level):
                sources += link.relation.sources
    return level, tuple(dict.fromkeys(sources))


def age_stages_for(age_min: int, age_max: int, rules: RuleSet) -> tuple[str, ...]:
    """The Section 4 age stages that the age range overlaps, youngest first."""
    stages = sorted(rules.age_stages.values(), key=lambda s: s.age_min)
    return tuple(s.id for s in stages if s.age_min <= age_max and age_min <= s.age_max)


def priorities_for(population: TargetPopulation, rules: RuleSet) -> tuple[Priority, ...]:
    """The 2–5 factors to target first: most prevalent risks, weakest protections."""
    rule = rules.files.prioritisation.priority_factors
    order = {rid: n for n, rid in enumerate(rules.ids(Kind.RISK_FACTOR))}
    order.update({pid: 10 + n for n, pid in enumerate(rules.ids(Kind.PROTECTIVE_FACTOR))})
    candidates: list[tuple[float, int, Priority]] = []
    for factor, share in population.risk_factors.items():
        candidates.append(
            (share, order[factor.value], Priority(Kind.RISK_FACTOR, factor.value, share))
        )
    for resource, share in population.protective_factors.items():
        need = 1.0 - share
        candidates.append(
            (need, order[resource.value], Priority(Kind.PROTECTIVE_FACTOR, resource.value, share))
        )
    candidates.sort(key=lambda c: (-c[0], c[1]))
    chosen = [
        c[2]
        for c in candidates
        if (c[2].kind is Kind.RISK_FACTOR and c[2].share >= rule.min_risk_share)
        or (c[2].kind is Kind.PROTECTIVE_FACTOR and c[2].share <= rule.max_protective_share)
    ][: rule.max]
    if len(chosen) < rule.min:
        for _, _, priority in candidates:
            if len(chosen) >= rule.min:
                break
            if priority not in chosen:
                chosen.append(priority)
    return tuple(chosen)


def profile_for(
    population: TargetPopulation, rules: RuleSet
) -> tuple[Profile, tuple[Priority, ...]]:
    """The population's profile, and its priorities with their shares."""
    level, level_sources = level_for(population, rules)
    priorities = priorities_for(population, rules)
    profile = Profile(
        level=level,
        level_sources=level_sources,
        age_stages=age_stages_for(population.age_min, population.age_max, rules),
        settings=tuple(s.value for s in population.settings),
        special_groups=tuple(sorted(g.value for g in population.special_groups)),
        priorities=tuple((p.kind, p.id) for p in priorities),
        factors_known=bool(population.risk_factors or population.protective_factors),
    )
    return profile, priorities
