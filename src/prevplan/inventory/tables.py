"""Reading an inventory's tables out of an Excel workbook or CSV files, cell by cell.

A spreadsheet made by hand goes wrong in ways a YAML file does not: a title row above the
header, merged cells, formulas whose result was never saved, error values (``#REF!``),
numbers stored as text, rows left empty, a ``.xls`` or a CSV renamed to ``.xlsx``. This
module turns a workbook sheet or a CSV file into a :class:`Grid` of raw cell values and the
faults found in it, then reads a grid's header and rows into plain records, naming each
fault by sheet, row (as the spreadsheet numbers it), column and header. The user's file is
only ever read: the caller passes its bytes, and nothing is written back.

Work is bounded before openpyxl parses anything (#19): the archive's unpacked size, each read
sheet's size, rows and cells are checked from the zip's directory and the sheet's bytes, and
sheets that are not read are emptied first. Over 500 lines: workbook and CSV tables share the
grid and record reading that follows, and the limits belong next to the parsing they guard.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import openpyxl
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from prevplan.i18n import N_, _, format_number, ngettext
from prevplan.inventory.columns import Column, convert, header_index, match_header
from prevplan.inventory.vocab import (
    ListKey,
    Vocabulary,
    fold,
    joined,
    sheet_spellings,
    sheet_title,
)
from prevplan.problems import Location, Problem

MAX_UNPACKED_BYTES: Final = 50 * 1024 * 1024
"""Largest total size of a workbook's unpacked parts; a bigger one is refused unread."""
MAX_SHEET_BYTES: Final = 16 * 1024 * 1024
"""Largest unpacked size of one sheet that is read (and of the shared texts): openpyxl needs
about twenty times a sheet's size in memory, so this keeps a read under about 400 MB."""
MAX_SHEET_ROWS: Final = 20_000
"""Most rows read from one sheet: far more than any organisation's inventory."""
MAX_SHEET_CELLS: Final = 400_000
"""Most cells read from one sheet."""

# How far below row 1 a misplaced header is looked for.
_HEADER_SEARCH_ROWS: Final = 20
_FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class Grid:
    """The raw cells of one sheet (or CSV file) and the faults found while reading them."""

    file: str
    sheet: str | None  # None for a CSV file
    rows: list[tuple[int, tuple[object, ...]]]  # (row number as the user sees it, cells)
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> fault
    problems: list[Problem] = field(default_factory=list)

    def where(self, row: int, col: int | None = None) -> Location:
        """The place of a cell (or row): ``col`` counts from 0, rows as the user sees them."""
        return location(self.sheet, row, col)


def location(sheet: str | None, row: int, col: int | None = None) -> Location:
    """``sheet 'Activities', row 5, column C`` (``line 5`` in a CSV file), worded when shown."""
    return Location("cell", number=row, column=None if col is None else col + 1, sheet=sheet)


def at_sheet(sheet: str) -> Location:
    """``sheet 'Plan'``: a problem about a whole sheet."""
    return Location("sheet", sheet=sheet)


@dataclass(frozen=True)
class RecordPlace:
    """Where the plan validator put a problem: a record's kind and its number or id.

    ``kind`` is ``population`` / ``activity`` / ``tracker`` (``value``: its number from 1),
    ``activity_id`` (``value``: a duplicated activity id), ``tracker_ref`` (``value``: an
    Annex V item) or ``plan`` (the plan's own fields).
    """

    kind: str
    value: str = ""


_RECORD_KINDS: Final = frozenset(
    {"population", "activity", "tracker", "activity_id", "tracker_ref", "plan"}
)


def parse_record_place(problem: Problem) -> RecordPlace | None:
    """The record a problem of :func:`prevplan.plan.io.plan_from_data` is about, read from
    its structured location (never from its words)."""
    at = problem.at
    if at.kind not in _RECORD_KINDS:
        return None
    if at.kind in ("activity_id", "tracker_ref"):
        return RecordPlace(at.kind, at.id or "")
    return RecordPlace(at.kind, "" if at.number is None else str(at.number))


# --------------------------------------------------------------------------- Excel


