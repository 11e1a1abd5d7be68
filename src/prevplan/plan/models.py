"""A prevention programme plan: target populations and the activities that serve them.

A plan (or an NGO's inventory of what it already does) ties each activity to one target
population (interfaces §2) and says which strategies (VI-3.1, VI-3.2) and interventions
(VI-4) it delivers, how many people it reaches, at what cost, by whom and when, and which
Program of Actions items (Annex V) it serves. Strategies and interventions are stored as
rule ids; files may name them by id or by clause reference, and the plan loader resolves
them. Coordinators record the status of each Annex V item in ``tracker``.

How an activity is delivered — its ``format``, ``sessions``, ``boosters``, whether its
deliverers are trained, the ``practices`` it uses and the catalogue ``programme`` it follows
(interfaces §3) — is optional; the assessment judges quality from it (what the UNODC/WHO
Standards say works: interactive, structured series with boosters, trained deliverers; what
does not: one-off lectures, fear appeals, ex-user testimonies, drug testing).

A plan followed through its periods (interfaces §8) also carries its ``periods``, each
activity's ``progress``, survey results by population (``surveys``) and the ``decisions``
log: :mod:`prevplan.plan.progress` models them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

from prevplan.i18n import N_, _
from prevplan.plan.progress import (
    MAX_PERIODS,
    MAX_RECORDS,
    Decision,
    PeriodLabel,
    Progress,
    SurveyResult,
)
from prevplan.population import MAX_ID_LENGTH, MAX_PEOPLE, MAX_TEXT_LENGTH, TargetPopulation
from prevplan.vocab import Setting

#: An activity that delivers nothing cannot be assessed (said in the reader's language).
NOTHING_DELIVERED = N_("an activity must name at least one strategy or intervention")

MAX_COST: Final = 1e13
"""Largest cost read (ten trillion, in any currency): sums of a plan's costs stay finite."""
MAX_ITEMS: Final = 100_000
"""Most populations, activities or tracker entries in one plan, and items in one list."""

Count = Annotated[int, Field(strict=True, ge=0, le=MAX_PEOPLE)]
Money = Annotated[float, Field(ge=0, le=MAX_COST, allow_inf_nan=False)]
Id = Annotated[str, Field(strict=True, min_length=1, max_length=MAX_ID_LENGTH, pattern=r"^\s*\S")]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]
Refs = Annotated[tuple[str, ...], Field(max_length=1000)]


class ActivityFormat(StrEnum):
    """How an activity is delivered (interfaces §3)."""

    INTERACTIVE = "interactive"
    LECTURE = "lecture"
    ONE_TO_ONE = "one_to_one"
    CAMPAIGN = "campaign"
    POLICY = "policy"
    EVENT = "event"
    SCREENING = "screening"
    TRAINING = "training"
    MATERIALS = "materials"
    SURVEY = "survey"


class Practice(StrEnum):
    """Practices the Standards find ineffective or harmful, declared so they can be flagged."""

    FEAR_APPEAL = "fear_appeal"
    EX_USER_TESTIMONY = "ex_user_testimony"
    DRUG_TESTING = "drug_testing"


#: The delivery fields of an activity, in the order tables and workbooks show them.
DELIVERY_FIELDS = (
    "format",
    "sessions",
    "boosters",
    "deliverers_trained",
    "practices",
    "programme",
)


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Activity(Strict):
    """One planned or existing activity serving one target population."""

    id: Id
    name: Text = ""
    population_id: Id
    strategies: Refs = ()
    interventions: Refs = ()
    settings: tuple[Setting, ...] = ()
    reach: Count = 0
    target_reach: Count | None = None
    cost: Money | None = None
    executor: Text | None = None
    schedule: Text | None = None
    action_items: Refs = ()
    format: ActivityFormat | None = None
    sessions: Annotated[int, Field(strict=True, ge=1)] | None = None
    boosters: Count | None = None
    deliverers_trained: Annotated[bool, Field(strict=True)] | None = None
    practices: tuple[Practice, ...] = Field(default=(), max_length=3)
    programme: Annotated[str, Field(strict=True, min_length=1, max_length=200)] | None = None
    progress: Annotated[tuple[Progress, ...], Field(max_length=MAX_RECORDS)] = ()
    """What the activity delivered in each period (interfaces §8)."""

    @model_validator(mode="after")
    def _delivers_something(self) -> Activity:
        if not self.strategies and not self.interventions:
            raise ValueError(_(NOTHING_DELIVERED))
        return self


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class TrackerEntry(Strict):
    """A coordinator's status for one Program of Actions item."""

    action_item: Text
    status: ActionStatus = ActionStatus.NOT_STARTED
    note: Text = ""


class Plan(Strict):
    """A whole plan: who it is for and what is done for them."""

    name: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    country: Text | None = None
    region: Text | None = None
    period: Text | None = None
    description: Annotated[str, Field(max_length=20 * MAX_TEXT_LENGTH)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    """ISO 4217 code of the plan's costs; catalogue costs are converted to it."""
    price_year: Annotated[int, Field(strict=True, ge=1950, le=2100)] | None = None
    """The year whose prices the plan's costs are in."""
    populations: Annotated[tuple[TargetPopulation, ...], Field(max_length=MAX_ITEMS)] = ()
    activities: Annotated[tuple[Activity, ...], Field(max_length=MAX_ITEMS)] = ()
    tracker: Annotated[tuple[TrackerEntry, ...], Field(max_length=MAX_ITEMS)] = ()
    periods: Annotated[tuple[PeriodLabel, ...], Field(max_length=MAX_PERIODS)] = ()
    """The ordered periods the plan is monitored in (interfaces §8)."""
    surveys: Annotated[dict[str, tuple[SurveyResult, ...]], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=dict
    )
    """Survey results by population id; plan files keep them on each population."""
    decisions: Annotated[tuple[Decision, ...], Field(max_length=MAX_ITEMS)] = ()
    """The decisions log of monitoring (what was changed, period by period)."""

    def population(self, population_id: str) -> TargetPopulation | None:
        return next((p for p in self.populations if p.id == population_id), None)

    def activities_for(self, population_id: str) -> list[Activity]:
        return [a for a in self.activities if a.population_id == population_id]
