"""Cost conversion between currencies and price years, and the programme warnings of a
plan (harmful programme, below the tested dose, outside the tested ages)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from prevplan.catalogue import Catalogue, load_catalogue
from prevplan.catalogue.costs import load_converter
from prevplan.catalogue.judge import effective_dose, programme_codes, unknown_programme
from prevplan.problems import ProblemsError


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_same_currency_and_year_is_unchanged() -> None:
    c = load_converter()
    assert c.convert(677, "USD", 2023, "USD", 2023).amount == 677


def test_inflation_then_exchange() -> None:
    c = load_converter()
    table = c.table
    inflated = 100 * table.price_index["USD"][2024] / table.price_index["USD"][2015]
    converted = c.convert(100, "USD", 2015, "EUR", 2024)
    assert converted.amount == pytest.approx(inflated * table.exchange_rates["EUR"][2024])
    assert (converted.currency, converted.year) == ("EUR", 2024)
    back = c.convert(converted.amount, "EUR", 2024, "USD", 2024)
    assert back.amount == pytest.approx(inflated)


def test_missing_year_is_a_problem_naming_the_table() -> None:
    c = load_converter()
    with pytest.raises(ProblemsError) as caught:
        c.convert(10, "USD", 1990, "EUR", 2024)
    assert "rates.yaml" in str(caught.value.problems[0])
    assert "1990" in str(caught.value.problems[0])


def test_edited_table_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "rates.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "base_currency": "USD",
                "sources": [{"url": "https://example.org", "title": "x", "retrieved": "2026"}],
                "exchange_rates": {"EUR": {2024: -1}},
                "price_index": {},
            }
        )
    )
    with pytest.raises(ProblemsError) as caught:
        load_converter(path)
    fields = {p.field for p in caught.value.problems}
    assert "sources[1].retrieved" in fields
    assert "exchange_rates.EUR.2024" in fields


@dataclass
class Parents:
    age_min: int
    age_max: int


@dataclass
class Population:
    age_min: int
    age_max: int
    parents_of: Parents | None = None


@dataclass
class Activity:
    programme: str | None
    sessions: int | None = None
    boosters: int | None = None


def test_harmful_programme_is_warned(catalogue: Catalogue) -> None:
    for name in ("scared_straight", "dare_original", "project_success", "casastart"):
        codes = programme_codes(Activity(name), Population(12, 13), catalogue)
        assert "harmful_programme" in codes, name
    assert "harmful_programme" not in programme_codes(
        Activity("lifeskills_training"), Population(12, 14), catalogue
    )


def test_below_tested_dose(catalogue: Catalogue) -> None:
    short = Activity("sfp_10_14", sessions=3)
    assert programme_codes(short, Population(30, 50, Parents(10, 14)), catalogue) == [
        "below_tested_dose"
    ]
    full = Activity("sfp_10_14", sessions=7, boosters=4)
    assert programme_codes(full, Population(30, 50, Parents(10, 14)), catalogue) == []
    no_boosters = Activity("sfp_10_14", sessions=7, boosters=0)
    assert "below_tested_dose" in programme_codes(
        no_boosters, Population(30, 50, Parents(10, 14)), catalogue
    )


def test_outside_tested_ages(catalogue: Catalogue) -> None:
    assert programme_codes(Activity("lifeskills_training"), Population(15, 17), catalogue) == [
        "outside_tested_ages"
    ]
    # Parents are judged by their children's ages, not their own.
    assert programme_codes(Activity("sfp_10_14"), Population(30, 50, Parents(6, 9)), catalogue) == [
        "outside_tested_ages"
    ]
    # The recommendation's test of ages: LST (tested at 12-14), which prevplan names for
    # pupils of 11-14, is not flagged for them; for 15-17 (no year in common) it is.
    assert programme_codes(Activity("lifeskills_training"), Population(11, 14), catalogue) == []


def test_dose_from_catalogue_unless_overridden(catalogue: Catalogue) -> None:
    programme = catalogue.programmes["unplugged"]
    dose = effective_dose(Activity("unplugged"), programme)
    assert (dose.sessions, dose.sessions_from_catalogue) == (12, True)
    own = effective_dose(Activity("unplugged", sessions=10), programme)
    assert (own.sessions, own.sessions_from_catalogue) == (10, False)


def test_unknown_programme(catalogue: Catalogue) -> None:
    assert unknown_programme(Activity("no_such_thing"), catalogue)
    assert not unknown_programme(Activity(None), catalogue)
