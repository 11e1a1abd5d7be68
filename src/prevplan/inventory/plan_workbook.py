"""Reading a plan back from the workbook :func:`prevplan.export.xlsx.plan_workbook` writes.

The data sheets are read the way an NGO inventory is (:mod:`prevplan.inventory.tables`:
header matching, lenient cell conversion, a damaged or oversized workbook refused unread,
formulas without saved results named), plus the *Plan* sheet (name, country, region,
period, description) and the *Tracker* sheet (Annex V item, status, note). The analysis
sheets (Coverage, Strategies, …) are output only and are ignored. The records are validated
by :func:`prevplan.plan.io.plan_from_data`, exactly as a plan file is; every problem is
reported at once with its sheet, the row as the spreadsheet numbers it, the column and what
was expected. Texts the export protected against formula injection (``'=1+1``) read back as
they were written (``=1+1``), so export → import gives an equal plan.

Sheet titles, headers, the Plan sheet's field names, statuses and labels are read in any of
the three languages (English, Russian, Chinese), whatever the current language is: a workbook
exported in Russian imports under English. Problems are said in the current language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from prevplan.i18n import N_, _
from prevplan.inventory.columns import (
    ACTIVITIES,
    PLAN_SHEET,
    POPULATIONS,
    TRACKER_SHEET,
    CellType,
    Column,
    activity_columns,
    column,
    population_columns,
)
from prevplan.inventory.plan_sheets import (
    PLAN_FIELD_LABELS,
    PLAN_FIELDS,
    STATUS_LABELS,
    TRACKER_HEADERS,
    unescape,
)
from prevplan.inventory.progress_sheets import (
    MONITORING_SHEETS,
    PROGRESS_SHEET,
    read_monitoring,
)
from prevplan.inventory.tables import (
    Grid,
    Row,
    at_sheet,
    parse_record_place,
    read_records,
    read_workbook,
)
from prevplan.inventory.template import every_example
from prevplan.inventory.vocab import every_language, fold, sheet_title, vocabularies
from prevplan.plan.io import plan_from_data
from prevplan.plan.models import ActionStatus, Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

_OPTIONAL_SHEETS: Final = (PLAN_SHEET, TRACKER_SHEET, *MONITORING_SHEETS)
_TEXT_FIELDS: Final = {
    POPULATIONS: ("id", "name", "region"),
    ACTIVITIES: ("id", "name", "population_id", "executor", "schedule"),
    TRACKER_SHEET: ("note",),
}
_STATUSES: Final = tuple(s.value for s in ActionStatus)


def _spellings(words: Mapping[str, str]) -> dict[str, str]:
    """Folded spelling -> id: each id (also with blanks for ``_``) and its words in every
    language."""
    out: dict[str, str] = {}
    for key, message in words.items():
        for spelling in (key, key.replace("_", " "), *every_language(message)):
            out.setdefault(fold(spelling), key)
    return out


def tracker_columns() -> tuple[Column, ...]:
    statuses = ", ".join(_(STATUS_LABELS[s]) for s in _STATUSES)
    return (
        column(
            "action_item",
            TRACKER_HEADERS["action_item"],
            CellType.CHOICE,
            N_("The Program of Actions item, e.g. 'V-3.5'."),
            required=True,
            vocab=Kind.ACTION_ITEM,
        ),
        Column(
            "status",
            _(TRACKER_HEADERS["status"]),
            CellType.TEXT,
            _("One of: {choices}.").format(choices=statuses),
            names=every_language(TRACKER_HEADERS["status"]),
        ),
        column("note", TRACKER_HEADERS["note"], CellType.TEXT, N_("The coordinator's note.")),
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
    wanted = (PLAN_SHEET, POPULATIONS, ACTIVITIES, TRACKER_SHEET, *MONITORING_SHEETS)
    book = read_workbook(data, filename, wanted, optional=_OPTIONAL_SHEETS)
    grids, problems = book.grids, list(book.problems)
    if not grids:
        raise ProblemsError(problems)
    vocabs = vocabularies(ruleset)
    # A workbook without a Plan sheet is an inventory made on the template: its unchanged
    # example rows (in any language) are skipped, as the inventory import does.
    pop_examples, act_examples = every_example(ruleset) if PLAN_SHEET not in grids else ([], [])
    tables: dict[str, _Table] = {}
    for key, columns, examples in (
        (POPULATIONS, population_columns(ruleset), pop_examples),
        (ACTIVITIES, activity_columns(), act_examples),
        (TRACKER_SHEET, tracker_columns(), []),
    ):
        grid = grids.get(key)
        if grid is None:
            continue
        table = tables[key] = _Table(grid)
        if not _has_data(grid):  # a plan may have no activities (or tracker) yet
            continue
        read = read_records(grid, columns, vocabs, examples=examples)
        problems += read.problems
        table.rows, table.headers = read.rows, read.headers
        for row in table.rows:
            for name in _TEXT_FIELDS[key]:
                value = row.record.get(name)
                if isinstance(value, str):
                    row.record[name] = unescape(value)
    if PLAN_SHEET in grids:  # kept to name the sheet in problems about the plan's fields
        tables[PLAN_SHEET] = _Table(grids[PLAN_SHEET])
    if TRACKER_SHEET in tables:
        problems += _check_statuses(tables[TRACKER_SHEET])
    meta = _meta(grids.get(PLAN_SHEET), problems)
    plan_data: dict[str, Any] = {
        **meta,
        "populations": [r.record for r in _rows(tables, POPULATIONS)],
        "activities": [r.record for r in _rows(tables, ACTIVITIES)],
        "tracker": [r.record for r in _rows(tables, TRACKER_SHEET)],
    }
    monitoring = read_monitoring(grids, problems)
    activity_ids = {str(a.get("id")) for a in plan_data["activities"]}
    problems += monitoring.unknown_activities(grids.get(PROGRESS_SHEET), activity_ids)
    monitoring.merge_into(plan_data)
    default_name = Path(filename).stem or "plan"
    try:
        plan = plan_from_data(plan_data, filename, ruleset, default_name=default_name)
    except ProblemsError as err:
        problems += [p for p in (_translate(p, tables) for p in err.problems) if p is not None]
        raise ProblemsError(list(dict.fromkeys(problems))) from None
    ProblemsError.raise_if_any(problems)
    return plan


def _has_data(grid: Grid) -> bool:
    return any(
        number > 1 and any(c is not None and str(c).strip() for c in cells)
        for number, cells in grid.rows
    ) or any(row > 1 for row, _col in grid.bad_cells)


def _rows(tables: Mapping[str, _Table], key: str) -> list[Row]:
    table = tables.get(key)
    return table.rows if table is not None else []


def _check_statuses(table: _Table) -> list[Problem]:
    """Accept a status as its id (``in_progress``, ``in progress``) or its words in any
    language ("In progress", «Выполняется», 进行中); name anything else with the choices."""
    out: list[Problem] = []
    column = table.headers.get("status")
    spellings = _spellings(STATUS_LABELS)
    for row in table.rows:
        raw = row.record.get("status")
        if not isinstance(raw, str):
            continue
        value = re.sub(r"[\s-]+", "_", raw.strip().lower())
        found = value if value in _STATUSES else spellings.get(fold(raw))
        if found is not None:
            row.record["status"] = found
            continue
        row.reported.add("status")
        row.record.pop("status")
        col, header = column if column is not None else (None, _(TRACKER_HEADERS["status"]))
        choices = ", ".join(_(STATUS_LABELS[s]) for s in _STATUSES)
        out.append(
            Problem(
                table.grid.file,
                table.grid.where(row.number, col),
                header,
                _("unknown status '{value}'; expected one of {choices}").format(
                    value=raw, choices=choices
                ),
            )
        )
    return out


def _meta(grid: Grid | None, problems: list[Problem]) -> dict[str, object]:
    """The Plan sheet: a header row, then one row per field (field name, value)."""
    if grid is None:
        return {}
    meta: dict[str, object] = {}
    fields = _spellings(PLAN_FIELD_LABELS)
    for number, cells in grid.rows:
        if number == 1 or not cells or all(c is None for c in cells[:2]):
            continue
        key = fields.get(fold(str(cells[0] or "")))
        value = cells[1] if len(cells) > 1 else None
        if key is None:
            choices = ", ".join(_(PLAN_FIELD_LABELS[f]) for f in PLAN_FIELDS)
            problems.append(
                Problem(
                    grid.file,
                    grid.where(number, 0),
                    _("Field"),
                    _("unknown field '{value}'; expected one of {choices}").format(
                        value=cells[0], choices=choices
                    ),
                )
            )
            continue
        bad = grid.bad_cells.get((number, 1))
        if bad is not None:
            problems.append(Problem(grid.file, grid.where(number, 1), _("Value"), bad))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = unescape(value) if isinstance(value, str) else str(value)
        # The price year is a number (validated as one); a currency code reads in capitals.
        meta[key] = (
            int(text.strip())
            if key == "price_year" and text.strip().isdigit()
            else text.strip().upper()
            if key == "currency"
            else text
        )
    return meta


_SHEETS: Final = {"population": POPULATIONS, "activity": ACTIVITIES, "tracker": TRACKER_SHEET}
_BY_ID: Final = {"activity_id": (ACTIVITIES, "id"), "tracker_ref": (TRACKER_SHEET, "action_item")}


def _translate(problem: Problem, tables: Mapping[str, _Table]) -> Problem | None:
    """The plan validator's problem, said in the workbook's terms; None if said already."""
    place = parse_record_place(problem)
    if place is not None and place.kind in _SHEETS:
        table = tables.get(_SHEETS[place.kind])
        index = int(place.value) - 1
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
    if place is not None and place.kind in _BY_ID and _BY_ID[place.kind][0] in tables:
        key, id_field = _BY_ID[place.kind]
        table = tables[key]
        rows = [r.number for r in table.rows if r.record.get(id_field) == place.value]
        where = table.grid.where(rows[-1]) if rows else at_sheet(_title(table.grid, key))
        return Problem(table.grid.file, where, problem.field, problem.message)
    if problem.field in PLAN_FIELDS or (place is not None and place.kind == "plan"):
        plan = tables.get(PLAN_SHEET)
        where = at_sheet(_title(plan.grid if plan else None, PLAN_SHEET))
        return Problem(problem.file, where, problem.field, problem.message)
    return problem


def _title(grid: Grid | None, key: str) -> str:
    """The sheet's title as the workbook has it, else as the current language gives it."""
    return grid.sheet if grid is not None and grid.sheet else sheet_title(key)
