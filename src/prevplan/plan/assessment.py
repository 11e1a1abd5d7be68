"""The result of assessing a plan: coverage tables, costs and warnings (interfaces §3).

``coverage.populations``, ``coverage.strategies`` (all nine strategies of VI-3 by clause),
``coverage.action_items`` (every Annex V item, with the activities serving it) and
``warnings`` are the public interface; the other tables extend it for the dashboards.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from prevplan.vocab import Level


class Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PopulationCoverage(Out):
    population_id: str
    name: str
    region: str | None
    size: int
    prevention_level: Level
    age_stages: tuple[str, ...]
    activities: int
    reach: int
    reach_upper: int
    coverage: float
    target_reach: int | None
    target_coverage: float | None
    cost: float
    cost_per_person: float | None
    strategies: tuple[str, ...]
    warnings: tuple[str, ...]


class CoverageCell(Out):
    """People and reach for one prevention level × age stage."""

    level: str
    age_stage: str
    people: int
    reach: int
    coverage: float


class FactorCoverage(Out):
    """People with a risk (or lacking a resource) and how many of them the plan reaches."""

    id: str
    clause: str
    people: int
    reach: int
    coverage: float
    populations: int


class SettingCoverage(Out):
    setting: str
    activities: int
    reach: int
    cost: float


class Coverage(Out):
    populations: tuple[PopulationCoverage, ...]
    strategies: dict[str, int]
    action_items: dict[str, tuple[str, ...]]
    strategy_reach: dict[str, int]
    levels: tuple[CoverageCell, ...]
    risk_factors: tuple[FactorCoverage, ...]
    protective_factors: tuple[FactorCoverage, ...]
    settings: tuple[SettingCoverage, ...]


class CostLine(Out):
    """Cost and cost per person reached for one strategy or prevention level."""

    group: str
    id: str
    clause: str
    cost: float
    reach: int
    cost_per_person: float | None


class Totals(Out):
    populations: int
    activities: int
    people: int
    reach: int
    coverage: float
    cost: float
    cost_per_person: float | None
    uncovered_populations: int
    action_items_served: int


class AssessWarning(Out):
    code: str
    population_id: str | None = None
    activity_id: str | None = None
    factor_kind: str | None = None
    factor_id: str | None = None
    message: str
    sources: tuple[str, ...]


class Assessment(Out):
    plan_name: str
    reach_rule: str
    totals: Totals
    coverage: Coverage
    costs: tuple[CostLine, ...]
    warnings: tuple[AssessWarning, ...]
