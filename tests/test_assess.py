"""Coverage and warnings of ``assess`` (its YAML cases run in ``test_cases.py``)."""

from __future__ import annotations

from prevplan.plan.assess import assess
from prevplan.plan.io import plan_from_data
from prevplan.rules import RuleSet


def test_every_strategy_and_action_item_is_present_in_coverage(rules: RuleSet) -> None:
    """All nine strategies and all 40 Annex V items appear, served or not."""
    plan = plan_from_data({"name": "empty", "populations": [], "activities": []}, "x", rules)
    result = assess(plan, rules)
    assert len(result.coverage.strategies) == 9
    assert set(result.coverage.action_items) == set(rules.action_items)
    assert result.totals.coverage == 0.0
