"""The definitions file: which survey items, at which cut-points, measure which factor.

A definitions file (YAML or JSON) describes one survey layout once; every wave of the survey
is then read with it. Format (``sample_data/school_survey_definitions.yaml`` is a documented
example)::

    title: Typical school survey            # shown as the source of the shares
    weight: weight                          # the column holding each respondent's weight
    min_cell: 30                            # groups with fewer respondents are suppressed
    indicators:
      risk_factors:                         # the six factors of VI-1.2.1 … VI-1.2.6
        family: {any: [{item: fam_conflict, at_least: 4}, {item: fam_attitude, at_least: 3}]}
        peers: {item: friends_use, at_least: 2}
      protective_factors:                   # the four levels of VI-1.3.1 … VI-1.3.4
        parents: {mean_of: [par_monitor1, par_monitor2], at_least: 3.5}
      use:                                  # use indicators (shares; the age is a mean)
        past_30_day: {item: drug_30d, at_least: 1}
        age_first_use: {item: age_first, mean: true}
    benchmarks:                             # national or regional figures (CTC practice)
      source: National school survey 2025
      scope: national                       # or regional (default national)
      risk_factors: {family: 0.21}

A respondent *has* a factor when the condition holds. Conditions: ``item`` with
``at_least`` / ``at_most`` / ``in`` (a list of codes); ``mean_of`` (several items, their
mean compared with ``at_least`` / ``at_most``); ``any`` / ``all`` of other conditions. A
blank answer makes the condition unknown for that respondent, who is then left out of that
indicator's denominator (never counted as not having the factor).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from prevplan.i18n import N_, _
from prevplan.io.errors import validated_document
from prevplan.io.files import read_input_bytes
from prevplan.io.populations import load_structured_bytes
from prevplan.population import Share
from prevplan.vocab import ProtectiveFactor, RiskFactor

DEFAULT_MIN_CELL: Final = 30
"""Groups with fewer respondents are not estimated (the usual floor of survey reporting)."""

Column = Annotated[str, Field(strict=True, min_length=1, max_length=200)]
Number = Annotated[float, Field(allow_inf_nan=False)]

ONE_TEST: Final = N_(
    "a condition gives one of: item (with at_least, at_most or in), mean_of, any, all"
)
NEEDS_CUT: Final = N_("give a cut-point: at_least, at_most or in")
MEAN_ONLY: Final = N_("only age_first_use is a mean (mean: true); other indicators are shares")


class Strict(BaseModel):
    """Frozen, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Condition(Strict):
    """When a respondent counts as having a factor."""

    item: Column | None = None
    mean_of: Annotated[tuple[Column, ...], Field(min_length=1, max_length=50)] | None = None
    at_least: Number | None = None
    at_most: Number | None = None
    in_: Annotated[tuple[Number, ...], Field(min_length=1)] | None = Field(default=None, alias="in")
    any: Annotated[tuple[Condition, ...], Field(min_length=1, max_length=50)] | None = None
    all: Annotated[tuple[Condition, ...], Field(min_length=1, max_length=50)] | None = None
    mean: bool = False
    """The indicator is the mean of ``item`` (the age of first use), not a share."""
    description: Annotated[str, Field(max_length=2000)] = ""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        tests = [x for x in (self.item, self.mean_of, self.any, self.all) if x is not None]
        if len(tests) != 1:
            raise PydanticCustomError("one_test", _(ONE_TEST))
        simple = self.item is not None or self.mean_of is not None
        no_cut = self.at_least is None and self.at_most is None and self.in_ is None
        if simple and not self.mean and no_cut:
            raise PydanticCustomError("needs_cut", _(NEEDS_CUT))
        return self

    def items(self) -> list[str]:
        """Every column the condition reads."""
        out = [self.item] if self.item is not None else []
        out += list(self.mean_of or ())
        for part in (*(self.any or ()), *(self.all or ())):
            out += part.items()
        return out


class Indicators(Strict):
    """The conditions of each factor and use indicator the survey measures."""

    risk_factors: dict[RiskFactor, Condition] = Field(default_factory=dict)
    protective_factors: dict[ProtectiveFactor, Condition] = Field(default_factory=dict)
    use: dict[
        Annotated[
            str,
            Field(pattern=r"^(lifetime|past_year|past_30_day|perceived_risk|age_first_use)$"),
        ],
        Condition,
    ] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _means(self) -> Self:
        for group, conditions in (
            ("risk_factors", self.risk_factors),
            ("protective_factors", self.protective_factors),
            ("use", self.use),
        ):
            for name, condition in conditions.items():
                if condition.mean and f"{group}.{name}" != "use.age_first_use":
                    raise PydanticCustomError("mean_only", _(MEAN_ONLY))
        return self

    def all(self) -> dict[str, Condition]:
        """Every indicator by its dotted name (``risk_factors.family``)."""
        out: dict[str, Condition] = {}
        for risk, condition in self.risk_factors.items():
            out[f"risk_factors.{risk.value}"] = condition
        for protective, condition in self.protective_factors.items():
            out[f"protective_factors.{protective.value}"] = condition
        for name, condition in self.use.items():
            out[f"use.{name}"] = condition
        return out


class Benchmarks(Strict):
    """National or regional figures to compare local shares with (the CTC practice)."""

    source: Annotated[str, Field(min_length=1, max_length=2000)]
    scope: Literal["national", "regional"] = "national"
    """Whose figures they are: the reasons of the priorities say "nationally" or
    "regionally"."""
    risk_factors: dict[RiskFactor, Share] = Field(default_factory=dict)
    protective_factors: dict[ProtectiveFactor, Share] = Field(default_factory=dict)
    use: dict[str, Share] = Field(default_factory=dict)

    def all(self) -> dict[str, float]:
        """Every benchmark by its dotted name."""
        out = {f"risk_factors.{k.value}": v for k, v in self.risk_factors.items()}
        out |= {f"protective_factors.{k.value}": v for k, v in self.protective_factors.items()}
        out |= {f"use.{k}": v for k, v in self.use.items()}
        return out


class SurveyDefinitions(Strict):
    """A definitions file (see the module's docstring)."""

    title: Annotated[str, Field(min_length=1, max_length=500)]
    description: Annotated[str, Field(max_length=20000)] = ""
    weight: Column
    min_cell: Annotated[int, Field(strict=True, ge=1, le=100_000)] = DEFAULT_MIN_CELL
    indicators: Indicators
    benchmarks: Benchmarks | None = None
    items: dict[Column, Annotated[str, Field(max_length=2000)]] = Field(default_factory=dict)
    """What each item asks (documentation only)."""


def read_definitions(path: Path) -> SurveyDefinitions:
    """Read and validate a definitions file; every problem names its field."""
    file = str(path)
    return parse_definitions(read_input_bytes(path, file), file)


def parse_definitions(data: bytes, file: str) -> SurveyDefinitions:
    """Validate definitions given as bytes (an upload) named ``file``."""
    return validated_document(SurveyDefinitions, load_structured_bytes(data, file), file)