@dataclass
class WorkbookRead:
    """What :func:`read_workbook` found: grids by sheet key, problems, notes, every title."""

    grids: dict[str, Grid]
    problems: list[Problem]
    notes: list[str]
    titles: tuple[str, ...] = ()

    def has(self, key: str) -> bool:
        """Whether the workbook has the sheet ``key``, titled in any language."""
        spellings = sheet_spellings(key)
        return any(fold(title) in spellings for title in self.titles)


def read_workbook(
    data: bytes,
    file: str,
    sheets: Sequence[str],
    *,
    optional: Sequence[str] = (),
    quiet: Sequence[str] = (),
) -> WorkbookRead:
    """The grids of the named sheets, problems, and notes.

    ``sheets`` are sheet keys (``N_`` messages such as ``"Populations"``); a sheet is found by
    its title in any language, ignoring case. A missing sheet is a problem unless it is
    ``optional``. Other sheets are ignored, the ``quiet`` ones (the template's own) silently,
    the rest with a note. Only ``data`` is read: the workbook is opened from memory with
    cached formula results (``data_only``).
    """
    if not data:
        return WorkbookRead(
            {}, [Problem(file, "", "", _("file is empty; expected an Excel workbook (.xlsx)"))], []
        )
    archive_problem = _check_archive(data, file)
    if archive_problem is not None:
        return WorkbookRead({}, [archive_problem], [])
    try:
        data = _only_sheets(data, file, (*sheets, *optional))
    except _Refused as refused:
        return WorkbookRead({}, [refused.problem], [])
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it does not read (extensions, slicers); they do
            # not matter for the cell values read here.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            formulas = (
                openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
                if _has_formulas(data)
                else None
            )
    except Exception as err:  # openpyxl raises many kinds of error on a damaged file
        return WorkbookRead(
            {},
            [
                _not_xlsx(
                    file,
                    _("it cannot be read ({error})").format(error=f"{type(err).__name__}: {err}"),
                )
            ],
            [],
        )
    titles = tuple(book.sheetnames)
    grids: dict[str, Grid] = {}
    problems: list[Problem] = []
    for wanted in sheets:
        spellings = sheet_spellings(wanted)
        title = next((t for t in titles if fold(t) in spellings), None)
        if title is None or not hasattr(book[title], "iter_rows"):
            if wanted in optional:
                continue
            found = ", ".join(f"'{t}'" for t in titles)
            expected = joined(f"'{sheet_title(s)}'" for s in sheets if s not in optional)
            problems.append(
                Problem(
                    file,
                    at_sheet(sheet_title(wanted)),
                    "",
                    _("missing; expected sheets {sheets} (found {found})").format(
                        sheets=expected, found=found
                    ),
                )
            )
            continue
        grids[wanted] = _sheet_grid(book[title], formulas[title] if formulas else None, file)
    used = frozenset().union(*(sheet_spellings(s) for s in (*sheets, *quiet)))
    read = joined(sheet_title(s) for s in sheets if s not in optional)
    also = ", ".join(sheet_title(s) for s in sheets if s in optional)
    notes = [
        (
            _(
                "{file}: ignored sheet '{sheet}' (only the {sheets} sheets, and {optional} "
                "where present, are read)"
            )
            if also
            else _("{file}: ignored sheet '{sheet}' (only the {sheets} sheets are read)")
        ).format(file=file, sheet=title, sheets=read, optional=also)
        for title in titles
        if fold(title) not in used
    ]
    return WorkbookRead(grids, problems, notes, titles)


