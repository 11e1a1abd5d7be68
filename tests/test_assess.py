"""Coverage and warnings of ``assess`` on small plans written as YAML cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from prevplan.plan.assess import assess
from prevplan.plan.io import plan_from_data
from prevplan.rules import RuleSet

CASES_DIR = Path(__file__).parent / "cases" / "assess"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            found.append(pytest.param(case, id=case["name"]))
    return found


@pytest.mark.parametrize("case", _cases())
def test_assess_case(case: dict[str, Any], rules: RuleSet) -> None:
    for ref in case["clauses"]:
        assert rules.ref_exists(ref), ref
    plan = plan_from_data({"name": case["name"], **case["plan"]}, "case.yaml", rules)
    result = assess(plan, rules)
    expect = case["expect"]
    emitted = [w.model_dump() for w in result.warnings]
    for wanted in expect.get("warnings", []):
        assert any(all(w.get(k) == v for k, v in wanted.items()) for w in emitted), (
            wanted,
            emitted,
        )
    codes = {w["code"] for w in emitted}
    for code in expect.get("no_warnings", []):
        assert code not in codes
    rows = {p.population_id: p for p in result.coverage.populations}
    for pid, fields in expect.get("population", {}).items():
        for key, value in fields.items():
            assert getattr(rows[pid], key) == value, (pid, key)
    for key, value in expect.get("totals", {}).items():
        assert getattr(result.totals, key) == value, key
    served = result.coverage.action_items
    for activity, refs in expect.get("action_items_served_by", {}).items():
        for ref in refs:
            assert activity in served[ref], (activity, ref)
    for activity, refs in expect.get("action_items_not_served_by", {}).items():
        for ref in refs:
            assert activity not in served[ref], (activity, ref)
    for clause, n in expect.get("strategies_served", {}).items():
        assert result.coverage.strategies[clause] == n
    for warning in result.warnings:
        assert all(rules.ref_exists(ref) for ref in warning.sources)


def test_every_strategy_and_action_item_is_present_in_coverage(rules: RuleSet) -> None:
    """All nine strategies and all 40 Annex V items appear, served or not."""
    plan = plan_from_data({"name": "empty", "populations": [], "activities": []}, "x", rules)
    result = assess(plan, rules)
    assert len(result.coverage.strategies) == 9
    assert set(result.coverage.action_items) == set(rules.action_items)
    assert result.totals.coverage == 0.0
