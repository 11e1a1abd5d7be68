"""Recommendations and assessments, written as YAML cases a planner can read.

Each case in ``tests/cases/recommend/*.yaml`` and ``tests/cases/assess/*.yaml`` has a
sentence-like ``name``, the ``clauses`` of the Concept (or the UNODC/WHO Standards items,
written ``Standards m``) it demonstrates, its input (a ``population``, interfaces §2, or a
``plan``) and what the output must show (``expect``).
The cases are read into the strict models of :mod:`tests.case_model`: an unknown or misspelt
key fails the case, so a typo cannot pass silently. Every recommend expectation is checked
by one function of :data:`CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from prevplan.engine import recommend
from prevplan.engine.models import (
    InterventionRecommendation,
    PriorityFactor,
    Recommendation,
    StrategyRecommendation,
)
from prevplan.io.populations import parse_population_records
from prevplan.plan.assess import assess
from prevplan.plan.io import plan_from_data
from prevplan.rules import RuleSet
from tests.case_model import AssessCase, RecommendCase, RecommendExpect, load_cases


def _ids(items: Any) -> list[str]:
    return [item.id for item in items]


def _codes(rec: Recommendation) -> list[str]:
    return [w.code for w in rec.warnings]


def _factors(rec: Recommendation) -> list[PriorityFactor]:
    return [*rec.priority_risk_factors, *rec.weak_protective_factors]


def _items(rec: Recommendation) -> list[StrategyRecommendation | InterventionRecommendation]:
    return [*rec.strategies, *rec.interventions]


def _item(rec: Recommendation, item_id: str) -> Any:
    for item in _items(rec):
        if item.id == item_id:
            return item
    raise AssertionError(f"{item_id} is not in the recommendation")


def _subset(wanted: list[str], actual: list[str], what: str) -> bool:
    missing = [x for x in wanted if x not in actual]
    assert not missing, f"{what}: missing {missing} in {actual}"
    return True


def _disjoint(unwanted: list[str], actual: list[str], what: str) -> bool:
    present = [x for x in unwanted if x in actual]
    assert not present, f"{what}: unexpected {present} in {actual}"
    return True


def _ordered(wanted: list[str], actual: list[str], what: str) -> bool:
    _subset(wanted, actual, what)
    positions = [actual.index(x) for x in wanted]
    assert positions == sorted(positions), f"{what}: expected {wanted} in this order in {actual}"
    return True


Check = Callable[[Recommendation, Any], object]
"""A check of one expectation: it fails with an assertion saying what differs."""

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
    "strategy_count": lambda r, v: _within(len(r.strategies), v.min, v.max, "strategies"),
    "interventions_include": lambda r, v: _subset(v, _ids(r.interventions), "interventions"),
    "interventions_exclude": lambda r, v: _disjoint(v, _ids(r.interventions), "interventions"),
    "interventions_in_order": lambda r, v: _ordered(v, _ids(r.interventions), "interventions"),
    "first_intervention": lambda r, v: _equal(r.interventions[0].id, v, "first intervention"),
    "no_interventions": lambda r, v: _equal(_ids(r.interventions) == [], v, "no interventions"),
    "intervention_settings_within": lambda r, v: [
        _subset(list(i.settings), v, f"settings of {i.id}") for i in r.interventions
    ],
    "needs_other_setting": lambda r, v: _equal(
        sorted(i.id for i in _items(r) if i.needs_setting),
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
        sorted(r.untargeted_factors), sorted(v), "untargeted priority factors"
    ),
    "action_items_include": lambda r, v: _subset(v, list(r.action_items), "action_items"),
    "action_items_exclude": lambda r, v: _disjoint(v, list(r.action_items), "action_items"),
    "priorities_basis_includes": lambda r, v: _contains(r.priorities_basis, v, "basis"),
    "priority_rules": lambda r, v: _equal(
        {f.id: f.rule for f in _factors(r) if f.id in v}, v, "rules of the priorities"
    ),
    "priority_reasons": lambda r, v: _equal(
        {f.id: f.reason for f in _factors(r) if f.id in v}, v, "reasons of the priorities"
    ),
    "avoid_includes": lambda r, v: [
        _subset([text], [a.text for a in r.avoid], "practices to avoid") for text in v
    ],
    "settings_exclude": lambda r, v: _disjoint(v, list(r.settings), "settings"),
    "notes_include": lambda r, v: _subset(v, [n.id for n in r.notes], "notes"),
    "notes_exclude": lambda r, v: _disjoint(v, [n.id for n in r.notes], "notes"),
    "evidence": lambda r, v: [
        _equal(_item(r, item_id).evidence.strength, strength, f"evidence of {item_id}")
        for item_id, strength in v.items()
    ],
    "extrapolated": lambda r, v: [
        _equal(_item(r, item_id).evidence.extrapolated, True, f"{item_id} extrapolated")
        for item_id in v
    ],
    "not_extrapolated": lambda r, v: [
        _equal(_item(r, item_id).evidence.extrapolated, False, f"{item_id} extrapolated")
        for item_id in v
    ],
    "programmes_include": lambda r, v: _subset(v, _ids(r.programmes), "programmes"),
    "programmes_exclude": lambda r, v: _disjoint(v, _ids(r.programmes), "programmes"),
}


def _equal(actual: Any, expected: Any, what: str) -> bool:
    assert actual == expected, f"{what}: expected {expected!r}, got {actual!r}"
    return True


def _within(actual: int, low: int, high: int, what: str) -> bool:
    assert low <= actual <= high, f"number of {what}: {actual} not within {low}..{high}"
    return True


def _contains(text: str, part: str, what: str) -> bool:
    assert part in text, f"{what}: {part!r} not in {text!r}"
    return True


def test_every_expectation_has_a_check() -> None:
    """Each key a recommend case may use is checked, and each check is a key."""
    assert set(RecommendExpect.model_fields) == set(CHECKS)


def _cited(rules: RuleSet, ref: str) -> bool:
    """A clause of the sources, or a UNODC/WHO Standards item written ``Standards m``."""
    item = ref.removeprefix("Standards ")
    return item in rules.standards if item != ref else rules.ref_exists(ref)


@pytest.mark.parametrize("case", load_cases("recommend"))
def test_recommendation_case(case: RecommendCase | ValidationError, rules: RuleSet) -> None:
    """The recommendation for the case's population shows everything the case expects."""
    if isinstance(case, ValidationError):
        pytest.fail(f"the case does not fit the case model: {case}")
    for ref in case.clauses:
        assert _cited(rules, ref), f"the case cites {ref}, which is not in the sources"
    population = parse_population_records([{"id": "p", **case.population}], "case.yaml")[0]
    rec = recommend(population, rules)
    for key in case.expect.model_dump(exclude_none=True):
        CHECKS[key](rec, getattr(case.expect, key))
    # Whatever the case, the Concept's mix rules hold (VI-3.1, VI-3.2, VI-intro).
    assert rec.strategies[0].kind.value == "fundamental"
    assert len(rec.strategies) >= 2


