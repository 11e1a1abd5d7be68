"""The plan as an Excel workbook: one sheet per table, safe to open, and read back unchanged.

Sheets:

- **Plan** — name, country, region, period, description (one row each: field, value).
- **Populations**, **Activities** — the plan's data, with the columns of the inventory
  template (:mod:`prevplan.inventory.columns`), so the same workbook is also a valid
  inventory for ``prevplan assess``; strategies, interventions, settings, risk and special
  groups and Annex V items show their readable labels ("Work with parents (VI-3.1.1)"), as
  the template's drop-downs do; numbers stay numbers.
- **Tracker** — the coordinators' status of Program of Actions items (Annex V).
- **Coverage** (per population), **Strategies** (VI-3), **Action items** (Annex V, served or
  not), **Costs** (by strategy and prevention level) and **Warnings** — the assessment, from
  the analytics tables (:mod:`prevplan.analytics.frames`), for reading and filtering.

Sheet titles, headers, field names, statuses and labels are in the reader's language
(English, Russian or Chinese); the import reads a workbook made in any of them. Texts the user
wrote (names, descriptions, notes) stay as they are; the Annex V table's own columns (schedule,
executors, coordinating body) are quoted from the source, with prevplan's translation in
brackets outside English.

Every sheet has a bold header row, fitted column widths, a frozen header and an autofilter.
A text cell that begins with ``=``, ``+``, ``-`` or ``@`` would be taken for a formula by a
spreadsheet (CSV/formula injection): it is written with a leading ``'`` as a text cell, so an
opened export never computes anything. A text that already begins with ``'`` gets one more,
so :func:`unescape` gives back exactly what was written. The data sheets read back to an
equal plan with :func:`prevplan.inventory.plan_workbook.read_plan_xlsx`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from prevplan.analytics import (
    action_item_frame,
    cost_frame,
    populations_frame,
    strategy_frame,
    warning_frame,
)
from prevplan.i18n import N_, _, current_language, text_width, use_language
from prevplan.inventory.columns import (
    ACTIVITIES,
    LIST_SEPARATOR,
    PLAN_SHEET,
    POPULATIONS,
    TRACKER_SHEET,
    Column,
    activity_columns,
    population_columns,
)
from prevplan.inventory.plan_sheets import (
    PLAN_FIELD_LABELS,
    PLAN_FIELDS,
    STATUS_LABELS,
    TRACKER_FIELDS,
    TRACKER_HEADERS,
    neutralise,
    unescape,
)
from prevplan.inventory.progress_sheets import has_monitoring, write_monitoring_sheets
from prevplan.inventory.template import fit_header_row, flatten, print_setup, workbook_bytes
from prevplan.inventory.vocab import ListKey, Vocabulary, sheet_title, vocabularies
from prevplan.plan.assess import assess
from prevplan.plan.assessment import Assessment
from prevplan.plan.io import plan_to_data
from prevplan.plan.models import Plan
from prevplan.present.labels import source_table_text
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

if TYPE_CHECKING:
    from prevplan.optimise.result import OptimisationResult

__all__ = [
    "ACTION_ITEMS_SHEET",
    "COSTS_SHEET",
    "COVERAGE_SHEET",
    "PLAN_FIELDS",
    "PLAN_FIELD_LABELS",
    "PLAN_SHEET",
    "STATUS_LABELS",
    "STRATEGIES_SHEET",
    "TRACKER_FIELDS",
    "TRACKER_HEADERS",
    "TRACKER_SHEET",
    "WARNINGS_SHEET",
    "SheetColumn",
    "neutralise",
    "plan_workbook",
    "put",
    "unescape",
    "write_sheet",
]

# Sheet keys (``N_`` messages): a workbook titles them in its language, see ``sheet_title``.
COVERAGE_SHEET: Final = N_("Coverage")
STRATEGIES_SHEET: Final = N_("Strategies")
ACTION_ITEMS_SHEET: Final = N_("Action items")
COSTS_SHEET: Final = N_("Costs")
WARNINGS_SHEET: Final = N_("Warnings")

# Codes of the analysis tables (:mod:`prevplan.analytics.frames`) as the sheets word them.
_CODE_WORDS: Final = {
    "kind": {"fundamental": N_("fundamental"), "supporting": N_("supporting")},
    "status": {"served": N_("served"), "not served": N_("not served")},
    "tracker_status": STATUS_LABELS,
    "group": {"strategy": N_("strategy"), "level": N_("level")},
}

_HEADER_FONT: Final = Font(name="Calibri", bold=True, color="FFFFFF")
_HEADER_FILL: Final = PatternFill("solid", fgColor="0072B2")  # Okabe–Ito blue, as the charts
_WRAP: Final = Alignment(wrap_text=True, vertical="top")
_TEXT_ALIGN: Final = Alignment(vertical="top")

COUNT: Final = "#,##0"
SHARE: Final = "0.0%"
MONEY: Final = "#,##0.00"


def put(sheet: Worksheet, row: int, column: int, value: object, number_format: str = "") -> None:
    """Write one cell: text neutralised and typed as text, numbers as numbers."""
    cell = sheet.cell(row=row, column=column)
    if value is None or value == "" or value is pd.NA:
        return
    if isinstance(value, float) and math.isnan(value):
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int | float):
        cell.value = value
        if number_format:
            cell.number_format = number_format
    else:
        cell.value = neutralise(str(value))
        cell.data_type = "s"  # never "f", whatever the text looks like
        cell.alignment = _TEXT_ALIGN


@dataclass(frozen=True)
class SheetColumn:
    """One column of a sheet: its header, where its value comes from, and its look."""

    header: str
    key: str
    number_format: str = ""
    width: float | None = None


def write_sheet(
    sheet: Worksheet,
    columns: Sequence[SheetColumn],
    rows: Iterable[Mapping[str, object]],
    *,
    freeze_columns: int = 0,
) -> None:
    """A table with a styled, frozen header row, an autofilter and fitted widths."""
    widths = [text_width(c.header) * 0.9 for c in columns]
    for col, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col, value=neutralise(column.header))
        cell.data_type = "s"
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, column in enumerate(columns, start=1):
            value = row.get(column.key)
            put(sheet, count + 1, col, value, column.number_format)
            if value is not None:
                shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
                widths[col - 1] = max(widths[col - 1], text_width(shown))
    for col, column in enumerate(columns, start=1):
        width = column.width or min(max(widths[col - 1] + 2, 9), 60)
        sheet.column_dimensions[get_column_letter(col)].width = width
    fit_header_row(sheet)
    sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(count + 1, 2)}"
    print_setup(sheet)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows of a frame as plain Python values (numpy scalars and NA become int/float/None)."""
    out: list[dict[str, object]] = []
    for record in frame.to_dict("records"):
        row: dict[str, object] = {}
        for key, value in record.items():
            if value is None or value is pd.NA:
                row[str(key)] = None
            elif hasattr(value, "item"):
                row[str(key)] = value.item()
            else:
                row[str(key)] = value
        out.append(row)
    return out


