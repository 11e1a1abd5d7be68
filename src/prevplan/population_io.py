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
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import re
import stat
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TypeGuard

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from prevplan.population import (
    AGE_MAX,
    AGE_MIN,
    POPULATION_FIELDS,
    POPULATION_LIST,
    REQUIRED_FIELDS,
    TargetPopulation,
    csv_columns,
)
from prevplan.problems import Problem, ProblemsError
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

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
_INT_FIELDS: Final = frozenset({"age_min", "age_max", "size"})
_CSV_COLUMNS: Final[tuple[str, ...]] = tuple(csv_columns())


# --------------------------------------------------------------------------- public entry


def read_populations(path: Path, *, other_keys: Collection[str] = ()) -> list[TargetPopulation]:
    """Read and validate every target population in ``path``.

    ``other_keys`` are top-level keys a YAML/JSON mapping may hold besides ``populations``
    (a plan file's ``activities``, say); any other key is reported as unknown.

    Raises :class:`ProblemsError` listing every problem found.
    """
    file = str(path)
    return parse_populations_bytes(_read_bytes(path, file), file, other_keys=other_keys)


def parse_populations_bytes(
    data: bytes, file: str, *, other_keys: Collection[str] = ()
) -> list[TargetPopulation]:
    """Parse the content of a population file named ``file`` (the format comes from its suffix).

    The Streamlit app passes uploaded bytes here; :func:`read_populations` reads a path and
    passes its bytes here.
    """
    kind = SUFFIXES.get(Path(file).suffix.lower())
    if kind is None:
        raise ProblemsError(
            [
                Problem(
                    file,
                    "",
                    "",
                    f"unsupported file type '{Path(file).suffix}'; "
                    f"expected one of {', '.join(SUFFIXES)}",
                )
            ]
        )
    if len(data) > MAX_INPUT_BYTES:
        raise ProblemsError([_too_large(file, len(data))])
    text = _decode(data, file)
    if kind == "csv":
        return parse_population_csv(text, file)
    if kind == "yaml":
        loaded, problems = _load_yaml(text, file)
    else:
        loaded, problems = _load_json(text, file), []
    try:
        records = _top_level_records(loaded, file, other_keys)
    except ProblemsError as err:
        raise ProblemsError([*problems, *err.problems]) from None
    populations, record_problems = check_population_records(records, file)
    ProblemsError.raise_if_any([*problems, *record_problems])
    return populations


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
        if isinstance(raw_id, str) and raw_id.strip():
            return f"{label} {index + 1} (id {raw_id})"
        return f"{label} {index + 1}"

    return _validate(records, file, where, missing_columns=frozenset())


def parse_population_csv(text: str, file: str) -> list[TargetPopulation]:
    """Parse population CSV text (interfaces §2): header line, one population per row.

    Cells are stripped of surrounding blanks; an empty cell is a missing value. Numbers are
    converted here — the model itself accepts no numbers written as text.
    """
    records, row_lines, problems, missing_columns = _csv_records(text, file)

    def where(index: int) -> str:
        return f"row {index + 1} (line {row_lines[index]})"

    populations, row_problems = _validate(records, file, where, missing_columns)
    ProblemsError.raise_if_any([*problems, *row_problems])
    return populations


# --------------------------------------------------------------------------- bytes & text


