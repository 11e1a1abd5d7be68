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


class Organisation(_Record):
    """An organisation that owns plans: a ministry, a department, an NGO."""

    id: int
    name: str


class Membership(_Record):
    """A person's role in an organisation, and where it comes from (``admin``: given in the
    app; ``claim``: the identity provider's group claim at sign-in)."""

    organisation_id: int
    organisation: str
    subject: str
    role: str
    source: str


class AuditEntry(_Record):
    """One line of the audit log: who did what, when, to what, and the value before and
    after (``None`` where there was none)."""

    at: datetime
    actor: str
    action: str
    plan_name: str | None = None
    version: int | None = None
    target: str = ""
    before: str | None = None
    after: str | None = None


class ReviewStep(_Record):
    """One step of a version's approval: submitted, approved, returned or reopened."""

    version: int = Field(ge=1)
    status: str
    actor: str
    at: datetime
    comment: str = ""


class Comment(_Record):
    """A remark on a plan, or on one of its populations or activities, at a version."""

    id: int
    version: int = Field(ge=1)
    target_kind: str
    target_id: str | None = None
    author: str
    at: datetime
    text: str
