"""Reading target-population files (interfaces §2) and saying exactly what is wrong in them.

A planner writes populations by hand in YAML, exports them from a spreadsheet as CSV, or gets
JSON from another tool. Whatever the format, a bad file is answered with *every* problem at
once — the file, the row or item, the field and what was expected — as a
:class:`~prevplan.problems.ProblemsError`, never with a traceback or pydantic's own wording.

Formats, chosen by the file's suffix:

- ``.yaml`` / ``.yml`` / ``.json``: a list of objects, or a mapping ``{populations: [...]}``;
  problems name ``item N (id X)``.
- ``.csv``: a header line and one population per row; lists are ``;``-separated and the
  factor maps are flattened into columns ``risk_factors.family``,
  ``protective_factors.parents`` and so on. An empty cell means *missing* (for a factor:
  *unknown*). Problems name ``row N (line L)``.

Every problem — the place (row, line, column, item) as well as what is wrong — is worded in
the reader's language (:mod:`prevplan.i18n`); what the planner wrote (ids, values, field and
column names) is quoted as written.

A large CSV file whose every value is valid — the usual national file — is read on a fast
path: its columns are checked and converted a whole column at a time, and the populations
are built without validating each one again (:func:`read_population_columns` even keeps them
as columns, for a national batch). The checks are strict: anything they do not accept at once
(a number written unusually, an unknown word, a repeated id, a ragged row…) sends the file
the usual way, so what is read, and every problem reported, is the same either way.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import re
import stat
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from enum import StrEnum
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml
from pydantic import ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails
from typing_extensions import TypedDict

from prevplan.i18n import N_, _, ngettext
from prevplan.io.columns import PopulationColumns
from prevplan.memory import gc_paused
from prevplan.population import (
    AGE_MAX,
    AGE_MIN,
    POPULATION_FIELDS,
    POPULATION_LIST,
    REQUIRED_FIELDS,
    TargetPopulation,
    csv_columns,
    repeated_items,
)
from prevplan.problems import Problem, ProblemsError
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

try:  # libyaml's parser is several times faster; the pure-Python one is the fallback.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_INPUT_BYTES: Final = 50 * 1024 * 1024
"""Largest population file read; a bigger one is refused before it is read into memory."""

SUFFIXES: Final[Mapping[str, str]] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
}

LIST_SEPARATOR: Final = ";"

_MAP_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "risk_factors": tuple(f.value for f in RiskFactor),
    "protective_factors": tuple(f.value for f in ProtectiveFactor),
}
_LIST_FIELDS: Final = ("settings", "special_groups")
_CSV_COLUMNS: Final[tuple[str, ...]] = tuple(csv_columns())


# --------------------------------------------------------------------------- public entry


def read_populations(path: Path, *, other_keys: Collection[str] = ()) -> list[TargetPopulation]:
    """Read and validate every target population in ``path``.

    ``other_keys`` are top-level keys a YAML/JSON mapping may hold besides ``populations``
    (a plan file's ``activities``, say); any other key is reported as unknown.

    Raises :class:`ProblemsError` listing every problem found.
    """
    file = str(path)
    return parse_populations_bytes(read_input_bytes(path, file), file, other_keys=other_keys)


def read_population_columns(path: Path) -> PopulationColumns:
    """Read and validate every target population in ``path``, as columns for a batch.

    The same populations and the same problems as :func:`read_populations`; a CSV file with
    no problem is read straight into columns, without a model object per population.
    """
    file = str(path)
    data = read_input_bytes(path, file)
    if _kind(file, SUFFIXES) == "csv":
        with gc_paused():
            columns = _plain_csv_columns(data)
            if columns is not None:
                return columns
            table = _valid_csv_table(_text(data, file), texts=False)
        if table is not None:
            return table.columns()
    return PopulationColumns.of(parse_populations_bytes(data, file))


def parse_populations_bytes(
    data: bytes, file: str, *, other_keys: Collection[str] = ()
) -> list[TargetPopulation]:
    """Parse the content of a population file named ``file`` (the format comes from its suffix).

    The Streamlit app passes uploaded bytes here; :func:`read_populations` reads a path and
    passes its bytes here.
    """
    kind = _kind(file, SUFFIXES)
    text = _text(data, file)
    with gc_paused():
        if kind == "csv":
            return parse_population_csv(text, file)
        if kind == "json" and not other_keys:
            fast = _valid_json_populations(text)
            if fast is not None:
                return fast
        loaded, problems = _load_structured(text, file, kind)
        try:
            records = _top_level_records(loaded, file, other_keys)
        except ProblemsError as err:
            raise ProblemsError([*problems, *err.problems]) from None
        populations, record_problems = check_population_records(records, file)
        ProblemsError.raise_if_any([*problems, *record_problems])
        return populations


def load_structured_bytes(data: bytes, file: str) -> object:
    """The data in a YAML or JSON file named ``file`` (a plan, say), as plain Python values.

    Raises :class:`ProblemsError` for a file that is too large, not UTF-8 text, empty or
    malformed (with the line), or a YAML mapping that repeats a key.
    """
    kind = _kind(file, {k: v for k, v in SUFFIXES.items() if v != "csv"})
    loaded, problems = _load_structured(_text(data, file), file, kind)
    ProblemsError.raise_if_any(problems)
    if loaded is None:
        raise ProblemsError([_empty(file)])
    return loaded


def _kind(file: str, suffixes: Mapping[str, str]) -> str:
    suffix = Path(file).suffix
    kind = suffixes.get(suffix.lower())
    if kind is None:
        raise ProblemsError(
            [
                Problem(
                    file,
                    "",
                    "",
                    _("unsupported file type '{suffix}'; expected one of {allowed}").format(
                        suffix=suffix, allowed=", ".join(suffixes)
                    ),
                )
            ]
        )
    return kind


def _text(data: bytes, file: str) -> str:
    if len(data) > MAX_INPUT_BYTES:
        raise ProblemsError([_too_large(file, len(data))])
    return _decode(data, file)


def _load_structured(text: str, file: str, kind: str) -> tuple[object, list[Problem]]:
    if kind == "yaml":
        return _load_yaml(text, file)
    return _load_json(text, file), []


def _valid_json_populations(text: str) -> list[TargetPopulation] | None:
    """The populations of a JSON file with no problem at all, parsed and validated in Rust.

    About twice as fast as ``json.loads`` and validating the objects. Any problem gives
    ``None``, and the caller reads the file again the slow way to say exactly what is wrong.
    """
    start = text.lstrip()[:1]
    adapter = POPULATION_LIST if start == "[" else _POPULATIONS_DOCUMENT if start == "{" else None
    if adapter is None:
        return None
    try:
        loaded = adapter.validate_json(text)
    except ValidationError:
        return None
    populations = loaded if isinstance(loaded, list) else loaded["populations"]
    if not populations or len({p.id for p in populations}) < len(populations):
        return None
    return populations


class _PopulationsDocument(TypedDict):
    """``{populations: [...]}`` with nothing else, as the JSON fast path accepts it."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    populations: list[TargetPopulation]


_POPULATIONS_DOCUMENT: Final = TypeAdapter(_PopulationsDocument)


def parse_population_records(
    records: Sequence[object], file: str, *, label: str = "item"
) -> list[TargetPopulation]:
    """Validate already-loaded population objects (from YAML, JSON, a form or a plan file).

    Problems name ``{label} N (id X)`` with N counted from 1. Raises :class:`ProblemsError`
    with every problem; use :func:`check_population_records` to collect them instead.
    """
    populations, problems = check_population_records(records, file, label=label)
    ProblemsError.raise_if_any(problems)
    return populations


def check_population_records(
    records: Sequence[object], file: str, *, label: str = "item"
) -> tuple[list[TargetPopulation], list[Problem]]:
    """Like :func:`parse_population_records`, but return the problems instead of raising.

    For callers that gather problems from several parts of one file (a plan's populations
    and its activities). The populations are returned only when there is no problem;
    otherwise the list is empty.
    """

    def where(index: int) -> str:
        record = records[index] if 0 <= index < len(records) else None
        raw_id = record.get("id") if isinstance(record, Mapping) else None
        return record_where(label, index + 1, raw_id if isinstance(raw_id, str) else None)

    return _validate(records, file, where, missing_columns=frozenset())


def parse_population_csv(text: str, file: str) -> list[TargetPopulation]:
    """Parse population CSV text (interfaces §2): header line, one population per row.

    Cells are stripped of surrounding blanks; an empty cell is a missing value. Numbers are
    read from their text by validating in pydantic's lax mode — only here: everywhere else
    the model accepts no number written as text.
    """
    table = _valid_csv_table(text)
    if table is not None:
        return table.populations()
    records, row_lines, problems, missing_columns = _csv_records(text, file)

    def where(index: int) -> str:
        return row_where(index + 1, row_lines[index])

    populations, row_problems = _validate(
        records, file, where, missing_columns, numbers_from_text=True
    )
    ProblemsError.raise_if_any([*problems, *row_problems])
    return populations


# --------------------------------------------------------------------------- bytes & text


def read_input_bytes(path: Path, file: str) -> bytes:
    """The bytes of an input file, or a :class:`ProblemsError` saying why it cannot be read.

    Refuses a file over :data:`MAX_INPUT_BYTES` before reading it into memory. ``file`` is
    the name problems give (usually ``str(path)``).
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ProblemsError([Problem(file, "", "", _("file not found"))]) from None
    except OSError as err:
        raise ProblemsError([Problem(file, "", "", _cannot_read(err))]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ProblemsError([Problem(file, "", "", _("is a directory; expected a file"))])
    if info.st_size > MAX_INPUT_BYTES:
        raise ProblemsError([_too_large(file, info.st_size)])
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit so a file that grows (or a pipe, whose size stat
            # cannot tell) is still refused without reading all of it.
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as err:
        raise ProblemsError([Problem(file, "", "", _cannot_read(err))]) from None
    if len(data) > MAX_INPUT_BYTES:
        raise ProblemsError([_too_large(file, None)])
    return data


def _cannot_read(err: OSError) -> str:
    return _("cannot read: {reason}").format(reason=err.strerror)


def _too_large(file: str, size: int | None) -> Problem:
    limit = MAX_INPUT_BYTES // (1024 * 1024)
    if size is None:
        message = _(
            "file is too large; expected at most {limit} MB — split it into several files"
        ).format(limit=limit)
    else:
        message = _(
            "file is too large ({size} MB); expected at most {limit} MB — "
            "split it into several files"
        ).format(size=f"{size / (1024 * 1024):.1f}", limit=limit)
    return Problem(file, "", "", message)


def _decode(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise ProblemsError([_not_text(file)])
    try:
        text = data.decode("utf-8-sig")  # a BOM is what Excel's "CSV UTF-8" writes
    except UnicodeDecodeError as err:
        raise ProblemsError([_not_text(file, err.start)]) from None
    if not text.strip():
        raise ProblemsError([_empty(file)])
    return text


def _empty(file: str) -> Problem:
    return Problem(
        file, "", "", _("file is empty; expected {expected}").format(expected=_(_EXPECTED_FILE))
    )


def _not_text(file: str, offset: int | None = None) -> Problem:
    if offset is None:
        return Problem(file, "", "", _("not a text file; expected UTF-8 text"))
    message = _("not a text file (byte {offset} is not UTF-8); expected UTF-8 text")
    return Problem(file, "", "", message.format(offset=offset))


_EXPECTED_FILE: Final = N_("one or more target populations")


# --------------------------------------------------------------------------- YAML & JSON


_YAML_MERGE: Final = "tag:yaml.org,2002:merge"


class _StrictYamlLoader(_SafeLoader):
    """Safe loader that remembers duplicate keys, which PyYAML silently overwrites."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _YAML_MERGE:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.duplicate_keys.append((str(key), line, seen[key]))
                else:
                    seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _load_yaml(text: str, file: str) -> tuple[object, list[Problem]]:
    """The YAML document, and the duplicate keys in it (reported with the other problems)."""
    loader = _StrictYamlLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = line_column_where(mark.line + 1, mark.column + 1) if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ProblemsError(
            [
                Problem(
                    file,
                    at,
                    "",
                    _("malformed YAML: {problem}").format(problem=_parser_says(problem)),
                )
            ]
        ) from None
    finally:
        loader.dispose()
    duplicates = [
        Problem(
            file,
            line_where(line),
            key,
            _(
                "appears twice in one mapping (first on line {first}), so one value would be "
                "lost; expected each key once"
            ).format(first=first),
        )
        for key, line, first in loader.duplicate_keys
    ]
    return data, duplicates


_EXPECTED_YAML: Final = N_("a list of populations or a mapping with key 'populations'")


def _load_json(text: str, file: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ProblemsError(
            [
                Problem(
                    file,
                    line_column_where(err.lineno, err.colno),
                    "",
                    _("malformed JSON: {error}").format(error=_parser_says(err.msg)),
                )
            ]
        ) from None


def _top_level_records(data: object, file: str, other_keys: Collection[str]) -> list[object]:
    if data is None:
        raise ProblemsError([_empty(file)])
    problems: list[Problem] = []
    if isinstance(data, Mapping):
        allowed = "".join(f", '{key}'" for key in sorted(other_keys))
        problems = [
            Problem(
                file,
                _(TOP_LEVEL),
                str(key),
                _("unknown key; expected 'populations'{allowed}").format(allowed=allowed),
            )
            for key in data
            if key != "populations" and key not in other_keys
        ]
        if "populations" not in data:
            problems.append(Problem(file, _(TOP_LEVEL), "populations", _missing(_(_EXPECTED_YAML))))
            raise ProblemsError(problems)
        data = data["populations"]
        if not isinstance(data, list):
            problems.append(
                Problem(
                    file,
                    _(TOP_LEVEL),
                    "populations",
                    _("expected a list of populations, got {value}").format(value=_show(data)),
                )
            )
            raise ProblemsError(problems)
    elif not isinstance(data, list):
        raise ProblemsError(
            [
                Problem(
                    file,
                    _(TOP_LEVEL),
                    "",
                    _("expected {expected}, got {value}").format(
                        expected=_(_EXPECTED_YAML), value=_show(data)
                    ),
                )
            ]
        )
    if not data:
        problems.append(
            Problem(
                file,
                "",
                "",
                _("contains no populations; expected {expected}").format(
                    expected=_(_EXPECTED_FILE)
                ),
            )
        )
    ProblemsError.raise_if_any(problems)
    return data


# --------------------------------------------------------------------------- CSV


def _csv_records(
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
                    line_where(1),
                    "",
                    _("malformed CSV: {error}").format(error=_parser_says(str(err))),
                )
            ]
        ) from None
    header_where = _("header (line {line})").format(line=reader.line_num)

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
                    row_where(filled + 1, starts[filled]),
                    _("column {column}").format(column=index + 1),
                    _("value in a column without a name; expected a header for it"),
                )
            )
    return _assemble(columns, rows), starts, problems, missing


