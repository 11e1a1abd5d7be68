"""The CSV form of a target-population file (interfaces §2): header line, one row each.

Lists are ``;``-separated in a cell and the factor maps (and other nested fields such as
``parents_of``) are flattened into columns ``risk_factors.family``,
``protective_factors.parents`` and so on. An empty cell means *missing* (for a factor:
*unknown*). Problems name ``row N (line L)``; validation itself is done by
:mod:`prevplan.io.populations`, which calls :func:`csv_records` for the usual way.

A large file whose every value is valid — the usual national file — is read on a fast path
(:func:`valid_csv_table`; from its bytes, :mod:`prevplan.io.population_csv_bytes`), fenced
below with what it mirrors.

Longer than 500 lines on purpose: the usual reader and the fast path that mirrors it must be
read side by side, and splitting them would hide what the fence says they keep equal. The
numpy byte reader and the forgiving reading of numbers (:mod:`prevplan.io.numbers`) live
apart.
"""

from __future__ import annotations

import csv
import io
import operator
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final

from prevplan.i18n import N_, _, format_number, ngettext
from prevplan.io.columns import PopulationColumns
from prevplan.io.numbers import PLAIN_COUNTS, PLAIN_SHARES
from prevplan.io.yaml_strict import parser_says
from prevplan.population import (
    AGE_MAX,
    AGE_MIN,
    MAX_ID_LENGTH,
    MAX_PEOPLE,
    MAX_TEXT_LENGTH,
    POPULATION_FIELDS,
    REQUIRED_FIELDS,
    TargetPopulation,
    csv_columns,
)
from prevplan.problems import NOWHERE, Location, Problem, ProblemsError, line_at, row_at
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

LIST_SEPARATOR: Final = ";"
"""Separates the items of a list inside one cell."""
MAP_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "risk_factors": tuple(f.value for f in RiskFactor),
    "protective_factors": tuple(f.value for f in ProtectiveFactor),
}
LIST_FIELDS: Final = ("settings", "special_groups")
CSV_COLUMNS: Final[tuple[str, ...]] = tuple(csv_columns())
EXPECTED_FILE: Final = N_("one or more target populations")


def csv_records(
    text: str, file: str
) -> tuple[list[dict[str, Any]], list[int], list[Problem], frozenset[str]]:
    """Turn CSV text into population records, the line of each row, and header problems."""
    reader = _csv_reader(text)
    problems: list[Problem] = []
    try:
        header = [cell.strip() for cell in next(reader)]
        while not any(header):  # leading blank lines
            header = [cell.strip() for cell in next(reader)]
    except StopIteration:  # pragma: no cover - text is known not to be blank
        header = []
    except csv.Error as err:
        raise ProblemsError(
            [
                Problem(
                    file,
                    line_at(1),
                    "",
                    _("malformed CSV: {error}").format(error=parser_says(str(err))),
                )
            ]
        ) from None
    header_where = Location("header", line=reader.line_num)

    if len(header) == 1 and (LIST_SEPARATOR in header[0] or "\t" in header[0]):
        raise ProblemsError(
            [
                Problem(
                    file,
                    header_where,
                    "",
                    _(
                        "the header has no commas; expected comma-separated columns "
                        "({columns}, …) — ';' separates list items inside a cell"
                    ).format(columns=", ".join(REQUIRED_FIELDS)),
                )
            ]
        )

    columns, unnamed, header_problems = _read_header(header, file, header_where)
    problems.extend(header_problems)
    missing = frozenset(name for name in REQUIRED_FIELDS if name not in header)
    if missing:
        names = [name for name in REQUIRED_FIELDS if name in missing]
        problems.append(
            Problem(
                file,
                header_where,
                "",
                ngettext(
                    "missing required column {names}; expected at least {required}",
                    "missing required columns {names}; expected at least {required}",
                    len(names),
                ).format(names=", ".join(names), required=", ".join(REQUIRED_FIELDS)),
            )
        )

    rows, starts, row_problems = _read_rows(text, reader.line_num, len(header), file)
    problems.extend(row_problems)
    if not rows:
        if not problems:
            problems.append(_no_rows(file))
        return [], starts, problems, missing

    for index in unnamed:
        filled = next((n for n, row in enumerate(rows) if row[index]), None)
        if filled is not None:
            problems.append(
                Problem(
                    file,
                    row_at(filled + 1, starts[filled]),
                    _("column {column}").format(column=index + 1),
                    _("value in a column without a name; expected a header for it"),
                )
            )
    return _assemble(columns, rows), starts, problems, missing


