"""No recommended intervention excludes its population (hypothesis, issue 12).

Whatever the population — any ages, risk group (so any prevention level), settings and special
groups — every intervention recommended fits one of the population's age stages (or is named
for one of its special groups, as VI-4.1 names pregnant women) and, when the planner listed
where the population can be reached, is delivered in one of those settings. An intervention
whose age stages or settings exclude the population is never recommended, at any level.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevplan.engine import recommend
from prevplan.engine.profile import age_stages_for
from prevplan.population import ParentsOf, TargetPopulation
from prevplan.rules import load_rules
from prevplan.rules.loader import load_rules_uncached
from prevplan.rules.models import Kind, Meaning
from prevplan.vocab import RiskGroup, Setting, SpecialGroup
from tests.rule_files import copy_rules, edit

RULES = load_rules()


@st.composite
def populations(draw: st.DrawFn) -> TargetPopulation:
    low = draw(st.integers(0, 120))
    high = draw(st.integers(low, min(120, low + draw(st.sampled_from([0, 3, 8, 20, 120])))))
    parents_of = None
    if high >= 15 and draw(st.booleans()):
        child_low = draw(st.integers(0, min(17, high - 1)))
        parents_of = ParentsOf(age_min=child_low, age_max=draw(st.integers(child_low, 17)))
    return TargetPopulation(
        id="p",
        age_min=low,
        age_max=high,
        size=draw(st.integers(1, 10**6)),
        risk_group=draw(st.sampled_from(RiskGroup)),
        settings=tuple(draw(st.lists(st.sampled_from(Setting), unique=True, max_size=4))),
        special_groups=tuple(
            draw(st.lists(st.sampled_from(SpecialGroup), unique=True, max_size=2))
        ),
        parents_of=parents_of,
    )


def _named_for(population: TargetPopulation, intervention: str) -> bool:
    return any(
        intervention in RULES.objects(Kind.SPECIAL_GROUP, Kind.INTERVENTION, group.value)
        for group in population.special_groups
    )


def _excluded(population: TargetPopulation, intervention: str) -> bool:
    return any(
        link.object == intervention
        for group in population.special_groups
        for link in RULES.context(Meaning.EXCLUDES, Kind.SPECIAL_GROUP, group.value)
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_no_intervention_excludes_its_population(population: TargetPopulation) -> None:
    """Age stages, settings, level, audience and special-group exclusions all hold."""
    rec = recommend(population, RULES)
    listed = {s.value for s in population.settings}
    own = set(age_stages_for(population.age_min, population.age_max, RULES))
    for item in rec.interventions:
        stages = set(RULES.objects(Kind.INTERVENTION, Kind.AGE_STAGE, item.id))
        reach = set(rec.age_stages) | (own if population.parents_of else set())
        assert stages & reach or _named_for(population, item.id), (
            f"{item.id} serves {sorted(stages)}, the population is {sorted(reach)}"
        )
        assert rec.prevention_level.value in RULES.objects(Kind.INTERVENTION, Kind.LEVEL, item.id)
        assert not _excluded(population, item.id), f"{item.id} is excluded for the group"
        if population.parents_of is not None:
            assert "parents" in RULES.objects(Kind.INTERVENTION, Kind.AUDIENCE, item.id), item.id
        # An intervention in the list implies its strategy in the mix (interfaces §3).
        assert set(item.strategies) & {s.id for s in rec.strategies}, item.id
        delivered = set(RULES.objects(Kind.INTERVENTION, Kind.SETTING, item.id))
        if listed and not item.needs_setting:
            assert delivered & listed, f"{item.id} is delivered in {sorted(delivered)} only"
            assert set(item.settings) <= listed, (item.id, item.settings, sorted(listed))
        if listed and item.needs_setting:
            # Only an intervention named for a special group may need an unlisted setting.
            assert _named_for(population, item.id), f"{item.id} needs {item.needs_setting}"


def test_how_many_years_make_an_age_stage_is_data(tmp_path: Path) -> None:
    """12–15 spends one year in adolescence (15–17): not enough with the shipped two years
    (``prioritisation.yaml``, ``age_stages.min_years``); with one year it is."""
    shipped = load_rules_uncached(copy_rules(tmp_path / "shipped"))
    assert age_stages_for(12, 15, shipped) == ("early_adolescence",)
    assert age_stages_for(18, 60, shipped) == ("young_adulthood", "adulthood")
    rules_dir = copy_rules(tmp_path / "edited")
    edit(rules_dir / "prioritisation.yaml", "min_years: 2", "min_years: 1")
    edited = load_rules_uncached(rules_dir)
    assert age_stages_for(12, 15, edited) == ("early_adolescence", "adolescence")
    assert "older_adulthood" in age_stages_for(18, 60, edited)