def _read_bytes(path: Path, file: str) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ProblemsError([Problem(file, "", "", "file not found")]) from None
    except OSError as err:
        raise ProblemsError([Problem(file, "", "", f"cannot read: {err.strerror}")]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ProblemsError([Problem(file, "", "", "is a directory; expected a file")])
    if info.st_size > MAX_INPUT_BYTES:
        raise ProblemsError([_too_large(file, info.st_size)])
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit so a file that grows (or a pipe, whose size stat
            # cannot tell) is still refused without reading all of it.
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as err:
        raise ProblemsError([Problem(file, "", "", f"cannot read: {err.strerror}")]) from None
    if len(data) > MAX_INPUT_BYTES:
        raise ProblemsError([_too_large(file, None)])
    return data


def _too_large(file: str, size: int | None) -> Problem:
    limit = MAX_INPUT_BYTES // (1024 * 1024)
    actual = f" ({size / (1024 * 1024):.1f} MB)" if size is not None else ""
    return Problem(
        file,
        "",
        "",
        f"file is too large{actual}; expected at most {limit} MB — split it into several files",
    )


def _decode(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise ProblemsError([_not_text(file)])
    try:
        text = data.decode("utf-8-sig")  # a BOM is what Excel's "CSV UTF-8" writes
    except UnicodeDecodeError as err:
        raise ProblemsError([_not_text(file, err.start)]) from None
    if not text.strip():
        raise ProblemsError([Problem(file, "", "", "file is empty; expected " + _EXPECTED_FILE)])
    return text


def _not_text(file: str, offset: int | None = None) -> Problem:
    at = f" (byte {offset} is not UTF-8)" if offset is not None else ""
    return Problem(file, "", "", f"not a text file{at}; expected UTF-8 text")


_EXPECTED_FILE: Final = "one or more target populations"


# --------------------------------------------------------------------------- YAML & JSON


_YAML_MERGE: Final = "tag:yaml.org,2002:merge"


class _StrictYamlLoader(_SafeLoader):
    """Safe loader that remembers duplicate keys, which PyYAML silently overwrites."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
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
        at = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ProblemsError(
            [Problem(file, at, "", f"malformed YAML: {problem}; expected {_EXPECTED_YAML}")]
        ) from None
    finally:
        loader.dispose()
    duplicates = [
        Problem(
            file,
            f"line {line}",
            key,
            f"appears twice in one mapping (first on line {first}), so one value would be "
            "lost; expected each key once",
        )
        for key, line, first in loader.duplicate_keys
    ]
    return data, duplicates


_EXPECTED_YAML: Final = "a list of populations or a mapping with key 'populations'"


def _load_json(text: str, file: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ProblemsError(
            [
                Problem(
                    file,
                    f"line {err.lineno}, column {err.colno}",
                    "",
                    f"malformed JSON: {err.msg}; expected {_EXPECTED_YAML}",
                )
            ]
        ) from None


def _top_level_records(data: object, file: str, other_keys: Collection[str]) -> list[object]:
    if data is None:
        raise ProblemsError([Problem(file, "", "", "file is empty; expected " + _EXPECTED_FILE)])
    if isinstance(data, Mapping):
        problems = [
            Problem(
                file,
                "top level",
                str(key),
                "unknown key; expected 'populations'"
                + "".join(f", '{k}'" for k in sorted(other_keys)),
            )
            for key in data
            if key != "populations" and key not in other_keys
        ]
        if "populations" not in data:
            problems.append(
                Problem(file, "top level", "populations", "missing; expected " + _EXPECTED_YAML)
            )
            raise ProblemsError(problems)
        data = data["populations"]
        if not isinstance(data, list):
            problems.append(
                Problem(
                    file,
                    "top level",
                    "populations",
                    f"expected a list of populations, got {_show(data)}",
                )
            )
        ProblemsError.raise_if_any(problems)
    if not isinstance(data, list):
        raise ProblemsError(
            [Problem(file, "top level", "", f"expected {_EXPECTED_YAML}, got {_show(data)}")]
        )
    if not data:
        raise ProblemsError(
            [Problem(file, "", "", "contains no populations; expected " + _EXPECTED_FILE)]
        )
    return data


# --------------------------------------------------------------------------- CSV


def _csv_records(
    text: str, file: str
) -> tuple[list[dict[str, Any]], list[int], list[Problem], frozenset[str]]:
    """Turn CSV text into population records, the line of each row, and header problems."""
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = [cell.strip() for cell in next(reader)]
        while not any(header):  # leading blank lines
            header = [cell.strip() for cell in next(reader)]
    except StopIteration:  # pragma: no cover - text is known not to be blank
        header = []
    except csv.Error as err:
        raise ProblemsError([Problem(file, "line 1", "", f"malformed CSV: {err}")]) from None
    header_where = f"header (line {reader.line_num})"

    if len(header) == 1 and (LIST_SEPARATOR in header[0] or "\t" in header[0]):
        raise ProblemsError(
            [
                Problem(
                    file,
                    header_where,
                    "",
                    "the header has no commas; expected comma-separated columns "
                    f"({', '.join(REQUIRED_FIELDS)}, …) — ';' separates list items inside a cell",
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
                f"missing required column{'s' if len(names) > 1 else ''} {', '.join(names)}; "
                f"expected at least {', '.join(REQUIRED_FIELDS)}",
            )
        )

    rows, starts, row_problems = _read_rows(reader, len(header), file)
    problems.extend(row_problems)
    if not rows:
        if not problems:
            problems.append(
                Problem(file, "", "", "has a header but no rows; expected " + _EXPECTED_FILE)
            )
        return [], starts, problems, missing

    cells = list(zip(*rows, strict=True))  # column-wise: each conversion is one tight loop
    for index in unnamed:
        filled = next((n for n, cell in enumerate(cells[index]) if cell.strip()), None)
        if filled is not None:
            problems.append(
                Problem(
                    file,
                    f"row {filled + 1} (line {starts[filled]})",
                    f"column {index + 1}",
                    "value in a column without a name; expected a header for it",
                )
            )
    return _assemble(columns, cells, len(rows)), starts, problems, missing


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
                    f"column appears twice (columns {first_index[name] + 1} and {index + 1}); "
                    "expected each column once",
                )
            )
        elif name not in _CSV_COLUMNS:
            first_index[name] = index
            problems.append(
                Problem(
                    file,
                    where,
                    name,
                    f"unknown column; expected columns from {', '.join(_CSV_COLUMNS)}",
                )
            )
        else:
            first_index[name] = index
            columns.append((index, name))
    return columns, unnamed, problems


def _read_rows(
    reader: Iterator[list[str]], width: int, file: str
) -> tuple[list[list[str]], list[int], list[Problem]]:
    """Every non-blank data row padded to the header's width, and the line it starts on."""
    assert isinstance(reader, _CsvReader)
    rows: list[list[str]] = []
    starts: list[int] = []
    problems: list[Problem] = []
    line = reader.line_num
    padding = [""] * width
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if len(row) != width:
                if len(row) > width:
                    if any(cell.strip() for cell in row[width:]):
                        problems.append(
                            Problem(
                                file,
                                f"row {len(rows) + 1} (line {start})",
                                "",
                                f"has {len(row)} cells; expected at most {width}, "
                                "one per header column",
                            )
                        )
                    row = row[:width]
                else:
                    row = row + padding[len(row) :]
            if not any(row) or not "".join(row).strip():
                continue  # a blank line, or a spreadsheet's empty row of commas
            rows.append(row)
            starts.append(start)
    except csv.Error as err:
        problems.append(Problem(file, f"line {reader.line_num}", "", f"malformed CSV: {err}"))
    return rows, starts, problems


_CsvReader: Final = type(csv.reader([]))


def _assemble(
    columns: Sequence[tuple[int, str]], cells: Sequence[Sequence[str]], count: int
) -> list[dict[str, Any]]:
    """Convert each known column's cells and build one record per row.

    An empty cell becomes ``None`` for a scalar field (the model then reports a required one
    as missing), the default for ``risk_group``, an empty list for a list field, and no key
    at all in a factor map — a missing factor is *unknown*, not zero.
    """
    names: list[str] = []
    values: list[Sequence[object]] = []
    maps: dict[str, list[tuple[str, list[float | str | None]]]] = {}
    for index, name in columns:
        column = cells[index]
        field, _, key = name.partition(".")
        if key:
            maps.setdefault(field, []).append((key, _floats(column)))
            continue
        names.append(field)
        if field in _INT_FIELDS:
            values.append(_ints(column))
        elif field in _LIST_FIELDS:
            values.append(_lists(column))
        elif field == "risk_group":
            values.append([cell.strip() or _DEFAULT_RISK_GROUP for cell in column])
        else:
            values.append([cell.strip() or None for cell in column])
    for field, factor_columns in maps.items():
        records: list[dict[str, float | str]] = [{} for _ in range(count)]
        for key, shares in factor_columns:
            for record, share in zip(records, shares, strict=True):
                if share is not None:
                    record[key] = share
        names.append(field)
        values.append(records)
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


_DEFAULT_RISK_GROUP: Final = RiskGroup.GENERAL.value


def _ints(column: Sequence[str]) -> list[int | str | None]:
    """Whole numbers from cells; a cell that is not one is kept for validation to reject."""
    try:  # the common case, all cells clean, in one fast pass
        return [int(cell) if cell else None for cell in column]
    except ValueError:
        return [_to_int(cell) for cell in column]


def _to_int(cell: str) -> int | str | None:
    text = cell.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:  # "12.5", "abc", or more digits than Python converts
        return text


def _floats(column: Sequence[str]) -> list[float | str | None]:
    """Shares from cells; a cell that is not a number is kept for validation to reject."""
    try:
        return [float(cell) if cell else None for cell in column]
    except ValueError:
        return [_to_float(cell) for cell in column]


def _to_float(cell: str) -> float | str | None:
    text = cell.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _lists(column: Sequence[str]) -> list[tuple[str, ...]]:
    """``;``-separated lists; a spreadsheet repeats few distinct ones, so each is split once."""
    split: dict[str, tuple[str, ...]] = {}
    result: list[tuple[str, ...]] = []
    for cell in column:
        items = split.get(cell)
        if items is None:
            items = split[cell] = tuple(
                item for part in cell.split(LIST_SEPARATOR) if (item := part.strip())
            )
        result.append(items)
    return result


# --------------------------------------------------------------------------- validation


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are built.

    Building 100k models creates no reference cycles, but it triggers hundreds of collector
    passes over an ever larger heap; pausing them measured roughly 3× faster validation.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validate(
    records: Sequence[object],
    file: str,
    where: Callable[[int], str],
    missing_columns: frozenset[str],
) -> tuple[list[TargetPopulation], list[Problem]]:
    found: list[tuple[int, Problem]] = []
    populations: list[TargetPopulation] = []
    failed_rows: set[int] = set()
    reported_checks: set[tuple[int, str]] = set()  # (row, field) of age/duplicate errors
    with _gc_paused():
        try:
            populations = POPULATION_LIST.validate_python(records)
        except ValidationError as err:
            for error in err.errors(include_url=False, include_context=True):
                loc = error["loc"]
                index = loc[0] if loc and isinstance(loc[0], int) else -1
                if error["type"] == "missing" and loc[1:2] and loc[1] in missing_columns:
                    continue  # already reported once, as a missing column
                failed_rows.add(index)
                if error["type"] == "age_order":
                    reported_checks.add((index, "age_min"))
                elif error["type"] == "duplicate_item":
                    reported_checks.add((index, str(loc[1])))
                found.append(
                    (index, _problem_from_error(file, where(index) if index >= 0 else "", error))
                )
    for index in sorted(failed_rows):
        # The model checks the age order and repeated list items only once the values are
        # valid; check them on the raw record too, so that one pass shows every problem.
        found.extend(
            (index, problem)
            for problem in _second_look(file, where(index), records[index])
            if (index, problem.field) not in reported_checks
        )
    found.extend(_duplicate_ids(records, file, where))
    found.sort(key=lambda item: item[0])  # stable: keeps field order within a row
    problems = [problem for _, problem in found]
    return ([] if problems else populations), problems


def _second_look(file: str, where: str, record: object) -> Iterator[Problem]:
    """Cross-value checks of the model, run on a raw record whose other fields failed."""
    if not isinstance(record, Mapping):
        return
    low, high = record.get("age_min"), record.get("age_max")
    if _is_age(low) and _is_age(high) and low > high:
        yield Problem(file, where, "age_min", _AGE_ORDER.format(low=low, high=high))
    for field in _LIST_FIELDS:
        items = record.get(field)
        if isinstance(items, list | tuple):
            words = [item for item in items if isinstance(item, str)]
            repeated = sorted({w for w in words if words.count(w) > 1}, key=words.index)
            if repeated:
                yield Problem(file, where, field, _REPEATED.format(repeated=", ".join(repeated)))


def _is_age(value: object) -> TypeGuard[int]:
    return type(value) is int and AGE_MIN <= value <= AGE_MAX


_REPEATED: Final = "lists {repeated} more than once; expected each at most once"
_AGE_ORDER: Final = "is {low}, greater than age_max {high}; expected age_min ≤ age_max"


def _duplicate_ids(
    records: Sequence[object], file: str, where: Callable[[int], str]
) -> list[tuple[int, Problem]]:
    first: dict[str, int] = {}
    found: list[tuple[int, Problem]] = []
    for index, record in enumerate(records):
        raw_id = record.get("id") if isinstance(record, Mapping) else None
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
                        f"duplicate id '{raw_id}', also used by {where(first[raw_id])}; "
                        "expected ids unique within the file",
                    ),
                )
            )
        else:
            first[raw_id] = index
    return found


