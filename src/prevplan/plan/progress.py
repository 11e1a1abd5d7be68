"""What happened after a plan was approved: its periods, progress and local survey results.

A plan is lived with for years. Annex V asks member states to analyse the implementation of
the Program every year and to inform the SSO of it (V-6.6, V-6.7), and to conduct
sociological surveys of the drug situation (V-3.4); Communities That Care re-surveys young
people every two years and Getting To Outcomes evaluates process (step 7), outcomes (step 8)
and asks what will be changed (step 9). A plan therefore may carry (interfaces §8):

- ``periods``: ordered labels (``2026``, ``2026-H1``) the plan's monitoring is reported in;
- on each activity, ``progress``: per period, people reached, sessions delivered against
  planned, money spent and fidelity (adherence to the programme as delivered, a share 0–1,
  or a checklist of its core components from which the share is computed);
- on each population, ``surveys``: per period, the shares of the six risk and four
  protective factors (VI-1.2, VI-1.3) and use indicators measured by a local survey, with
  their confidence intervals and the survey they come from;
- ``decisions``: the log of what the planners decided to change, period by period (the GTO
  continuous-improvement step).

These models are strict like every boundary of prevplan: a fidelity above 1 or a negative
spending is an error naming the row and field, never a silent clip.
"""

from __future__ import annotations

from typing import Annotated, Final, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from prevplan.i18n import N_, _
from prevplan.population import MAX_ID_LENGTH, MAX_PEOPLE, MAX_TEXT_LENGTH, Share
from prevplan.vocab import ProtectiveFactor, RiskFactor

MAX_COST: Final = 1e13
MAX_PERIODS: Final = 200
"""Most periods a plan is monitored in (two centuries of years, or fifty years of quarters)."""
MAX_RECORDS: Final = 1000
"""Most progress or survey records for one activity or population."""


def _period_text(value: object) -> object:
    """A year written as a number in YAML (``2026``) is the period ``"2026"``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


PeriodLabel = Annotated[
    str,
    BeforeValidator(_period_text),
    Field(strict=True, min_length=1, max_length=40, pattern=r"^\S"),
]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_PEOPLE)]
Money = Annotated[float, Field(ge=0, le=MAX_COST, allow_inf_nan=False)]
Text = Annotated[str, Field(strict=True, max_length=MAX_TEXT_LENGTH)]
Id = Annotated[str, Field(strict=True, min_length=1, max_length=MAX_ID_LENGTH, pattern=r"^\s*\S")]
ChecklistItem = Annotated[str, Field(strict=True, min_length=1, max_length=200)]

SESSIONS_WITHOUT_PLAN: Final = N_(
    "sessions_delivered is given without sessions_planned; say how many were planned"
)
INTERVAL_ORDER: Final = N_("the interval's lower bound {low} is above its upper bound {high}")


class Strict(BaseModel):
    """Frozen, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Progress(Strict):
    """What one activity delivered in one period."""

    period: PeriodLabel
    reach: Count | None = None
    """People reached in the period."""
    target: Count | None = None
    """People the period should reach; default: the activity's ``target_reach`` or ``reach``."""
    sessions_planned: Count | None = None
    sessions_delivered: Count | None = None
    spent: Money | None = None
    budget: Money | None = None
    """The period's budget; default: the activity's ``cost`` spread evenly over the periods."""
    fidelity: Share | None = None
    """Adherence to the programme as designed: a share 0–1."""
    fidelity_checklist: Annotated[dict[ChecklistItem, bool], Field(max_length=100)] = Field(
        default_factory=dict
    )
    """Core components of the programme and whether each was delivered as designed."""
    note: Text = ""

    @model_validator(mode="after")
    def _sessions_planned(self) -> Self:
        if self.sessions_delivered is not None and self.sessions_planned is None:
            raise PydanticCustomError("sessions_without_plan", _(SESSIONS_WITHOUT_PLAN))
        return self

    @property
    def adherence(self) -> float | None:
        """The fidelity given, or the share of checklist components delivered as designed."""
        if self.fidelity is not None:
            return self.fidelity
        if self.fidelity_checklist:
            done = sum(1 for delivered in self.fidelity_checklist.values() if delivered)
            return done / len(self.fidelity_checklist)
        return None


