"""The plan's activities as an editable table, and the edited table back as a plan.

One row per activity, with the columns a planner edits (reach, target, cost, executor,
schedule, how the activity is delivered — format, sessions, boosters, trained deliverers,
practices, programme — and Annex V items …). An edited table is checked the way a plan file is
(:func:`prevplan.plan.io.plan_from_data`): every problem is returned with the table row it
is in, and the plan changes only when the whole table is valid.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from prevplan.i18n import N_, _
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.plan.models import Plan
from prevplan.present.labels import field_label
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet

COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "name",
    "population_id",
    "strategies",
    "interventions",
    "reach",
    "target_reach",
    "cost",
    "executor",
    "schedule",
    "format",
    "sessions",
    "boosters",
    "deliverers_trained",
    "practices",
    "programme",
    "action_items",
)
EDITOR_ORDER: Final[tuple[str, ...]] = (
    "name",
    "population_id",
    "reach",
    "target_reach",
    "cost",
    "executor",
    "schedule",
    "strategies",
    "interventions",
    "format",
    "sessions",
    "boosters",
    "deliverers_trained",
    "practices",
    "programme",
    "action_items",
    "id",
)
"""The order the editor shows the columns in: what a planner fills in first."""
LIST_COLUMNS: Final = ("strategies", "interventions", "practices", "action_items")
INT_COLUMNS: Final = ("reach", "target_reach", "sessions", "boosters")
TABLE_FILE: Final = N_("activities table")
"""What problems of the table name as their file (translated where shown)."""


def activities_frame(plan: Plan) -> pd.DataFrame:
    """The plan's activities, one row each, in the table's columns."""
    rows = []
    for activity in plan.activities:
        rows.append(
            {
                "id": activity.id,
                "name": activity.name,
                "population_id": activity.population_id,
                "strategies": list(activity.strategies),
                "interventions": list(activity.interventions),
                "reach": activity.reach,
                "target_reach": activity.target_reach,
                "cost": activity.cost,
                "executor": activity.executor or "",
                "schedule": activity.schedule or "",
                "format": activity.format.value if activity.format else None,
                "sessions": activity.sessions,
                "boosters": activity.boosters,
                "deliverers_trained": activity.deliverers_trained,
                "practices": [p.value for p in activity.practices],
                "programme": activity.programme or "",
                "action_items": list(activity.action_items),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype(
        {
            "id": "str",
            "name": "str",
            "population_id": "str",
            "reach": "Int64",
            "target_reach": "Int64",
            "cost": "float64",
            "executor": "str",
            "schedule": "str",
            "format": "object",
            "sessions": "Int64",
            "boosters": "Int64",
            "deliverers_trained": "boolean",
            "programme": "str",
        }
    )


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def records_from_frame(
    frame: pd.DataFrame, settings: Mapping[str, Sequence[str]] | None = None
) -> list[dict[str, Any]]:
    """Activity records (plan-file form) from the edited table.

    Blank cells are left out so that the plan's own defaults apply; a new row without an id
    gets ``activity-N``. ``settings`` carries each activity's settings, which the table does
    not show, by id.
    """
    taken = {str(v) for v in frame["id"] if not _missing(v) and str(v).strip()}
    records: list[dict[str, Any]] = []
    counter = 1
    for row in frame.to_dict("records"):
        record: dict[str, Any] = {}
        for name in COLUMNS:
            value = row.get(name)
            if value is None or _missing(value):
                continue
            if name in LIST_COLUMNS:
                items = [str(v) for v in value] if isinstance(value, list | tuple) else []
                if not items and isinstance(value, str) and value.strip():
                    items = [part.strip() for part in value.split(";") if part.strip()]
                if items:
                    record[name] = items
            elif name in INT_COLUMNS:
                record[name] = _whole(value)
            elif name == "cost":
                record[name] = float(value)
            elif name == "deliverers_trained":
                record[name] = bool(value)
            else:
                text = str(value).strip()
                if text or name == "name":
                    record[name] = text
        if not record.get("id"):
            while f"activity-{counter}" in taken:
                counter += 1
            record["id"] = f"activity-{counter}"
            taken.add(record["id"])
        known = (settings or {}).get(record["id"])
        if known:
            record["settings"] = list(known)
        records.append(record)
    return records


def _whole(value: object) -> object:
    """A count from a cell: 12.0 becomes 12; anything else is left for validation to name."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):
        return _whole(value.item())
    return value


@dataclass(frozen=True)
class TableResult:
    plan: Plan | None
    problems: tuple[Problem, ...] = ()
    rows: dict[int, list[Problem]] = field(default_factory=dict)
    """Problems by table row, counted from 1."""


def apply_table(plan: Plan, records: Sequence[Mapping[str, Any]], rules: RuleSet) -> TableResult:
    """The plan with its activities replaced by ``records``, or every problem by row."""
    data = plan_to_data(plan)
    # The table does not show an activity's progress by period (interfaces §8): kept by id.
    progress = {a["id"]: a["progress"] for a in data.get("activities", []) if "progress" in a}
    data["activities"] = [
        {**r, "progress": progress[r["id"]]} if r.get("id") in progress else dict(r)
        for r in records
    ]
    try:
        new_plan = plan_from_data(data, _(TABLE_FILE), rules, default_name=plan.name)
    except ProblemsError as err:
        # A problem of the n-th activity is at a location of kind "activity", number n.
        rows: dict[int, list[Problem]] = {}
        for problem in err.problems:
            at = problem.at
            row = at.number if at.kind == "activity" and at.number is not None else 0
            rows.setdefault(row, []).append(problem)
        return TableResult(None, err.problems, rows)
    return TableResult(new_plan)


def settings_by_id(plan: Plan) -> dict[str, list[str]]:
    return {a.id: [s.value for s in a.settings] for a in plan.activities if a.settings}


def row_problem_rows(result: TableResult, frame: pd.DataFrame) -> list[dict[str, object]]:
    """A table of the problems: row number, activity, field, message."""
    out: list[dict[str, object]] = []
    names = frame["name"].tolist() if "name" in frame else []
    for row, problems in sorted(result.rows.items()):
        for problem in problems:
            name = names[row - 1] if 0 < row <= len(names) else ""
            out.append(
                {
                    _("Row"): row or "",
                    _("Activity"): "" if _missing(name) else str(name),
                    _("Field"): field_label(problem.field) if problem.field else "",
                    _("Problem"): problem.message,
                }
            )
    return out