def _worded(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rows of an analysis table with its codes (``fundamental``, ``served``, …) in words."""
    for row in rows:
        for key, words in _CODE_WORDS.items():
            value = row.get(key)
            if isinstance(value, str) and value in words:
                row[key] = _(words[value])
    return rows


def _with_activity_names(
    rows: list[dict[str, object]], names: Mapping[str, str], key: str = "activity_ids"
) -> list[dict[str, object]]:
    """Rows with ``activity_names``: the activities ``key`` lists (``;``-separated ids), by
    name."""
    for row in rows:
        value = row.get(key)
        ids = [i.strip() for i in str(value).split(";")] if value else []
        row["activity_names"] = "; ".join(names.get(i, i) for i in ids if i) or None
    return rows


def _with_warning_titles(
    rows: list[dict[str, object]], warnings: Sequence[Mapping[str, object]]
) -> list[dict[str, object]]:
    """Coverage rows with ``warning_titles``: their warning codes as the Warnings sheet
    titles them."""
    titles = {str(w.get("code")): str(w.get("title")) for w in warnings}
    for row in rows:
        value = row.get("warning_codes")
        codes = [c.strip() for c in str(value).replace(",", ";").split(";")] if value else []
        row["warning_titles"] = "; ".join(titles.get(c, c) for c in codes if c) or None
    return rows


_SOURCE_TABLE_KEYS: Final = ("schedule", "executors", "coordinating_body")


def _with_source_translation(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Annex V's own columns (schedule, executors, coordinating body) as the tracker page
    shows them: the source's English, with prevplan's translation in brackets outside
    English."""
    for row in rows:
        for key in _SOURCE_TABLE_KEYS:
            value = row.get(key)
            if isinstance(value, str) and value:
                row[key] = source_table_text(value)
    return rows


def _shown(record: Mapping[str, Any], vocab_of: Mapping[str, Vocabulary]) -> dict[str, object]:
    """A plan record as its sheet shows it: rule ids as labels, lists ``;``-separated."""
    row = flatten(record)
    for key, value in row.items():
        values = value if isinstance(value, list | tuple) else None
        vocab = vocab_of.get(key)
        if vocab is not None and isinstance(value, bool):
            value = "true" if value else "false"
        if vocab is not None and (values is not None or isinstance(value, str)):
            values = [vocab.display(str(v)) for v in (values if values is not None else [value])]
        if values is not None:
            row[key] = f"{LIST_SEPARATOR} ".join(str(v) for v in values) or None
    return row


def _vocab_of(
    columns: Sequence[Column], vocabs: Mapping[ListKey, Vocabulary]
) -> dict[str, Vocabulary]:
    return {c.field: vocabs[c.vocab] for c in columns if c.vocab is not None}


def plan_workbook(
    plan: Plan,
    rules: RuleSet | None = None,
    *,
    lang: str | None = None,
    assessment: Assessment | None = None,
    optimised: OptimisationResult | None = None,
) -> bytes:
    """The plan and its assessment as an .xlsx workbook (bytes; same plan, same bytes); with
    ``optimised``, also the budget allocation (:mod:`prevplan.export.xlsx_allocation`)."""
    ruleset = rules if rules is not None else load_rules()
    with use_language(lang or current_language()):
        result = assessment if assessment is not None else assess(plan, ruleset)
        vocabs = vocabularies(ruleset)
        book = Workbook()
        first = book.active
        assert first is not None
        first.title = sheet_title(PLAN_SHEET)
        _plan_sheet(first, plan)
        data = plan_to_data(plan)
        for key, field, columns in (
            (POPULATIONS, "populations", population_columns(ruleset)),
            (ACTIVITIES, "activities", activity_columns()),
        ):
            vocab_of = _vocab_of(columns, vocabs)
            write_sheet(
                book.create_sheet(sheet_title(key)),
                [SheetColumn(c.header, c.field, width=c.width) for c in columns],
                (_shown(r, vocab_of) for r in data.get(field, [])),
                freeze_columns=2,
            )
        write_sheet(
            book.create_sheet(sheet_title(TRACKER_SHEET)),
            [SheetColumn(_(TRACKER_HEADERS[f]), f) for f in TRACKER_FIELDS],
            (_tracker_row(t, vocabs[Kind.ACTION_ITEM]) for t in data.get("tracker", [])),
        )
        if has_monitoring(plan):
            write_monitoring_sheets(book, plan)
        _analysis_sheets(book, result, ruleset, plan)
        if optimised is not None:
            from prevplan.export.xlsx_allocation import allocation_sheets

            allocation_sheets(book, optimised, plan, ruleset)
        book.properties.title = plan.name
        book.properties.creator = "prevplan"
        return workbook_bytes(book)


def _tracker_row(entry: Mapping[str, Any], items: Vocabulary) -> dict[str, object]:
    """A tracker entry as the Tracker sheet shows it: the item's label, the status in words."""
    row = flatten(entry)
    if isinstance(row.get("action_item"), str):
        row["action_item"] = items.display(str(row["action_item"]))
    status = row.get("status")
    if isinstance(status, str) and status in STATUS_LABELS:
        row["status"] = _(STATUS_LABELS[status])
    return row


def _plan_sheet(sheet: Worksheet, plan: Plan) -> None:
    about = {
        "name": _("Name of the plan"),
        "country": _("Country"),
        "region": _("Region"),
        "period": _("Period the plan covers"),
        "description": _("Description"),
        "currency": _("Currency of every cost, as an ISO 4217 code (KZT, RUB, CNY …)"),
        "price_year": _("Year whose prices the costs are in"),
    }
    write_sheet(
        sheet,
        [
            SheetColumn(_("Field"), "field", width=14),
            SheetColumn(_("Value"), "value", width=80),
            SheetColumn(_("About"), "about", width=28),
        ],
        [
            {"field": _(PLAN_FIELD_LABELS[f]), "value": getattr(plan, f), "about": about[f]}
            for f in PLAN_FIELDS
        ],
    )
    for row in range(2, len(PLAN_FIELDS) + 2):
        sheet.cell(row=row, column=2).alignment = _WRAP


def _analysis_sheets(book: Workbook, result: Assessment, rules: RuleSet, plan: Plan) -> None:
    # Ids stay (last) for filtering and machines; a reader gets names (#18).
    activity_names = {a.id: a.name or a.id for a in plan.activities}
    warnings = _worded(_records(warning_frame(result, rules)))
    write_sheet(
        book.create_sheet(sheet_title(COVERAGE_SHEET)),
        [
            SheetColumn(_("Population"), "name", width=40),
            SheetColumn(_("Region"), "region"),
            SheetColumn(_("Prevention level"), "level_label", width=30),
            SheetColumn(_("Age stages"), "age_stage_labels", width=30),
            SheetColumn(_("People"), "size", COUNT),
            SheetColumn(_("Activities"), "activities", COUNT),
            SheetColumn(_("People effectively reached"), "effective_reach", COUNT),
            SheetColumn(_("Effective coverage"), "effective_coverage", SHARE),
            SheetColumn(_("People reached (lower bound)"), "reach", COUNT),
            SheetColumn(_("People reached (upper bound)"), "reach_upper", COUNT),
            SheetColumn(_("Coverage by any activity"), "coverage", SHARE),
            SheetColumn(_("Target reach"), "target_reach", COUNT),
            SheetColumn(_("Target coverage"), "target_coverage", SHARE),
            SheetColumn(_("Cost"), "cost", MONEY),
            SheetColumn(
                _("Cost per person effectively reached"), "cost_per_effective_person", MONEY
            ),
            SheetColumn(_("Cost per person reached"), "cost_per_person", MONEY),
            SheetColumn(_("Strategies delivered"), "strategies", COUNT),
            SheetColumn(_("Warnings"), "warnings", COUNT),
            SheetColumn(_("Warnings (titles)"), "warning_titles", width=40),
            SheetColumn(_("Warning codes"), "warning_codes", width=40),
            SheetColumn(_("Population ID"), "population_id"),
        ],
        _with_warning_titles(_worded(_records(populations_frame(result, rules))), warnings),
        freeze_columns=1,
    )
    write_sheet(
        book.create_sheet(sheet_title(STRATEGIES_SHEET)),
        [
            SheetColumn(_("Clause"), "clause"),
            SheetColumn(_("Strategy"), "label", width=36),
            SheetColumn(_("Kind"), "kind"),
            SheetColumn(_("Populations served"), "populations_served", COUNT),
            SheetColumn(_("People reached"), "people_reached", COUNT),
            SheetColumn(_("Share of all people in the plan"), "coverage", SHARE),
            SheetColumn(_("Cost"), "cost", MONEY),
            SheetColumn(_("Cost per person reached"), "cost_per_person", MONEY),
            SheetColumn(_("Strategy ID"), "strategy_id"),
        ],
        _worded(_records(strategy_frame(result, rules))),
        freeze_columns=2,
    )
    write_sheet(
        book.create_sheet(sheet_title(ACTION_ITEMS_SHEET)),
        [
            SheetColumn(_("Ref"), "ref"),
            SheetColumn(_("Focus area"), "focus_area_label", width=28),
            SheetColumn(_("Item"), "label", width=50),
            SheetColumn(_("Served"), "status"),
            SheetColumn(_("Activities"), "activities", COUNT),
            SheetColumn(_("Activities in the plan"), "activity_names", width=50),
            SheetColumn(_("Tracker status"), "tracker_status"),
            SheetColumn(_("Schedule (Annex V)"), "schedule", width=24),
            SheetColumn(_("Executors (Annex V)"), "executors", width=40),
            SheetColumn(_("Coordinating body (Annex V)"), "coordinating_body", width=30),
            SheetColumn(_("Activity IDs"), "activity_ids", width=40),
        ],
        _with_activity_names(
            _with_source_translation(_worded(_records(action_item_frame(result, rules, plan)))),
            activity_names,
        ),
        freeze_columns=1,
    )
    write_sheet(
        book.create_sheet(sheet_title(COSTS_SHEET)),
        [
            SheetColumn(_("Group"), "group"),
            SheetColumn(_("Strategy or level"), "label", width=40),
            SheetColumn(_("Clause"), "clause"),
            SheetColumn(_("Cost"), "cost", MONEY),
            SheetColumn(_("People effectively reached"), "effective_reach", COUNT),
            SheetColumn(
                _("Cost per person effectively reached"), "cost_per_effective_person", MONEY
            ),
            SheetColumn(_("People reached"), "reach", COUNT),
            SheetColumn(_("Cost per person reached"), "cost_per_person", MONEY),
            SheetColumn(_("ID"), "id"),
        ],
        _worded(_records(cost_frame(result, rules))),
    )
    write_sheet(
        book.create_sheet(sheet_title(WARNINGS_SHEET)),
        [
            SheetColumn(_("Warning"), "title", width=30),
            SheetColumn(_("Code"), "code"),
            SheetColumn(_("Population"), "population_name", width=32),
            SheetColumn(_("Activity"), "activity_names", width=32),
            SheetColumn(_("What it means"), "message", width=80),
            SheetColumn(_("Clauses"), "sources", width=24),
            SheetColumn(_("Population ID"), "population_id"),
            SheetColumn(_("Activity ID"), "activity_id"),
        ],
        _with_activity_names(warnings, activity_names, key="activity_id"),
    )