def _no_rows(file: str) -> Problem:
    message = _("has a header but no rows; expected {expected}")
    return Problem(file, "", "", message.format(expected=_(_EXPECTED_FILE)))


def _read_header(
    header: Sequence[str], file: str, where: str
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
        elif name not in _CSV_COLUMNS:
            first_index[name] = index
            problems.append(
                Problem(
                    file,
                    where,
                    name,
                    _("unknown column; expected columns from {columns}").format(
                        columns=", ".join(_CSV_COLUMNS)
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
                            row_where(len(rows) + 1, start),
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
        problems.append(
            Problem(
                file,
                row_where(len(rows) + 1, line + 1),
                "",
                _(
                    "malformed CSV: {error}; expected each quoted cell to be closed by a quote "
                    "followed by a comma or the end of the line"
                ).format(error=_parser_says(str(err))),
            )
        )
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
        if field in _LIST_FIELDS:  # the cell becomes its items
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
    if len(indices) == 1:  # itemgetter of one index gives the cell itself, not a tuple
        return itemgetter(slice(indices[0], indices[0] + 1))
    return itemgetter(*indices)


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
                        "region": region,
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
_SIZES: Final = re.compile(r"[0-9]{1,40}(?:,[0-9]{1,40})*")
_SHARES: Final = re.compile(r"[0-9.]{0,40}(?:,[0-9.]{0,40})*")
_UNKNOWN: Final = float("nan")
_NOT_ONE_OF: Final = object()
_RISK_GROUPS: Final[Mapping[str, object]] = {"": None, **{g.value: g for g in RiskGroup}}
_GROUP_VALUES: Final[Mapping[object, str]] = {
    None: RiskGroup.GENERAL.value,
    **{g: g.value for g in RiskGroup},
}
_FIELD_LIMIT: Final = csv.field_size_limit()


def _valid_csv_table(text: str, *, texts: bool = True) -> _CsvTable | None:
    """The populations of CSV text whose every value is valid, or ``None`` (then the text
    is read the usual way, which says what is wrong or finds nothing wrong after all).

    Without ``texts``, names and regions (any text is valid) are left out: the columns
    for a batch do not hold them.
    """
    cells = _csv_columns(text)
    if cells is None:
        return None
    header, columns = cells
    named, unnamed, problems = _read_header(header, "", "")
    if problems or unnamed or not set(REQUIRED_FIELDS) <= {name for _index, name in named}:
        return None
    count = len(columns[0]) if columns else 0
    if not count:
        return None
    table = _CsvTable(count)
    for index, name in named:
        if not texts and name in ("name", "region"):
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
        if not _SIZES.fullmatch(",".join(column)):
            return None
        sizes = list(map(int, column))
        return sizes if min(sizes) >= 1 else None
    if field == "risk_group":
        groups = list(map(_RISK_GROUPS.get, column, repeat(_NOT_ONE_OF)))
        return None if _NOT_ONE_OF in groups else groups
    if field in _LIST_FIELDS:  # (the words, the words as members of the vocabulary)
        vocabulary = Setting if field == "settings" else SpecialGroup
        parsed = {cell: _list_items(cell, vocabulary) for cell in set(column)}
        return None if None in parsed.values() else list(map(parsed.__getitem__, column))
    if key:  # a share, or an empty cell: unknown (a column repeats few distinct values)
        distinct = set(column)
        if not _SHARES.fullmatch(",".join(distinct)):
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


def _plain_csv_columns(data: bytes) -> PopulationColumns | None:
    """The columns of a plain CSV file — ASCII, no quotes — whose every value is valid,
    read from its bytes with numpy; ``None`` for any other file (the usual national file
    is plain: read this way, it costs a fraction of making a string of every cell).

    It accepts what :func:`_valid_csv_table` accepts, and numbers written with leading
    zeros as pydantic's lax mode reads them; a number is read as ``int`` and ``float`` read
    its text: digits only, or digits and one point with at most 15 digits in all, which
    ``n / 10**d`` gives exactly as ``float`` does (both round the exact quotient correctly).
    """
    if not data.isascii() or b'"' in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    import numpy as np  # the batch that reads columns needs it anyway

    text = np.frombuffer(data, dtype=np.uint8)
    blank = np.isin(text, _ASCII_BLANKS)
    filled = np.flatnonzero(~blank)
    if not len(filled):
        return None
    header_end = data.find(b"\n")
    body_end = int(filled[-1]) + 1  # blank lines at the end are no rows
    if header_end < 0 or header_end >= body_end:
        return None
    header = [cell.strip() for cell in data[:header_end].decode("ascii").split(",")]
    named, unnamed, problems = _read_header(header, "", "")
    if problems or unnamed or not set(REQUIRED_FIELDS) <= {name for _index, name in named}:
        return None
    width = len(header)
    body = text[header_end + 1 : body_end]
    separators = np.flatnonzero((body == _COMMA) | (body == _NEWLINE))
    count, rest = divmod(len(separators) + 1, width)
    if rest or not count:
        return None
    # A newline after every ``width`` cells, and nowhere else: no blank or ragged row.
    ends_row = body[separators] == _NEWLINE
    if not np.array_equal(np.flatnonzero(ends_row) + 1, np.arange(1, count) * width):
        return None
    starts = np.concatenate(([0], separators + 1)).reshape(count, width)
    stops = np.concatenate((separators, [len(body)])).reshape(count, width)
    if int((stops - starts).max()) > _FIELD_LIMIT:
        return None
    cells = {
        name: _Cells(body, blank[header_end + 1 : body_end], starts[:, n], stops[:, n])
        for n, name in named
        if name not in ("name", "region")
    }
    return _plain_columns(cells, count)


_ASCII_BLANKS: Final = [ord(c) for c in " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"]
"""What ``str.strip`` strips among ASCII characters."""
_COMMA: Final = ord(",")
_NEWLINE: Final = ord("\n")
_WIDEST_CELL: Final = 64
"""Cells read as numbers or words; a wider one is read the usual way."""


class _Cells:
    """One column of a plain CSV file: each cell's bytes, stripped of blanks."""

    def __init__(self, body: Any, blank: Any, starts: Any, stops: Any) -> None:
        import numpy as np

        self.np = np
        self.body = body
        widths = stops - starts
        self.usable = int(widths.max(initial=0)) <= _WIDEST_CELL
        if not self.usable:
            return
        end = max(len(body) - 1, 0)

        def at(index: Any) -> Any:
            return blank[np.clip(index, 0, end)]

        if (at(starts) | at(stops - 1))[widths > 0].any():  # blanks around a value: strip
            while True:
                lead = (widths > 0) & at(starts)
                trail = (widths > 0) & at(starts + widths - 1)
                if not (lead.any() or trail.any()):
                    break
                starts = starts + lead
                widths = widths - lead
                widths = widths - (trail & (widths > 0))
        self.starts = starts
        self.widths = widths
        self.empty = widths == 0

    def char(self, place: int) -> Any:
        """The ``place``-th character of each cell (0 past its end)."""
        np = self.np
        index = np.minimum(self.starts + place, len(self.body) - 1)
        return np.where(place < self.widths, self.body[index], 0)

    def texts(self) -> list[str]:
        """Each cell as a string."""
        np = self.np
        widths = self.widths
        total = int(widths.sum()) + len(widths)
        ends = np.cumsum(widths + 1)
        shift = np.repeat(self.starts - (ends - widths - 1), widths + 1)
        joined = self.body[np.minimum(np.arange(total) + shift, max(len(self.body) - 1, 0))]
        joined[ends - 1] = _NEWLINE
        found: list[str] = joined.tobytes().decode("ascii").split("\n")[:-1]
        return found

    def numbers(self, point: bool) -> tuple[Any, Any] | None:
        """The value of each cell (a whole number, or with ``point`` a decimal one) and
        where it is empty; ``None`` if a cell is not a number written plainly."""
        np = self.np
        count = len(self.widths)
        whole = np.zeros(count, dtype=np.int64)
        digits = np.zeros(count, dtype=np.int64)
        decimals = np.zeros(count, dtype=np.int64)
        dots = np.zeros(count, dtype=np.int64)
        for place in range(int(self.widths.max(initial=0))):
            char = self.char(place)
            value = char.astype(np.int64) - ord("0")
            digit = (value >= 0) & (value <= 9)
            dot = char == ord(".")
            if ((place < self.widths) & ~digit & ~dot).any():
                return None
            whole = np.where(digit, whole * 10 + value, whole)
            digits += digit
            decimals += digit & (dots > 0)
            dots += dot
        if (dots > (1 if point else 0)).any() or ((digits == 0) & ~self.empty).any():
            return None
        if (digits > (15 if point else 18)).any():
            return None
        if not point:
            return whole, self.empty
        return whole / np.power(10.0, decimals), self.empty


def _plain_columns(cells: dict[str, _Cells], count: int) -> PopulationColumns | None:
    import numpy as np

    if not all(c.usable for c in cells.values()):
        return None
    ids = cells["id"].texts()
    if not all(ids) or len(set(ids)) < count:
        return None
    ages = []
    for field in ("age_min", "age_max"):
        found = cells[field].numbers(point=False)
        if found is None or found[1].any() or (found[0] > AGE_MAX).any():
            return None
        ages.append(found[0])
    if (ages[0] > ages[1]).any():
        return None
    sizes = cells["size"].numbers(point=False)
    if sizes is None or sizes[1].any() or (sizes[0] < 1).any():
        return None
    groups: list[str] = [RiskGroup.GENERAL.value] * count
    if "risk_group" in cells:
        found_groups = list(map(_RISK_GROUPS.get, cells["risk_group"].texts(), repeat(_NOT_ONE_OF)))
        if _NOT_ONE_OF in found_groups:
            return None
        groups = list(map(_GROUP_VALUES.__getitem__, found_groups))
    lists: dict[str, list[tuple[str, ...]]] = {}
    for field in _LIST_FIELDS:
        if field not in cells:
            lists[field] = [()] * count
            continue
        column = cells[field].texts()
        vocabulary = Setting if field == "settings" else SpecialGroup
        parsed = {cell: _list_items(cell, vocabulary) for cell in set(column)}
        if None in parsed.values():
            return None
        words = {cell: items[0] for cell, items in parsed.items() if items is not None}
        lists[field] = list(map(words.__getitem__, column))
    factors: dict[str, dict[str, list[float]]] = {"risk_factors": {}, "protective_factors": {}}
    for name, column_cells in cells.items():
        field, _dot, key = name.partition(".")
        if not key:
            continue
        shares = column_cells.numbers(point=True)
        if shares is None or (shares[0] > 1.0).any():
            return None
        factors[field][key] = np.where(shares[1], np.nan, shares[0]).tolist()
    return PopulationColumns(
        ids=ids,
        age_min=ages[0].tolist(),
        age_max=ages[1].tolist(),
        risk_group=groups,
        settings=lists["settings"],
        special_groups=lists["special_groups"],
        risk_factors=factors["risk_factors"],
        protective_factors=factors["protective_factors"],
    )


# --------------------------------------------------------------------------- validation


def _validate(
    records: Sequence[object],
    file: str,
    where: Callable[[int], str],
    missing_columns: frozenset[str],
    *,
    numbers_from_text: bool = False,
) -> tuple[list[TargetPopulation], list[Problem]]:
    """Validate records with the model; turn every error into a :class:`Problem`.

    ``numbers_from_text`` (for CSV, where every cell is text) validates in pydantic's lax
    mode: ``"12"`` becomes 12 and ``" 0.3 "`` becomes 0.3. Only text and tuples of text reach
    it, so lax mode changes nothing else; the model itself stays strict for everyone else.
    (A runtime ``strict=False`` overrides the fields' ``strict=True``; the CSV tests would
    fail at once if a pydantic release changed that.)
    """
    found: list[tuple[int, Problem]] = []
    populations: list[TargetPopulation] = []
    with gc_paused():
        try:
            populations = POPULATION_LIST.validate_python(
                records, strict=False if numbers_from_text else None
            )
        except ValidationError as err:
            for error in err.errors(include_url=False, include_context=True):
                loc = error["loc"]
                index = loc[0] if loc and isinstance(loc[0], int) else -1
                if error["type"] == "missing" and loc[1:2] and loc[1] in missing_columns:
                    continue  # already reported once, as a missing column
                at = where(index) if index >= 0 else ""
                found.append((index, _describe(file, at, loc[1:], error, population=True)))
    if found:
        # The model checks the age order and repeated list items only once every field is
        # valid; check them on the raw record of a failed row too, so one pass shows all.
        already = {problem for _index, problem in found}
        for index in sorted({index for index, _key in found if index >= 0}):
            found.extend(
                (index, problem)
                for problem in _second_look(file, where(index), records[index], numbers_from_text)
                if problem not in already
            )
    found.extend(_duplicate_ids(records, file, where))
    found.sort(key=lambda item: item[0])  # stable: keeps field order within a row
    problems = [problem for _index, problem in found]
    return ([] if problems else populations), problems


def _second_look(
    file: str, where: str, record: object, numbers_from_text: bool
) -> Iterator[Problem]:
    """The model's checks across values, on the raw record of a row that failed."""
    if not isinstance(record, Mapping):
        return
    low = _as_age(record.get("age_min"), numbers_from_text)
    high = _as_age(record.get("age_max"), numbers_from_text)
    if low is not None and high is not None and low > high:
        yield Problem(file, where, "age_min", _(_AGE_ORDER).format(low=low, high=high))
    for field in _LIST_FIELDS:
        items = record.get(field)
        if isinstance(items, list | tuple):
            repeated = repeated_items(item for item in items if isinstance(item, str))
            if repeated:
                yield Problem(file, where, field, _(_REPEATED).format(repeated=", ".join(repeated)))


def _as_age(value: object, from_text: bool) -> int | None:
    """An age as the model reads it (from a CSV cell's text too), or None if it is not one."""
    if from_text and isinstance(value, str) and value.isdecimal() and len(value) < 4:
        value = int(value)
    if type(value) is int and AGE_MIN <= value <= AGE_MAX:
        return value
    return None


_REPEATED: Final = N_("lists {repeated} more than once; expected each at most once")
_AGE_ORDER: Final = N_("is {low}, greater than age_max {high}; expected age_min ≤ age_max")


def _duplicate_ids(
    records: Sequence[object], file: str, where: Callable[[int], str]
) -> list[tuple[int, Problem]]:
    try:  # records from a file are dicts: get every id in one C-level pass
        ids: list[object] = list(map(dict.get, records, repeat("id")))  # type: ignore[arg-type]
    except TypeError:
        ids = [record.get("id") if isinstance(record, Mapping) else None for record in records]
    if len(set(ids)) == len(ids):
        return []  # the usual case, settled in one pass
    first: dict[str, int] = {}
    found: list[tuple[int, Problem]] = []
    for index, raw_id in enumerate(ids):
        if not isinstance(raw_id, str):
            continue
        if raw_id in first:
            found.append(
                (
                    index,
                    Problem(
                        file,
                        where(index),
                        "id",
                        _(
                            "duplicate id '{id}', also used by {other}; "
                            "expected ids unique within the file"
                        ).format(id=raw_id, other=where(first[raw_id])),
                    ),
                )
            )
        else:
            first[raw_id] = index
    return found


# --------------------------------------------------------------------------- places

#: Where a problem of a YAML/JSON mapping's own keys is.
TOP_LEVEL: Final = N_("top level")

# ``{label} N (id X)``, one whole template per label a caller passes, so that the word and
# its place in the phrase can be translated together.
_RECORD_WHERE: Final[Mapping[str, tuple[str, str]]] = {
    "item": (N_("item {n} (id {id})"), N_("item {n}")),
    "population": (N_("population {n} (id {id})"), N_("population {n}")),
}


def record_where(label: str, n: int, record_id: str | None = None) -> str:
    """``item 3 (id youth)``: the ``n``-th record (from 1) of a list, in the reader's language.

    ``label`` is ``item`` or ``population`` (translated); any other label is shown as given.
    """
    with_id, without_id = _RECORD_WHERE.get(label, ("{label} {n} (id {id})", "{label} {n}"))
    if record_id is not None and record_id.strip():
        return _(with_id).format(label=label, n=n, id=record_id)
    return _(without_id).format(label=label, n=n)


def row_where(row: int, line: int) -> str:
    """``row 3 (line 4)``: a CSV data row (from 1) and the file line it starts on."""
    return _("row {row} (line {line})").format(row=row, line=line)


def line_where(line: int) -> str:
    """``line 4`` of a file."""
    return _("line {line}").format(line=line)


def line_column_where(line: int, column: int) -> str:
    """``line 4, column 7`` of a file."""
    return _("line {line}, column {column}").format(line=line, column=column)


# What a YAML, JSON or CSV parser says about a malformed file. The messages are the parsers'
# own English words (shown unchanged in English) and are translated for other readers; a
# message not listed here is shown as the parser said it.
_PARSER_WORDS: Final = frozenset(
    {
        # json (the standard library)
        N_("Expecting value"),
        N_("Expecting property name enclosed in double quotes"),
        N_("Expecting ':' delimiter"),
        N_("Expecting ',' delimiter"),
        N_("Unterminated string starting at"),
        N_("Invalid control character at"),
        N_("Invalid \\escape"),
        N_("Invalid \\uXXXX escape"),
        N_("Extra data"),
        # YAML (libyaml, and PyYAML's own parser)
        N_("mapping values are not allowed in this context"),
        N_("mapping values are not allowed here"),
        N_("found character that cannot start any token"),
        N_("did not find expected key"),
        N_("could not find expected ':'"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected node content"),
        N_("found undefined alias"),
        N_("found unexpected end of stream"),
        N_("found unknown escape character"),
        N_("block sequence entries are not allowed in this context"),
        N_("expected a single document in the stream"),
        # csv (the standard library)
        N_("unexpected end of data"),
    }
)


def _parser_says(words: str) -> str:
    """A parser's description of a syntax error, in the reader's language where it is known."""
    return _(words) if words in _PARSER_WORDS else words


# --------------------------------------------------------------------------- messages


def _one_of(values: Collection[str]) -> str:
    return _("one of {expected}").format(expected=", ".join(values))


def _missing(expected: str) -> str:
    return _("missing; expected {expected}").format(expected=expected)


_SHARE: Final = N_("a share from 0 to 1")
_ENUM_VALUES: Final[Mapping[str, tuple[str, ...]]] = {
    "risk_group": tuple(v.value for v in RiskGroup),
    "settings": tuple(v.value for v in Setting),
    "special_groups": tuple(v.value for v in SpecialGroup),
    **_MAP_FIELDS,
}
# What each population field should hold; ``{values}`` are the field's allowed words.
_EXPECTED: Final[Mapping[str, str]] = {
    "id": N_("a non-empty text"),
    "name": N_("a text"),
    "region": N_("a text"),
    "age_min": N_("a whole number from {low} to {high}"),
    "age_max": N_("a whole number from {low} to {high}"),
    "size": N_("a whole number of at least 1"),
    "risk_group": N_("one of {expected}"),
    "settings": N_("a list of settings ({values})"),
    "special_groups": N_("a list of special groups ({values})"),
    "risk_factors": N_("a mapping from risk factors ({values}) to shares from 0 to 1"),
    "protective_factors": N_("a mapping from protective factors ({values}) to shares from 0 to 1"),
}


def _expected(field: str) -> str:
    """What ``field`` of a population should hold, in the reader's language."""
    template = _EXPECTED.get(field)
    if template is None:
        return ""
    values = ", ".join(_ENUM_VALUES.get(field, ()))
    return _(template).format(low=AGE_MIN, high=AGE_MAX, values=values, expected=values)


def problem_from_error(file: str, where: str, error: ErrorDetails) -> Problem:
    """Say what one pydantic validation error means, for the person who wrote the input.

    For any prevplan model read from a file (activities, tracker entries, plans):
    ``error["loc"]`` is the path inside the object ``where`` names. The wording comes from
    the error's type and limits ("expected a whole number, got 'abc'"), never pydantic's text.
    """
    return _describe(file, where, tuple(error["loc"]), error, population=False)


def _describe(
    file: str, where: str, path: tuple[int | str, ...], error: ErrorDetails, *, population: bool
) -> Problem:
    """The problem for one error at ``path`` inside an object (a population if ``population``)."""
    kind = error["type"]
    value = error["input"]
    ctx = error.get("ctx", {})
    if not path:  # the object itself
        if kind == "age_order":
            message = _(_AGE_ORDER).format(low=ctx.get("age_min"), high=ctx.get("age_max"))
            return Problem(file, where, "age_min", message)
        if kind == "duplicate_item":
            repeated = ctx.get("repeated", "")
            message = _(_REPEATED).format(repeated=repeated)
            return Problem(file, where, ctx.get("field", ""), message)
        if population:
            fields = ", ".join(POPULATION_FIELDS)
            expected = _("an object with fields {fields}").format(fields=fields)
            return Problem(file, where, "", _expected_got(expected, value))
        return Problem(file, where, "", _generic(error))
    field = str(path[0])
    if kind in ("extra_forbidden", "invalid_key"):
        if population:
            message = _("unknown field; expected one of {fields}").format(
                fields=", ".join(POPULATION_FIELDS)
            )
        else:
            message = _("unknown field")
        return Problem(file, where, field, message)
    if not population:
        name = ".".join(str(part) for part in path if isinstance(part, str))
        if kind == "missing":
            return Problem(file, where, name, _("missing; this field is required"))
        return Problem(file, where, name, _generic(error))
    expected = _expected(field)
    if kind == "missing" or (value is None and field in REQUIRED_FIELDS):
        return Problem(file, where, field, _missing(expected))
    if field in _MAP_FIELDS and len(path) >= 2:
        key = str(path[1])
        if path[-1] == "[key]":
            unknown = _("unknown key {key}; expected {expected}").format(
                key=_show(key), expected=_one_of(_MAP_FIELDS[field])
            )
            return Problem(file, where, field, unknown)
        return Problem(file, where, f"{field}.{key}", _expected_got(_(_SHARE), value, field))
    if field in _LIST_FIELDS and len(path) >= 2:
        return Problem(
            file, where, field, _expected_got(_one_of(_ENUM_VALUES[field]), value, field)
        )
    return Problem(file, where, field, _expected_got(expected, value, field))


# What a value of each pydantic error type should have been; ``{...}`` are the error's limits.
_GENERIC_EXPECTED: Final[Mapping[str, str]] = {
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "finite_number": N_("a finite number"),
    "string_type": N_("a text"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "list_type": N_("a list"),
    "tuple_type": N_("a list"),
    "set_type": N_("a list"),
    "dict_type": N_("a mapping"),
    "model_type": N_("an object (a mapping of field names to values)"),
    "model_attributes_type": N_("an object (a mapping of field names to values)"),
    "enum": N_("one of {expected}"),
    "literal_error": N_("one of {expected}"),
    "greater_than_equal": N_("a number of at least {ge}"),
    "greater_than": N_("a number greater than {gt}"),
    "less_than_equal": N_("a number of at most {le}"),
    "less_than": N_("a number less than {lt}"),
    "string_too_short": N_("a text of at least {min_length} character(s)"),
    "string_pattern_mismatch": N_("a text that is not blank"),
}


def _generic(error: ErrorDetails) -> str:
    template = _GENERIC_EXPECTED.get(error["type"])
    if template is not None:
        ctx = dict(error.get("ctx", {}))
        if isinstance(ctx.get("expected"), str):
            ctx["expected"] = _choices(ctx["expected"])
        try:
            return _expected_got(_(template).format(**ctx), error["input"])
        except (KeyError, IndexError):
            pass
    # A check of our own (a model validator's ValueError): its text is already for people.
    message = error["msg"].removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _choices(expected: str) -> str:
    """pydantic's list of allowed values (``'a', 'b' or 'c'``) with its "or" translated."""
    items, separator, last = expected.rpartition(" or ")
    if not separator:
        return expected
    return _("{items} or {last}").format(items=items, last=last)


def _expected_got(expected: str, value: object, field: str = "") -> str:
    """``expected X, got Y``, with a hint when the mistake is a common one."""
    # A list of allowed words already holds commas; a semicolon keeps the value apart.
    if "," in expected:
        message = _("expected {expected}; got {value}")
    else:
        message = _("expected {expected}, got {value}")
    return message.format(expected=expected, value=_show(value)) + _hint(field, value)


def _show(value: object) -> str:
    """A short rendering of a value as the person wrote it."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"'{text}'"
    if isinstance(value, Mapping):
        return _("a mapping")
    if isinstance(value, list | tuple):
        return _("a list")
    return f"{value} ({type(value).__name__})"


_DECIMAL_COMMA: Final = re.compile(r"^[+-]?\d*,\d+$")
_TEXT_FIELDS: Final = frozenset({"id", "name", "region"})


def _hint(field: str, value: object) -> str:
    """A nudge for the usual ways a correct value gets written wrongly."""
    if field in _TEXT_FIELDS and (
        isinstance(value, bool | int | float) or hasattr(value, "isoformat")
    ):
        return " " + _("(put it in quotes to make it text)")
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if field in _MAP_FIELDS:
        if _DECIMAL_COMMA.match(text):
            return " " + _("(write the decimal point as '.')")
        if text.endswith("%"):
            return " " + _("(write a percentage as a share: 30% is 0.3)")
    if field in _LIST_FIELDS and "," in text:
        return " " + _("(separate list items with '{separator}')").format(separator=LIST_SEPARATOR)
    return ""
