"""The sample files load without a problem and show what they are there to show: a national
plan covering every age stage and prevention level with costed activities and deliberate gaps
the dashboard warns about, population files for ``recommend``, and an NGO inventory written
with labels whose Excel and CSV forms import to the same plan."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from prevplan.engine import recommend
from prevplan.engine.profile import age_stages_for, level_for
from prevplan.inventory.reader import import_inventory, inventory_csv, inventory_xlsx
from prevplan.io.populations import read_populations
from prevplan.plan.assess import assess
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import RiskGroup, SpecialGroup

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def national(rules: RuleSet) -> Plan:
    return read_plan(SAMPLES / "national_plan.yaml", rules)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_ngo_inventory", SAMPLES / "make_ngo_inventory.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_describes_every_sample_file() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")
    assert files, "sample_data is empty"
    for name in files:
        assert f"`{name}`" in readme, name
    assert "fictional" in readme.lower()


def test_national_plan_covers_every_age_stage_level_and_risk_group(
    national: Plan, rules: RuleSet
) -> None:
    assert len(national.populations) >= 12
    stages = {s for p in national.populations for s in age_stages_for(p.age_min, p.age_max, rules)}
    assert stages == set(rules.ids(Kind.AGE_STAGE))
    levels = {level_for(p, rules)[0].value for p in national.populations}
    assert levels == set(rules.ids(Kind.LEVEL))
    assert {p.risk_group for p in national.populations} == set(RiskGroup)
    infants = [p for p in national.populations if SpecialGroup.PREGNANT_WOMEN in p.special_groups]
    assert any(p.age_min == 0 and p.age_max <= 2 for p in infants)
    assert any(not p.risk_factors for p in national.populations), "some factors are unknown"
    assert sum(1 for p in national.populations if p.risk_factors or p.protective_factors) >= 10
    assert {p.region for p in national.populations} >= {"North", "Capital", "South"}


def test_national_plan_has_costed_activities_using_every_strategy(
    national: Plan, rules: RuleSet
) -> None:
    assert len(national.activities) >= 30
    assert all(a.cost and a.executor and a.schedule for a in national.activities)
    assert all(a.target_reach for a in national.activities)
    assert sum(1 for a in national.activities if a.action_items) >= 5
    result = assess(national, rules)
    assert all(n > 0 for n in result.coverage.strategies.values())
    assert national.tracker and {e.status.value for e in national.tracker} == {
        "not_started",
        "in_progress",
        "done",
    }
    assert "ALD" in (national.description or "")


def test_national_plan_shows_the_intended_warnings(national: Plan, rules: RuleSet) -> None:
    warnings = {(w.code, w.population_id, w.activity_id) for w in assess(national, rules).warnings}
    assert ("uncovered_population", "displaced_children_south", None) in warnings
    assert ("information_only", "university_students", None) in warnings
    assert ("level_mismatch", "people_in_treatment", "rehab_lectures") in warnings
    assert ("reach_exceeds_size", "nightlife_young_adults", "club_outreach") in warnings
    # The status-quo activities get what the Standards say of them.
    assert ("media_only", "university_students", None) in warnings
    assert ("fear_appeal", "secondary_pupils", "police_assemblies") in warnings
    assert ("information_lecture", "secondary_pupils", "police_assemblies") in warnings
    assert ("one_off_session", "secondary_pupils", "anti_drug_day_concert") in warnings
    assert ("drug_testing", "rural_adolescents_north", "rural_drug_testing") in warnings
    assert ("ex_user_testimony", "out_of_school_youth_south", "ex_user_talks_south") in warnings
    assert not any(code == "delivery_unknown" for code, _pid, _aid in warnings)
    uncovered = [w for w in warnings if w[0] == "uncovered_population"]
    assert len(uncovered) == 1, "only the one deliberate gap"


def test_national_plan_tells_effective_coverage_from_exposure(
    national: Plan, rules: RuleSet
) -> None:
    """Well-delivered work counts as effective; assemblies, concerts and media do not."""
    result = assess(national, rules)
    totals = result.totals
    assert totals.effective_coverage < totals.coverage / 2
    rows = {p.population_id: p for p in result.coverage.populations}
    assert rows["university_students"].effective_reach == 0  # leaflets and posts only
    pupils = rows["secondary_pupils"]
    assert pupils.effective_reach < pupils.reach
    assert "police_assemblies" not in pupils.effective_activities
    assert "life_skills_secondary" in pupils.effective_activities
    assert rows["people_in_treatment"].effective_reach > 0  # rehabilitation answers the need


def test_population_files_are_twins_for_recommend(rules: RuleSet) -> None:
    from_yaml = read_populations(SAMPLES / "populations.yaml")
    from_csv = read_populations(SAMPLES / "populations.csv")
    assert from_yaml == from_csv
    assert 6 <= len(from_yaml) <= 10
    stages = {s for p in from_yaml for s in age_stages_for(p.age_min, p.age_max, rules)}
    assert stages == set(rules.ids(Kind.AGE_STAGE))
    assert {level_for(p, rules)[0].value for p in from_yaml} == set(rules.ids(Kind.LEVEL))
    assert any(p.special_groups for p in from_yaml)
    for population in from_yaml:
        assert recommend(population, rules).strategies


def test_ngo_inventory_workbook_and_csv_twin_import_to_the_same_plan(rules: RuleSet) -> None:
    workbook = import_inventory(SAMPLES / "ngo_inventory.xlsx", rules=rules)
    assert workbook.notes == ()
    csv_pair = import_inventory(SAMPLES / "ngo_inventory_activities.csv", rules=rules)
    assert csv_pair.plan == workbook.plan
    plan = workbook.plan
    assert 3 <= len(plan.populations) <= 6
    assert 8 <= len(plan.activities) <= 12
    assert all(a.cost is not None for a in plan.activities)
    result = assess(plan, rules)
    assert result.totals.uncovered_populations == 0
    assert sum(1 for n in result.coverage.strategies.values() if n) >= 5


def test_ngo_inventory_is_written_with_labels_not_ids(rules: RuleSet) -> None:
    script = _script()
    for activity in script.ACTIVITIES:
        for field in ("strategies", "interventions"):
            for value in activity.get(field, []):
                assert value not in rules.ids(Kind.STRATEGY) + rules.ids(Kind.INTERVENTION)
                assert not value.startswith("VI-"), value
    assert all(not str(p["risk_group"]).islower() for p in script.POPULATIONS)


def test_committed_ngo_inventory_matches_its_script(rules: RuleSet) -> None:
    script = _script()
    committed = (SAMPLES / "ngo_inventory.xlsx").read_bytes()
    assert len(committed) < 50 * 1024
    assert inventory_xlsx(rules, script.POPULATIONS, script.ACTIVITIES) == committed
    populations, activities = inventory_csv(rules, script.POPULATIONS, script.ACTIVITIES)
    assert (SAMPLES / "ngo_inventory_populations.csv").read_text(encoding="utf-8") == populations
    assert (SAMPLES / "ngo_inventory_activities.csv").read_text(encoding="utf-8") == activities