def _no_rows(file: str) -> Problem:
    message = _("has a header but no rows; expected {expected}")
    return Problem(file, "", "", message.format(expected=_(EXPECTED_FILE)))


def _read_header(
    header: Sequence[str], file: str, where: Location
) -> tuple[list[tuple[int, str]], list[int], list[Problem]]:
    """The known columns (cell index, name), the unnamed ones, and header problems."""
    columns: list[tuple[int, str]] = []
    unnamed: list[int] = []
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            unnamed.append(index)  # harmless while its cells are empty (a trailing comma)
        elif name in first_index:
            problems.append(
                Problem(
                    file,
                    where,
                    name,
                    _(
                        "column appears twice (columns {first} and {second}); "
                        "expected each column once"
                    ).format(first=first_index[name] + 1, second=index + 1),
                )
            )
        elif name not in CSV_COLUMNS:
            first_index[name] = index
            problems.append(
                Problem(
                    file,
                    where,
                    name,
                    _("unknown column; expected columns from {columns}").format(
                        columns=", ".join(CSV_COLUMNS)
                    ),
                )
            )
        else:
            first_index[name] = index
            columns.append((index, name))
    return columns, unnamed, problems


def _read_rows(
    text: str, header_line: int, width: int, file: str
) -> tuple[list[list[str]], list[int], list[Problem]]:
    """Every data row — stripped, padded to the header's width — and the line it starts on.

    Rows with no value (blank lines, a spreadsheet's row of commas) are skipped. The usual
    file — one line per row, every row as wide as the header — is read in one C-level pass;
    anything else (ragged rows, line breaks inside quotes, a CSV error) is read again row by
    row to say exactly where.
    """
    reader = _reader_after(text, header_line)
    try:
        rows = list(reader)
    except csv.Error:
        pass
    else:
        rows = list(map(list, map(map, repeat(str.strip), rows)))  # in C: ~50 ns a cell
        one_line_each = reader.line_num - header_line == len(rows)
        if one_line_each and set(map(len, rows)) <= {width} and [""] * width not in rows:
            return rows, list(range(header_line + 1, reader.line_num + 1)), []
    return _read_rows_one_by_one(_reader_after(text, header_line), header_line, width, file)


def _csv_reader(text: str) -> _CsvReader:
    # strict: an unclosed quote is an error, not the rest of the file swallowed into a cell.
    # skipinitialspace: blanks after a comma are dropped in C, so a cell of spaces is empty.
    return csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)


def _reader_after(text: str, header_line: int) -> _CsvReader:
    reader = _csv_reader(text)
    while reader.line_num < header_line:
        next(reader)
    return reader


def _read_rows_one_by_one(
    reader: _CsvReader, header_line: int, width: int, file: str
) -> tuple[list[list[str]], list[int], list[Problem]]:
    rows: list[list[str]] = []
    starts: list[int] = []
    problems: list[Problem] = []
    line = header_line
    padding = [""] * width
    try:
        for raw in reader:
            start, line = line + 1, reader.line_num
            row = [cell.strip() for cell in raw]
            if not any(row):
                continue
            if len(row) > width:
                if any(row[width:]):
                    problems.append(
                        Problem(
                            file,
                            row_at(len(rows) + 1, start),
                            "",
                            _(
                                "has {count} cells; expected at most {width}, one per header column"
                            ).format(count=len(row), width=width),
                        )
                    )
                row = row[:width]
            elif len(row) < width:
                row += padding[len(row) :]  # a spreadsheet may drop trailing empty cells
            rows.append(row)
            starts.append(start)
    except csv.Error as err:
        if str(err).startswith("field larger than field limit"):
            message = _("a cell is longer than {limit} characters; expected shorter cells").format(
                limit=format_number(_FIELD_LIMIT)
            )
        else:
            message = _(
                "malformed CSV: {error}; expected each quoted cell to be closed by a quote "
                "followed by a comma or the end of the line"
            ).format(error=parser_says(str(err)))
        problems.append(Problem(file, row_at(len(rows) + 1, line + 1), "", message))
    return rows, starts, problems