# --------------------------------------------------------------------------- messages


def _one_of(values: Collection[str]) -> str:
    return "one of " + ", ".join(values)


_SHARE: Final = "a share from 0 to 1"
_ENUM_VALUES: Final[Mapping[str, tuple[str, ...]]] = {
    "risk_group": tuple(v.value for v in RiskGroup),
    "settings": tuple(v.value for v in Setting),
    "special_groups": tuple(v.value for v in SpecialGroup),
    **_MAP_FIELDS,
}
_EXPECTED: Final[Mapping[str, str]] = {
    "id": "a non-empty text",
    "name": "a text",
    "region": "a text",
    "age_min": f"a whole number from {AGE_MIN} to {AGE_MAX}",
    "age_max": f"a whole number from {AGE_MIN} to {AGE_MAX}",
    "size": "a whole number of at least 1",
    "risk_group": _one_of(_ENUM_VALUES["risk_group"]),
    "settings": f"a list of settings ({', '.join(_ENUM_VALUES['settings'])})",
    "special_groups": (f"a list of special groups ({', '.join(_ENUM_VALUES['special_groups'])})"),
    "risk_factors": (
        f"a mapping from risk factors ({', '.join(_MAP_FIELDS['risk_factors'])}) to shares "
        "from 0 to 1"
    ),
    "protective_factors": (
        f"a mapping from protective factors ({', '.join(_MAP_FIELDS['protective_factors'])}) "
        "to shares from 0 to 1"
    ),
}


