"""Properties every recommendation has, whatever the population (hypothesis).

Populations are drawn from the fields of :class:`~prevplan.population.TargetPopulation`:
any age range, size, risk group, settings, factor shares (known or unknown) and special
groups, with ids full of characters JSON must escape.
"""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevplan.engine import recommend, recommendation_json
from prevplan.engine.json_writer import BatchWriter
from prevplan.engine.models import (
    InterventionRecommendation,
    Recommendation,
    StrategyRecommendation,
)
from prevplan.engine.recommend import clear_caches, decisions_for
from prevplan.i18n import current_language
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

RULES = load_rules()
PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

shares = st.one_of(
    st.sampled_from([0.0, -0.0, 0.05, 0.1, 0.5, 0.9, 1.0, 1]),
    st.integers(0, 100).map(lambda n: n / 100),
    st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False),
)
ids = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 -_.:/\"\\'\n\té中ж\u2028😀")), min_size=1, max_size=12
).filter(lambda s: bool(s.strip()))


@st.composite
def populations(draw: st.DrawFn) -> TargetPopulation:
    low = draw(st.integers(0, 120))
    high = draw(st.integers(low, 120))
    return TargetPopulation(
        id=draw(ids),
        name=draw(st.none() | st.text(max_size=20)),
        age_min=low,
        age_max=high,
        size=draw(st.integers(1, 10**9)),
        risk_group=draw(st.sampled_from(RiskGroup)),
        settings=tuple(draw(st.lists(st.sampled_from(Setting), unique=True, max_size=8))),
        risk_factors=draw(st.dictionaries(st.sampled_from(RiskFactor), shares)),
        protective_factors=draw(st.dictionaries(st.sampled_from(ProtectiveFactor), shares)),
        special_groups=tuple(
            draw(st.lists(st.sampled_from(SpecialGroup), unique=True, max_size=3))
        ),
    )


def _items(rec: Recommendation) -> list[StrategyRecommendation | InterventionRecommendation]:
    return [*rec.strategies, *rec.interventions]


def _emitted_refs(rec: Recommendation) -> list[str]:
    """Every clause reference in a recommendation."""
    refs = [*rec.level_sources, rec.information_mode.clause, *rec.action_items]
    for item in _items(rec):
        refs += [item.clause, *item.sources]
    refs += [ref for warning in rec.warnings for ref in warning.sources]
    refs += [f.clause for f in (*rec.priority_risk_factors, *rec.weak_protective_factors)]
    return refs


def _records(
    populations: list[TargetPopulation], start: int = 0, stop: int | None = None
) -> list[str]:
    """What ``prevplan recommend`` writes for each population: the engine decides for all
    of them at once, the JSON writer writes each decision."""
    decisions = decisions_for(populations, RULES)
    writer = BatchWriter(decisions, current_language())
    return [
        record.decode()
        for block in decisions.arrays(start, stop)
        for record in writer.records(block)
    ]


@PROPERTY_SETTINGS
@given(populations())
def test_every_clause_cited_exists(population: TargetPopulation) -> None:
    """Every reference a recommendation emits is a clause of the encoded sources."""
    rec = recommend(population, RULES)
    missing = [ref for ref in _emitted_refs(rec) if not RULES.ref_exists(ref)]
    assert not missing


@PROPERTY_SETTINGS
@given(populations())
def test_a_mix_leads_with_a_fundamental_strategy_and_is_never_single(
    population: TargetPopulation,
) -> None:
    """At least two strategies, at least one fundamental, and a fundamental one first."""
    rec = recommend(population, RULES)
    kinds = [s.kind.value for s in rec.strategies]
    assert len(kinds) >= 2
    assert kinds[0] == "fundamental"
    assert [s.priority for s in rec.strategies] == list(range(1, len(kinds) + 1))
    codes = {w.code for w in rec.warnings}
    assert not codes & {"single_strategy", "no_fundamental_strategy", "information_only"}


@PROPERTY_SETTINGS
@given(populations())
def test_what_prevplan_infers_is_told_apart(population: TargetPopulation) -> None:
    """Every item names the inferred relations behind it; a stated item has a stated core."""
    rec = recommend(population, RULES)
    for item in _items(rec):
        for end in item.inferred:
            kind, _, entity = end.partition(":")
            assert RULES.exists(Kind(kind), entity)
        if item.basis.value == "stated":
            assert not {e for e in item.inferred if e.startswith(("level:", "age_stage:"))}


@PROPERTY_SETTINGS
@given(populations())
def test_tertiary_prevention_always_routes_to_treatment(population: TargetPopulation) -> None:
    """A tertiary population gets the route_to_treatment warning and the V-4 items."""
    rec = recommend(population, RULES)
    tertiary = rec.prevention_level.value == "tertiary"
    assert ("route_to_treatment" in {w.code for w in rec.warnings}) == tertiary
    if tertiary:
        assert {"V-4.1", "V-4.4"} <= set(rec.action_items)
        assert rec.information_mode.clause == "VI-3.2.1#p4"


