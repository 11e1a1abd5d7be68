"""The target population a planner describes (interfaces §2).

A target population is the group a prevention plan is made for: its age range and size (the
denominator for coverage), the risk group the planner places it in, where it can be reached,
and what is known about it — the share of people with each risk-factor group of Annex VI
(VI-1.2.1 family … VI-1.2.6 individual predisposition), the share with each level of
protective factors (VI-1.3.1 individual resources … VI-1.3.4 physical environment), and the
special groups that VI-1.2 and VI-4.1 single out. A population of parents or carers names the
ages of their children in ``parents_of``: the age stages of the plan then follow the children,
while the work reaches the parents (work with parents, VI-3.1.1).

The model is strict because it is a boundary: numbers must be numbers (``True`` is not a
size and ``"12"`` is not an age; only the CSV reader, whose cells are all text, validates in
pydantic's lax mode to read numbers from them), words must come from the closed
vocabularies in :mod:`prevplan.vocab`, and unknown fields are errors. A factor missing from
``risk_factors`` or ``protective_factors`` means *unknown*, not zero: prevplan must never
treat an unmeasured risk as absent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any, Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError

from prevplan.i18n import N_, _
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

#: The model's own checks across values, translated when a population fails them.
AGE_ORDER: Final = N_("age_min {age_min} is greater than age_max {age_max}")
REPEATED_ITEMS: Final = N_("{field} lists {repeated} more than once")
CHILD_AGE_ORDER: Final = N_(
    "parents_of.age_min {age_min} is greater than parents_of.age_max {age_max}"
)
CHILDREN_OLDER: Final = N_(
    "parents_of.age_min {child_age} is not below the oldest parent's age {age_max}: "
    "parents_of gives the ages of the children"
)

AGE_MIN: Final = 0
AGE_MAX: Final = 120
MAX_PEOPLE: Final = 10**10
"""Largest size or reach read (more than the world's population): a bigger number is a typo,
and refusing it keeps every sum and every formatted figure finite and exact."""
MAX_ID_LENGTH: Final = 200
MAX_TEXT_LENGTH: Final = 5000
"""Longest name, region or other free text read: a report line, not a document."""

# ``strict`` keeps bools and numeric strings out of number fields; a strict float still
# accepts an int, so a share written as ``0`` or ``1`` is fine.
Age = Annotated[int, Field(strict=True, ge=AGE_MIN, le=AGE_MAX)]
Size = Annotated[int, Field(strict=True, ge=1, le=MAX_PEOPLE)]
Share = Annotated[float, Field(strict=True, ge=0.0, le=1.0, allow_inf_nan=False)]
# An id that is only blanks would print as nothing in every report; the pattern is anchored
# so it means the same under either regex engine pydantic may use.
PopulationId = Annotated[
    str, Field(strict=True, min_length=1, max_length=MAX_ID_LENGTH, pattern=r"^\s*\S")
]
Text = Annotated[str, Field(strict=True, max_length=MAX_TEXT_LENGTH)]


class ParentsOf(BaseModel):
    """The ages of the children whose parents or carers the population is (interfaces §2)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    age_min: Age
    age_max: Age

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.age_min > self.age_max:
            raise PydanticCustomError(
                "age_order",
                _(CHILD_AGE_ORDER),
                {"age_min": self.age_min, "age_max": self.age_max},
            )
        return self


class FactorBenchmarks(BaseModel):
    """National or regional figures the population's shares are compared with.

    Communities That Care judges a factor's prevalence against a benchmark (national
    figures, other communities) rather than a fixed cut-off: a factor past its benchmark by
    the margin of ``prioritisation.yaml`` becomes a priority (:mod:`prevplan.engine.priorities`).
    A factor without a benchmark keeps the fixed cut-offs.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scope: Literal["national", "regional"] = "national"
    source: Text | None = None
    risk_factors: dict[RiskFactor, Share] = Field(default_factory=dict)
    protective_factors: dict[ProtectiveFactor, Share] = Field(default_factory=dict)


class TargetPopulation(BaseModel):
    """One target population, as in interfaces §2."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: PopulationId
    name: Text | None = None
    age_min: Age
    age_max: Age
    size: Size
    risk_group: RiskGroup = RiskGroup.GENERAL
    settings: tuple[Setting, ...] = ()
    risk_factors: dict[RiskFactor, Share] = Field(default_factory=dict)
    protective_factors: dict[ProtectiveFactor, Share] = Field(default_factory=dict)
    special_groups: tuple[SpecialGroup, ...] = ()
    parents_of: ParentsOf | None = None
    # Not part of interfaces §2: an optional label dashboards group populations by.
    region: Text | None = None
    # Not part of interfaces §2 (extended in docs/interfaces.md): figures to compare with.
    benchmarks: FactorBenchmarks | None = None

    # One validator for every check across values: it is called for each of 100k rows, so
    # one call instead of three is measurably faster. It runs only once every field is
    # valid; ``population_io`` repeats these checks on rows with other problems.
    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.age_min > self.age_max:
            raise PydanticCustomError(
                "age_order",
                _(AGE_ORDER),
                {"age_min": self.age_min, "age_max": self.age_max},
            )
        if self.parents_of is not None and self.parents_of.age_min >= self.age_max:
            raise PydanticCustomError(
                "children_older",
                _(CHILDREN_OLDER),
                {"child_age": self.parents_of.age_min, "age_max": self.age_max},
            )
        for field, values in (
            ("settings", self.settings),
            ("special_groups", self.special_groups),
        ):
            if len(values) > 1 and len(set(values)) < len(values):
                raise PydanticCustomError(
                    "duplicate_item",
                    _(REPEATED_ITEMS),
                    {"field": field, "repeated": ", ".join(repeated_items(values))},
                )
        return self


def repeated_items(values: Iterable[str]) -> list[str]:
    """The words a list names more than once, in the order they first appear."""
    items = list(values)
    counts = Counter(items)
    return [item for item in dict.fromkeys(items) if counts[item] > 1]


POPULATION_FIELDS: Final[tuple[str, ...]] = tuple(TargetPopulation.model_fields)
REQUIRED_FIELDS: Final[tuple[str, ...]] = tuple(
    name for name, info in TargetPopulation.model_fields.items() if info.is_required()
)

# Validating a whole list in one call keeps the loop in pydantic-core (measured about 1.4×
# faster than ``model_validate`` per row on 100k rows).
POPULATION_LIST: Final = TypeAdapter(list[TargetPopulation])


def population_to_record(population: TargetPopulation) -> dict[str, Any]:
    """The population as plain JSON-ready data, the same shape a YAML/JSON file holds.

    Empty and unset optional fields are left out, so a round trip through a file gives
    back an equal population.
    """
    return population.model_dump(mode="json", exclude_defaults=True)


def populations_to_records(populations: Iterable[TargetPopulation]) -> list[dict[str, Any]]:
    """Every population as :func:`population_to_record` data, in order."""
    return [population_to_record(p) for p in populations]


def population_to_csv_row(population: TargetPopulation) -> dict[str, str]:
    """The population as one CSV row: lists ``;``-joined, maps flattened (interfaces §2).

    Keys are the column names of :func:`csv_columns`; unknown factors are empty cells.
    """
    row: dict[str, str] = {
        "id": population.id,
        "name": population.name or "",
        "age_min": str(population.age_min),
        "age_max": str(population.age_max),
        "size": str(population.size),
        "risk_group": population.risk_group.value,
        "settings": ";".join(s.value for s in population.settings),
        "special_groups": ";".join(g.value for g in population.special_groups),
        "region": population.region or "",
    }
    for risk in RiskFactor:
        share = population.risk_factors.get(risk)
        row[f"risk_factors.{risk.value}"] = "" if share is None else repr(share)
    for protective in ProtectiveFactor:
        share = population.protective_factors.get(protective)
        row[f"protective_factors.{protective.value}"] = "" if share is None else repr(share)
    return row


def csv_columns() -> list[str]:
    """Every column a population CSV may have, in a readable order."""
    return [
        "id",
        "name",
        "age_min",
        "age_max",
        "size",
        "risk_group",
        "settings",
        "special_groups",
        "region",
        *(f"risk_factors.{r.value}" for r in RiskFactor),
        *(f"protective_factors.{p.value}" for p in ProtectiveFactor),
    ]