def _problem_from_error(file: str, where: str, error: ErrorDetails) -> Problem:
    """Say what one pydantic error means for the person who wrote the file."""
    path = [part for part in error["loc"][1:]]
    kind = error["type"]
    value = error["input"]
    if not path:  # the item itself
        if kind == "age_order":
            ctx = error.get("ctx", {})
            message = _AGE_ORDER.format(low=ctx.get("age_min"), high=ctx.get("age_max"))
            return Problem(file, where, "age_min", message)
        return Problem(
            file,
            where,
            "",
            _expected_got(f"an object with fields {', '.join(POPULATION_FIELDS)}", value),
        )
    field = str(path[0])
    if kind == "extra_forbidden":
        return Problem(
            file, where, field, f"unknown field; expected one of {', '.join(POPULATION_FIELDS)}"
        )
    expected = _EXPECTED.get(field, "")
    if kind == "missing":
        return Problem(file, where, field, f"missing; expected {expected}")
    if kind == "duplicate_item":
        repeated = error.get("ctx", {}).get("repeated", "")
        return Problem(file, where, field, _REPEATED.format(repeated=repeated))
    if field in _MAP_FIELDS and len(path) >= 2:
        key = str(path[1])
        if path[-1] == "[key]":
            return Problem(
                file,
                where,
                field,
                f"unknown key {_show(key)}; expected {_one_of(_MAP_FIELDS[field])}",
            )
        return Problem(
            file,
            where,
            f"{field}.{key}",
            _expected_got(_SHARE, value, field),
        )
    if field in _LIST_FIELDS and len(path) >= 2:
        return Problem(
            file,
            where,
            field,
            _expected_got(_one_of(_ENUM_VALUES[field]), value, field),
        )
    if value is None and field in REQUIRED_FIELDS:
        return Problem(file, where, field, f"missing; expected {expected}")
    return Problem(file, where, field, _expected_got(expected, value, field))


