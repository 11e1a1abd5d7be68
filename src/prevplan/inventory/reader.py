"""Importing an NGO's inventory of activities from Excel or CSV into a :class:`Plan`.

Many organisations that run prevention work do not know the Concept's clause numbers; they
fill in the inventory template (:func:`inventory_template_xlsx`) with readable labels and
this module turns it into a plan that :func:`prevplan.plan.assess.assess` can measure:
coverage of each population (reach over size, VI-2.1), the strategies of VI-3 delivered and
the Program of Actions items (Annex V) served.

Files:

- **Excel** (``.xlsx``): sheets *Populations* and *Activities* (titled in English, Russian
  or Chinese, matched ignoring case), header in row 1; optionally the monitoring sheets of a
  plan workbook — *Progress* (what each activity delivered per period), *Periods*, *Surveys*
  and *Decisions* (:mod:`prevplan.inventory.progress_sheets`). Other sheets — the template's *Lists*
  and *Instructions*, or whatever else a workbook holds — are ignored; a note names any
  unexpected one. A workbook exported by prevplan (with its *Plan* and *Tracker* sheets) is
  read as the plan it holds (:func:`prevplan.inventory.plan_workbook.read_plan_xlsx`).
- **CSV**: two files, one per table, with the same headers as the sheets: the populations
  in ``<name>_populations.csv`` and the activities in ``<name>_activities.csv``. Given one of
  them as a path, the other is found next to it by that naming; otherwise pass it as
  ``populations=`` (``prevplan assess --populations``).

Cells may hold labels ("Work with parents (VI-3.1.1)", in any of the three languages), rule
ids or clause references; several values in one cell are separated by ``;``. Problems and
notes are said in the current language. The records are validated by
:func:`prevplan.plan.io.plan_from_data`, exactly as a plan file is, and every problem is
reported at once with its sheet (or file), the row as the spreadsheet numbers it, the column
and what was expected. Nothing is imported from an invalid file, and the file itself is only
read: its bytes are loaded into memory and never written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from prevplan.i18n import N_, _
from prevplan.inventory.columns import (
    ACTIVITIES,
    PLAN_SHEET,
    POPULATIONS,
    TRACKER_SHEET,
    Column,
    activity_columns,
    population_columns,
)
from prevplan.inventory.plan_workbook import read_plan_xlsx
from prevplan.inventory.progress_sheets import MONITORING_SHEETS, PROGRESS_SHEET, read_monitoring
from prevplan.inventory.tables import (
    Grid,
    TableRead,
    parse_record_place,
    read_csv_grid,
    read_records,
    read_workbook,
)
from prevplan.inventory.template import (
    TEMPLATE_SHEETS,
    every_example,
    inventory_csv,
    inventory_template_csv,
    inventory_template_xlsx,
    inventory_xlsx,
)
from prevplan.inventory.vocab import vocabularies
from prevplan.io.files import read_input_bytes
from prevplan.plan.io import plan_from_data
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules

__all__ = [
    "CSV_SUFFIXES",
    "XLSX_SUFFIXES",
    "InventoryImport",
    "import_inventory",
    "inventory_csv",
    "inventory_template_csv",
    "inventory_template_xlsx",
    "inventory_xlsx",
    "is_inventory_file",
    "read_inventory",
]

XLSX_SUFFIXES: Final = (".xlsx", ".xlsm")
CSV_SUFFIXES: Final = (".csv",)
_POPULATIONS_STEM: Final = "_populations"
_ACTIVITIES_STEM: Final = "_activities"

Source = Path | bytes


@dataclass(frozen=True)
class InventoryImport:
    """An imported plan and the notes worth telling the user (sheets ignored, rows skipped)."""

    plan: Plan
    notes: tuple[str, ...] = ()


def is_inventory_file(path: Path) -> bool:
    """Whether ``path`` names a spreadsheet inventory (rather than a YAML/JSON plan)."""
    return path.suffix.lower() in (*XLSX_SUFFIXES, *CSV_SUFFIXES, ".xls")


def read_inventory(
    source: Source,
    filename: str | None = None,
    rules: RuleSet | None = None,
    *,
    populations: Source | None = None,
    populations_filename: str | None = None,
    name: str | None = None,
) -> Plan:
    """The plan in an inventory file; raises :class:`ProblemsError` with every problem.

    ``source`` is a path, or the file's bytes with its ``filename`` (whose suffix says the
    format). For a CSV inventory ``source`` is the activities file and ``populations`` the
    populations file (found next to a path by its name when not given). ``name`` names the
    plan (default: the file name without its suffix).
    """
    return import_inventory(
        source,
        filename,
        rules,
        populations=populations,
        populations_filename=populations_filename,
        name=name,
    ).plan


def import_inventory(
    source: Source,
    filename: str | None = None,
    rules: RuleSet | None = None,
    *,
    populations: Source | None = None,
    populations_filename: str | None = None,
    name: str | None = None,
) -> InventoryImport:
    """Like :func:`read_inventory`, also returning the notes about what was ignored."""
    ruleset = rules if rules is not None else load_rules()
    data, file = _load(source, filename)
    suffix = Path(file).suffix.lower()
    notes: list[str] = []
    if populations is not None and suffix not in CSV_SUFFIXES:
        raise _file_problem(
            file,
            _(
                "a separate populations file goes only with a CSV inventory; a workbook holds "
                "its populations in the Populations sheet"
            ),
        )
    if suffix in XLSX_SUFFIXES:
        book = read_workbook(
            data,
            file,
            (POPULATIONS, ACTIVITIES, *MONITORING_SHEETS),
            optional=MONITORING_SHEETS,
            quiet=TEMPLATE_SHEETS,
        )
        if book.has(PLAN_SHEET) and book.has(TRACKER_SHEET):
            return _exported_plan(data, file, ruleset, name)
        grids, problems, notes = book.grids, book.problems, book.notes
        stem = Path(file).stem
    elif suffix in CSV_SUFFIXES:
        grids, problems, stem = _csv_grids(source, data, file, populations, populations_filename)
    elif suffix == ".xls":
        raise _file_problem(
            file,
            _(
                "old Excel 97–2003 (.xls) files are not read; open it in Excel and save it as "
                "'Excel Workbook (.xlsx)'"
            ),
        )
    else:
        raise _file_problem(
            file,
            _("unsupported inventory file type '{suffix}'; expected .xlsx or .csv").format(
                suffix=suffix
            ),
        )
    plan, more_notes = _plan(grids, problems, ruleset, name or stem or "inventory")
    return InventoryImport(plan, tuple(notes + more_notes))


def _exported_plan(data: bytes, file: str, rules: RuleSet, name: str | None) -> InventoryImport:
    """A workbook prevplan exported (in any language), read as the plan it holds."""
    plan = read_plan_xlsx(data, file, rules)
    return InventoryImport(plan.model_copy(update={"name": name}) if name else plan)


def _file_problem(file: str, message: str) -> ProblemsError:
    """The error for a problem with the file as a whole (no sheet, row or column)."""
    return ProblemsError([Problem(file, "", "", message)])


def _load(source: Source, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, Path):
        file = filename or str(source)
        return read_input_bytes(source, file), file
    if not filename:
        raise TypeError("filename is required when the inventory is given as bytes")
    return source, filename


# --------------------------------------------------------------------------- CSV pairs


def _csv_grids(
    source: Source,
    data: bytes,
    file: str,
    populations: Source | None,
    populations_filename: str | None,
) -> tuple[dict[str, Grid], list[Problem], str]:
    """The two grids of a CSV inventory, the problems reading them, and the plan's name."""
    stem = Path(file).stem
    if populations is None and isinstance(source, Path):
        lowered = stem.lower()
        if lowered.endswith(_ACTIVITIES_STEM):
            base = stem[: -len(_ACTIVITIES_STEM)]
            sibling = source.with_name(base + _POPULATIONS_STEM + source.suffix)
            pop_data, pop_file = _sibling(sibling, file, "populations")
            return _pair(pop_data, pop_file, data, file, base)
        if lowered.endswith(_POPULATIONS_STEM):  # the populations file was named: swap
            base = stem[: -len(_POPULATIONS_STEM)]
            sibling = source.with_name(base + _ACTIVITIES_STEM + source.suffix)
            act_data, act_file = _sibling(sibling, file, "activities")
            return _pair(data, file, act_data, act_file, base)
    if populations is None:
        raise _file_problem(
            file,
            _(
                "a CSV inventory is two files, '<name>_populations.csv' and "
                "'<name>_activities.csv'; name them so, or pass the populations file "
                "too (prevplan assess ACTIVITIES.csv --populations POPULATIONS.csv)"
            ),
        )
    pop_data, pop_file = _load(populations, populations_filename)
    return _pair(pop_data, pop_file, data, file, stem.removesuffix(_ACTIVITIES_STEM))


