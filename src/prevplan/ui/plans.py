"""Plan-level helpers for the app: fingerprints, samples, filters, merges and headlines.

Nothing here renders. A plan's fingerprint keys every cached computation on it (assessment,
figures, exports), so the same plan is assessed once however often a page reruns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Activity, Plan

ROOT: Final = Path(__file__).resolve().parents[3]
SAMPLE_DIR: Final = ROOT / "sample_data"
SAMPLE_PLAN: Final = SAMPLE_DIR / "national_plan.yaml"
SAMPLE_INVENTORY: Final = SAMPLE_DIR / "ngo_inventory.xlsx"
SAMPLE_POPULATIONS: Final = SAMPLE_DIR / "populations.yaml"


def fingerprint(plan: Plan) -> str:
    """A short hash of the plan's content: equal plans, equal fingerprints."""
    return hashlib.sha256(plan.model_dump_json().encode()).hexdigest()[:20]


def regions(plan: Plan) -> list[str]:
    """The regions the plan's populations name, sorted."""
    return sorted({p.region for p in plan.populations if p.region})


def filter_plan(
    plan: Plan, regions: Collection[str] = (), population_ids: Collection[str] = ()
) -> Plan:
    """The part of the plan for the chosen regions and populations (all when none chosen)."""
    if not regions and not population_ids:
        return plan
    keep = [
        p
        for p in plan.populations
        if (not regions or (p.region or "") in regions)
        and (not population_ids or p.id in population_ids)
    ]
    ids = {p.id for p in keep}
    return plan.model_copy(
        update={
            "populations": tuple(keep),
            "activities": tuple(a for a in plan.activities if a.population_id in ids),
        }
    )


def merge(current: Plan, incoming: Plan) -> tuple[Plan, list[str]]:
    """``current`` with the populations and activities of ``incoming`` added.

    Returns the merged plan and the ids left out because the current plan already uses them
    (as ``population X`` or ``activity Y``).
    """
    have_pops = {p.id for p in current.populations}
    have_acts = {a.id for a in current.activities}
    skipped = [f"population {p.id}" for p in incoming.populations if p.id in have_pops]
    skipped += [f"activity {a.id}" for a in incoming.activities if a.id in have_acts]
    populations = (
        *current.populations,
        *(p for p in incoming.populations if p.id not in have_pops),
    )
    activities = (*current.activities, *(a for a in incoming.activities if a.id not in have_acts))
    return current.model_copy(
        update={"populations": populations, "activities": activities}
    ), skipped


def add_activities(plan: Plan, activities: Iterable[Activity]) -> Plan:
    return plan.model_copy(update={"activities": (*plan.activities, *activities)})


@dataclass(frozen=True)
class Headline:
    """The figures the Start page and the dashboard lead with."""

    people: int
    reach: int
    coverage: float
    cost: float
    cost_per_person: float | None
    warnings: int
    populations: int
    activities: int


def headline(assessment: Assessment) -> Headline:
    totals = assessment.totals
    return Headline(
        people=totals.people,
        reach=totals.reach,
        coverage=totals.coverage,
        cost=totals.cost,
        cost_per_person=totals.cost_per_person,
        warnings=len(assessment.warnings),
        populations=totals.populations,
        activities=totals.activities,
    )