def _expected_got(expected: str, value: object, field: str = "") -> str:
    """``expected X, got Y``, with a hint when the mistake is a common one."""
    # A list of allowed words already holds commas; a semicolon keeps the value apart.
    separator = "; " if "," in expected else ", "
    return f"expected {expected}{separator}got {_show(value)}{_hint(field, value)}"


def _show(value: object) -> str:
    """A short rendering of a value as the person wrote it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"'{text}'"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"{value} ({type(value).__name__})"


_DECIMAL_COMMA: Final = re.compile(r"^[+-]?\d*,\d+$")
_TEXT_FIELDS: Final = frozenset({"id", "name", "region"})


def _hint(field: str, value: object) -> str:
    """A nudge for the usual ways a correct value gets written wrongly."""
    if field in _TEXT_FIELDS and (
        isinstance(value, bool | int | float) or hasattr(value, "isoformat")
    ):
        return " (put it in quotes to make it text)"
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if field in _MAP_FIELDS:
        if _DECIMAL_COMMA.match(text):
            return " (write the decimal point as '.')"
        if text.endswith("%"):
            return " (write a percentage as a share: 30% is 0.3)"
    if field in _LIST_FIELDS and "," in text:
        return f" (separate list items with '{LIST_SEPARATOR}')"
    return ""