def _assemble(columns: Sequence[tuple[int, str]], rows: list[list[Any]]) -> list[dict[str, Any]]:
    """Build one record per row from the known columns' (stripped) cells.

    An empty cell leaves its key out: a required field is then reported missing, an optional
    one takes its default, and a factor stays *unknown*, not zero. Numbers stay text here:
    the CSV is validated in pydantic's lax mode, which converts them in Rust.

    Every loop below runs in C (``map`` over ``itemgetter``, ``zip``, ``filter``), as this is
    most of the time spent on a large file. The rows are extended in place: each list cell
    is replaced by its items and each factor map is appended as one more cell.
    """
    names: list[str] = []
    indices: list[int] = []
    maps: dict[str, list[tuple[int, str]]] = {}
    width = len(rows[0])
    for index, name in columns:
        field, _dot, key = name.partition(".")
        if key:
            maps.setdefault(field, []).append((index, key))
            continue
        if field in LIST_FIELDS:  # the cell becomes its items
            items = _lists(list(map(itemgetter(index), rows)))
            deque(map(list.__setitem__, rows, repeat(index), items), maxlen=0)
        names.append(field)
        indices.append(index)
    for field, factor_columns in maps.items():
        keys = [key for _index, key in factor_columns]
        dicts = _non_empty_dicts(keys, _picker([index for index, _key in factor_columns]), rows)
        deque(map(list.append, rows, dicts), maxlen=0)
        names.append(field)
        indices.append(width)
        width += 1
    return _non_empty_dicts(names, _picker(indices), rows)


def _picker(indices: Sequence[int]) -> Callable[[list[Any]], Sequence[Any]]:
    """A C-level function giving a row's cells at ``indices``, always as a sequence."""
    if not indices:  # no column prevplan knows (the missing ones are reported)
        return _no_cells
    if len(indices) == 1:  # itemgetter of one index gives the cell itself, not a tuple
        return itemgetter(slice(indices[0], indices[0] + 1))
    return itemgetter(*indices)


def _no_cells(row: list[Any]) -> Sequence[Any]:
    return ()


def _non_empty_dicts(
    names: Sequence[str], pick: Callable[[list[Any]], Sequence[Any]], rows: Sequence[list[Any]]
) -> list[dict[str, Any]]:
    """``{name: cell}`` for the cells ``pick`` takes from each row, leaving out empty ones
    (``""``, ``()``, ``{}``): one C-level pipeline, no Python code run per row."""
    pairs = map(zip, repeat(names), map(pick, rows))
    non_empty = map(filter, repeat(_VALUE), pairs)  # type: ignore[arg-type]  # generic filter
    return list(map(dict, non_empty))


_VALUE: Final = itemgetter(1)


def _lists(column: Sequence[str]) -> list[tuple[str, ...]]:
    """``;``-separated lists; a spreadsheet repeats few distinct ones, so each is split once."""
    split = {
        cell: tuple(item for part in cell.split(LIST_SEPARATOR) if (item := part.strip()))
        for cell in set(column)
    }
    return list(map(split.__getitem__, column))


# --------------------------------------------------------------------------- CSV fast path
#
# FENCED FAST PATH. Everything below mirrors, a whole column at a time, what the usual way
# above plus :func:`prevplan.io.populations._validate` (the TargetPopulation model) accepts:
# it returns a result only for a file the usual way reads with no problem, and ``None``
# otherwise. Kept equal by tests/test_population_io.py (the fast-path tests compare both ways
# on every fixture, including the monkeypatched slow way) and tests/test_recommend_properties.py.
# A change to the model or to the usual way must be made here too, or the fast path refused.


