"""Recommendations for target populations, written as YAML cases a planner can read.

Each case in ``tests/cases/recommend/*.yaml`` has a sentence-like ``name``, the ``clauses``
of the Concept (or the UNODC/WHO Standards items, written ``Standards m``) it demonstrates, a
``population`` (interfaces §2) and what the recommendation must show (``expect``). Every
expectation key is checked by one function below; an unknown key fails the case, so a typo
cannot pass silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from prevplan.engine import recommend
from prevplan.engine.models import Recommendation
from prevplan.io.populations import parse_population_records
from prevplan.rules import RuleSet

CASES_DIR = Path(__file__).parent / "cases" / "recommend"
CASE_KEYS = {"name", "clauses", "population", "expect"}


def _cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=case["name"]))
    return cases


def _ids(items: Any) -> list[str]:
    return [item.id for item in items]


def _codes(rec: Recommendation) -> list[str]:
    return [w.code for w in rec.warnings]


def _item(rec: Recommendation, item_id: str) -> Any:
    for item in (*rec.strategies, *rec.interventions):
        if item.id == item_id:
            return item
    raise AssertionError(f"{item_id} is not in the recommendation")


def _subset(wanted: list[str], actual: list[str], what: str) -> None:
    missing = [x for x in wanted if x not in actual]
    assert not missing, f"{what}: missing {missing} in {actual}"


def _disjoint(unwanted: list[str], actual: list[str], what: str) -> None:
    present = [x for x in unwanted if x in actual]
    assert not present, f"{what}: unexpected {present} in {actual}"


def _ordered(wanted: list[str], actual: list[str], what: str) -> None:
    _subset(wanted, actual, what)
    positions = [actual.index(x) for x in wanted]
    assert positions == sorted(positions), f"{what}: expected {wanted} in this order in {actual}"


def _needs_other_setting(item: Any) -> bool:
    return "needs a setting you did not list" in item.rationale


Check = Callable[[Recommendation, Any], None]

CHECKS: dict[str, Check] = {
    "prevention_level": lambda r, v: _equal(r.prevention_level.value, v, "prevention_level"),
    "level_sources_include": lambda r, v: _subset(v, list(r.level_sources), "level_sources"),
    "age_stages": lambda r, v: _equal(list(r.age_stages), v, "age_stages"),
    "settings": lambda r, v: _equal(list(r.settings), v, "settings"),
    "settings_proposed": lambda r, v: _equal(r.settings_proposed, v, "settings_proposed"),
    "information_mode": lambda r, v: _equal(r.information_mode.clause, v, "information_mode"),
    "strategies_include": lambda r, v: _subset(v, _ids(r.strategies), "strategies"),
    "strategies_exclude": lambda r, v: _disjoint(v, _ids(r.strategies), "strategies"),
    "strategies_in_order": lambda r, v: _ordered(v, _ids(r.strategies), "strategies"),
    "first_strategy": lambda r, v: _equal(r.strategies[0].id, v, "first strategy"),
    "first_strategy_kind": lambda r, v: _equal(r.strategies[0].kind.value, v, "first kind"),
    "strategy_count": lambda r, v: _within(len(r.strategies), v, "number of strategies"),
    "interventions_include": lambda r, v: _subset(v, _ids(r.interventions), "interventions"),
    "interventions_exclude": lambda r, v: _disjoint(v, _ids(r.interventions), "interventions"),
    "interventions_in_order": lambda r, v: _ordered(v, _ids(r.interventions), "interventions"),
    "first_intervention": lambda r, v: _equal(r.interventions[0].id, v, "first intervention"),
    "no_interventions": lambda r, v: _equal(_ids(r.interventions) == [], v, "no interventions"),
    "intervention_settings_within": lambda r, v: [
        _subset(list(i.settings), v, f"settings of {i.id}") for i in r.interventions
    ],
    "needs_other_setting": lambda r, v: _equal(
        sorted(i.id for i in (*r.strategies, *r.interventions) if _needs_other_setting(i)),
        sorted(v),
        "items needing a setting that was not listed",
    ),
    "sources_include": lambda r, v: [
        _subset(refs, list(_item(r, item_id).sources), f"sources of {item_id}")
        for item_id, refs in v.items()
    ],
    "basis": lambda r, v: [
        _equal(_item(r, item_id).basis.value, basis, f"basis of {item_id}")
        for item_id, basis in v.items()
    ],
    "rationale_includes": lambda r, v: [
        _contains(_item(r, item_id).rationale, text, f"rationale of {item_id}")
        for item_id, text in v.items()
    ],
    "priority_risk_factors": lambda r, v: _equal(
        _ids(r.priority_risk_factors), v, "priority_risk_factors"
    ),
    "weak_protective_factors": lambda r, v: _equal(
        _ids(r.weak_protective_factors), v, "weak_protective_factors"
    ),
    "warnings_include": lambda r, v: _subset(v, _codes(r), "warnings"),
    "warnings_exclude": lambda r, v: _disjoint(v, _codes(r), "warnings"),
    "untargeted": lambda r, v: _equal(
        sorted(
            w.message.rsplit("Not addressed: ", 1)[1].rstrip(".")
            for w in r.warnings
            if w.code == "untargeted_priority_risk"
        ),
        sorted(v),
        "untargeted priority factors",
    ),
    "action_items_include": lambda r, v: _subset(v, list(r.action_items), "action_items"),
    "action_items_exclude": lambda r, v: _disjoint(v, list(r.action_items), "action_items"),
    "priorities_basis_includes": lambda r, v: _contains(r.priorities_basis, v, "basis"),
    "avoid_includes": lambda r, v: [
        _subset([text], [a.text for a in r.avoid], "practices to avoid") for text in v
    ],
}


def _equal(actual: Any, expected: Any, what: str) -> None:
    assert actual == expected, f"{what}: expected {expected!r}, got {actual!r}"


def _within(actual: int, bounds: dict[str, int], what: str) -> None:
    low, high = bounds.get("min", 0), bounds.get("max", 10**9)
    assert low <= actual <= high, f"{what}: {actual} not within {low}..{high}"


def _contains(text: str, part: str, what: str) -> None:
    assert part in text, f"{what}: {part!r} not in {text!r}"


@pytest.mark.parametrize("case", _cases())
def test_recommendation_case(case: dict[str, Any], rules: RuleSet) -> None:
    """The recommendation for the case's population shows everything the case expects."""
    assert set(case) == CASE_KEYS, f"case keys must be {sorted(CASE_KEYS)}"
    for ref in case["clauses"]:
        # A clause of the sources, or a UNODC/WHO Standards item as "Standards m".
        item = ref.removeprefix("Standards ")
        cited = item in rules.standards if item != ref else rules.ref_exists(ref)
        assert cited, f"the case cites {ref}, which is not in the sources"
    unknown = set(case["expect"]) - set(CHECKS)
    assert not unknown, f"unknown expectations {sorted(unknown)}; known: {sorted(CHECKS)}"
    population = parse_population_records([{"id": "p", **case["population"]}], "case.yaml")[0]
    rec = recommend(population, rules)
    for key, expected in case["expect"].items():
        CHECKS[key](rec, expected)
    # Whatever the case, the Concept's mix rules hold (VI-3.1, VI-3.2, VI-intro).
    assert rec.strategies[0].kind.value == "fundamental"
    assert len(rec.strategies) >= 2


def test_there_are_enough_cases() -> None:
    """The cases span the Concept: at least 40 of them, with unique names."""
    names = [p.id for p in _cases()]
    assert len(names) >= 40
    assert len(names) == len(set(names))
