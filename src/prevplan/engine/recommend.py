"""``recommend(population)``: the cited, prioritised strategy mix for target populations.

The engine (:mod:`prevplan.engine.decide`) decides for a batch of populations at once; one
population is a batch of one. :mod:`prevplan.engine.build` turns each decision into a
:class:`~prevplan.engine.models.Recommendation`. The same input always gives the same
output, and the command line writes the same models (:mod:`prevplan.engine.json_writer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress

from prevplan.catalogue.loader import load_catalogue
from prevplan.catalogue.match import Ages
from prevplan.catalogue.output import HasId, ProgrammeItem, for_population
from prevplan.engine import build
from prevplan.engine.decide import Decisions
from prevplan.engine.models import Recommendation
from prevplan.engine.options import clear_options, index_for
from prevplan.engine.profile import tables_for
from prevplan.i18n import current_language, format_percent
from prevplan.io.columns import PopulationColumns
from prevplan.population import TargetPopulation
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.loader import when_loaded


def recommend(population: TargetPopulation, rules: RuleSet | None = None) -> Recommendation:
    """The recommendation for one population (pure: no I/O beyond loading default rules)."""
    ruleset = rules if rules is not None else load_rules()
    decision = Decisions(PopulationColumns.of([population]), ruleset).block(0, 1).decision(0)
    built = build.recommendation(ruleset, population.id, decision, current_language())
    return with_programmes(built, population)


def recommendations(
    populations: Sequence[TargetPopulation], rules: RuleSet
) -> Iterator[Recommendation]:
    """The recommendation for each population, in order, decided together."""
    decisions = Decisions(PopulationColumns.of(populations), rules)
    people = iter(populations)
    lang = current_language()
    for block in decisions.blocks():
        for decision in block:
            population = next(people)
            built = build.recommendation(rules, population.id, decision, lang)
            yield with_programmes(built, population)


def with_programmes(rec: Recommendation, population: TargetPopulation) -> Recommendation:
    """The recommendation with the catalogue programmes that fit it (interfaces §6)."""
    items = programmes_for(population, rec.prevention_level, rec.settings, rec.interventions)
    return rec.model_copy(update={"programmes": items})


def programmes_for(
    population: Ages, level: str, settings: Sequence[str], interventions: Iterable[HasId]
) -> tuple[ProgrammeItem, ...]:
    """The named programmes for a population's level, settings and interventions."""
    return for_population(population, level, settings, [i.id for i in interventions])


def recommendation_json(population: TargetPopulation, rules: RuleSet) -> str:
    """The recommendation as compact JSON, the form ``prevplan recommend`` writes."""
    return recommend(population, rules).model_dump_json()


def decisions_for(
    populations: PopulationColumns | Iterable[TargetPopulation], rules: RuleSet
) -> Decisions:
    """The engine's decisions for populations given as columns or as models."""
    if not isinstance(populations, PopulationColumns):
        populations = PopulationColumns.of(list(populations))
    return Decisions(populations, rules)


def prepare(rules: RuleSet) -> None:
    """Build what a first recommendation with ``rules`` would otherwise build: the rules'
    indexes, the catalogue of programmes and the language's percent pattern (run by
    :func:`~prevplan.rules.load_rules` for each rule set it loads)."""
    index_for(rules)
    tables_for(rules)
    format_percent(0, current_language())
    with suppress(ProblemsError):  # reported by the first recommendation naming programmes
        load_catalogue()


when_loaded(prepare)


def clear_caches() -> None:
    """Forget everything the engine kept from earlier populations (benchmarks time a cold
    recommendation); what the rules alone decide is kept."""
    clear_options()
    tables_for.cache_clear()


__all__ = [
    "clear_caches",
    "decisions_for",
    "recommend",
    "recommendation_json",
    "recommendations",
]
