"""The inventory template an NGO fills in: an Excel workbook, or two CSV files.

The workbook has a **Populations** and an **Activities** sheet (readable headers, a frozen
header row, one example row, drop-downs), a **Lists** sheet with every allowed value as a
readable label — strategies and interventions with their clause ("Work with parents
(VI-3.1.1)"), settings, risk groups, special groups, and the Program of Actions items as
"V-3.5 — <short label>" — and an **Instructions** sheet in plain words. All of it is built
from ``concept_rules/`` and the column definitions of :mod:`.columns`, so what the
template offers is exactly what :func:`prevplan.inventory.reader.read_inventory` accepts.

Sheet titles, headers, help texts, drop-down lists and messages, the example rows and the
instructions are in the reader's language (English, Russian or Chinese); a template filled in
in one language imports under any other. The bytes are reproducible: the same rules, rows
and language give the same file.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from prevplan.i18n import LANGUAGES, N_, _, current_language, text_width, use_language
from prevplan.inventory.columns import (
    ACTIVITIES,
    LIST_SEPARATOR,
    POPULATIONS,
    CellType,
    Column,
    activity_columns,
    population_columns,
)
from prevplan.inventory.vocab import (
    LIST_KINDS,
    LISTS,
    ListKey,
    Vocabulary,
    sheet_title,
    vocabularies,
)
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

#: Key of the sheet of plain-words instructions (its title is translated).
INSTRUCTIONS: Final = N_("Instructions")
#: The template's own sheets besides the data: ignored, without a note, on import.
TEMPLATE_SHEETS: Final = (LISTS, INSTRUCTIONS)
TEMPLATE_ROWS: Final = 1000
"""Rows (below the header) that the drop-downs and number checks cover."""

Row = Mapping[str, object]

_DEFAULT_COLUMN_WIDTH: Final = 8.43
"""Excel's width of a column no width was set for (in characters)."""
_PRINTABLE_WIDTH: Final = 220
"""Characters of column width printed across one landscape A4 page at a readable size
(about 130 at full size; shrunk to no less than about 60 %)."""
_LINE_HEIGHT: Final = 15
"""Points one line of 11-point text takes in a row."""
_MAX_HEADER_LINES: Final = 6
_INTRO_LINE_WIDTH: Final = 120
"""Characters of Latin text that fit on one line of the Instructions sheet's merged cells."""
_HEADER_FILL: Final = PatternFill("solid", fgColor="DCE9F5")
_REQUIRED_FILL: Final = PatternFill("solid", fgColor="9DC3E6")
_FONT: Final = "Calibri"
"""The workbook's own font (openpyxl's default), named in every font set on a cell."""
_EXAMPLE_FONT: Final = Font(name=_FONT, italic=True, color="595959")
_BOLD: Final = Font(name=_FONT, bold=True)
_WRAP: Final = Alignment(wrap_text=True, vertical="top")
_FIXED_TIME: Final = (2025, 1, 1, 0, 0, 0)
_FIXED_STAMP: Final = "2025-01-01T00:00:00Z"


def inventory_template_xlsx(rules: RuleSet | None = None, *, lang: str | None = None) -> bytes:
    """The empty inventory workbook, with one example row in each data sheet.

    In ``lang`` (default: the current language).
    """
    return inventory_xlsx(rules, lang=lang)


def inventory_template_csv(
    rules: RuleSet | None = None, *, lang: str | None = None
) -> tuple[str, str]:
    """The template as two CSV texts: (populations, activities), one example row each."""
    return inventory_csv(rules, lang=lang)


def example_rows(rules: RuleSet) -> tuple[dict[str, object], dict[str, object]]:
    """The template's example population and activity, as the cells show them (in the
    current language)."""
    vocabs = vocabularies(rules)

    def pick(kind: Kind, *wanted: str) -> str:
        vocab = vocabs[kind]
        ids = [w for w in wanted if w in vocab.ids] or [vocab.ids[0]]
        return f"{LIST_SEPARATOR} ".join(vocab.display(i) for i in ids)

    population: dict[str, object] = {
        "id": "example-pupils",
        "name": _("Example: pupils of grades 7–9 (replace or delete this row)"),
        "region": _("North"),
        "age_min": 12,
        "age_max": 15,
        "size": 4800,
        "risk_group": pick(Kind.RISK_GROUP, "general"),
        "settings": pick(Kind.SETTING, "school", "family"),
        "risk_factors.peers": 0.3,
        "protective_factors.parents": 0.6,
    }
    activity: dict[str, object] = {
        "id": "example-lessons",
        "name": _("Example: life-skills lessons (replace or delete this row)"),
        "population_id": "example-pupils",
        "strategies": pick(Kind.STRATEGY, "life_skills", "refusal_skills"),
        "interventions": pick(Kind.INTERVENTION, "skills_social_influence"),
        "settings": pick(Kind.SETTING, "school"),
        "reach": 1200,
        "target_reach": 3000,
        "cost": 15000,
        "executor": _("Our organisation with the district education office"),
        "schedule": _("September 2025 – May 2026"),
        "action_items": pick(Kind.ACTION_ITEM, "V-3.5"),
    }
    return population, activity


