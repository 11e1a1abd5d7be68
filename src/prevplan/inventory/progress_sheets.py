"""The monitoring sheets of a plan workbook: Periods, Progress, Surveys and Decisions.

A plan followed through its periods (interfaces §8) is filled in where ministries and NGOs
keep their figures — in Excel. The exported workbook gets four sheets, written here and read
back by :func:`read_monitoring` (called from :mod:`prevplan.inventory.plan_workbook`):

- **Periods** — the plan's periods in order, one per row;
- **Progress** — one row per activity and period: reach, target, sessions planned and
  delivered, spending, budget, fidelity (a share 0–1) and its checklist (``component=yes;
  other=no``), a note; the period and the activity are chosen from drop-downs, fidelity is
  checked to lie between 0 and 1 as it is typed;
- **Surveys** — one row per population, period and indicator (``risk_factors.peers``,
  ``use.past_30_day`` …, chosen from a drop-down): the value, its 95 % interval, the
  respondents and the source;
- **Decisions** — the decisions log: period, warning, activity, population, decision, by,
  date.

Headers are read in any of the three languages. A bad cell is reported at its sheet, row and
column, with what was expected; the rows that are right still reach the plan's validation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from prevplan.i18n import N_, _
from prevplan.inventory.columns import ACTIVITIES, POPULATIONS
from prevplan.inventory.plan_sheets import neutralise, unescape
from prevplan.inventory.tables import Grid
from prevplan.inventory.template import fit_header_row, print_setup
from prevplan.inventory.vocab import every_language, fold, sheet_title
from prevplan.io.errors import explain
from prevplan.plan.models import Plan
from prevplan.plan.progress import USE_INDICATORS, Progress
from prevplan.problems import Problem
from prevplan.vocab import ProtectiveFactor, RiskFactor

PERIODS_SHEET: Final = N_("Periods")
PROGRESS_SHEET: Final = N_("Progress")
SURVEYS_SHEET: Final = N_("Surveys")
DECISIONS_SHEET: Final = N_("Decisions")
MONITORING_SHEETS: Final = (PERIODS_SHEET, PROGRESS_SHEET, SURVEYS_SHEET, DECISIONS_SHEET)

HEADERS: Final[dict[str, dict[str, str]]] = {
    PERIODS_SHEET: {"period": N_("Monitoring period")},
    PROGRESS_SHEET: {
        "period": N_("Monitoring period"),
        "activity_id": N_("Activity ID"),
        "reach": N_("People reached"),
        "target": N_("Target"),
        "sessions_planned": N_("Sessions planned"),
        "sessions_delivered": N_("Sessions delivered"),
        "spent": N_("Spent"),
        "budget": N_("Budget"),
        "fidelity": N_("Fidelity (0–1)"),
        "fidelity_checklist": N_("Fidelity checklist"),
        "note": N_("Note"),
    },
    SURVEYS_SHEET: {
        "population_id": N_("Population ID"),
        "period": N_("Monitoring period"),
        "indicator": N_("Indicator"),
        "value": N_("Value"),
        "low": N_("95 % interval, low"),
        "high": N_("95 % interval, high"),
        "respondents": N_("Respondents"),
        "source": N_("Source"),
    },
    DECISIONS_SHEET: {
        "period": N_("Monitoring period"),
        "warning": N_("Warning"),
        "activity_id": N_("Activity ID"),
        "population_id": N_("Population ID"),
        "decision": N_("Decision"),
        "by": N_("Decided by"),
        "date": N_("Date (YYYY-MM-DD)"),
    },
}

INDICATORS: Final = (
    *(f"risk_factors.{r.value}" for r in RiskFactor),
    *(f"protective_factors.{p.value}" for p in ProtectiveFactor),
    *(f"use.{u}" for u in USE_INDICATORS),
)
MONITORING_CODES: Final = ("off_track", "low_fidelity", "overspent", "rising_risk")
_INTEGER_FIELDS: Final = frozenset(
    {"reach", "target", "sessions_planned", "sessions_delivered", "respondents"}
)
_TEXT_FIELDS: Final = frozenset(
    {
        "period",
        "activity_id",
        "population_id",
        "note",
        "source",
        "decision",
        "by",
        "warning",
        "indicator",
        "date",
        "fidelity_checklist",
    }
)
_HEADER_FONT: Final = Font(bold=True, color="FFFFFF")
_HEADER_FILL: Final = PatternFill("solid", fgColor="0072B2")


def has_monitoring(plan: Plan) -> bool:
    """Whether the plan has anything for the monitoring sheets."""
    return bool(
        plan.periods or plan.surveys or plan.decisions or any(a.progress for a in plan.activities)
    )


# --- writing -----------------------------------------------------------------------------------


def write_monitoring_sheets(book: Workbook, plan: Plan) -> None:
    """Add the four monitoring sheets (with drop-downs) to an exported plan workbook."""
    periods = [{"period": p} for p in plan.periods]
    progress = [
        {
            "activity_id": activity.id,
            **row.model_dump(exclude_none=True, exclude={"fidelity_checklist"}),
            "fidelity_checklist": _checklist_text(row.fidelity_checklist),
        }
        for activity in plan.activities
        for row in activity.progress
    ]
    surveys = [
        {"population_id": pop_id, **line}
        for pop_id, results in plan.surveys.items()
        for result in results
        for line in _survey_lines(result.model_dump(mode="json", exclude_none=True))
    ]
    decisions = [d.model_dump(exclude_none=True) for d in plan.decisions]
    last = max(len(plan.periods), 1) + 1
    period_list = f"='{sheet_title(PERIODS_SHEET)}'!$A$2:$A${last}"
    ids = [a.id for a in plan.activities]
    pops = [p.id for p in plan.populations]
    # Ids fill column A of the Activities and Populations sheets: long lists are taken from
    # there (a literal drop-down list holds at most 255 characters).
    activity_list = _choice(ids) or _column_range(ACTIVITIES, len(ids))
    population_list = _choice(pops) or _column_range(POPULATIONS, len(pops))
    for key, rows, lists in (
        (PERIODS_SHEET, periods, {}),
        (PROGRESS_SHEET, progress, {"period": period_list, "activity_id": activity_list}),
        (
            SURVEYS_SHEET,
            surveys,
            {
                "period": period_list,
                "population_id": population_list,
                "indicator": _choice(INDICATORS),
            },
        ),
        (
            DECISIONS_SHEET,
            decisions,
            {"period": period_list, "warning": _choice(MONITORING_CODES)},
        ),
    ):
        _write(book.create_sheet(sheet_title(key)), key, rows, lists)


def _choice(values: Sequence[str]) -> str | None:
    """A drop-down list of literal values, when Excel's 255-character limit allows one."""
    text = ",".join(values)
    if not values or len(text) > 250 or any('"' in v or "," in v for v in values):
        return None
    return f'"{text}"'


