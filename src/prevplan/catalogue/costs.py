"""Making programme costs comparable: from a source's currency and price year to the plan's.

Registries publish costs in their own currency and base year (WSIPP in US dollars of one
year, Xchange pages in euros of another). A planner compares them only in one currency and
one year. The converter reads a user-editable table (``concept_rules/costs/rates.yaml``:
exchange rates to the US dollar by year and consumer price indices by currency and year,
each with its source and the date read) and converts in two steps:

1. inflate within the source currency from the source year to the plan year (price index
   ratio), then
2. convert to the plan's currency at the plan year's exchange rate.

No network is used at run time; a year or currency missing from the table is a clear
problem naming the table, never a silent guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prevplan.catalogue.loader import _problems, _show
from prevplan.catalogue.models import Source
from prevplan.i18n import _
from prevplan.io.yaml_strict import load_yaml
from prevplan.problems import Location, Problem, ProblemsError
from prevplan.rules import default_rules_dir

Rate = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class RatesFile(BaseModel):
    """The table of exchange rates and price indices, with its sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    sources: tuple[Source, ...] = Field(min_length=1)
    exchange_rates: dict[str, dict[int, Rate]]
    """Currency -> year -> units of that currency per one unit of ``base_currency``
    (annual average)."""
    price_index: dict[str, dict[int, Rate]]
    """Currency -> year -> consumer price index (any base; only ratios are used)."""


@dataclass(frozen=True)
class Converted:
    """An amount converted, with what it came from."""

    amount: float
    currency: str
    year: int
    from_amount: float
    from_currency: str
    from_year: int


class CostConverter:
    """Converts amounts between currencies and price years with one rates table."""

    def __init__(self, table: RatesFile, path: str = "") -> None:
        self.table = table
        self.path = path

    @property
    def currencies(self) -> list[str]:
        """The currencies the table can convert between."""
        return sorted(set(self.table.exchange_rates) | {self.table.base_currency})

    def _rate(self, currency: str, year: int) -> float:
        if currency == self.table.base_currency:
            return 1.0
        by_year = self.table.exchange_rates.get(currency)
        if by_year is None:
            raise ProblemsError([self._missing("exchange_rates", currency, year)])
        if year not in by_year:
            raise ProblemsError([self._missing(f"exchange_rates.{currency}", currency, year)])
        return by_year[year]

    def _index(self, currency: str, year: int) -> float:
        by_year = self.table.price_index.get(currency)
        if by_year is None or year not in by_year:
            raise ProblemsError([self._missing(f"price_index.{currency}", currency, year)])
        return by_year[year]

    def _missing(self, field: str, currency: str, year: int) -> Problem:
        return Problem(
            self.path,
            Location("top"),
            field,
            _("no figure for {currency} in {year}; add it to the table").format(
                currency=currency, year=year
            ),
        )

    def convert(self, amount: float, currency: str, year: int, to: str, to_year: int) -> Converted:
        """``amount`` of ``currency`` in ``year`` prices, in ``to`` at ``to_year`` prices."""
        inflated = amount
        if year != to_year:
            inflated = amount * self._index(currency, to_year) / self._index(currency, year)
        if currency != to:
            inflated = inflated / self._rate(currency, to_year) * self._rate(to, to_year)
        return Converted(inflated, to, to_year, amount, currency, year)


def rates_path(rules_dir: Path | None = None) -> Path:
    """The shipped rates table (``concept_rules/costs/rates.yaml``)."""
    return (rules_dir or default_rules_dir()) / "costs" / "rates.yaml"


def load_converter(path: Path | None = None) -> CostConverter:
    """The converter of the shipped (or given) rates table; every problem raised at once."""
    chosen = path or rates_path()
    stat = chosen.stat() if chosen.exists() else None
    return _cached(chosen, stat.st_mtime if stat else -1.0)


@lru_cache(maxsize=4)
def _cached(path: Path, _mtime: float) -> CostConverter:
    shown = _show(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemsError([Problem(shown, "", "", _("file not found"))]) from None
    data, duplicates = load_yaml(text, shown)
    ProblemsError.raise_if_any(duplicates)
    try:
        table = RatesFile.model_validate(data)
    except ValidationError as err:
        raise ProblemsError(_problems(shown, Location("top"), err, data)) from None
    return CostConverter(table, shown)


def plan_money(plan: object) -> tuple[str, int] | None:
    """The plan's currency and price year, when it gives them."""
    currency = getattr(plan, "currency", None)
    year = getattr(plan, "price_year", None)
    if not currency or not year:
        return None
    return str(currency), int(year)


def rates_mapping(converter: CostConverter) -> Mapping[str, Mapping[int, float]]:
    """The exchange rates by currency and year."""
    return converter.table.exchange_rates
