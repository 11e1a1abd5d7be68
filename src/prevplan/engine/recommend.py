"""``recommend(population)``: the cited, prioritised strategy mix for one target population.

The work is split in three: :func:`~prevplan.engine.profile.profile_for` reduces a
population to its profile (level, age stages, settings, special groups and ranked priority
factors); :func:`core_for` turns a profile into everything in the recommendation that does
not depend on the population's identity or exact shares, as ready-made JSON, and remembers
it; :func:`recommendation_json` adds the population's id and the shares of its priority
factors. :func:`recommend` validates that JSON into the
:class:`~prevplan.engine.models.Recommendation` model, so the Python API and the command
line say exactly the same thing. The same input always gives the same output, byte for
byte.

Many populations at once — a national file — are recommended as one batch
(:func:`batch_for`, :mod:`prevplan.engine.batch`): the same choices, made for all of them
together with numpy, and the same text, which the tests compare with this module's
population by population.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from prevplan.engine import render
from prevplan.engine.models import Recommendation
from prevplan.engine.profile import Profile, tables_for
from prevplan.engine.selection import choose, clear_pools, pool_for, ranked_priorities
from prevplan.i18n import current_language
from prevplan.io.columns import PopulationColumns
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

if TYPE_CHECKING:
    from prevplan.engine.batch import Batch

_encode_string = json.encoder.encode_basestring
"""JSON string literal, non-ASCII kept as is (what ``json.dumps(s, ensure_ascii=False)`` gives)."""


class Core(NamedTuple):
    """The population-independent part of a recommendation, as JSON object members."""

    head: str
    """``,"prevention_level":…`` up to and including ``"interventions"``."""
    tail: str
    """``,"priorities_basis":…`` up to and including ``"warnings"``."""


def recommend(population: TargetPopulation, rules: RuleSet | None = None) -> Recommendation:
    """The recommendation for one population (pure: no I/O beyond loading default rules)."""
    ruleset = rules if rules is not None else load_rules()
    return Recommendation.model_validate_json(recommendation_json(population, ruleset))


def recommendation_json(population: TargetPopulation, rules: RuleSet) -> str:
    """The recommendation as compact JSON, the form ``prevplan recommend`` writes.

    ``json.loads`` of it equals ``recommend(population, rules).model_dump(mode="json")``.
    """
    profile, shares = tables_for(rules).profile(population)
    core = core_for(rules, profile, current_language())
    return _record(rules, population.id, profile, shares, core)


def recommendations_json(
    populations: Iterable[TargetPopulation], rules: RuleSet, *, vectorised: bool | None = None
) -> Iterator[str]:
    """:func:`recommendation_json` of each population, in order, with less work for many.

    From :data:`VECTORISE_FROM` populations on (or whenever ``vectorised``), the mixes of all
    of them are chosen at once (:mod:`prevplan.engine.batch`); the text is the same.
    """
    found = list(populations)
    if vectorised is None:
        vectorised = len(found) >= VECTORISE_FROM
    if vectorised and found:
        yield from batch_for(PopulationColumns.of(found), rules).records()
        return
    profile_of = tables_for(rules).profile
    lang = current_language()
    # A plain bounded dict rather than core_for's LRU: a miss should cost no bookkeeping.
    cores: dict[Profile, Core] = {}
    for population in found:
        profile, shares = profile_of(population)
        core = cores.get(profile)
        if core is None:
            if len(cores) >= _BATCH_CORES:
                cores.clear()
            core = cores[profile] = build_core(rules, profile, lang)
        yield _record(rules, population.id, profile, shares, core)


VECTORISE_FROM = 200
"""Populations from which a batch is recommended with numpy (which takes a while to import)."""

_BATCH_CORES = 2048
"""Profiles a small batch keeps the JSON of (about 5 KB each)."""


def batch_for(columns: PopulationColumns, rules: RuleSet) -> Batch:
    """The populations ready to be written by :class:`~prevplan.engine.batch.Batch`, in the
    current language."""
    from prevplan.engine.batch import Batch  # numpy: imported only for a batch

    return Batch(columns, rules, current_language())


def _record(
    rules: RuleSet, population_id: str, profile: Profile, shares: tuple[float, ...], core: Core
) -> str:
    """A population's JSON: its id, the core of its profile and its priority shares."""
    if shares:
        risk_objects, protective_objects = _factor_objects(rules)
        pairs = tuple(zip(profile.priorities, shares, strict=True))
        risks = ",".join(risk_objects[c] + repr(s) + "}" for c, s in pairs if c in risk_objects)
        weak = ",".join(
            protective_objects[c] + repr(s) + "}" for c, s in pairs if c in protective_objects
        )
        factors = f',"priority_risk_factors":[{risks}],"weak_protective_factors":[{weak}]'
    else:
        factors = ',"priority_risk_factors":[],"weak_protective_factors":[]'
    return (
        '{"population_id":' + _encode_string(population_id) + core.head + factors + core.tail + "}"
    )


@lru_cache(maxsize=8)
def _factor_objects(rules: RuleSet) -> tuple[dict[int, str], dict[int, str]]:
    """``{"id":…,"clause":…,"share":`` for each risk and each protective factor, by number."""
    risks: dict[int, str] = {}
    resources: dict[int, str] = {}
    for code, (kind, fid) in enumerate(tables_for(rules).factors):
        entity = rules.entities[kind][fid]
        start = (
            '{"id":' + _encode_string(fid) + ',"clause":'
            f'{_encode_string(entity.clauses[0])},"share":'
        )
        (risks if kind is Kind.RISK_FACTOR else resources)[code] = start
    return risks, resources


class _CoreCache:
    """:func:`core_for`: one :class:`Core` per profile, least recently used dropped first.

    ``cache_clear()`` forgets every intermediate result of the engine too, so that the next
    recommendation is computed from the rules alone (benchmarks time that).
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._cores: OrderedDict[tuple[RuleSet, Profile, str], Core] = OrderedDict()

    def __call__(self, rules: RuleSet, profile: Profile, lang: str) -> Core:
        key = (rules, profile, lang)
        cores = self._cores
        core = cores.get(key)
        if core is not None:
            cores.move_to_end(key)
            return core
        core = cores[key] = build_core(rules, profile, lang)
        if len(cores) > self.maxsize:
            cores.popitem(last=False)
        return core

    def cache_clear(self) -> None:
        self._cores.clear()
        clear_pools()
        tables_for.cache_clear()  # its memo of situations; rebuilt in microseconds


core_for = _CoreCache(maxsize=4096)


def build_core(rules: RuleSet, profile: Profile, lang: str) -> Core:
    """Everything in the recommendation that the profile alone decides, as JSON."""
    pool = pool_for(rules, profile.situation)
    mix = choose(rules, pool, ranked_priorities(rules, profile.priorities))
    return Core(
        head=render.head(rules, pool, mix, lang),
        tail=render.tail(rules, pool, profile, mix, lang),
    )


__all__ = ["Core", "core_for", "recommend", "recommendation_json", "recommendations_json"]
