"""The programmes a recommendation names (interfaces §3 ``programmes``).

For each recommended intervention (VI-4) the catalogue programmes that fit the population
— its ages (the children's, for parents: VI-3.1.1), its prevention level (VI-2) and its
settings — best evidence first, never one evaluated as ineffective or harmful, each with
its dose, deliverers and cost per participant. An empty list means no catalogue programme
fits, and the views say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from prevplan.catalogue.loader import Catalogue, load_catalogue
from prevplan.catalogue.match import Ages, Target, matching, rank_key, target_of
from prevplan.catalogue.models import Programme


class ProgrammeItem(BaseModel):
    """One named programme under one recommended intervention."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    intervention: str
    verdict: str
    local: bool = False
    sessions: int | None = None
    hours: float | None = None
    boosters: int | None = None
    deliverers: tuple[str, ...] = ()
    cost_per_participant: float | None = None
    currency: str | None = None
    cost_year: int | None = None


def programme_items(
    catalogue: Catalogue, target: Target, interventions: Sequence[str]
) -> tuple[ProgrammeItem, ...]:
    """Every fitting programme for each intervention in order, each named once."""
    return _items(catalogue, target, tuple(interventions))


@lru_cache(maxsize=4096)
def _items(
    catalogue: Catalogue, target: Target, interventions: tuple[str, ...]
) -> tuple[ProgrammeItem, ...]:
    seen: set[str] = set()
    out: list[ProgrammeItem] = []
    by_intervention = _index(catalogue)
    for intervention in interventions:
        for p in matching(by_intervention.get(intervention, ()), target, intervention):
            if p.id in seen:
                continue
            seen.add(p.id)
            cost = p.cost_per_participant
            out.append(
                ProgrammeItem(
                    id=p.id,
                    name=p.name,
                    intervention=intervention,
                    verdict=p.verdict.value,
                    local=p.local,
                    sessions=p.dose.sessions,
                    hours=p.dose.hours,
                    boosters=p.dose.boosters,
                    deliverers=p.deliverers.who,
                    cost_per_participant=cost.amount if cost else None,
                    currency=cost.currency if cost else None,
                    cost_year=cost.year if cost else None,
                )
            )
    return tuple(out)


@lru_cache(maxsize=8)
def _index(catalogue: Catalogue) -> dict[str, tuple[Programme, ...]]:
    """The programmes that may be named, by the intervention they deliver (best first)."""
    out: dict[str, list[Programme]] = {}
    for p in sorted(catalogue.programmes.values(), key=rank_key):
        if not p.to_avoid:
            for intervention in p.interventions:
                out.setdefault(intervention, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


class HasId(Protocol):
    """A recommended item (an intervention) named by its id."""

    @property
    def id(self) -> str:
        """The item's id."""


class RecommendationLike(Protocol):
    """What naming programmes reads from a recommendation (interfaces §3)."""

    @property
    def prevention_level(self) -> str:
        """The population's level (VI-2)."""

    @property
    def settings(self) -> Sequence[str]:
        """Where the work is delivered."""

    @property
    def interventions(self) -> Sequence[HasId]:
        """The recommended interventions (VI-4)."""


def for_recommendation(population: Ages, rec: RecommendationLike) -> tuple[ProgrammeItem, ...]:
    """The programmes one population's recommendation names (its own list when it has one)."""
    items: tuple[ProgrammeItem, ...] | None = getattr(rec, "programmes", None)
    if items is not None:
        return items
    interventions = [i.id for i in rec.interventions]
    return for_population(population, str(rec.prevention_level), rec.settings, interventions)


def for_population(
    population: Ages, level: str, settings: Sequence[str], interventions: Sequence[str]
) -> tuple[ProgrammeItem, ...]:
    """The programmes for one population's recommendation, from the shipped catalogue."""
    return programme_items(load_catalogue(), target_of(population, level, settings), interventions)