_SIBLING_MISSING: Final[Mapping[str, str]] = {
    "populations": N_(
        "expected the populations of this inventory in '{path}' next to it (not found); "
        "name the two files '<name>_populations.csv' and '<name>_activities.csv'"
    ),
    "activities": N_(
        "expected the activities of this inventory in '{path}' next to it (not found); "
        "name the two files '<name>_populations.csv' and '<name>_activities.csv'"
    ),
}


def _sibling(path: Path, given: str, role: str) -> tuple[bytes, str]:
    if not path.exists():
        raise _file_problem(given, _(_SIBLING_MISSING[role]).format(path=path))
    return read_input_bytes(path, str(path)), str(path)


def _pair(
    pop_data: bytes, pop_file: str, act_data: bytes, act_file: str, stem: str
) -> tuple[dict[str, Grid], list[Problem], str]:
    grids: dict[str, Grid] = {}
    problems: list[Problem] = []
    for key, data, file in ((POPULATIONS, pop_data, pop_file), (ACTIVITIES, act_data, act_file)):
        grid, found = read_csv_grid(data, file)
        problems += found
        if grid is not None:
            grids[key] = grid
    return grids, problems, stem


# --------------------------------------------------------------------------- to a plan


@dataclass
class _Table:
    grid: Grid
    read: TableRead
    columns: tuple[Column, ...]


