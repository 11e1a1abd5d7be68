"""The monitoring report of a plan (interfaces §8), as JSON and as the app shows it.

Per period: each activity's target against its reach, sessions delivered against planned,
spending against the period's budget and fidelity; each population's effective reach
(docs/effective-coverage.md) and the shares its survey found. Across periods: the trend of
every surveyed indicator with its 95 % interval where known, the warnings, and the decisions
log the planners keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter

# Plain frozen dataclasses rather than pydantic models: a national report has tens of
# thousands of rows and warnings, built from data the plan's models already validated, and
# constructing pydantic models was most of its time. pydantic still writes the JSON.


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityPeriod:
    """One activity in one period: its target against what it delivered."""

    activity_id: str
    population_id: str
    target: int | None
    reach: int | None
    sessions_planned: int | None
    sessions_delivered: int | None
    spent: float | None
    budget: float | None
    """The period's budget: given in the progress, or the activity's cost over the periods."""
    fidelity: float | None
    reported: bool
    """Whether the activity reported progress for the period."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PopulationPeriod:
    """One population in one period: reach against size, and what its survey found."""

    population_id: str
    size: int
    reach: int
    """People reached by any activity in the period (the largest reach, capped at the size)."""
    effective_reach: int
    effective_coverage: float
    target_coverage: float | None
    """The coverage the activities' targets add up to (the largest, capped)."""
    risk_factors: dict[str, float]
    protective_factors: dict[str, float]
    use: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    surveyed: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodTotals:
    """The whole plan in one period."""

    target: int
    reach: int
    sessions_planned: int
    sessions_delivered: int
    spent: float
    budget: float
    cumulative_spent: float
    total_budget: float
    """The whole plan's budget (the activities' costs)."""
    mean_fidelity: float | None
    """Fidelity of the activities that reported it, weighted by their reach."""
    reported_activities: int
    effective_reach: int
    people: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodReport:
    """Every activity and population in one period."""

    period: str
    activities: tuple[ActivityPeriod, ...]
    populations: tuple[PopulationPeriod, ...]
    totals: PeriodTotals


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendPoint:
    """One surveyed value, with its 95 % interval where the survey gives one."""

    period: str
    value: float
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Trend:
    """One surveyed indicator of one population across the periods it was surveyed in."""

    population_id: str
    indicator: str
    """``risk_factors.family``, ``protective_factors.parents``, ``use.past_30_day``…"""
    protective: bool
    """Whether a rise is good news (a protective factor, perceived risk, later first use)."""
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MonitorWarning:
    """A monitoring warning (interfaces §8): code, period, what it is about, clauses."""

    code: str
    period: str
    activity_id: str | None = None
    population_id: str | None = None
    indicator: str | None = None
    message: str
    """The warning's explanation (with its GTO question), then ``detail``."""
    detail: str
    """What the warning is about in this period: the figures that raised it."""
    finding: str
    """The figures alone, without the period and activity ``detail`` starts with."""
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionEntry:
    """An entry of the decisions log, as the plan records it."""

    period: str
    decision: str
    warning: str | None = None
    activity_id: str | None = None
    population_id: str | None = None
    by: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MonitorReport:
    """The monitoring report of a plan (interfaces §8, with more fields)."""

    plan_name: str
    periods: tuple[PeriodReport, ...]
    trends: tuple[Trend, ...]
    warnings: tuple[MonitorWarning, ...]
    decisions: tuple[DecisionEntry, ...]
    reported_periods: tuple[str, ...]
    """The periods for which any progress or survey result was given."""


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[MonitorReport]:
    return TypeAdapter(MonitorReport)


def report_data(report: MonitorReport) -> dict[str, Any]:
    """The report as JSON-ready data (interfaces §8)."""
    data: dict[str, Any] = _adapter().dump_python(report, mode="json")
    return data
