"""Naming programmes for a population: the YAML cases of tests/cases/programmes/ and the
properties every match must have."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from prevplan.catalogue import Catalogue, Target, load_catalogue, matching
from prevplan.catalogue.match import fits, rank_key

CASES = yaml.safe_load(
    (Path(__file__).parents[1] / "cases" / "programmes" / "matching.yaml").read_text()
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _target(spec: dict[str, Any]) -> Target:
    parents = spec.get("parents_of")
    return Target(
        age_min=spec["age_min"],
        age_max=spec["age_max"],
        level=spec["level"],
        settings=tuple(spec.get("settings", ())),
        parents_of=tuple(parents) if parents else None,
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], catalogue: Catalogue) -> None:
    target = _target(case["population"])
    found = matching(catalogue.programmes.values(), target, case.get("intervention"))
    ids = [p.id for p in found]
    expect = case["expect"]
    if expect.get("none"):
        assert ids == []
    for wanted in expect.get("include", []):
        assert wanted in ids, f"{wanted} not named; got {ids}"
    for unwanted in expect.get("exclude", []):
        assert unwanted not in ids, f"{unwanted} named; got {ids}"
    if "first" in expect:
        assert ids and ids[0] == expect["first"], ids
    low, high = target.ages
    for p in found:  # no programme outside the population's ages or level is named
        assert p.age_min <= high and p.age_max >= low, p.id
        shared = min(p.age_max, high) - max(p.age_min, low) + 1
        assert 2 * shared >= min(p.age_max - p.age_min, high - low) + 1, p.id
        assert target.level in p.levels, p.id
        assert not p.to_avoid, p.id
        if target.settings:
            assert set(p.settings) & set(target.settings), p.id


@pytest.mark.parametrize("age", [0, 4, 8, 11, 13, 16, 19, 22, 30, 60])
@pytest.mark.parametrize("level", ["universal", "selective", "symptomatic", "tertiary"])
def test_no_programme_outside_ages_or_level(catalogue: Catalogue, age: int, level: str) -> None:
    target = Target(age_min=age, age_max=age + 2, level=level)
    for p in matching(catalogue.programmes.values(), target):
        assert p.age_min <= age + 2 and p.age_max >= age
        assert level in p.levels
        assert p.verdict.value in ("recommended", "promising")


def test_ineffective_programmes_are_never_named(catalogue: Catalogue) -> None:
    for p in catalogue.programmes.values():
        if p.to_avoid:
            target = Target(p.age_min, p.age_max, p.levels[0], p.settings)
            assert not fits(p, target)


def test_a_sliver_of_shared_ages_is_not_enough(catalogue: Catalogue) -> None:
    students = Target(18, 24, "universal", ("sport", "community"))
    ids = [p.id for p in matching(catalogue.programmes.values(), students, "sport")]
    assert "line_up_live_up" not in ids  # tested on 13-18: one year in common
    pupils = Target(11, 17, "universal", ("family",))
    family = [p.id for p in matching(catalogue.programmes.values(), pupils)]
    assert "sfp_10_14" in family and "triple_p_system" not in family


def test_best_evidence_first(catalogue: Catalogue) -> None:
    lst = catalogue.programmes["lifeskills_training"]
    kir = catalogue.programmes["keepin_it_real"]
    assert rank_key(lst) < rank_key(kir)  # Model Plus before no rating


def test_order_is_stable(catalogue: Catalogue) -> None:
    target = Target(10, 14, "universal", ("family", "school"))
    first = [p.id for p in matching(catalogue.programmes.values(), target)]
    again = [p.id for p in matching(reversed(list(catalogue.programmes.values())), target)]
    assert first == again