class UseIndicators(Strict):
    """Drug-use indicators a survey measures (shares 0–1, except the age of first use)."""

    lifetime: Share | None = None
    """Share who ever used an illicit drug."""
    past_year: Share | None = None
    past_30_day: Share | None = None
    perceived_risk: Share | None = None
    """Share who see great risk in using drugs regularly (a protective attitude)."""
    age_first_use: Annotated[float, Field(ge=5, le=120, allow_inf_nan=False)] | None = None
    """Mean age at first use among those who have used (years)."""


#: Names of the use indicators, as surveys, reports and the trend list call them.
USE_INDICATORS: Final = tuple(UseIndicators.model_fields)
#: Use indicators that are shares of the population (the age of first use is in years).
USE_SHARES: Final = ("lifetime", "past_year", "past_30_day", "perceived_risk")
#: Use indicators whose rise is good news (every other share rising is bad news).
USE_PROTECTIVE: Final = ("perceived_risk", "age_first_use")


class Interval(Strict):
    """A 95 % confidence interval of a share."""

    low: Share
    high: Share

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            raise PydanticCustomError(
                "interval_order", _(INTERVAL_ORDER), {"low": self.low, "high": self.high}
            )
        return self


class SurveyResult(Strict):
    """What a local survey found in one population in one period."""

    period: PeriodLabel
    risk_factors: dict[RiskFactor, Share] = Field(default_factory=dict)
    protective_factors: dict[ProtectiveFactor, Share] = Field(default_factory=dict)
    use: UseIndicators = UseIndicators()
    intervals: Annotated[
        dict[Annotated[str, Field(max_length=80)], Interval], Field(max_length=50)
    ] = Field(default_factory=dict)
    """95 % intervals by indicator: ``risk_factors.family``, ``use.past_30_day``."""
    respondents: Count | None = None
    source: Text | None = None
    """The survey the shares come from (its name or file)."""


class Decision(Strict):
    """One entry of the decisions log: what was decided after looking at a period."""

    period: PeriodLabel
    decision: Annotated[str, Field(strict=True, min_length=1, max_length=MAX_TEXT_LENGTH)]
    warning: Annotated[str, Field(strict=True, max_length=80)] | None = None
    """The warning code the decision answers, if any (``off_track``)."""
    activity_id: Id | None = None
    population_id: Id | None = None
    by: Text | None = None
    date: Annotated[str, Field(strict=True, pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None


def indicator_keys(survey: SurveyResult) -> dict[str, float]:
    """Every indicator of a survey result, by its dotted name (``risk_factors.family``)."""
    out: dict[str, float] = {}
    for risk, share in survey.risk_factors.items():
        out[f"risk_factors.{risk.value}"] = share
    for protective, share in survey.protective_factors.items():
        out[f"protective_factors.{protective.value}"] = share
    for name in USE_INDICATORS:
        value = getattr(survey.use, name)
        if value is not None:
            out[f"use.{name}"] = float(value)
    return out


def is_protective(indicator: str) -> bool:
    """Whether a rise of the indicator is good news (a protective factor or attitude)."""
    group, _sep, name = indicator.partition(".")
    return group == "protective_factors" or (group == "use" and name in USE_PROTECTIVE)


def record_field(section: str, loc: tuple[int | str, ...]) -> str:
    """The field of a pydantic error inside a list of records, with the record's number.

    ``("progress", 1, "fidelity")`` → ``progress[2].fidelity`` so that a planner can find the
    row; other locations are dotted as usual.
    """
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and parts and parts[-1] == section:
            parts[-1] = f"{section}[{part + 1}]"
        elif isinstance(part, str):
            parts.append(part)
    return ".".join(parts)
