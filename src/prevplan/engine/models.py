"""What a recommendation says: the JSON form of ``prevplan recommend`` (interfaces §3).

A :class:`Recommendation` gives one target population its prevention level (VI-2, Table 1),
age stages (VI-4.1–4.4), a ranked mix of fundamental and supporting strategies (VI-3.1,
VI-3.2), the interventions of Section 4 that fit, the priority risk factors (VI-1.2) and weak
protective resources (VI-1.3), the Annex V items the work implements, the information mode
of VI-3.2.1 for its level, what to avoid, and warnings. Every item says which clauses led to
it and whether the link is stated in the text or inferred by prevplan.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from prevplan.vocab import Basis, Level, StrategyKind


class Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(Out):
    """One relation that contributed to an item: what it says, its basis and clauses."""

    text: str
    basis: Basis
    sources: tuple[str, ...]


class Evidence(Out):
    """The crosswalk to the UNODC/WHO Standards for one strategy or intervention."""

    standards: tuple[str, ...]
    strength: str
    strength_tag: str
    works: tuple[str, ...]
    avoid: tuple[str, ...]


class StrategyRecommendation(Out):
    id: str
    label: str
    kind: StrategyKind
    clause: str
    priority: int
    score: int
    basis: Basis
    rationale: str
    sources: tuple[str, ...]
    reasons: tuple[Reason, ...]
    evidence: Evidence


class InterventionRecommendation(Out):
    id: str
    label: str
    clause: str
    settings: tuple[str, ...]
    age_stages: tuple[str, ...]
    strategies: tuple[str, ...]
    basis: Basis
    rationale: str
    sources: tuple[str, ...]
    reasons: tuple[Reason, ...]
    evidence: Evidence


class PriorityFactor(Out):
    id: str
    clause: str
    share: float | None


class WarningOut(Out):
    code: str
    message: str
    sources: tuple[str, ...]


class AvoidItem(Out):
    """A practice with no or negative effect, from the evidence crosswalk."""

    text: str
    tag: str
    applies_to: tuple[str, ...]


class InformationMode(Out):
    clause: str
    text: str


class Recommendation(Out):
    population_id: str
    prevention_level: Level
    level_sources: tuple[str, ...]
    age_stages: tuple[str, ...]
    settings: tuple[str, ...]
    settings_proposed: bool
    strategies: tuple[StrategyRecommendation, ...]
    interventions: tuple[InterventionRecommendation, ...]
    priority_risk_factors: tuple[PriorityFactor, ...]
    weak_protective_factors: tuple[PriorityFactor, ...]
    priorities_basis: str
    information_mode: InformationMode
    action_items: tuple[str, ...]
    avoid: tuple[AvoidItem, ...]
    warnings: tuple[WarningOut, ...]