@pytest.mark.parametrize("case", load_cases("assess"))
def test_assess_case(case: AssessCase | ValidationError, rules: RuleSet) -> None:
    """The assessment of the case's plan shows everything the case expects."""
    if isinstance(case, ValidationError):
        pytest.fail(f"the case does not fit the case model: {case}")
    for ref in case.clauses:
        assert _cited(rules, ref), f"the case cites {ref}, which is not in the sources"
    plan = plan_from_data({"name": case.name, **case.plan}, "case.yaml", rules)
    result = assess(plan, rules)
    expect = case.expect
    emitted = [w.model_dump() for w in result.warnings]
    for wanted in expect.warnings:
        fields = wanted.model_dump(exclude_none=True)
        words = fields.pop("message_contains", "")
        assert any(
            all(w.get(k) == v for k, v in fields.items()) and words in w["message"] for w in emitted
        ), f"missing warning {fields} ({words!r}) in {emitted}"
    codes = {w["code"] for w in emitted}
    unexpected = [code for code in expect.no_warnings if code in codes]
    assert not unexpected, f"unexpected warnings {unexpected}"
    _check_coverage(result, expect)
    for warning in result.warnings:
        assert all(rules.ref_exists(ref) for ref in warning.sources)


def _check_coverage(result: Any, expect: Any) -> None:
    """The population rows, Annex V items and strategies the case expects."""
    rows = {p.population_id: p for p in result.coverage.populations}
    for pid, fields in expect.population.items():
        for key, value in fields.items():
            actual = getattr(rows[pid], key)
            actual = list(actual) if isinstance(actual, tuple) else actual  # YAML has lists
            assert actual == value, f"{pid}.{key}: {actual}"
    for key, value in expect.totals.items():
        assert getattr(result.totals, key) == value, f"totals.{key}: {getattr(result.totals, key)}"
    served = result.coverage.action_items
    for activity, refs in expect.action_items_served_by.items():
        for ref in refs:
            assert activity in served[ref], f"{activity} should serve {ref}"
    for activity, refs in expect.action_items_not_served_by.items():
        for ref in refs:
            assert activity not in served[ref], f"{activity} should not serve {ref}"
    for clause, n in expect.strategies_served.items():
        assert result.coverage.strategies[clause] == n, clause


def test_a_misspelt_expectation_fails_the_case() -> None:
    """A typo in an expect key is an error of the case model, for both kinds of case."""
    with pytest.raises(ValidationError):
        RecommendCase.model_validate(
            {"name": "x", "clauses": ["VI-2"], "population": {}, "expect": {"warning_include": []}}
        )
    with pytest.raises(ValidationError):
        AssessCase.model_validate(
            {"name": "x", "clauses": ["VI-2"], "plan": {}, "expect": {"no_warning": []}}
        )


def test_there_are_enough_cases() -> None:
    """The cases span the Concept: at least 40 recommend cases, with unique names."""
    names = [p.id for p in load_cases("recommend")]
    assert len(names) >= 40
    assert len(names) == len(set(names))