@PROPERTY_SETTINGS
@given(populations())
def test_output_is_deterministic_and_the_same_in_every_form(
    population: TargetPopulation,
) -> None:
    """Same input, same bytes: from the caches or not, from the model or the JSON writer."""
    first = recommendation_json(population, RULES)
    assert recommendation_json(population, RULES) == first
    clear_caches()
    assert recommendation_json(population, RULES) == first
    rec = recommend(population, RULES)
    assert json.loads(first) == rec.model_dump(mode="json")
    assert rec.model_dump_json() == recommend(population, RULES).model_dump_json()
    assert _records([population, population]) == [first, first]


@PROPERTY_SETTINGS
@given(populations())
def test_priorities_come_from_known_shares_only(population: TargetPopulation) -> None:
    """Priority factors are known, needed, at most five, and carry the share given."""
    rec = recommend(population, RULES)
    risks = {f.value: s for f, s in population.risk_factors.items()}
    resources = {f.value: s for f, s in population.protective_factors.items()}
    chosen = [*rec.priority_risk_factors, *rec.weak_protective_factors]
    assert len(chosen) <= 5
    for factor in rec.priority_risk_factors:
        assert factor.share == risks[factor.id] > 0
    for factor in rec.weak_protective_factors:
        assert factor.share == resources[factor.id] < 1
    assert ("unknown_risk_factors" in {w.code for w in rec.warnings}) == (not risks)


@PROPERTY_SETTINGS
@given(populations())
def test_listed_settings_bound_the_interventions(population: TargetPopulation) -> None:
    """With settings listed, an intervention is delivered in them or says it needs another."""
    rec = recommend(population, RULES)
    listed = {s.value for s in population.settings}
    assert rec.settings_proposed == (not listed)
    for item in rec.interventions:
        if listed and not item.needs_setting:
            assert set(item.settings) <= listed
        if item.needs_setting:
            assert not set(item.needs_setting) & listed


@settings(max_examples=150, deadline=None)
@given(st.lists(populations(), min_size=1, max_size=12))
def test_a_batch_says_what_each_population_would_get_alone(
    batch: list[TargetPopulation],
) -> None:
    """Deciding many at once and writing them with the JSON writer gives each population
    exactly the bytes of its own recommendation model."""
    together = _records(batch)
    alone = []
    for population in batch:
        clear_caches()
        alone.append(recommend(population, RULES).model_dump_json())
    assert together == alone


def test_any_range_of_a_batch_is_written_as_the_records_alone() -> None:
    """The command writes a batch block by block: any range gives the same records."""
    populations = _varied_populations(700, seed=8)
    whole = _records(populations)
    assert whole == [recommendation_json(p, RULES) for p in populations]
    assert _records(populations, 100, 350) == whole[100:350]


def _varied_populations(count: int, seed: int) -> list[TargetPopulation]:
    """Many realistic populations, so that the engine's caches fill up in many ways."""
    rng = random.Random(seed)
    found = []
    for n in range(count):
        low = rng.choice([0, 3, 6, 9, 11, 12, 15, 18, 25, 40])
        found.append(
            TargetPopulation(
                id=f"p{n}",
                age_min=low,
                age_max=min(120, low + rng.choice([2, 4, 6, 10, 30])),
                size=rng.randint(1, 10_000),
                risk_group=rng.choice(list(RiskGroup)),
                settings=tuple(rng.sample(list(Setting), rng.choice([0, 0, 1, 2, 3]))),
                risk_factors={
                    f: round(rng.random() * 0.6, 2) for f in RiskFactor if rng.random() < 0.6
                },
                protective_factors={
                    f: round(rng.random(), 2) for f in ProtectiveFactor if rng.random() < 0.5
                },
                special_groups=tuple(rng.sample(list(SpecialGroup), rng.choice([0, 0, 0, 1]))),
            )
        )
    return found


def test_the_order_of_a_batch_changes_nothing() -> None:
    """Each population gets the same bytes whatever was recommended before it."""
    batch = _varied_populations(1500, seed=3)
    clear_caches()
    forward = _records(batch)
    clear_caches()
    backward = _records(batch[::-1])
    assert forward == backward[::-1]


def test_a_large_varied_batch_is_each_population_alone() -> None:
    """Many populations, caches filling in many ways: the batch and each population alone
    agree on every byte."""
    batch = _varied_populations(3000, seed=13)
    clear_caches()
    together = _records(batch)
    clear_caches()
    assert together == [recommendation_json(p, RULES) for p in batch]


def test_default_rules_are_loaded_when_none_are_given(rules: RuleSet) -> None:
    """``recommend(population)`` without rules uses the shipped rules."""
    population = TargetPopulation(id="x", age_min=12, age_max=15, size=10)
    assert recommend(population) == recommend(population, rules)


def test_what_was_recommended_before_never_leaks_into_a_recommendation() -> None:
    """In a batch, each population gets the bytes it gets alone, computed from scratch.

    One situation (two age stages, so interventions share practices to avoid) with many
    mixes: the engine's shared caches must never carry one mix's order into another's.
    """
    rng = random.Random(11)
    batch = [
        TargetPopulation(
            id=f"p{n}",
            age_min=9,
            age_max=13,
            size=100,
            risk_factors={f: round(rng.random() * 0.6, 2) for f in RiskFactor},
        )
        for n in range(400)
    ]
    clear_caches()
    together = _records(batch)
    for population, text in zip(batch, together, strict=True):
        clear_caches()
        assert recommendation_json(population, RULES) == text
