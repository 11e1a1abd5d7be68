"""The judgments module: warning codes checked when the rules load, triggers read from
``warnings.yaml``, and the same judgments behind recommend, assess and the workshop."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevplan.engine import judgments, recommend
from prevplan.engine.judgments import WarningCode
from prevplan.population import TargetPopulation
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.loader import load_rules_uncached
from prevplan.rules.models import Kind
from prevplan.vocab import Level, RiskGroup
from tests.rule_files import copy_rules, edit


def _problems(directory: Path) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        load_rules_uncached(directory)
    return [str(p) for p in caught.value.problems]


def test_a_code_the_code_raises_but_the_rules_lack_is_a_load_error(tmp_path: Path) -> None:
    rules_dir = copy_rules(tmp_path)
    edit(rules_dir / "warnings.yaml", "code: single_strategy", "code: single_strategie")
    problems = _problems(rules_dir)
    assert any("warnings.yaml" in p and "single_strategy" in p for p in problems), problems
    assert any("single_strategie" in p and "unknown id" in p for p in problems), problems


def test_a_trigger_naming_an_unknown_level_is_a_load_error(tmp_path: Path) -> None:
    rules_dir = copy_rules(tmp_path)
    edit(rules_dir / "warnings.yaml", " levels: [tertiary]", " levels: [tertiairy]")
    edit(rules_dir / "warnings.yaml", "not_at_levels: [tertiary]", "not_at_levels: [tertiery]")
    problems = _problems(rules_dir)
    assert any("trigger.levels" in p and "tertiairy" in p for p in problems), problems
    assert any("trigger.not_at_levels" in p and "tertiery" in p for p in problems), problems


def test_every_code_has_its_definition(rules: RuleSet) -> None:
    for code in WarningCode:
        assert judgments.definition(rules, code).code == code.value


def test_route_to_treatment_follows_its_trigger_in_the_rules(tmp_path: Path) -> None:
    """The levels that route to treatment are data: widening them in ``warnings.yaml``
    widens the judgment, with no change in Python."""
    rules_dir = copy_rules(tmp_path)
    shipped = load_rules_uncached(rules_dir)
    assert judgments.level_findings(shipped, Level.SYMPTOMATIC) == []
    edit(rules_dir / "warnings.yaml", " levels: [tertiary]", " levels: [symptomatic, tertiary]")
    widened = load_rules_uncached(rules_dir)
    codes = [f.code for f in judgments.level_findings(widened, Level.SYMPTOMATIC)]
    assert codes == [WarningCode.ROUTE_TO_TREATMENT]


@pytest.mark.parametrize("level", list(Level))
def test_route_to_treatment_is_raised_at_the_tertiary_level_only(
    rules: RuleSet, level: Level
) -> None:
    found = [f.code for f in judgments.level_findings(rules, level)]
    assert (WarningCode.ROUTE_TO_TREATMENT in found) == (level is Level.TERTIARY)


def test_recommend_routes_people_with_dependence_to_treatment(rules: RuleSet) -> None:
    for group, expected in ((RiskGroup.DEPENDENT, True), (RiskGroup.EXPERIENCED_USE, False)):
        population = TargetPopulation(id="p", age_min=20, age_max=40, size=100, risk_group=group)
        codes = [w.code for w in recommend(population, rules).warnings]
        assert ("route_to_treatment" in codes) is expected


def test_information_without_a_fundamental_strategy(rules: RuleSet) -> None:
    codes = [f.code for f in judgments.mix_findings(rules, ["information"])]
    assert codes == [
        WarningCode.INFORMATION_ONLY,
        WarningCode.NO_FUNDAMENTAL_STRATEGY,
        WarningCode.SINGLE_STRATEGY,
    ]
    assert judgments.mix_findings(rules, ["life_skills", "information"]) == []


def test_the_workshop_reasons_cite_the_warnings_they_rest_on(rules: RuleSet) -> None:
    """A "why not" reason cites the clauses of the judgment it applies."""
    reason = judgments.why_not_strategy(
        rules, "information", level=Level.UNIVERSAL, age_stages=["adolescence"],
        fundamental_chosen=False,
    )  # fmt: skip
    no_fundamental = judgments.definition(rules, WarningCode.NO_FUNDAMENTAL_STRATEGY)
    assert reason.clauses[: len(no_fundamental.sources)] == no_fundamental.sources
    mismatched = next(
        iid
        for iid in rules.interventions
        if judgments.level_mismatch(rules, Kind.INTERVENTION, iid, Level.TERTIARY)
    )
    reason = judgments.why_not_intervention(
        rules, mismatched, level=Level.TERTIARY, age_stages=["adulthood"], settings=[]
    )
    level_mismatch = judgments.definition(rules, WarningCode.LEVEL_MISMATCH)
    assert reason.clauses[: len(level_mismatch.sources)] == level_mismatch.sources


def test_an_untargeted_factor_is_named_in_the_message_and_as_a_field(rules: RuleSet) -> None:
    finding = judgments.untargeted_findings(rules, [(Kind.RISK_FACTOR, "economic")], "p")[0]
    fields = judgments.warning_fields(rules, finding, "en", "p")
    assert fields["code"] == "untargeted_priority_risk"
    assert fields["message"].endswith(
        "Not addressed: " + rules.label(Kind.RISK_FACTOR, "economic") + "."
    )
    assert finding.factor == (Kind.RISK_FACTOR, "economic")