def _plan(
    grids: Mapping[str, Grid], problems: list[Problem], rules: RuleSet, name: str
) -> tuple[Plan, list[str]]:
    if not grids:
        raise ProblemsError(problems)
    vocabs = vocabularies(rules)
    pop_examples, act_examples = every_example(rules)
    tables: dict[str, _Table] = {}
    notes: list[str] = []
    for key, columns, examples in (
        (POPULATIONS, population_columns(rules), pop_examples),
        (ACTIVITIES, activity_columns(), act_examples),
    ):
        grid = grids.get(key)
        if grid is None:
            continue
        read = read_records(grid, columns, vocabs, examples=examples)
        problems += read.problems
        notes += read.notes
        tables[key] = _Table(grid, read, columns)
    for key, noun in ((POPULATIONS, "population"), (ACTIVITIES, "activity")):
        if key in tables:
            problems += _duplicate_ids(tables[key], noun)
    if POPULATIONS in tables and ACTIVITIES in tables:
        problems += _unknown_populations(tables[POPULATIONS], tables[ACTIVITIES])
    if ACTIVITIES in tables:
        problems += _nothing_delivered(tables[ACTIVITIES])
    data: dict[str, Any] = {
        "name": name,
        "populations": [r.record for r in tables[POPULATIONS].read.rows]
        if POPULATIONS in tables
        else [],
        "activities": [r.record for r in tables[ACTIVITIES].read.rows]
        if ACTIVITIES in tables
        else [],
    }
    notes += _monitoring(grids, problems, data)
    file = next(iter(grids.values())).file
    try:
        plan = plan_from_data(data, file, rules, default_name=name)
    except ProblemsError as err:
        problems += [p for p in (_translate(p, tables) for p in err.problems) if p is not None]
        raise ProblemsError(_in_reading_order(problems, grids)) from None
    ProblemsError.raise_if_any(_in_reading_order(problems, grids))
    return plan, notes