class _CsvTable:
    """A CSV file's populations, every value checked, one list per column."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.ids: list[str] = []
        self.names: list[str] | None = None
        self.age_min: list[int] = []
        self.age_max: list[int] = []
        self.sizes: list[int] = []
        self.risk_group: list[RiskGroup | None] | None = None
        """``None`` in a cell: empty (the default)."""
        self.settings: list[tuple[tuple[str, ...], tuple[Setting, ...]]] | None = None
        self.special_groups: list[tuple[tuple[str, ...], tuple[SpecialGroup, ...]]] | None = None
        """Each cell's words, as text and as members of the vocabulary."""
        self.regions: list[str] | None = None
        self.risk_factors: dict[RiskFactor, list[float]] = {}
        """Shares by factor, in the header's order; ``NaN`` where the cell is empty."""
        self.protective_factors: dict[ProtectiveFactor, list[float]] = {}

    def columns(self) -> PopulationColumns:
        count = self.count
        groups = self.risk_group or [None] * count
        return PopulationColumns(
            ids=self.ids,
            age_min=self.age_min,
            age_max=self.age_max,
            risk_group=list(map(_GROUP_VALUES.__getitem__, groups)),
            settings=_words(self.settings, 0, count),
            special_groups=_words(self.special_groups, 0, count),
            risk_factors={f.value: v for f, v in self.risk_factors.items()},
            protective_factors={f.value: v for f, v in self.protective_factors.items()},
        )

    def populations(self) -> list[TargetPopulation]:
        """The model objects pydantic would build from the file, field for field."""
        count = self.count
        nothing: list[Any] = [None] * count
        found: list[TargetPopulation] = []
        rows = zip(
            self.ids,
            self.names or nothing,
            self.age_min,
            self.age_max,
            self.sizes,
            self.risk_group or nothing,
            _words(self.settings, 1, count),
            _words(self.special_groups, 1, count),
            self.regions or nothing,
            strict=True,
        )
        risks = list(self.risk_factors.items())
        resources = list(self.protective_factors.items())
        for n, (pid, name, low, high, size, group, settings, special, region) in enumerate(rows):
            given = ["id", "age_min", "age_max", "size"]
            risk_factors = {f: shares[n] for f, shares in risks if shares[n] == shares[n]}
            protective = {f: shares[n] for f, shares in resources if shares[n] == shares[n]}
            for field, value in (
                ("name", name),
                ("risk_group", group),
                ("settings", settings),
                ("risk_factors", risk_factors),
                ("protective_factors", protective),
                ("special_groups", special),
                ("region", region),
            ):
                if value:
                    given.append(field)
            found.append(
                _construct(
                    {
                        "id": pid,
                        "name": name,
                        "age_min": low,
                        "age_max": high,
                        "size": size,
                        "risk_group": RiskGroup.GENERAL if group is None else group,
                        "settings": settings,
                        "risk_factors": risk_factors,
                        "protective_factors": protective,
                        "special_groups": special,
                        # The fast path reads no parents_of columns (a file with them takes
                        # the validated way).
                        "parents_of": None,
                        "region": region,
                        "benchmarks": None,  # not a CSV column (docs/interfaces.md §2)
                    },
                    set(given),
                )
            )
        return found


def _words(column: list[tuple[Any, Any]] | None, form: int, count: int) -> list[Any]:
    """A list column's words as text (``form`` 0) or as members of the vocabulary (1)."""
    if column is None:
        return [()] * count
    return list(map(operator.itemgetter(form), column))


_new_population = TargetPopulation.__new__
_set = object.__setattr__
_CONSTRUCT_DIRECTLY: Final = not (
    TargetPopulation.__pydantic_post_init__
    or TargetPopulation.__private_attributes__
    or TargetPopulation.__pydantic_root_model__
    or list(TargetPopulation.model_fields) != list(POPULATION_FIELDS)
)


def _construct(values: dict[str, Any], fields_set: set[str]) -> TargetPopulation:
    """A population from values known to be valid, as ``model_construct`` makes it (which
    is several times slower); the tests compare both with validated populations."""
    if not _CONSTRUCT_DIRECTLY:  # pragma: no cover - a model with more machinery
        return TargetPopulation.model_construct(fields_set, **values)
    population = _new_population(TargetPopulation)
    _set(population, "__dict__", values)
    _set(population, "__pydantic_fields_set__", fields_set)
    _set(population, "__pydantic_extra__", None)
    _set(population, "__pydantic_private__", None)
    return population


