"""How the mix is ranked: ``prioritisation.yaml`` (priority factors, selection of the mix,
order of interventions, scoring points)."""

from __future__ import annotations

from pydantic import Field

from prevplan.rules.models.base import Strict


class PriorityFactorRule(Strict):
    """How many factors to prioritise, and which shares make a factor a priority."""

    min: int = Field(ge=1, le=6)
    max: int = Field(ge=1, le=10)
    min_risk_share: float = Field(ge=0, le=1)
    max_protective_share: float = Field(ge=0, le=1)
    benchmark_margin: float = Field(default=0.05, ge=0, le=1)
    """How far past its benchmark (as a share) a factor must be to be a priority."""
    sources: tuple[str, ...] = Field(min_length=1)


class SelectionRule(Strict):
    """How many strategies of each kind a recommended mix holds."""

    max_fundamental: int = Field(ge=1, le=5)
    max_supporting: int = Field(ge=0, le=4)
    min_strategies: int = Field(ge=2, le=9)
    sources: tuple[str, ...] = Field(min_length=1)


class AgeStageRule(Strict):
    """When a population's age range belongs to an age stage of Section 4 (VI-4)."""

    min_years: int = Field(ge=1, le=10)
    """Years of its range the population must spend in the stage (half its range, if the
    range is shorter than twice this)."""
    sources: tuple[str, ...] = Field(min_length=1)


class InterventionOrderRule(Strict):
    """In what order the interventions that fit are proposed."""

    special_groups_first: bool
    """Interventions named for a special group of the population lead the list."""
    max_proposed: int | None = Field(default=None, ge=1)
    """At most this many interventions are proposed (the best); ``None``: every one."""
    sources: tuple[str, ...] = Field(min_length=1)


class ScoringRule(Strict):
    """Points per relation weight for each kind of fit, and per priority rank."""

    level: int = Field(ge=0)
    age_stage: int = Field(ge=0)
    setting: int = Field(ge=0)
    priority_rank: tuple[int, ...] = Field(min_length=1)
    delivery: int = Field(default=0, ge=0)
    """Points per weight of the strongest intervention→strategy relation among the
    interventions that fit and deliver the strategy."""
    evidence: dict[str, int] = Field(default_factory=dict)
    """Points for the evidence strength of the item's own Standards items (``Strength``
    values and ``none``); a strength not named scores 0."""
    sources: tuple[str, ...] = Field(min_length=1)
    """What the weights rest on: they are prevplan's choices, grounded in these clauses."""


class PrioritisationFile(Strict):
    """``prioritisation.yaml``: prevplan's ranking choices and what they rest on."""

    reference: str
    priority_factors: PriorityFactorRule
    selection: SelectionRule
    age_stages: AgeStageRule
    interventions: InterventionOrderRule
    scoring: ScoringRule