def every_example(rules: RuleSet) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The example rows in every language: (populations, activities), for the import to skip
    an unchanged example row of a template made in any language."""
    populations: list[dict[str, object]] = []
    activities: list[dict[str, object]] = []
    for lang in LANGUAGES:
        with use_language(lang):
            population, activity = example_rows(rules)
        populations.append(population)
        activities.append(activity)
    return populations, activities


def inventory_xlsx(
    rules: RuleSet | None = None,
    populations: Sequence[Row] | None = None,
    activities: Sequence[Row] | None = None,
    *,
    lang: str | None = None,
) -> bytes:
    """The inventory workbook holding these rows (the example rows when ``None``).

    A row maps a field (``size``, ``risk_factors.peers`` or a nested ``risk_factors``
    mapping) to what its cell shows; a list is written ``;``-separated. Sheets, headers,
    lists and instructions are in ``lang`` (default: the current language).
    """
    ruleset = rules if rules is not None else load_rules()
    with use_language(lang or current_language()):
        vocabs = vocabularies(ruleset)
        pop_example, act_example = example_rows(ruleset)
        book = Workbook()
        help_sheet = book.active
        help_sheet.title = sheet_title(INSTRUCTIONS)
        pop_columns = population_columns(ruleset)
        act_columns = activity_columns()
        list_columns = _write_lists(book.create_sheet(sheet_title(LISTS)), vocabs)
        for key, columns, rows, example in (
            (POPULATIONS, pop_columns, populations, pop_example),
            (ACTIVITIES, act_columns, activities, act_example),
        ):
            sheet = book.create_sheet(sheet_title(key), index=len(book.sheetnames) - 1)
            _write_table(sheet, columns, [example] if rows is None else rows, example=rows is None)
            _add_validations(sheet, columns, list_columns, vocabs)
        _write_instructions(help_sheet, pop_columns, act_columns, vocabs)
        for sheet in book.worksheets:
            print_setup(sheet, repeat_header=sheet is not help_sheet)
        book.active = book.sheetnames.index(sheet_title(POPULATIONS))
        book[sheet_title(POPULATIONS)].sheet_view.tabSelected = True
        return workbook_bytes(book)


def inventory_csv(
    rules: RuleSet | None = None,
    populations: Sequence[Row] | None = None,
    activities: Sequence[Row] | None = None,
    *,
    lang: str | None = None,
) -> tuple[str, str]:
    """(populations CSV, activities CSV) holding these rows (the example rows when ``None``).

    Headers and example rows are in ``lang`` (default: the current language).
    """
    ruleset = rules if rules is not None else load_rules()
    with use_language(lang or current_language()):
        return _inventory_csv(ruleset, populations, activities)


def _inventory_csv(
    ruleset: RuleSet, populations: Sequence[Row] | None, activities: Sequence[Row] | None
) -> tuple[str, str]:
    pop_example, act_example = example_rows(ruleset)
    out: list[str] = []
    for columns, rows, example in (
        (population_columns(ruleset), populations, pop_example),
        (activity_columns(), activities, act_example),
    ):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.header for c in columns])
        for row in [example] if rows is None else rows:
            flat = flatten(row)
            writer.writerow([_csv_text(flat.get(c.field)) for c in columns])
        out.append(buffer.getvalue())
    return out[0], out[1]


def fit_header_row(sheet: Any) -> None:
    """A header row tall enough for its longest wrapped header (Russian headers are long;
    a Chinese character is as wide as two Latin ones), at least two lines."""
    lines = 2
    for cell in sheet[1]:
        if not isinstance(cell.value, str):
            continue
        width = sheet.column_dimensions[cell.column_letter].width or _DEFAULT_COLUMN_WIDTH
        lines = max(lines, math.ceil(text_width(cell.value) / max(width - 1.5, 1)))
    sheet.row_dimensions[1].height = _LINE_HEIGHT * min(lines, _MAX_HEADER_LINES) + 3


def print_setup(sheet: Any, *, repeat_header: bool = True) -> None:
    """Printed as a table should be: landscape A4, shrunk to as few pages across as keep
    the text readable (one for most sheets; as many pages down as it takes), with the
    header row repeated on every page."""
    total = sum(
        sheet.column_dimensions[get_column_letter(col)].width or _DEFAULT_COLUMN_WIDTH
        for col in range(1, sheet.max_column + 1)
    )
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = max(1, math.ceil(total / _PRINTABLE_WIDTH))
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_header:
        sheet.print_title_rows = "1:1"


def workbook_bytes(book: Workbook) -> bytes:
    """The saved workbook, with fixed timestamps so the same content gives the same bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return fixed.getvalue()