_AGES: Final = {str(age): age for age in range(AGE_MIN, AGE_MAX + 1)}
# Pydantic's lax mode reads a cell of digits, or digits and one point, as ``int`` and
# ``float`` read it (decimal text, correctly rounded): a column of such cells is converted by
# them. Anything else — signs, exponents, blanks inside — takes the usual way.
# The patterns match a column joined by commas (a quoted cell with a comma fails later).
_UNKNOWN: Final = float("nan")
_NOT_ONE_OF: Final = object()
_RISK_GROUPS: Final[Mapping[str, object]] = {"": None, **{g.value: g for g in RiskGroup}}
_GROUP_VALUES: Final[Mapping[object, str]] = {
    None: RiskGroup.GENERAL.value,
    **{g: g.value for g in RiskGroup},
}
_FIELD_LIMIT: Final = csv.field_size_limit()


_FAST_FIELDS: Final = frozenset(
    {"id", "name", "region", "age_min", "age_max", "size", "risk_group", *LIST_FIELDS}
)


def _fast_columns(named: Sequence[tuple[int, str]]) -> bool:
    """Whether the fast path reads every one of these columns and the required ones are there:
    any other column (a nested field such as ``parents_of.age_min``) takes the usual way."""
    names = {name for _index, name in named}
    if not set(REQUIRED_FIELDS) <= names:
        return False
    for name in names:
        field, _dot, key = name.partition(".")
        if not ((field in _FAST_FIELDS and not key) or (field in MAP_FIELDS and key)):
            return False
    return True


def valid_csv_table(text: str, *, texts: bool = True) -> _CsvTable | None:
    """The populations of CSV text whose every value is valid, or ``None`` (then the text
    is read the usual way, which says what is wrong or finds nothing wrong after all).

    Without ``texts``, names and regions (any text is valid) are left out: the columns
    for a batch do not hold them.
    """
    cells = _csv_columns(text)
    if cells is None:
        return None
    header, columns = cells
    named, unnamed, problems = _read_header(header, "", NOWHERE)
    if problems or unnamed or not _fast_columns(named):
        return None
    count = len(columns[0]) if columns else 0
    if not count:
        return None
    table = _CsvTable(count)
    for index, name in named:
        if not texts and name in ("name", "region"):
            if max(map(len, columns[index]), default=0) > MAX_TEXT_LENGTH:
                return None  # the model refuses it: the usual way says so
            continue
        if not _take_column(table, name, columns[index]):
            return None
    if len(set(table.ids)) < count or any(map(operator.gt, table.age_min, table.age_max)):
        return None
    return table


def _take_column(table: _CsvTable, name: str, column: list[str]) -> bool:
    """Check and convert one column into the table; whether every cell is valid.

    Cells are stripped of blanks (the usual way strips every cell), here only where a
    value would not be valid otherwise.
    """
    field, _dot, key = name.partition(".")
    if field in ("id", "name", "region"):
        column = list(map(str.strip, column))
        longest = max(map(len, column), default=0)
        if longest > (MAX_ID_LENGTH if field == "id" else MAX_TEXT_LENGTH):
            return False
        if field == "id":
            table.ids = column
            return all(column)
        setattr(table, f"{field}s", [cell or None for cell in column])
        return True
    found = _convert(field, key, column)
    if found is None:
        found = _convert(field, key, list(map(str.strip, column)))
    if found is None:
        return False
    if key:
        factors = table.risk_factors if field == "risk_factors" else table.protective_factors
        factors[(RiskFactor if field == "risk_factors" else ProtectiveFactor)(key)] = found  # type: ignore[index]
    else:
        setattr(table, "sizes" if field == "size" else field, found)
    return True