def _check_archive(data: bytes, file: str) -> Problem | None:
    """Why ``data`` is not a readable .xlsx, before handing it to openpyxl."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return _not_xlsx(
            file,
            _(
                "it is an old Excel 97–2003 (.xls) file or a password-protected workbook; "
                "open it in Excel and save it as 'Excel Workbook (.xlsx)' without a password"
            ),
        )
    if not data.startswith(b"PK"):
        looks_like_text = b"\x00" not in data[:4096] and b"," in data[:4096]
        if looks_like_text:
            return _not_xlsx(
                file, _("it does not start like one — it looks like text; name a CSV file .csv")
            )
        return _not_xlsx(file, _("it does not start like one"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return _not_xlsx(file, _("it is damaged (not a complete zip archive)"))
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        return _not_xlsx(file, _("it is a zip archive but holds no Excel workbook"))
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        return Problem(
            file,
            "",
            "",
            _(
                "workbook is too large unpacked ({size} MB); expected at most "
                "{limit} MB — split it into several files"
            ).format(size=unpacked // (1024 * 1024), limit=limit),
        )
    return None


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_MAIN_NS: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL_NS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_EMPTY_SHEET: Final = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)
_SMALL_PART: Final = 1024 * 1024
"""Largest workbook.xml or relationships part read to find the sheets."""


def sheet_parts(data: bytes) -> dict[str, str]:
    """Each sheet's title and the archive part that holds it, read from ``xl/workbook.xml``
    and its relationships alone (no cell is read); empty for a workbook not laid out so."""
    # The standard parser resolves no external entity, and expat refuses entity
    # expansion bombs; the two parts are small (at most _SMALL_PART each).
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        parts = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        if any(name not in infos or infos[name].file_size > _SMALL_PART for name in parts):
            return {}
        book = ElementTree.fromstring(archive.read(parts[0]))
        rels = ElementTree.fromstring(archive.read(parts[1]))
    targets = {
        rel.get("Id"): str(rel.get("Target", ""))
        for rel in rels.iter(f"{_PACKAGE_REL_NS}Relationship")
    }
    found: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            found[str(sheet.get("name", ""))] = part
    return found


def sheet_titles(data: bytes) -> tuple[str, ...]:
    """The titles of a workbook's sheets without opening it (``()`` if they cannot be read)."""
    try:
        return tuple(sheet_parts(data))
    except Exception:  # a damaged archive: the reader says what is wrong with it
        return ()


def _only_sheets(data: bytes, file: str, wanted: Sequence[str]) -> bytes:
    """The workbook with every sheet but the ``wanted`` ones emptied, so openpyxl parses only
    those; each wanted sheet (and the shared texts) refused before parsing when it is over
    :data:`MAX_SHEET_BYTES`, :data:`MAX_SHEET_ROWS` rows or :data:`MAX_SHEET_CELLS` cells."""
    parts = sheet_parts(data)
    if not parts:
        return data  # not laid out as Excel writes it: openpyxl says what is wrong
    spellings = frozenset().union(*(sheet_spellings(s) for s in wanted))
    keep = {part for title, part in parts.items() if fold(title) in spellings}
    blank = set(parts.values()) - keep
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy,
    ):
        for info in archive.infolist():
            name = info.filename
            if name in blank:
                copy.writestr(name, _EMPTY_SHEET)
                continue
            if name in keep or name == "xl/sharedStrings.xml":
                _check_sheet_size(info, file, parts)
            body = archive.read(name)
            if name in keep:
                _check_sheet_rows(body, file, _title_of(parts, name))
            copy.writestr(info, body)
    return out.getvalue()


def _title_of(parts: Mapping[str, str], part: str) -> str:
    return next((title for title, name in parts.items() if name == part), part)


def _check_sheet_size(info: zipfile.ZipInfo, file: str, parts: Mapping[str, str]) -> None:
    if info.file_size <= MAX_SHEET_BYTES:
        return
    limit = MAX_SHEET_BYTES // (1024 * 1024)
    size = info.file_size // (1024 * 1024)
    if info.filename in parts.values():
        where: Location | str = at_sheet(_title_of(parts, info.filename))
        message = _(
            "sheet is too large unpacked ({size} MB); expected at most {limit} MB — "
            "split it into several files"
        ).format(size=size, limit=limit)
    else:
        where = ""
        message = _(
            "the workbook's texts are too large unpacked ({size} MB); expected at most "
            "{limit} MB — split it into several files"
        ).format(size=size, limit=limit)
    raise _Refused(Problem(file, where, "", message))


def _check_sheet_rows(body: bytes, file: str, title: str) -> None:
    rows = body.count(b"<row") + body.count(b":row ") + body.count(b":row>")
    cells = body.count(b"<c ") + body.count(b"<c>") + body.count(b":c ")
    if rows > MAX_SHEET_ROWS:
        message = _(
            "has {count} rows; expected at most {limit} — split it into several files"
        ).format(count=format_number(rows), limit=format_number(MAX_SHEET_ROWS))
        raise _Refused(Problem(file, at_sheet(title), "", message))
    if cells > MAX_SHEET_CELLS:
        message = _(
            "has {count} cells; expected at most {limit} — split it into several files"
        ).format(count=format_number(cells), limit=format_number(MAX_SHEET_CELLS))
        raise _Refused(Problem(file, at_sheet(title), "", message))


