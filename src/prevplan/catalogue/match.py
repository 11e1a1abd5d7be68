"""Which named programmes fit a population and a recommended intervention.

A recommendation says *what kind* of work suits a population (an intervention of VI-4 at a
prevention level of VI-2); this module names the catalogue programmes that deliver it and
were tested on people like them:

- the programme delivers the intervention;
- its tested ages cover at least half of the population's (or the population covers at
  least half of them, :func:`ages_fit`) — for parents and carers (``parents_of``,
  VI-3.1.1) the children's ages, and only programmes that work with parents;
- it was tested at the population's prevention level;
- it is delivered in one of the population's settings (any, when the population names none);
- it was not evaluated as ineffective or harmful.

Matches are ordered best evidence first: verdict, then the best registry rating, then the
published benefit-cost ratio. The functions are pure: same inputs, same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from prevplan.catalogue.models import Programme, Verdict

#: Registry ratings from strongest to weakest (as the registries word them, lower-cased).
_RATING_RANK: Final[Mapping[str, int]] = {
    "model plus": 0,
    "model": 1,
    "effective": 1,
    "beneficial": 1,
    "higher effectiveness": 2,
    "promising": 3,
    "possibly beneficial": 3,
    "quality level 3": 4,
    "reviewed": 5,
    "additional studies recommended": 6,
}
_VERDICT_RANK: Final[Mapping[Verdict, int]] = {
    Verdict.RECOMMENDED: 0,
    Verdict.PROMISING: 1,
    Verdict.NO_EFFECT: 2,
    Verdict.HARMFUL: 3,
}


@dataclass(frozen=True)
class Target:
    """What matching needs to know about a population."""

    age_min: int
    age_max: int
    level: str
    settings: tuple[str, ...] = ()
    parents_of: tuple[int, int] | None = None
    """The children's ages when the population are their parents or carers."""

    @property
    def ages(self) -> tuple[int, int]:
        """The ages programmes are matched on: the children's, for parents."""
        return self.parents_of if self.parents_of is not None else (self.age_min, self.age_max)


class Ages(Protocol):
    """Anything with an age range (a population, the children of ``parents_of``)."""

    @property
    def age_min(self) -> int:
        """Youngest age."""

    @property
    def age_max(self) -> int:
        """Oldest age."""


def target_of(population: Ages, level: str, settings: Sequence[str] | None = None) -> Target:
    """A :class:`Target` from a population model (interfaces §2) and its prevention level.

    ``settings`` overrides the population's own (a recommendation's proposed settings).
    """
    parents = getattr(population, "parents_of", None)
    children = None
    if parents is not None:
        children = (int(parents.age_min), int(parents.age_max))
    chosen = settings if settings is not None else getattr(population, "settings", ())
    return Target(
        age_min=int(population.age_min),
        age_max=int(population.age_max),
        level=str(level),
        settings=tuple(str(s) for s in chosen or ()),
        parents_of=children,
    )


def fits(programme: Programme, target: Target, intervention: str | None = None) -> bool:
    """Whether ``programme`` may be named for ``target`` (and ``intervention``)."""
    if programme.to_avoid:
        return False
    if intervention is not None and intervention not in programme.interventions:
        return False
    if not ages_fit(programme, *target.ages):
        return False
    if target.parents_of is not None and not (
        programme.reaches_parents and "family" in programme.settings
    ):
        return False  # a classroom curriculum with a parents' evening is not family work
    if target.level not in programme.levels:
        return False
    return not target.settings or bool(set(target.settings) & set(programme.settings))


def ages_fit(programme: Programme, low: int, high: int) -> bool:
    """Whether the tested ages cover enough of ``low``–``high`` to speak for it.

    The two ranges must share at least half of the shorter one: SFP 10–14 fits pupils of
    11–17 (four of its five years), but a course tested on 13- to 18-year-olds says little
    about students of 18–24 (one year in common).
    """
    shared = min(programme.age_max, high) - max(programme.age_min, low) + 1
    shorter = min(programme.age_max - programme.age_min, high - low) + 1
    return shared > 0 and 2 * shared >= shorter


def rank_key(programme: Programme) -> tuple[int, int, float, str]:
    """Best evidence first: verdict, best rating, benefit-cost ratio, then name."""
    best = min(
        (_RATING_RANK.get(r.rating.strip().lower(), 7) for r in programme.ratings), default=8
    )
    ratio = programme.benefit_cost.ratio if programme.benefit_cost is not None else 0.0
    return (_VERDICT_RANK[programme.verdict], best, -ratio, programme.name.lower())


def matching(
    programmes: Iterable[Programme], target: Target, intervention: str | None = None
) -> list[Programme]:
    """The programmes that fit, best evidence first (empty when none fits)."""
    return sorted((p for p in programmes if fits(p, target, intervention)), key=rank_key)


def for_interventions(
    programmes: Iterable[Programme], target: Target, interventions: Sequence[str]
) -> dict[str, list[Programme]]:
    """For each recommended intervention, the programmes that fit (possibly none)."""
    pool = list(programmes)
    return {i: matching(pool, target, i) for i in interventions}
