"""The plan's activities as an editable table, and the edited table back as a plan.

One row per activity, with the columns a planner edits (reach, target, cost, executor,
schedule, how the activity is delivered — format, sessions, boosters, trained deliverers,
practices, programme — and Annex V items …). An edited table is checked the way a plan file is
(:func:`prevplan.plan.io.plan_from_data`): every problem is returned with the table row it
is in, and the plan changes only when the whole table is valid.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from prevplan.i18n import N_, _
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.plan.models import Activity, Plan
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
COMPACT_ORDER: Final[tuple[str, ...]] = (
    "name",
    "population_id",
    "reach",
    "target_reach",
    "cost",
    "executor",
)
"""The columns shown at first: they fit side by side on a 1400-pixel screen (more are a
choice away: "Columns shown")."""
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


def csv_rows(plan: Plan) -> list[dict[str, object]]:
    """The activities table as rows for a CSV file, empty cells as ``None``."""
    frame = activities_frame(plan)
    return [
        {str(column): value for column, value in row.items()}
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
    ]


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


def replace_activity(plan: Plan, activity: Activity, rules: RuleSet) -> TableResult:
    """The plan with one activity (by id) replaced, checked like the whole table."""
    data = plan_to_data(plan)
    changed = plan_to_data(plan.model_copy(update={"activities": (activity,)}))["activities"][0]
    data["activities"] = [
        changed if a.get("id") == activity.id else a for a in data.get("activities", [])
    ]
    try:
        new_plan = plan_from_data(data, _(TABLE_FILE), rules, default_name=plan.name)
    except ProblemsError as err:
        return TableResult(None, err.problems)
    return TableResult(new_plan)


# --- the editor's own state ---------------------------------------------------------------
#
# Streamlit's data editor is one widget per (key, data): given new data it starts afresh,
# scrolled to the top-left, its edits forgotten. So the editor is given the same data and
# key for as long as the plan changes only through it (its edits, applied, are the plan),
# and is rebuilt only when the plan changed elsewhere (undo, another page, another plan) or
# the planner chose another view.

EDITOR: Final = "activities.editor"


@dataclass(frozen=True)
class EditorView:
    """Which activities the editor shows, and in what order."""

    population: str | None = None
    sorted_by_population: bool = False


@dataclass
class EditorState:
    """The data the editor was built from, its key, and the plan it stands for."""

    key: str
    frame: pd.DataFrame
    view: EditorView
    plan_fingerprint: str
    ids: list[str]
    """The plan's activity ids in the plan's order when the editor was built."""
    applied: str = ""
    """The editor's last edits (as JSON) that were checked: not checked again until they change."""
    problems: TableResult | None = None
    """What checking those edits found wrong, while they are wrong."""
    draft: pd.DataFrame | None = None
    """The edited table while it has problems: shown again after a visit to another page."""
    from_draft: bool = False
    """Built from such a draft: its data differs from the plan before any edit."""
    counter: int = 0


def _view_frame(plan: Plan, view: EditorView) -> pd.DataFrame:
    frame = activities_frame(plan)
    if view.population is not None:
        frame = frame[frame["population_id"] == view.population]
    if view.sorted_by_population:
        order = {p.id: n for n, p in enumerate(plan.populations)}
        frame = frame.assign(_order=frame["population_id"].map(order)).sort_values(
            "_order", kind="stable"
        )
        frame = frame.drop(columns="_order")
    return frame.reset_index(drop=True)


def editor_state(session: MutableMapping[str, Any], plan: Plan, view: EditorView) -> EditorState:
    """The editor to draw: the one already shown while it stands for ``plan`` in ``view``,
    else a new one built from the plan."""
    from prevplan.ui.plans import fingerprint

    stored = session.get(EDITOR)
    found = stored if isinstance(stored, EditorState) else None
    current = fingerprint(plan)
    same = found is not None and found.view == view and found.plan_fingerprint == current
    if found is not None and same and found.key in session:
        return found
    counter = found.counter + 1 if found is not None else 0
    if found is not None:
        session.pop(found.key, None)
    draft = found.draft if found is not None and same else None
    made = EditorState(
        key=f"activities.{counter}",
        frame=draft if draft is not None else _view_frame(plan, view),
        view=view,
        plan_fingerprint=current,
        ids=[a.id for a in plan.activities],
        counter=counter,
        draft=draft,
        from_draft=draft is not None,
    )
    session[EDITOR] = made
    return made


def editor_synced(session: MutableMapping[str, Any], plan_fingerprint: str) -> None:
    """The plan is now what the editor shows: keep the editor as it is."""
    found = session.get(EDITOR)
    if isinstance(found, EditorState):
        found.plan_fingerprint = plan_fingerprint


def editor_reset(session: MutableMapping[str, Any]) -> None:
    """Forget the editor's edits: the next run shows the plan afresh."""
    found = session.get(EDITOR)
    if isinstance(found, EditorState):
        found.plan_fingerprint = ""
        found.problems = found.draft = None


def apply_editor(
    session: MutableMapping[str, Any],
    plan: Plan,
    editor: EditorState,
    edited: pd.DataFrame,
    rules: RuleSet,
) -> TableResult | None:
    """The plan with the editor's edits, or their problems; ``None`` when there is nothing
    new to apply. Rows the editor does not show (another population's) stay as they are; a
    new row takes the population shown when it names none."""
    changes = session.get(editor.key) or {}
    changed = any(changes.get(part) for part in ("edited_rows", "added_rows", "deleted_rows"))
    if not changed and not editor.from_draft:
        return None
    signature = json.dumps(changes, sort_keys=True, default=str)
    if signature == editor.applied:
        return editor.problems
    if editor.view.population is not None and "population_id" in edited:
        edited = edited.assign(
            population_id=edited["population_id"].where(
                edited["population_id"].notna() & (edited["population_id"] != ""),
                editor.view.population,
            )
        )
    records = records_from_frame(edited, settings_by_id(plan))
    shown = {str(v) for v in editor.frame["id"]}
    if editor.view.population is not None or editor.view.sorted_by_population:
        by_id = {r["id"]: r for r in records}
        hidden = {
            a.id: r
            for a, r in zip(plan.activities, plan_to_data(plan)["activities"], strict=True)
            if a.id not in shown
        }
        merged: list[dict[str, Any]] = []
        for activity_id in editor.ids:
            if activity_id in hidden:
                merged.append(hidden[activity_id])
            elif activity_id in by_id:
                merged.append(by_id.pop(activity_id))
        merged.extend(by_id.values())  # new rows, at the end
        records = merged
    result = apply_table(plan, records, rules)
    editor.applied = signature
    editor.problems = result if result.plan is None else None
    editor.draft = edited.copy() if result.plan is None else None
    if result.plan is not None and result.plan == plan:
        return None
    return result
