"""Plan-level helpers for the app: fingerprints, samples, filters, merges and headlines.

Nothing here renders. A plan's fingerprint keys every cached computation on it (assessment,
figures, exports), so the same plan is assessed once however often a page reruns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from prevplan.i18n import _
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Activity, Plan
from prevplan.present.labels import field_label, label, ref_label, warning_title
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.storage.diff import PlanDiff

if TYPE_CHECKING:
    import pandas as pd

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
    (as ``population X`` or ``activity Y``, in the reader's language).
    """
    have_pops = {p.id for p in current.populations}
    have_acts = {a.id for a in current.activities}
    skipped = [
        _("population {id}").format(id=p.id) for p in incoming.populations if p.id in have_pops
    ]
    skipped += [
        _("activity {id}").format(id=a.id) for a in incoming.activities if a.id in have_acts
    ]
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
    effective_reach: int
    effective_coverage: float
    cost: float
    cost_per_person: float | None
    cost_per_effective_person: float | None
    warnings: int
    populations: int
    activities: int


def headline(assessment: Assessment) -> Headline:
    totals = assessment.totals
    return Headline(
        people=totals.people,
        reach=totals.reach,
        coverage=totals.coverage,
        effective_reach=totals.effective_reach,
        effective_coverage=totals.effective_coverage,
        cost=totals.cost,
        cost_per_person=totals.cost_per_person,
        cost_per_effective_person=totals.cost_per_effective_person,
        warnings=len(assessment.warnings),
        populations=totals.populations,
        activities=totals.activities,
    )


def item_names(*plans: Plan) -> dict[str, str]:
    """A readable name for every population and activity id of the plans (for diffs)."""
    names: dict[str, str] = {}
    for plan in plans:
        names.update({p.id: p.name or p.id for p in plan.populations})
        names.update({a.id: a.name or a.id for a in plan.activities})
    return names


def diff_rows(diff: PlanDiff, names: Mapping[str, str]) -> list[dict[str, str]]:
    """One row per change between two versions: what, which one (named), how, field, values."""
    what = {
        "populations": _("Target population"),
        "activities": _("Activity"),
        "tracker": _("Program of Actions status"),
    }

    def row(
        kind: str, item: str, change: str, field: str = "", old: object = None, new: object = None
    ) -> dict[str, str]:
        shown = names.get(item, item)
        return {
            _("What"): kind,
            _("Which"): f"{shown} ({item})" if shown != item else item,
            _("Change"): change,
            _("Field"): field_label(field) if field else "",
            _("Before"): "" if old in (None, "") else str(old),
            _("After"): "" if new in (None, "") else str(new),
        }

    rows = [row(_("Plan"), "", _("changed"), c.field, c.old, c.new) for c in diff.metadata]
    for part in ("populations", "activities", "tracker"):
        collection = getattr(diff, part)
        rows += [row(what[part], item, _("added")) for item in collection.added]
        rows += [row(what[part], item, _("removed")) for item in collection.removed]
        for item in collection.edited:
            rows += [
                row(what[part], item.id, _("changed"), c.field, c.old, c.new) for c in item.changes
            ]
    return rows


def gap_rows(gaps: pd.DataFrame, rules: RuleSet) -> list[dict[str, str]]:
    """The dashboard's gap list (from :func:`prevplan.analytics.gap_frame`), in words.

    Each row says what kind of gap it is, which target population it concerns ("" for a
    plan-wide gap), what is missing and the clause it is measured against, in the current
    language.
    """
    names = {
        "uncovered_population": _("No activity serves this population"),
        "untargeted_priority_risk": _("A priority factor is not addressed"),
        "unserved_action_item": _("No activity serves this Program of Actions item"),
        "unused_strategy": _("No population receives this strategy"),
    }
    subject_kinds = {
        "uncovered_population": (Kind.LEVEL,),
        "untargeted_priority_risk": (Kind.RISK_FACTOR, Kind.PROTECTIVE_FACTOR),
        "unserved_action_item": (Kind.ACTION_ITEM,),
        "unused_strategy": (Kind.STRATEGY,),
    }
    rows = []
    for gap in gaps.to_dict("records"):
        subject = str(gap["subject_id"])
        kinds = [k for k in subject_kinds.get(str(gap["gap"]), ()) if rules.exists(k, subject)]
        missing = label(rules, kinds[0], subject) if kinds else str(gap["subject_label"])
        clause = str(gap["clause"])
        rows.append(
            {
                _("Gap"): names.get(str(gap["gap"]), str(gap["gap"])),
                _("Target population"): str(gap["population_name"]),
                _("What is missing"): missing,
                _("Clause"): ref_label(rules, clause) if clause else "",
                _("Rests on"): str(gap["sources"]),
            }
        )
    return rows


def warning_rows(warnings: pd.DataFrame, rules: RuleSet, plan: Plan) -> list[dict[str, str]]:
    """The assessment's warnings (from :func:`prevplan.analytics.warning_frame`), in words."""
    activities = {a.id: a.name or a.id for a in plan.activities}
    return [
        {
            _("Warning"): warning_title(rules, str(w["code"])),
            _("Target population"): str(w["population_name"]),
            _("Activity"): activities.get(str(w["activity_id"]), str(w["activity_id"])),
            _("What it means"): str(w["message"]),
            _("Rests on"): str(w["sources"]),
        }
        for w in warnings.to_dict("records")
    ]