# --------------------------------------------------------------------------- sheets


def flatten(row: Row) -> dict[str, object]:
    """A row with nested factor maps as ``risk_factors.family`` keys, as the columns name
    them."""
    flat: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            flat[key] = value
    return flat


def _cell(value: object) -> Any:
    if isinstance(value, list | tuple):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value) or None
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def _csv_text(value: object) -> str:
    cell = _cell(value)
    return "" if cell is None else str(cell)


def _write_table(
    sheet: Any, columns: Sequence[Column], rows: Sequence[Row], *, example: bool
) -> None:
    for col, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col, value=column.header)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    fit_header_row(sheet)
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        flat = flatten(row)
        for col, column in enumerate(columns, start=1):
            cell = sheet.cell(row=number, column=col, value=_cell(flat.get(column.field)))
            if example:
                cell.font = _EXAMPLE_FONT


def _write_lists(sheet: Any, vocabs: Mapping[ListKey, Vocabulary]) -> dict[ListKey, str]:
    """One column per vocabulary; returns the range of each, for the drop-downs."""
    ranges: dict[ListKey, str] = {}
    for col, kind in enumerate(LIST_KINDS, start=1):
        vocab = vocabs[kind]
        letter = get_column_letter(col)
        header = sheet.cell(row=1, column=col, value=vocab.title)
        header.font = _BOLD
        header.fill = _HEADER_FILL
        for number, choice in enumerate(vocab.choices, start=2):
            sheet.cell(row=number, column=col, value=choice)
        width = max(text_width(vocab.title), *(text_width(c) for c in vocab.choices)) + 2
        sheet.column_dimensions[letter].width = min(width, 80)
        ranges[kind] = f"{_sheet_ref(LISTS)}!${letter}$2:${letter}${len(vocab.choices) + 1}"
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # no password: it only guards against accidental edits
    return ranges


def _sheet_ref(key: str) -> str:
    """The sheet ``key`` as a formula names it: ``'Lists'`` (quotes doubled inside)."""
    return "'" + sheet_title(key).replace("'", "''") + "'"


