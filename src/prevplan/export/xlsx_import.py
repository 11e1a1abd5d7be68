"""Reading a plan back from the workbook :func:`prevplan.export.xlsx.plan_workbook` writes.

The data sheets are read the way an NGO inventory is (:mod:`prevplan.plan.inventory_tables`:
header matching, lenient cell conversion, a damaged or oversized workbook refused unread,
formulas without saved results named), plus the *Plan* sheet (name, country, region,
period, description) and the *Tracker* sheet (Annex V item, status, note). The analysis
sheets (Coverage, Strategies, …) are output only and are ignored. The records are validated
by :func:`prevplan.plan.io.plan_from_data`, exactly as a plan file is; every problem is
reported at once with its sheet, the row as the spreadsheet numbers it, the column and what
was expected. Texts the export protected against formula injection (``'=1+1``) read back as
they were written (``=1+1``), so export → import gives an equal plan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from prevplan.export.xlsx import PLAN_FIELDS, PLAN_SHEET, TRACKER_HEADERS, TRACKER_SHEET, unescape
from prevplan.plan.inventory_columns import (
    ACTIVITIES,
    POPULATIONS,
    CellType,
    Column,
    activity_columns,
    population_columns,
)
from prevplan.plan.inventory_tables import Grid, Row, read_records, read_workbook
from prevplan.plan.inventory_template import example_rows
from prevplan.plan.inventory_vocab import fold, vocabularies
from prevplan.plan.io import plan_from_data
from prevplan.plan.models import ActionStatus, Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

_OPTIONAL_SHEETS: Final = (PLAN_SHEET, TRACKER_SHEET)
_TEXT_FIELDS: Final = {
    POPULATIONS: ("id", "name", "region"),
    ACTIVITIES: ("id", "name", "population_id", "executor", "schedule"),
    TRACKER_SHEET: ("note",),
}
_STATUSES: Final = tuple(s.value for s in ActionStatus)


def tracker_columns() -> tuple[Column, ...]:
    return (
        Column(
            "action_item",
            TRACKER_HEADERS["action_item"],
            CellType.CHOICE,
            "The Program of Actions item, e.g. 'V-3.5'.",
            required=True,
            vocab=Kind.ACTION_ITEM,
        ),
        Column(
            "status",
            TRACKER_HEADERS["status"],
            CellType.TEXT,
            f"One of {', '.join(_STATUSES)}.",
        ),
        Column("note", TRACKER_HEADERS["note"], CellType.TEXT, "The coordinator's note."),
    )


@dataclass
class _Table:
    grid: Grid
    rows: list[Row] = field(default_factory=list)
    headers: dict[str, tuple[int, str]] = field(default_factory=dict)


def read_plan_xlsx(data: bytes, filename: str, rules: RuleSet | None = None) -> Plan:
    """The plan in a workbook written by :func:`~prevplan.export.xlsx.plan_workbook`.

    Raises :class:`ProblemsError` with every problem (sheet, row, column, what was expected).
    The plan's name comes from the Plan sheet, else from ``filename`` without its suffix.
    """
    ruleset = rules if rules is not None else load_rules()
    wanted = (PLAN_SHEET, POPULATIONS, ACTIVITIES, TRACKER_SHEET)
    grids, found, _notes = read_workbook(data, filename, wanted)
    problems = [p for p in found if not _missing_optional(p)]
    if not grids:
        raise ProblemsError(problems)
    vocabs = vocabularies(ruleset)
    # A workbook without a Plan sheet is an inventory made on the template: its unchanged
    # example rows are skipped, as the inventory import does.
    pop_example, act_example = example_rows(ruleset) if PLAN_SHEET not in grids else ({}, {})
    tables: dict[str, _Table] = {}
    for key, columns, example in (
        (POPULATIONS, population_columns(ruleset), pop_example),
        (ACTIVITIES, activity_columns(), act_example),
        (TRACKER_SHEET, tracker_columns(), {}),
    ):
        grid = grids.get(key)
        if grid is None:
            continue
        table = tables[key] = _Table(grid)
        if not _has_data(grid):  # a plan may have no activities (or tracker) yet
            continue
        read = read_records(grid, columns, vocabs, example=example or None)
        problems += read.problems
        table.rows, table.headers = read.rows, read.headers
        for row in table.rows:
            for name in _TEXT_FIELDS[key]:
                value = row.record.get(name)
                if isinstance(value, str):
                    row.record[name] = unescape(value)
    if TRACKER_SHEET in tables:
        problems += _check_statuses(tables[TRACKER_SHEET])
    meta = _meta(grids.get(PLAN_SHEET), problems)
    plan_data: dict[str, Any] = {
        **meta,
        "populations": [r.record for r in _rows(tables, POPULATIONS)],
        "activities": [r.record for r in _rows(tables, ACTIVITIES)],
        "tracker": [r.record for r in _rows(tables, TRACKER_SHEET)],
    }
    default_name = Path(filename).stem or "plan"
    try:
        plan = plan_from_data(plan_data, filename, ruleset, default_name=default_name)
    except ProblemsError as err:
        problems += [p for p in (_translate(p, tables) for p in err.problems) if p is not None]
        raise ProblemsError(list(dict.fromkeys(problems))) from None
    ProblemsError.raise_if_any(problems)
    return plan


def _missing_optional(problem: Problem) -> bool:
    return problem.message.startswith("missing") and problem.where in {
        f"sheet '{s}'" for s in _OPTIONAL_SHEETS
    }


def _has_data(grid: Grid) -> bool:
    return any(
        number > 1 and any(c is not None and str(c).strip() for c in cells)
        for number, cells in grid.rows
    ) or any(row > 1 for row, _col in grid.bad_cells)


def _rows(tables: Mapping[str, _Table], key: str) -> list[Row]:
    table = tables.get(key)
    return table.rows if table is not None else []


def _check_statuses(table: _Table) -> list[Problem]:
    """Accept ``in progress`` for ``in_progress``; name anything else with the choices."""
    out: list[Problem] = []
    column = table.headers.get("status")
    for row in table.rows:
        raw = row.record.get("status")
        if not isinstance(raw, str):
            continue
        value = re.sub(r"[\s-]+", "_", raw.strip().lower())
        if value in _STATUSES:
            row.record["status"] = value
            continue
        row.reported.add("status")
        row.record.pop("status")
        col, header = column if column is not None else (None, "status")
        out.append(
            Problem(
                table.grid.file,
                table.grid.where(row.number, col),
                header,
                f"unknown status '{raw}'; expected one of {', '.join(_STATUSES)}",
            )
        )
    return out


def _meta(grid: Grid | None, problems: list[Problem]) -> dict[str, str]:
    """The Plan sheet: a header row, then one row per field (field name, value)."""
    if grid is None:
        return {}
    meta: dict[str, str] = {}
    for number, cells in grid.rows:
        if number == 1 or not cells or all(c is None for c in cells[:2]):
            continue
        key = fold(str(cells[0] or ""))
        value = cells[1] if len(cells) > 1 else None
        if key not in PLAN_FIELDS:
            problems.append(
                Problem(
                    grid.file,
                    grid.where(number, 0),
                    "Field",
                    f"unknown field '{cells[0]}'; expected one of {', '.join(PLAN_FIELDS)}",
                )
            )
            continue
        bad = grid.bad_cells.get((number, 1))
        if bad is not None:
            problems.append(Problem(grid.file, grid.where(number, 1), "Value", bad))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        meta[key] = unescape(value) if isinstance(value, str) else str(value)
    return meta


_PLAN_WHERE: Final = re.compile(r"^(population|activity|tracker) (\d+)\b")
_SHEETS: Final = {"population": POPULATIONS, "activity": ACTIVITIES, "tracker": TRACKER_SHEET}


def _translate(problem: Problem, tables: Mapping[str, _Table]) -> Problem | None:
    """The plan validator's problem, said in the workbook's terms; None if said already."""
    found = _PLAN_WHERE.match(problem.where)
    if found is not None:
        table = tables.get(_SHEETS[found[1]])
        index = int(found[2]) - 1
        if table is None or not 0 <= index < len(table.rows):
            return problem
        row = table.rows[index]
        name = problem.field
        if name in row.reported or name.split(".")[0] in row.reported:
            return None
        if name in table.headers:
            col, header = table.headers[name]
            return Problem(
                table.grid.file, table.grid.where(row.number, col), header, problem.message
            )
        return Problem(table.grid.file, table.grid.where(row.number), name, problem.message)
    for prefix, key in (("activity id ", ACTIVITIES), ("tracker ", TRACKER_SHEET)):
        if problem.where.startswith(prefix) and key in tables:
            wanted = problem.where[len(prefix) :]
            table = tables[key]
            id_field = "id" if key == ACTIVITIES else "action_item"
            rows = [r.number for r in table.rows if r.record.get(id_field) == wanted]
            where = table.grid.where(rows[-1]) if rows else f"sheet '{key}'"
            return Problem(table.grid.file, where, problem.field, problem.message)
    if problem.field in PLAN_FIELDS or problem.where == "plan":
        return Problem(problem.file, f"sheet '{PLAN_SHEET}'", problem.field, problem.message)
    return problem
