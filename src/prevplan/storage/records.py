"""What the plan store says about stored plans and their versions.

Each save of a plan is a new, numbered version (1, 2, 3 … per plan, never reused) that
records who saved it, when (UTC) and why. These records describe versions and plans for
listings and history views without loading the plans themselves.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VersionInfo(_Record):
    """One stored version of a plan: who saved it, when and why, and how big it is."""

    name: str
    version: int = Field(ge=1)
    author: str
    comment: str = ""
    created_at: datetime
    population_count: int = Field(ge=0)
    activity_count: int = Field(ge=0)
    described_count: int = Field(default=0, ge=0)
    """Activities that say how they are delivered (a ``format``)."""


class PlanSummary(_Record):
    """A stored plan as a listing shows it: its latest version and what that holds."""

    name: str
    description: str | None = None
    latest_version: int = Field(ge=1)
    created_at: datetime
    updated_at: datetime
    author: str
    population_count: int = Field(ge=0)
    activity_count: int = Field(ge=0)
    described_count: int = Field(default=0, ge=0)