def _not_xlsx(file: str, why: str) -> Problem:
    return Problem(file, "", "", _("not a readable Excel .xlsx file: {why}").format(why=why))


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula (``<f>`` element); most inventories do not."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _sheet_grid(sheet: Any, formula_sheet: Any, file: str) -> Grid:
    grid = Grid(file, sheet.title, [])
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        grid.problems.append(
            Problem(
                file,
                grid.where(merged.min_row),
                "",
                _(
                    "merged cells in {cells}; unmerge them and write the value in each "
                    "cell (or leave the cell empty)"
                ).format(cells=merged.coord),
            )
        )
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = tuple(values)
        for col, value in enumerate(cells):
            if isinstance(value, str) and value in ERROR_CODES:
                coord = f"{get_column_letter(col + 1)}{number}"
                grid.bad_cells[(number, col)] = _(
                    "cell {cell} shows the error '{error}'; expected a value — correct the "
                    "formula or type the value"
                ).format(cell=coord, error=value)
        grid.rows.append((number, cells))
    if formula_sheet is not None:
        _formulas_without_results(grid, sheet, formula_sheet)
    return grid


def _formulas_without_results(grid: Grid, sheet: Any, formula_sheet: Any) -> None:
    """Formula cells whose result was never saved (files written by a program, not Excel).

    A formula whose saved result is the empty text (``=IF(A2="","",…)``) is an empty cell,
    not a fault: the cell is then marked as text.
    """
    values = {number: cells for number, cells in grid.rows}
    for row in formula_sheet.iter_rows():
        for cell in row:
            if cell.data_type != "f":
                continue
            cells = values.get(cell.row, ())
            col = cell.column - 1
            if col < len(cells) and cells[col] is not None:
                continue
            if sheet.cell(row=cell.row, column=cell.column).data_type in ("s", "str"):
                continue
            formula = str(getattr(cell.value, "text", cell.value))
            grid.bad_cells[(cell.row, col)] = _(
                "cell {cell} holds a formula ({formula}) with no saved result; "
                "open the file in Excel or LibreOffice and save it again, or type the value "
                "instead of the formula"
            ).format(cell=cell.coordinate, formula=formula)


# --------------------------------------------------------------------------- CSV


