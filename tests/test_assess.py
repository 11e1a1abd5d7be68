"""Coverage and warnings of ``assess`` (its YAML cases run in ``test_cases.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from prevplan.plan.assess import assess
from prevplan.plan.assessment import AssessWarning, trusted
from prevplan.plan.io import plan_from_data
from prevplan.rules import RuleSet


def test_every_strategy_and_action_item_is_present_in_coverage(rules: RuleSet) -> None:
    """All nine strategies and all 40 Annex V items appear, served or not."""
    plan = plan_from_data({"name": "empty", "populations": [], "activities": []}, "x", rules)
    result = assess(plan, rules)
    assert len(result.coverage.strategies) == 9
    assert set(result.coverage.action_items) == set(rules.action_items)
    assert result.totals.coverage == 0.0


WARNING: dict[str, Any] = {
    "code": "single_strategy",
    "population_id": "p1",
    "activity_id": None,
    "factor_kind": None,
    "factor_id": None,
    "message": "Only one strategy.",
    "sources": ("VI-intro",),
    "standards": (),
}


@pytest.mark.parametrize("values", [WARNING, dict(reversed(WARNING.items()))])
def test_warnings_built_for_speed_are_the_models_pydantic_builds(values: dict[str, Any]) -> None:
    """``trusted`` (every field given) builds what ``model_construct`` builds: equal, the same
    fields set, the same JSON and the same field order, whatever order the values come in."""
    fast, slow = trusted(AssessWarning, **values), AssessWarning.model_construct(**values)
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set == set(AssessWarning.model_fields)
    assert fast.model_dump_json() == slow.model_dump_json()
    assert list(vars(fast)) == list(vars(slow)) == list(AssessWarning.model_fields)
    assert fast.__pydantic_extra__ is None and fast.__pydantic_private__ is None
    assert hash(fast) == hash(slow)


def test_a_field_left_out_falls_back_to_pydantic_defaults() -> None:
    values = {k: v for k, v in WARNING.items() if k != "standards"}
    built = trusted(AssessWarning, **values)
    assert built == AssessWarning.model_construct(**values)
    assert built.standards == ()
    assert "standards" not in built.model_fields_set


def test_models_built_for_speed_share_a_set_no_copy_can_change() -> None:
    first, second = trusted(AssessWarning, **WARNING), trusted(AssessWarning, **WARNING)
    assert first.model_fields_set is second.model_fields_set
    changed = first.model_copy(update={"message": "Another."})
    assert changed.message == "Another." and first.message == WARNING["message"]
    assert changed.model_fields_set is not first.model_fields_set
    assert first.model_fields_set == set(AssessWarning.model_fields)
    with pytest.raises(ValueError):  # frozen: no assignment reaches the shared set
        first.message = "x"  # type: ignore[misc]
    assert first.model_fields_set == set(AssessWarning.model_fields)


def test_an_item_served_only_by_activities_that_do_not_work_is_served_in_name_only(
    rules: RuleSet,
) -> None:
    """A police assembly lecture and random drug testing name V-3.6 and V-3.2b; an
    interactive curriculum names V-3.5. All three items are served, but only V-3.5 by an
    activity that counts in effective reach — and the tracker says which do not."""
    from prevplan.ui.tracker import tracker_rows

    pupils = {"id": "pupils", "age_min": 12, "age_max": 15, "size": 5000, "settings": ["school"]}
    lecture = {"format": "lecture", "sessions": 1, "practices": ["fear_appeal"], "reach": 4000}
    testing = {"format": "policy", "practices": ["drug_testing"], "reach": 900}
    course = {"format": "interactive", "sessions": 12, "boosters": 2, "deliverers_trained": True}
    data = {
        "name": "status quo and one good course",
        "populations": [pupils],
        "activities": [
            {"id": "talk", "population_id": "pupils", "strategies": ["information"],
             "action_items": ["V-3.6"], **lecture},
            {"id": "tests", "population_id": "pupils", "strategies": ["information"],
             "action_items": ["V-3.2b"], **testing},
            {"id": "course", "population_id": "pupils", "strategies": ["life_skills"],
             "action_items": ["V-3.5"], "reach": 1500, **course},
        ],
    }  # fmt: skip
    plan = plan_from_data(data, "x", rules)
    result = assess(plan, rules)
    annex_v = result.coverage.annex_v
    assert set(annex_v.activity_items_served) == {"V-3.2b", "V-3.5", "V-3.6"}
    assert annex_v.activity_items_served_effectively == ("V-3.5",)
    assert result.totals.activity_items_served_effectively == 1
    rows = {r.ref: r for r in tracker_rows(plan, result, rules)}
    assert rows["V-3.5"].effective == {"course"}
    assert rows["V-3.6"].activities == (("talk", "talk"),)
    assert rows["V-3.6"].effective == frozenset()


@pytest.mark.parametrize("with_pupils", [False, True])
def test_people_who_use_or_depend_without_activities_get_their_needs_not_a_crash(
    rules: RuleSet, with_pupils: bool
) -> None:
    """A plan whose activities answer no level's needs (none at all, or only a universal
    curriculum) still tells the uncovered people who use and who depend what they need."""
    pupils = {"id": "pupils", "age_min": 12, "age_max": 15, "size": 5000}
    course = {
        "id": "c",
        "population_id": "pupils",
        "strategies": ["life_skills"],
        "format": "interactive",
        "sessions": 12,
        "deliverers_trained": True,
        "reach": 3000,
    }
    populations = [
        {"id": "dep", "age_min": 20, "age_max": 50, "size": 800, "risk_group": "dependent"},
        {"id": "users", "age_min": 15, "age_max": 19, "size": 700,
         "risk_group": "experienced_use"},
    ]  # fmt: skip
    data = {
        "name": "uncovered",
        "populations": [pupils, *populations] if with_pupils else populations,
        "activities": [course] if with_pupils else [],
    }
    result = assess(plan_from_data(data, "x", rules), rules)
    found = {(w.code, w.population_id) for w in result.warnings}
    assert {
        ("uncovered_population", "dep"),
        ("route_to_treatment", "dep"),
        ("uncovered_population", "users"),
        ("needs_screening_referral", "users"),
    } <= found