def _column_range(key: str, count: int) -> str:
    """Column A (the ids) of the sheet ``key``, below its header."""
    return f"='{sheet_title(key)}'!$A$2:$A${max(count, 1) + 1}"


def _checklist_text(checklist: Mapping[str, bool]) -> str:
    return "; ".join(f"{name}={'yes' if done else 'no'}" for name, done in checklist.items())


def _survey_lines(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A survey result as one row per indicator."""
    intervals = result.get("intervals", {})
    lines: list[dict[str, Any]] = []
    for section in ("risk_factors", "protective_factors", "use"):
        for name, value in result.get(section, {}).items():
            indicator = f"{section}.{name}"
            interval = intervals.get(indicator, {})
            lines.append(
                {
                    "period": result["period"],
                    "indicator": indicator,
                    "value": value,
                    "low": interval.get("low"),
                    "high": interval.get("high"),
                    "respondents": result.get("respondents"),
                    "source": result.get("source"),
                }
            )
    if not lines:  # a survey result with no figure still records that it happened
        lines.append(
            {
                "period": result["period"],
                "respondents": result.get("respondents"),
                "source": result.get("source"),
            }
        )
    return lines


def _write(
    sheet: Worksheet,
    key: str,
    rows: Sequence[Mapping[str, Any]],
    lists: Mapping[str, str | None],
) -> None:
    fields = list(HEADERS[key])
    for col, name in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=col, value=neutralise(_(HEADERS[key][name])))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        width = 40 if name in ("decision", "note", "source", "fidelity_checklist") else 16
        sheet.column_dimensions[get_column_letter(col)].width = width
    for number, row in enumerate(rows, start=2):
        for col, name in enumerate(fields, start=1):
            value = row.get(name)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=col)
            if isinstance(value, bool) or not isinstance(value, int | float):
                cell.value = neutralise(str(value))
                cell.data_type = "s"
            else:
                cell.value = value
    sheet.freeze_panes = "A2"
    # A filter on the header row, as on every data sheet of the workbook.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(len(rows), 1) + 1}"
    fit_header_row(sheet)
    print_setup(sheet)
    end = max(len(rows) + 1, 500)  # room for the rows a planner adds
    for name, formula in lists.items():
        if formula is None:
            continue
        letter = get_column_letter(fields.index(name) + 1)
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.add(f"{letter}2:{letter}{end}")
        sheet.add_data_validation(check)
    if "fidelity" in fields:
        letter = get_column_letter(fields.index("fidelity") + 1)
        share = DataValidation(
            type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True
        )
        share.error = _("Fidelity is a share between 0 and 1 (0.85 for 85 %).")
        share.showErrorMessage = True
        share.add(f"{letter}2:{letter}{end}")
        sheet.add_data_validation(share)


# --- reading -----------------------------------------------------------------------------------


@dataclass
class Monitoring:
    """What the monitoring sheets hold, as plan-file data."""

    periods: list[str] = field(default_factory=list)
    progress: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    surveys: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    progress_rows: dict[str, list[int]] = field(default_factory=dict)
    """The Progress sheet's row numbers of each activity's records."""

    def has_data(self) -> bool:
        """Whether the sheets hold anything besides the periods."""
        return bool(self.progress or self.surveys or self.decisions)

    def periods_used(self) -> list[str]:
        """The periods the progress, survey and decision rows name, in order (a workbook
        without a Periods sheet: an NGO's inventory with a Progress sheet)."""
        named = {
            str(record["period"])
            for records in (*self.progress.values(), *self.surveys.values(), self.decisions)
            for record in records
            if record.get("period") not in (None, "")
        }
        return sorted(named)

    def unknown_activities(self, grid: Grid | None, activity_ids: set[str]) -> list[Problem]:
        """A problem at each Progress row whose activity is not in the Activities sheet (its
        figures would otherwise be lost without a word)."""
        if grid is None:
            return []
        header = HEADERS[PROGRESS_SHEET]["activity_id"]
        return [
            Problem(
                grid.file,
                grid.where(number),
                _(header),
                _("unknown activity '{id}'").format(id=activity_id)
                if activity_id
                else _("missing; expected the id of an activity of the Activities sheet"),
            )
            for activity_id, numbers in self.progress_rows.items()
            if activity_id not in activity_ids
            for number in numbers
        ]

    def merge_into(self, plan_data: dict[str, Any]) -> None:
        """Put the sheets' data on the plan data read from the other sheets."""
        if self.periods:
            plan_data["periods"] = self.periods
        if self.decisions:
            plan_data["decisions"] = self.decisions
        for activity in plan_data.get("activities", []):
            rows = self.progress.get(str(activity.get("id")))
            if rows:
                activity["progress"] = rows
        for population in plan_data.get("populations", []):
            results = self.surveys.get(str(population.get("id")))
            if results:
                population["surveys"] = results


def read_monitoring(grids: Mapping[str, Grid], problems: list[Problem]) -> Monitoring:
    """The monitoring sheets present in ``grids`` (by sheet key); problems by cell."""
    out = Monitoring()
    grid = grids.get(PERIODS_SHEET)
    if grid is not None:
        out.periods = [str(r["period"]) for r in _records(grid, PERIODS_SHEET, problems)]
    grid = grids.get(PROGRESS_SHEET)
    if grid is not None:
        for record in _records(grid, PROGRESS_SHEET, problems):
            activity_id = str(record.pop("activity_id", ""))
            number, cols = record.pop("_row"), record.pop("_cols")
            if "fidelity_checklist" in record:
                record["fidelity_checklist"] = _checklist(str(record["fidelity_checklist"]))
            try:
                Progress.model_validate(record)
            except ValidationError as exc:
                for error in exc.errors(include_url=False):
                    name = str(error["loc"][0]) if error["loc"] else ""
                    problems.append(
                        Problem(
                            grid.file,
                            grid.where(number, cols.get(name)),
                            _(HEADERS[PROGRESS_SHEET].get(name, name)),
                            explain(error),
                        )
                    )
                continue
            out.progress.setdefault(activity_id, []).append(record)
            out.progress_rows.setdefault(activity_id, []).append(number)
    grid = grids.get(SURVEYS_SHEET)
    if grid is not None:
        out.surveys = _surveys(_records(grid, SURVEYS_SHEET, problems), grid, problems)
    grid = grids.get(DECISIONS_SHEET)
    if grid is not None:
        for record in _records(grid, DECISIONS_SHEET, problems):
            record.pop("_row")
            record.pop("_cols")
            out.decisions.append(record)
    return out


def _checklist(text: str) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for part in text.split(";"):
        name, _sep, done = part.partition("=")
        if name.strip():
            out[name.strip()] = fold(done) in ("yes", "y", "1", "true", "да", "是")
    return out


def _records(grid: Grid, key: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """Each non-empty row as ``{field: value}``, with ``_row`` and ``_cols`` (field → column)."""
    if not grid.rows:
        return []
    spellings = {
        fold(spelling): name
        for name, message in HEADERS[key].items()
        for spelling in (name, *every_language(message))
    }
    header = grid.rows[0][1]
    cols = {
        spellings[fold(str(cell))]: n
        for n, cell in enumerate(header)
        if cell is not None and fold(str(cell)) in spellings
    }
    out: list[dict[str, Any]] = []
    for number, cells in grid.rows[1:]:
        record: dict[str, Any] = {}
        for name, col in cols.items():
            bad = grid.bad_cells.get((number, col))
            if bad is not None:
                problems.append(
                    Problem(grid.file, grid.where(number, col), _(HEADERS[key][name]), bad)
                )
                continue
            value = cells[col] if col < len(cells) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            record[name] = _cell(name, value)
        if record:
            record["_row"] = number
            record["_cols"] = cols
            out.append(record)
    return out


def _cell(name: str, value: object) -> object:
    if (
        isinstance(value, float)
        and value.is_integer()
        and (name in _INTEGER_FIELDS or name in _TEXT_FIELDS)
    ):
        value = int(value)
    if name in _TEXT_FIELDS:
        return unescape(str(value).strip())
    return unescape(value) if isinstance(value, str) else value


def _surveys(
    records: list[dict[str, Any]], grid: Grid, problems: list[Problem]
) -> dict[str, list[dict[str, Any]]]:
    """Rows of the Surveys sheet gathered into survey results by population and period."""
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        number, cols = record.pop("_row"), record.pop("_cols")
        key = (str(record.get("population_id", "")), str(record.get("period", "")))
        result = results.setdefault(key, {"period": key[1]})
        for name in ("respondents", "source"):
            if name in record:
                result[name] = record[name]
        indicator = record.get("indicator")
        if indicator is None:
            continue
        if indicator not in INDICATORS:
            problems.append(
                Problem(
                    grid.file,
                    grid.where(number, cols.get("indicator")),
                    _(HEADERS[SURVEYS_SHEET]["indicator"]),
                    _("unknown indicator '{value}'; expected one of {choices}").format(
                        value=indicator, choices=", ".join(INDICATORS)
                    ),
                )
            )
            continue
        section, _dot, name = str(indicator).partition(".")
        if "value" in record:
            result.setdefault(section, {})[name] = record["value"]
        if "low" in record and "high" in record:
            result.setdefault("intervals", {})[indicator] = {
                "low": record["low"],
                "high": record["high"],
            }
    out: dict[str, list[dict[str, Any]]] = {}
    for (pop_id, _period), result in results.items():
        out.setdefault(pop_id, []).append(result)
    return out