def _convert(field: str, key: str, column: list[str]) -> list[Any] | None:
    """The values of a column of that field, or ``None`` if one is not valid as written."""
    if field in ("age_min", "age_max"):
        ages = list(map(_AGES.get, column))
        return None if None in ages else ages
    if field == "size":
        if not PLAIN_COUNTS.fullmatch(",".join(column)):
            return None
        sizes = list(map(int, column))
        return sizes if min(sizes) >= 1 and max(sizes) <= MAX_PEOPLE else None
    if field == "risk_group":
        groups = list(map(_RISK_GROUPS.get, column, repeat(_NOT_ONE_OF)))
        return None if _NOT_ONE_OF in groups else groups
    if field in LIST_FIELDS:  # (the words, the words as members of the vocabulary)
        vocabulary = Setting if field == "settings" else SpecialGroup
        parsed = {cell: _list_items(cell, vocabulary) for cell in set(column)}
        return None if None in parsed.values() else list(map(parsed.__getitem__, column))
    if key:  # a share, or an empty cell: unknown (a column repeats few distinct values)
        distinct = set(column)
        if not PLAIN_SHARES.fullmatch(",".join(distinct)):
            return None
        try:
            shares = {cell: float(cell) if cell else _UNKNOWN for cell in distinct}
        except ValueError:  # "." or "1.2.3"
            return None
        if any(map((1.0).__lt__, shares.values())):
            return None
        return list(map(shares.__getitem__, column))
    return None  # pragma: no cover - every column name is known by now


def _list_items(
    cell: str, vocabulary: type[StrEnum]
) -> tuple[tuple[str, ...], tuple[Any, ...]] | None:
    """The words of a ``;``-separated list cell, as text and as members of the vocabulary;
    ``None`` if one is unknown or repeated."""
    items = tuple(item for part in cell.split(LIST_SEPARATOR) if (item := part.strip()))
    if len(set(items)) < len(items):
        return None
    try:
        return items, tuple(map(vocabulary, items))
    except ValueError:
        return None


def _csv_columns(text: str) -> tuple[list[str], list[list[str]]] | None:
    """The stripped header cells and the stripped cells of each column, when the file has
    one header line, then rows all as wide as it (no blank row but at the end)."""
    if '"' in text:  # quoted cells: the csv module reads them
        try:
            rows = list(_csv_reader(text))
        except csv.Error:
            return None
        while rows and not any(cell.strip() for cell in rows[-1]):
            rows.pop()
    else:  # the usual file: one line per row, cells between commas
        if text.count("\r") != text.count("\r\n"):
            return None  # a lone carriage return ends a row in CSV
        lines = text.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines or max(map(len, lines)) > _FIELD_LIMIT:
            return None
        width = lines[0].count(",") + 1
        if set(map(str.count, lines, repeat(","))) != {width - 1}:
            return None
        cells = ",".join(lines).split(",")
        header = list(map(str.strip, cells[:width]))
        return header, [cells[width + n :: width] for n in range(width)]
    if not rows or set(map(len, rows)) != {len(rows[0])}:
        return None
    if any(not any(map(str.strip, row)) for row in rows):
        return None  # a blank row: skipped the usual way
    header = list(map(str.strip, rows[0]))
    return header, [list(column) for column in zip(*rows[1:], strict=True)] or [
        [] for _cell in header
    ]


TEMPLATE_EXAMPLE: Final = {
    "id": "teens-east",
    "name": "Adolescents aged 12–15, East",
    "age_min": "12",
    "age_max": "15",
    "size": "42000",
    "risk_group": "general",
    "settings": "school;community",
    "region": "East",
    "risk_factors.peers": "0.45",
    "protective_factors.parents": "0.4",
}
"""The example row of the template: replace it, or delete it."""


def csv_template() -> bytes:
    """A population CSV to fill in: every column of the format, one example row (shares as
    fractions, 0.45 for 45 %; list items separated by ``;``)."""
    header = ",".join(CSV_COLUMNS)
    example = ",".join(_template_cell(TEMPLATE_EXAMPLE.get(name, "")) for name in CSV_COLUMNS)
    return ("\ufeff" + header + "\r\n" + example + "\r\n").encode("utf-8")


def _template_cell(text: str) -> str:
    return f'"{text}"' if "," in text else text