def _monitoring(
    grids: Mapping[str, Grid], problems: list[Problem], data: dict[str, Any]
) -> list[str]:
    """The inventory's Periods, Progress, Surveys and Decisions sheets (as a plan workbook
    has them, :mod:`prevplan.inventory.progress_sheets`) put on the plan data; the notes.

    An NGO reports what it delivered in the Progress sheet; without a Periods sheet the
    plan's periods are those its rows name."""
    monitoring = read_monitoring(grids, problems)
    activity_ids = {str(a.get("id")) for a in data.get("activities", [])}
    problems += monitoring.unknown_activities(grids.get(PROGRESS_SHEET), activity_ids)
    notes: list[str] = []
    if not monitoring.periods and monitoring.has_data():
        monitoring.periods = monitoring.periods_used()
        notes.append(
            _("no Periods sheet: the plan's periods are those the rows name ({periods})").format(
                periods=", ".join(monitoring.periods)
            )
        )
    monitoring.merge_into(data)
    return notes


def _in_reading_order(problems: list[Problem], grids: Mapping[str, Grid]) -> list[Problem]:
    """Each problem once, ordered as a person reads the files: sheet, row, column."""
    files = [g.file for g in grids.values()]
    sheets = [g.sheet for g in grids.values()]

    def key(problem: Problem) -> tuple[int, int, int]:
        at = problem.at
        if at.kind != "cell" or at.number is None:
            return (-1, 0, 0)
        rank = sheets.index(at.sheet) if at.sheet in sheets else len(sheets)
        if at.sheet is None and problem.file in files:
            rank = files.index(problem.file)
        return (rank, at.number, at.column or 0)

    return sorted(dict.fromkeys(problems), key=key)


_DUPLICATE_ID: Final[Mapping[tuple[str, str], str]] = {
    ("population", "row"): N_(
        "duplicate population ID '{id}', also used in row {first}; expected each ID once"
    ),
    ("population", "line"): N_(
        "duplicate population ID '{id}', also used in line {first}; expected each ID once"
    ),
    ("activity", "row"): N_(
        "duplicate activity ID '{id}', also used in row {first}; expected each ID once"
    ),
    ("activity", "line"): N_(
        "duplicate activity ID '{id}', also used in line {first}; expected each ID once"
    ),
}


def _duplicate_ids(table: _Table, noun: str) -> list[Problem]:
    column = table.read.headers.get("id")
    if column is None:
        return []
    col, header = column
    unit = "row" if table.grid.sheet else "line"
    first: dict[str, int] = {}
    out: list[Problem] = []
    for row in table.read.rows:
        row_id = row.record.get("id")
        if not isinstance(row_id, str):
            continue
        if row_id in first:
            out.append(
                Problem(
                    table.grid.file,
                    table.grid.where(row.number, col),
                    header,
                    _(_DUPLICATE_ID[noun, unit]).format(id=row_id, first=first[row_id]),
                )
            )
            row.reported.add("id")
        else:
            first[row_id] = row.number
    return out


def _unknown_populations(populations: _Table, activities: _Table) -> list[Problem]:
    column = activities.read.headers.get("population_id")
    if column is None:
        return []
    col, header = column
    known = [r.record["id"] for r in populations.read.rows if isinstance(r.record.get("id"), str)]
    sheet = populations.grid.sheet
    out: list[Problem] = []
    for row in activities.read.rows:
        population_id = row.record.get("population_id")
        if not isinstance(population_id, str) or population_id in known:
            continue
        close = difflib.get_close_matches(population_id, known, n=1, cutoff=0.6)
        hint = " " + _("(did you mean '{id}'?)").format(id=close[0]) if close else ""
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        template = _UNKNOWN_IN_SHEET if sheet is not None else _UNKNOWN_IN_FILE
        out.append(
            Problem(
                activities.grid.file,
                activities.grid.where(row.number, col),
                header,
                _(template[bool(listed)]).format(
                    id=population_id,
                    hint=hint,
                    sheet=sheet,
                    file=populations.grid.file,
                    listed=listed,
                ),
            )
        )
        row.reported.add("population_id")
    return out