def read_csv_grid(data: bytes, file: str) -> tuple[Grid | None, list[Problem]]:
    """The grid of a CSV file: UTF-8 (a BOM is fine), comma-separated.

    A file whose first line has no comma but semicolons or tabs (Excel's "CSV" in many
    countries) is read with that separator: cells holding a ';' list are then quoted.
    """
    if b"\x00" in data:
        return None, [
            Problem(file, "", "", _("not a text file; expected a CSV file saved as 'CSV UTF-8'"))
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, [
            Problem(
                file,
                "",
                "",
                _(
                    "not UTF-8 text (byte {offset}); expected a CSV file saved as 'CSV UTF-8'"
                ).format(offset=err.start),
            )
        ]
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ","
    if "," not in first:
        delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    grid = Grid(file, None, [])
    line = 1
    try:
        for raw in reader:
            grid.rows.append((line, tuple(cell.strip() for cell in raw)))
            line = reader.line_num + 1
    except csv.Error as err:
        return None, [
            Problem(
                file,
                location(None, line),
                "",
                _(
                    "malformed CSV: {error}; expected each quoted cell to be closed by a quote"
                ).format(error=err),
            )
        ]
    return grid, []


# --------------------------------------------------------------------------- records


@dataclass
class Row:
    """One data row read into a record for the plan."""

    number: int
    record: dict[str, Any]
    reported: set[str] = field(default_factory=set)  # fields whose problem is already said


@dataclass
class TableRead:
    rows: list[Row]
    problems: list[Problem]
    notes: list[str]
    headers: dict[str, tuple[int, str]]  # field -> (column index, header as written)


def read_records(
    grid: Grid,
    columns: Sequence[Column],
    vocabs: Mapping[ListKey, Vocabulary],
    *,
    examples: Sequence[Mapping[str, object]] = (),
) -> TableRead:
    """The header and the rows of ``grid`` as plan records, with every fault found.

    Empty rows are skipped; a row identical to one of the template's ``examples`` (its
    example row in each language) is skipped with a note. A cell whose value cannot be
    converted is left out of its record and its field marked as reported, so the plan's
    validation does not repeat it as missing.
    """
    out = TableRead([], list(grid.problems), [], {})
    index = header_index(columns)
    header = _header(grid, columns, index, out.problems)
    if header is None:
        return out
    header_row, mapping, unnamed = header
    out.headers = {column.field: (col, text) for col, (column, text) in mapping.items()}
    rows_with_faults = {number for number, _col in grid.bad_cells}
    # The template's example rows as a row's cells compare with them, folded once.
    wanted = [
        {column.field: _example_text(e.get(column.field)) for column, _text in mapping.values()}
        for e in examples
    ]
    for number, cells in grid.rows:
        if number <= header_row:
            continue
        if not any(_filled(c) for c in cells) and number not in rows_with_faults:
            continue
        if _is_example(cells, mapping, wanted):
            out.notes.append(
                _("{file}: {where}: skipped the template's unchanged example row").format(
                    file=grid.file, where=grid.where(number)
                )
            )
            continue
        out.rows.append(_row(grid, number, cells, mapping, unnamed, vocabs, out.problems))
    for (number, col), message in sorted(grid.bad_cells.items()):
        if number <= header_row:
            out.problems.append(Problem(grid.file, grid.where(number, col), "", message))
    if not out.rows and not out.problems:
        nothing = _NOTHING_BUT_EXAMPLE if out.notes else _NOTHING_BUT_HEADER
        out.problems.append(
            Problem(grid.file, grid.where(header_row + 1), "", _(nothing[grid.sheet is not None]))
        )
    return out


# (in a CSV file, in a sheet)
_NOTHING_BUT_EXAMPLE: Final = (
    N_(
        "the file has only the template's example row; expected at least one row of your own "
        "under the header"
    ),
    N_(
        "the sheet has only the template's example row; expected at least one row of your own "
        "under the header"
    ),
)
_NOTHING_BUT_HEADER: Final = (
    N_("the file has a header but no rows; expected at least one row of your own under the header"),
    N_(
        "the sheet has a header but no rows; expected at least one row of your own under the header"
    ),
)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _header(
    grid: Grid, columns: Sequence[Column], index: Mapping[str, Column], problems: list[Problem]
) -> tuple[int, dict[int, tuple[Column, str]], list[int]] | None:
    """The header row number, its columns by index, and the unnamed columns; or None."""
    expected = ", ".join(c.header for c in columns if c.required or c.field == "name")
    first = grid.rows[0] if grid.rows else None
    if first is None or first[0] != 1 or not any(_filled(c) for c in first[1]):
        found = _find_header_below(grid, index)
        problems.append(_header_problem(grid, expected, found, ()))
        return None
    texts = [str(c).strip() if _filled(c) else "" for c in first[1]]
    mapping: dict[int, tuple[Column, str]] = {}
    unnamed: list[int] = []
    unknown: list[tuple[int, str]] = []
    first_col: dict[str, int] = {}
    for col, text in enumerate(texts):
        if not text:
            unnamed.append(col)
            continue
        column = match_header(text, index)
        if column is None:
            unknown.append((col, text))
        elif column.field in first_col:
            problems.append(
                Problem(
                    grid.file,
                    grid.where(1, col),
                    text,
                    _(
                        "column appears twice (columns {first} and {second}); expected each "
                        "column once"
                    ).format(
                        first=get_column_letter(first_col[column.field] + 1),
                        second=get_column_letter(col + 1),
                    ),
                )
            )
        else:
            first_col[column.field] = col
            mapping[col] = (column, text)
    if not mapping:
        found = _find_header_below(grid, index)
        problems.append(_header_problem(grid, expected, found, [t for _col, t in unknown]))
        return None
    allowed = ", ".join(c.header for c in columns)
    for col, text in unknown:
        problems.append(
            Problem(
                grid.file,
                grid.where(1, col),
                text,
                _("unknown column '{header}'; expected one of: {allowed}").format(
                    header=text, allowed=allowed
                ),
            )
        )
    missing = [c.header for c in columns if c.required and c.field not in first_col]
    if missing:
        problems.append(
            Problem(
                grid.file,
                grid.where(1),
                "",
                ngettext(
                    "missing required column {columns}; expected the header in row 1 with at "
                    "least {expected}",
                    "missing required columns {columns}; expected the header in row 1 with at "
                    "least {expected}",
                    len(missing),
                ).format(columns=", ".join(f"'{m}'" for m in missing), expected=expected),
            )
        )
    return 1, mapping, unnamed


def _find_header_below(grid: Grid, index: Mapping[str, Column]) -> int | None:
    for number, cells in grid.rows[:_HEADER_SEARCH_ROWS]:
        recognised = sum(1 for c in cells if _filled(c) and match_header(str(c), index))
        if number > 1 and recognised >= 2:
            return number
    return None


def _header_problem(
    grid: Grid, expected: str, found: int | None, unknown: Sequence[str]
) -> Problem:
    in_sheet = grid.sheet is not None
    if found is not None:
        above = found - 1
        if in_sheet:
            template = ngettext(
                "expected the header in row 1: {expected}, …; it is in row {found} — delete "
                "the {above} row above it",
                "expected the header in row 1: {expected}, …; it is in row {found} — delete "
                "the {above} rows above it",
                above,
            )
        else:
            template = ngettext(
                "expected the header in line 1: {expected}, …; it is in line {found} — delete "
                "the {above} row above it",
                "expected the header in line 1: {expected}, …; it is in line {found} — delete "
                "the {above} rows above it",
                above,
            )
        message = template.format(expected=expected, found=found, above=above)
    elif unknown:
        shown = ", ".join(f"'{u}'" for u in unknown[:6])
        template = (
            _("expected the header in row 1: {expected}, …; found {found}")
            if in_sheet
            else _("expected the header in line 1: {expected}, …; found {found}")
        )
        message = template.format(expected=expected, found=shown)
    else:
        template = (
            _("expected the header in row 1: {expected}, …; row 1 is empty")
            if in_sheet
            else _("expected the header in line 1: {expected}, …; line 1 is empty")
        )
        message = template.format(expected=expected)
    return Problem(grid.file, grid.where(1), "", message)


def _is_example(
    cells: Sequence[object],
    mapping: Mapping[int, tuple[Column, str]],
    examples: Sequence[Mapping[str, str]],
) -> bool:
    """Whether a row is one of the template's example rows, unchanged (folded texts)."""
    if not examples:
        return False
    seen = {
        column.field: _example_text(cells[col]) if col < len(cells) else ""
        for col, (column, _text) in mapping.items()
    }
    return any(seen.values()) and seen in examples


def _example_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return fold(str(value))


def _row(
    grid: Grid,
    number: int,
    cells: Sequence[object],
    mapping: Mapping[int, tuple[Column, str]],
    unnamed: Sequence[int],
    vocabs: Mapping[ListKey, Vocabulary],
    problems: list[Problem],
) -> Row:
    row = Row(number, {})
    for col, (column, text) in mapping.items():
        where = grid.where(number, col)
        bad = grid.bad_cells.get((number, col))
        if bad is not None:
            problems.append(Problem(grid.file, where, text, bad))
            row.reported.add(column.field)
            continue
        raw = cells[col] if col < len(cells) else None
        converted = convert(column, raw, vocabs.get(column.vocab) if column.vocab else None)
        if converted.problems:
            problems.extend(Problem(grid.file, where, text, m) for m in converted.problems)
            row.reported.add(column.field)
        elif converted.value is not None and converted.value != ():
            _put(row.record, column.field, converted.value)
    for col in unnamed:
        if col < len(cells) and (_filled(cells[col]) or (number, col) in grid.bad_cells):
            problems.append(
                Problem(
                    grid.file,
                    grid.where(number, col),
                    "",
                    _("value in a column without a header; give the column a header or clear it"),
                )
            )
    # Faults in columns the header does not name (an unknown column) are said once there.
    known = set(mapping) | set(unnamed)
    for (bad_row, col), message in grid.bad_cells.items():
        if bad_row == number and col not in known:
            problems.append(Problem(grid.file, grid.where(number, col), "", message))
    return row


def _put(record: dict[str, Any], name: str, value: object) -> None:
    key, _dot, sub = name.partition(".")
    if sub:
        record.setdefault(key, {})[sub] = value
    else:
        record[key] = value
