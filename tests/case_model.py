"""The shape of a YAML case in ``tests/cases/`` (recommend and assess), as strict models.

A case has a sentence-like ``name``, the ``clauses`` of the Concept it demonstrates, its input
(a ``population`` for ``recommend``, a ``plan`` for ``assess``) and what the output must show
(``expect``). Every model forbids unknown keys, so a misspelt expectation fails the case
instead of passing silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bounds(Strict):
    min: int = 0
    max: int = 10**9


class RecommendExpect(Strict):
    """What a recommendation must show; each field is checked by ``test_cases.CHECKS``."""

    prevention_level: str | None = None
    level_sources_include: list[str] | None = None
    age_stages: list[str] | None = None
    settings: list[str] | None = None
    settings_proposed: bool | None = None
    information_mode: str | None = None
    strategies_include: list[str] | None = None
    strategies_exclude: list[str] | None = None
    strategies_in_order: list[str] | None = None
    first_strategy: str | None = None
    first_strategy_kind: str | None = None
    strategy_count: Bounds | None = None
    interventions_include: list[str] | None = None
    interventions_exclude: list[str] | None = None
    interventions_in_order: list[str] | None = None
    first_intervention: str | None = None
    no_interventions: bool | None = None
    intervention_settings_within: list[str] | None = None
    needs_other_setting: list[str] | None = None
    sources_include: dict[str, list[str]] | None = None
    basis: dict[str, str] | None = None
    rationale_includes: dict[str, str] | None = None
    priority_risk_factors: list[str] | None = None
    weak_protective_factors: list[str] | None = None
    warnings_include: list[str] | None = None
    warnings_exclude: list[str] | None = None
    untargeted: list[str] | None = None
    action_items_include: list[str] | None = None
    action_items_exclude: list[str] | None = None
    priorities_basis_includes: str | None = None
    priority_rules: dict[str, str] | None = None
    """Priority factor id → the rule that made it one (``benchmark``, ``cut_off``,
    ``most_needed``)."""
    priority_reasons: dict[str, str] | None = None
    """Priority factor id → the reason it shows, exactly."""
    avoid_includes: list[str] | None = None
    settings_exclude: list[str] | None = None
    notes_include: list[str] | None = None
    notes_exclude: list[str] | None = None
    evidence: dict[str, str] | None = None
    """Item id → the evidence strength it shows (its own Standards items only)."""
    extrapolated: list[str] | None = None
    """Items whose evidence the Standards rated for other ages or levels (marked so)."""
    not_extrapolated: list[str] | None = None
    """Items whose Standards rating is about a population like this one."""
    programmes_include: list[str] | None = None
    """Catalogue programmes that must be named (interfaces §3, ``programmes``)."""
    programmes_exclude: list[str] | None = None


class ExpectedWarning(Strict):
    """A warning the assessment must contain: every field given must match."""

    code: str
    population_id: str | None = None
    activity_id: str | None = None
    factor_kind: str | None = None
    factor_id: str | None = None
    message_contains: str | None = None
    """Words the warning's message (in English) must contain: what it advises."""


class AssessExpect(Strict):
    """What an assessment must show."""

    warnings: list[ExpectedWarning] = Field(default_factory=list)
    no_warnings: list[str] = Field(default_factory=list)
    population: dict[str, dict[str, Any]] = Field(default_factory=dict)
    action_items_served_by: dict[str, list[str]] = Field(default_factory=dict)
    action_items_not_served_by: dict[str, list[str]] = Field(default_factory=dict)
    strategies_served: dict[str, int] = Field(default_factory=dict)
    totals: dict[str, Any] = Field(default_factory=dict)
    """Figures of the whole plan (``totals``), each equal to the value given."""


class RecommendCase(Strict):
    """A case of ``tests/cases/recommend/``: a population and its recommendation."""

    name: str = Field(min_length=1)
    clauses: list[str] = Field(min_length=1)
    population: dict[str, Any]
    expect: RecommendExpect


class AssessCase(Strict):
    """A case of ``tests/cases/assess/``: a plan and its assessment."""

    name: str = Field(min_length=1)
    clauses: list[str] = Field(min_length=1)
    plan: dict[str, Any]
    expect: AssessExpect


Case = RecommendCase | AssessCase

CASES_DIR = Path(__file__).parent / "cases"
KINDS: dict[str, type[RecommendCase] | type[AssessCase]] = {
    "recommend": RecommendCase,
    "assess": AssessCase,
}


def load_cases(kind: str) -> list[Any]:
    """Every case of ``tests/cases/<kind>/`` as a pytest parameter named by the case; a case
    that does not fit its model is a parameter that fails with pydantic's message."""
    model = KINDS[kind]
    found: list[Any] = []
    for path in sorted((CASES_DIR / kind).glob("*.yaml")):
        for n, data in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), start=1):
            name = data.get("name") if isinstance(data, dict) else None
            label = name or f"{path.name} #{n}"
            try:
                found.append(pytest.param(model.model_validate(data), id=label))
            except ValidationError as error:
                found.append(pytest.param(error, id=label))
    return found