# (when the populations have no ID, when they have some)
_UNKNOWN_IN_SHEET: Final = (
    N_("unknown population '{id}'{hint}; expected an ID from the sheet '{sheet}' (it has none)"),
    N_("unknown population '{id}'{hint}; expected an ID from the sheet '{sheet}': {listed}"),
)
_UNKNOWN_IN_FILE: Final = (
    N_("unknown population '{id}'{hint}; expected an ID from the '{file}' (it has none)"),
    N_("unknown population '{id}'{hint}; expected an ID from the '{file}': {listed}"),
)

_NOTHING_DELIVERED: Final = N_("an activity must name at least one strategy or intervention")


def _nothing_delivered(activities: _Table) -> list[Problem]:
    """Activities naming no strategy or intervention.

    The plan model says so too, but only for an activity whose other fields are valid;
    said here, it is said at once with the rest.
    """
    column = activities.read.headers.get("strategies") or activities.read.headers.get(
        "interventions"
    )
    out: list[Problem] = []
    for row in activities.read.rows:
        fields = {"strategies", "interventions"}
        if fields & row.reported or fields & set(row.record):
            continue
        where = activities.grid.where(row.number, column[0] if column else None)
        out.append(
            Problem(activities.grid.file, where, column[1] if column else "", _(_NOTHING_DELIVERED))
        )
    return out


# Field names that read as code in a message ("greater than age_max 12"): say the header.
_CODE_WORD: Final = re.compile(r"\b[a-z]+(?:_[a-z]+)+(?:\.[a-z_]+)?\b")


def _translate(problem: Problem, tables: Mapping[str, _Table]) -> Problem | None:
    """The plan validator's problem, said in the sheet's terms; None if already said."""
    place = parse_record_place(problem)
    if place is not None and place.kind == "activity_id":
        return None  # a duplicate id: said row by row already
    if place is None or place.kind not in ("population", "activity"):
        return problem
    table = tables.get(POPULATIONS if place.kind == "population" else ACTIVITIES)
    index = int(place.value) - 1
    if table is None or not 0 <= index < len(table.read.rows):
        return problem
    row = table.read.rows[index]
    field = problem.field
    message = problem.message
    if (
        field in row.reported
        or message in (_NOTHING_DELIVERED, _(_NOTHING_DELIVERED))
        or _starts_like(message, _DUPLICATE_POPULATION_ID)
        or (field == "population_id" and _starts_like(message, _UNKNOWN_POPULATION))
    ):
        return None  # said already, in the sheet's terms
    known = {c.field for c in table.columns}
    if field in known and field not in table.read.headers:
        return None  # a missing required column: said once for the header
    headers = {f: h for f, (_col, h) in table.read.headers.items()}
    message = _CODE_WORD.sub(lambda m: f"'{headers[m[0]]}'" if m[0] in headers else m[0], message)
    if any(_starts_like(message, missing) for missing in _MISSING):
        message = _("empty; expected a value — this column is required")
    if field in table.read.headers:
        col, header = table.read.headers[field]
        return Problem(table.grid.file, table.grid.where(row.number, col), header, message)
    return Problem(table.grid.file, table.grid.where(row.number), field, message)


# The plan validator's messages (``prevplan.io.populations``, ``prevplan.plan.io``) that
# ``_translate`` recognises, in English; matched in the current language by their start.
_DUPLICATE_POPULATION_ID: Final = (
    "duplicate id '{id}', also used by {other}; expected ids unique within the file"
)
_UNKNOWN_POPULATION: Final = "unknown population '{id}'"
_MISSING: Final = ("missing; expected {expected}", "missing; this field is required")


def _starts_like(message: str, template: str) -> bool:
    """Whether ``message`` is ``template`` (as the current language says it) filled in."""
    start = _(template).split("{", 1)[0]
    return bool(start) and message.startswith(start)
