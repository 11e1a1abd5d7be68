"""The annual implementation report (V-6.7) as an Excel workbook, in en/ru/zh.

One sheet per table of :mod:`prevplan.export.annual_tables` — Summary, Annex V items,
Populations, Survey trends, Provision, Warnings, Decisions — with the sheet look of the plan
workbook (bold frozen header, filters, fitted widths, text neutralised against formulas);
counts and money stay numbers, shares are numbers shown as percentages.
"""

from __future__ import annotations

from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from prevplan.export.annual_tables import Table, annual_tables
from prevplan.export.xlsx import SheetColumn, write_sheet
from prevplan.i18n import _, current_language, use_language
from prevplan.inventory.template import workbook_bytes
from prevplan.inventory.vocab import sheet_title
from prevplan.monitor.annual import annual_report
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet, load_rules

_WRAP: Final = Alignment(wrap_text=True, vertical="top")
FORMATS: Final = {"count": "#,##0", "share": "0.0%", "money": "#,##0.00", "number": "0.0"}


def annual_workbook(
    plan: Plan, rules: RuleSet | None = None, *, period: str | None = None, lang: str | None = None
) -> bytes:
    """The annual report of ``period`` (default: the last reported) as .xlsx bytes."""
    ruleset = rules if rules is not None else load_rules()
    with use_language(lang or current_language()):
        report = annual_report(plan, ruleset, period, current_language())
        book = Workbook()
        first = book.active
        assert first is not None
        for n, table in enumerate(annual_tables(report, ruleset)):
            sheet = first if n == 0 else book.create_sheet()
            sheet.title = sheet_title(table.title)
            _write(sheet, table)
        book.properties.title = _("Annual report on the implementation of the Program of Actions")
        book.properties.subject = f"{plan.name} — {report.period}"
        book.properties.creator = "prevplan"
        return workbook_bytes(book)


def _write(sheet: Worksheet, table: Table) -> None:
    keys = [f"c{n}" for n in range(len(table.headers))]
    write_sheet(
        sheet,
        [
            SheetColumn(header, key, FORMATS.get(kind, ""))
            for header, key, kind in zip(table.headers, keys, table.kinds, strict=True)
        ],
        (dict(zip(keys, row, strict=True)) for row in table.rows),
    )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