def _clip(text: str, limit: int) -> str:
    """``text`` cut to Excel's ``limit`` for a validation message, at a word, with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def _add_validations(
    sheet: Any,
    columns: Sequence[Column],
    list_ranges: Mapping[ListKey, str],
    vocabs: Mapping[ListKey, Vocabulary],
) -> None:
    for col, column in enumerate(columns, start=1):
        validation = _validation(column, list_ranges, vocabs)
        if validation is None:
            continue
        validation.promptTitle = column.header[:32]
        validation.prompt = _clip(column.help, _PROMPT_LIMIT)
        validation.error = _clip(validation.error or "", _ERROR_LIMIT) or None
        validation.showInputMessage = True
        validation.showErrorMessage = True
        validation.allow_blank = True  # required cells are checked on import, with a message
        sheet.add_data_validation(validation)
        letter = get_column_letter(col)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")


# Excel's longest input message and error message of a data validation.
_PROMPT_LIMIT: Final = 255
_ERROR_LIMIT: Final = 225


def _validation(
    column: Column, list_ranges: Mapping[ListKey, str], vocabs: Mapping[ListKey, Vocabulary]
) -> DataValidation | None:
    if column.vocab is not None:
        vocab = vocabs[column.vocab]
        if column.type in (CellType.CHOICE, CellType.YES_NO):
            title, error = vocab.choose_box()
            return DataValidation(
                type="list",
                formula1=list_ranges[column.vocab],
                errorStyle="stop",
                errorTitle=title,
                error=error,
            )
        # Several values may share a cell ("A; B"), which a list check would refuse: the
        # drop-down offers one value and typing more only brings up a note.
        return DataValidation(
            type="list",
            formula1=list_ranges[column.vocab],
            errorStyle="information",
            errorTitle=_("Several values?"),
            error=_(
                "Separate several values with ';'. Each value must come from the '{title}' "
                "column of the {lists} sheet."
            ).format(title=vocab.title, lists=sheet_title(LISTS)),
        )
    if column.field == "population_id":
        return DataValidation(
            type="list",
            formula1=f"{_sheet_ref(POPULATIONS)}!$A$2:$A${TEMPLATE_ROWS + 1}",
            errorStyle="warning",
            errorTitle=_("Unknown population"),
            error=_(
                "Use an ID from the {populations} sheet (add the population there first)."
            ).format(populations=sheet_title(POPULATIONS)),
        )
    minimum = {"size": "1"}.get(column.field, "0")
    if column.type is CellType.WHOLE:
        top = "120" if column.field in ("age_min", "age_max") else None
        return DataValidation(
            type="whole",
            operator="between" if top else "greaterThanOrEqual",
            formula1=minimum,
            formula2=top,
            errorStyle="stop",
            errorTitle=_("Whole number expected"),
            error=(
                _("Write a whole number of at least {minimum} and at most {maximum}.")
                if top
                else _("Write a whole number of at least {minimum}.")
            ).format(minimum=minimum, maximum=top),
        )
    if column.type is CellType.SHARE:
        return DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="1",
            errorStyle="stop",
            errorTitle=_("Share from 0 to 1"),
            error=_("Write a share from 0 to 1: 30% is 0.3. Leave it empty if unknown."),
        )
    if column.type is CellType.MONEY:
        return DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            errorStyle="stop",
            errorTitle=_("Amount expected"),
            error=_("Write the amount as a number of at least 0, without the currency."),
        )
    return None


_INTRO: Final = (
    N_("How to fill in this inventory"),
    "",
    N_(
        "This workbook lists the drug-use prevention work your organisation does, so that "
        "prevplan can show which groups you reach, how many people, with which strategies of "
        "the SCO Concept on Preventing Drug Abuse, and what it costs."
    ),
    "",
    N_(
        "1. Populations sheet: one row for each group of people you work with. 'Size' is the "
        "number of people in the group — the denominator: coverage is people reached divided "
        "by size. Estimate it if you must, but do fill it in."
    ),
    N_(
        "2. Activities sheet: one row for each activity. 'Population ID' says which group it "
        "serves (the ID from the Populations sheet). 'Reach' is the number of people of that "
        "group the activity actually reached; 'Target reach' how many it aims to reach."
    ),
    N_(
        "3. Strategies, interventions, settings and Annex V items: pick from the drop-down, or "
        "type the value as shown on the Lists sheet. Several values go in one cell separated "
        "by ';', for example '{example}'. Excel may ask you to confirm a cell with several "
        "values: answer OK. The short id (work_with_parents) or the clause alone (VI-3.1.1) "
        "is accepted too."
    ),
    N_(
        "4. Shares (risk and protective columns) are numbers from 0 to 1: 30% is 0.3. Leave "
        "a share empty when you do not know it — empty means unknown, not zero."
    ),
    N_(
        "5. Row 2 of each sheet is an example: overwrite it or delete it. An unchanged example "
        "row is skipped on import."
    ),
    N_(
        "6. Keep the header in row 1 and do not rename it; do not merge cells; type values "
        "rather than formulas where you can. Empty rows are skipped. Other sheets you add are "
        "ignored."
    ),
    N_("7. Darker headers are required columns. Everything else may be left empty."),
    "",
    N_(
        "If the file has a problem, prevplan lists every one at once, with the sheet, row and "
        "column, and imports nothing until they are fixed. Your file is never changed."
    ),
    "",
)


def _write_instructions(
    sheet: Any,
    pop_columns: Sequence[Column],
    act_columns: Sequence[Column],
    vocabs: Mapping[ListKey, Vocabulary],
) -> None:
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 90
    strategies = vocabs[Kind.STRATEGY]
    example = f"{LIST_SEPARATOR} ".join(
        strategies.display(s) for s in ("work_with_parents", "normative_education")
    )
    number = 0
    for number, message in enumerate(_INTRO, start=1):
        line = _(message).format(example=example) if message else ""
        cell = sheet.cell(row=number, column=1, value=line or None)
        if number == 1:
            cell.font = Font(name=_FONT, bold=True, size=14)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
        cell.alignment = _WRAP
        # Merged cells do not grow with their text: give the row the lines it needs (a
        # Chinese character is as wide as two Latin ones).
        if text_width(line) > _INTRO_LINE_WIDTH:
            sheet.row_dimensions[number].height = _LINE_HEIGHT * (
                text_width(line) // _INTRO_LINE_WIDTH + 1
            )
    number += 1
    titles = (_("Sheet"), _("Column"), _("Required"), _("What to write"))
    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(row=number, column=col, value=title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for key, columns in ((POPULATIONS, pop_columns), (ACTIVITIES, act_columns)):
        for column in columns:
            number += 1
            required = _("yes") if column.required else ""
            values = (sheet_title(key), column.header, required, column.help)
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(row=number, column=col, value=value or None)
                cell.alignment = _WRAP
