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

Why the module is long (≈550 lines): the entry points for each format share one validation
and one wording of problems (:func:`_validate`, :func:`_describe`, :func:`_hint`), which read
population fields the way a planner writes them (ages as text, ids repeated across rows);
the CSV readers themselves are in :mod:`prevplan.io.population_csv` and
:mod:`prevplan.io.population_csv_bytes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from prevplan.i18n import N_, _, format_number
from prevplan.io.columns import PopulationColumns
from prevplan.io.errors import expected_got, explain, missing, one_of, show
from prevplan.io.files import empty_file, file_kind, input_text, read_input_bytes
from prevplan.io.numbers import forgive
from prevplan.io.population_csv import (
    EXPECTED_FILE,
    LIST_FIELDS,
    LIST_SEPARATOR,
    MAP_FIELDS,
    csv_records,
    valid_csv_table,
)
from prevplan.io.population_csv_bytes import plain_csv_columns
from prevplan.io.yaml_strict import load_json, load_yaml
from prevplan.memory import gc_paused
from prevplan.population import (
    AGE_MAX,
    AGE_MIN,
    MAX_PEOPLE,
    POPULATION_FIELDS,
    POPULATION_LIST,
    REQUIRED_FIELDS,
    TargetPopulation,
    repeated_items,
)
from prevplan.problems import TOP_LEVEL, Location, Problem, ProblemsError, record_at, row_at
from prevplan.vocab import RiskGroup, Setting, SpecialGroup

_EXPECTED_YAML: Final = N_("a list of populations or a mapping with key 'populations'")
SUFFIXES: Final[Mapping[str, str]] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
}


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
    if file_kind(file, SUFFIXES) == "csv":
        with gc_paused():
            columns = plain_csv_columns(data)
            if columns is not None:
                return columns
            table = valid_csv_table(_text(data, file), texts=False)
        if table is not None:
            return table.columns()
    return PopulationColumns.of(parse_populations_bytes(data, file))


def parse_populations_bytes(
    data: bytes, file: str, *, other_keys: Collection[str] = (), notes: list[str] | None = None
) -> list[TargetPopulation]:
    """Parse the content of a population file named ``file`` (the format comes from its suffix).

    The Streamlit app passes uploaded bytes here; :func:`read_populations` reads a path and
    passes its bytes here.
    """
    kind = file_kind(file, SUFFIXES)
    text = _text(data, file)
    with gc_paused():
        if kind == "csv":
            return parse_population_csv(text, file, notes)
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
    kind = file_kind(file, {k: v for k, v in SUFFIXES.items() if v != "csv"})
    loaded, problems = _load_structured(_text(data, file), file, kind)
    ProblemsError.raise_if_any(problems)
    if loaded is None:
        raise ProblemsError([empty_file(file, _(EXPECTED_FILE))])
    return loaded


def _text(data: bytes, file: str) -> str:
    return input_text(data, file, _(EXPECTED_FILE))


def _load_structured(text: str, file: str, kind: str) -> tuple[object, list[Problem]]:
    if kind == "yaml":
        return load_yaml(text, file)
    return load_json(text, file)


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

    def where(index: int) -> Location:
        record = records[index] if 0 <= index < len(records) else None
        raw_id = record.get("id") if isinstance(record, Mapping) else None
        return record_at(label, index + 1, raw_id)

    return _validate(records, file, where, missing_columns=frozenset())


def parse_population_csv(
    text: str, file: str, notes: list[str] | None = None
) -> list[TargetPopulation]:
    """Parse population CSV text (interfaces §2): header line, one population per row.

    Cells are stripped of surrounding blanks; an empty cell is a missing value. Numbers are
    read from their text by validating in pydantic's lax mode — only here: everywhere else
    the model accepts no number written as text. Counts written with grouping ("12,000",
    "12 000") are read, and shares written as percentages (45 for 45 %) are read as such;
    ``notes`` (if given) gets a sentence saying so (:func:`~prevplan.io.numbers.forgive`).
    """
    table = valid_csv_table(text)
    if table is not None:
        return table.populations()
    records, row_lines, problems, missing_columns = csv_records(text, file)
    said = forgive(records)
    if notes is not None:
        notes.extend(said)

    def where(index: int) -> Location:
        return row_at(index + 1, row_lines[index])

    populations, row_problems = _validate(
        records, file, where, missing_columns, numbers_from_text=True
    )
    ProblemsError.raise_if_any([*problems, *row_problems])
    return populations


def valid_populations(data: bytes, file: str) -> list[TargetPopulation]:
    """The rows (items) of a population file that are valid each on its own, for "import
    the valid rows" when others have problems; a repeated id keeps its first row only."""
    kind = file_kind(file, SUFFIXES)
    text = _text(data, file)
    records: list[Any]
    if kind == "csv":
        records = csv_records(text, file)[0]
        forgive(records)
    else:
        loaded, problems = _load_structured(text, file, kind)
        if problems:
            return []
        try:
            records = _top_level_records(loaded, file, ())
        except ProblemsError:
            return []
    out: list[TargetPopulation] = []
    seen: set[str] = set()
    for record in records:
        found, problems = _validate(
            [record],
            file,
            lambda n: record_at("row", n + 1, None),
            frozenset(),
            numbers_from_text=kind == "csv",
        )
        if found and not problems and found[0].id not in seen:
            seen.add(found[0].id)
            out.append(found[0])
    return out


def _top_level_records(data: object, file: str, other_keys: Collection[str]) -> list[object]:
    if data is None:
        raise ProblemsError([empty_file(file, _(EXPECTED_FILE))])
    problems: list[Problem] = []
    if isinstance(data, Mapping):
        allowed = "".join(f", '{key}'" for key in sorted(other_keys))
        problems = [
            Problem(
                file,
                TOP_LEVEL,
                str(key),
                _("unknown key; expected 'populations'{allowed}").format(allowed=allowed),
            )
            for key in data
            if key != "populations" and key not in other_keys
        ]
        if "populations" not in data:
            problems.append(Problem(file, TOP_LEVEL, "populations", missing(_(_EXPECTED_YAML))))
            raise ProblemsError(problems)
        data = data["populations"]
        if not isinstance(data, list):
            problems.append(
                Problem(
                    file,
                    TOP_LEVEL,
                    "populations",
                    _("expected a list of populations, got {value}").format(value=show(data)),
                )
            )
            raise ProblemsError(problems)
    elif not isinstance(data, list):
        raise ProblemsError(
            [
                Problem(
                    file,
                    TOP_LEVEL,
                    "",
                    _("expected {expected}, got {value}").format(
                        expected=_(_EXPECTED_YAML), value=show(data)
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
                _("contains no populations; expected {expected}").format(expected=_(EXPECTED_FILE)),
            )
        )
    ProblemsError.raise_if_any(problems)
    return data


# --------------------------------------------------------------------------- validation


def _validate(
    records: Sequence[object],
    file: str,
    where: Callable[[int], Location],
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
    file: str, where: Location, record: object, numbers_from_text: bool
) -> Iterator[Problem]:
    """The model's checks across values, on the raw record of a row that failed."""
    if not isinstance(record, Mapping):
        return
    low = _as_age(record.get("age_min"), numbers_from_text)
    high = _as_age(record.get("age_max"), numbers_from_text)
    if low is not None and high is not None and low > high:
        yield Problem(file, where, "age_min", _(_AGE_ORDER).format(low=low, high=high))
    for field in LIST_FIELDS:
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
    records: Sequence[object], file: str, where: Callable[[int], Location]
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


# --------------------------------------------------------------------------- messages


_SHARE: Final = N_("a share from 0 to 1")
_ENUM_VALUES: Final[Mapping[str, tuple[str, ...]]] = {
    "risk_group": tuple(v.value for v in RiskGroup),
    "settings": tuple(v.value for v in Setting),
    "special_groups": tuple(v.value for v in SpecialGroup),
    **MAP_FIELDS,
}
# What each population field should hold; ``{values}`` are the field's allowed words.
_EXPECTED: Final[Mapping[str, str]] = {
    "id": N_("a non-empty text"),
    "name": N_("a text"),
    "region": N_("a text"),
    "age_min": N_("a whole number from {low} to {high}"),
    "age_max": N_("a whole number from {low} to {high}"),
    "size": N_("a whole number from 1 to {most}"),
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
    return _(template).format(
        low=AGE_MIN, high=AGE_MAX, most=format_number(MAX_PEOPLE), values=values, expected=values
    )


def _describe(
    file: str,
    where: Location | str,
    path: tuple[int | str, ...],
    error: ErrorDetails,
    *,
    population: bool,
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
            return Problem(file, where, "", expected_got(expected, value))
        return Problem(file, where, "", explain(error))
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
        return Problem(file, where, name, explain(error))
    if kind in ("string_too_long", "too_long"):  # a limit: say it, not the field's type
        return Problem(file, where, field, explain(error))
    expected = _expected(field)
    if not expected:  # a field without its own wording (a nested one such as parents_of)
        name = ".".join(str(part) for part in path if isinstance(part, str))
        if kind == "missing":
            return Problem(file, where, name, _("missing; this field is required"))
        return Problem(file, where, name, explain(error))
    if kind == "missing" or (value is None and field in REQUIRED_FIELDS):
        return Problem(file, where, field, missing(expected))
    if field in MAP_FIELDS and len(path) >= 2:
        key = str(path[1])
        if path[-1] == "[key]":
            unknown = _("unknown key {key}; expected {expected}").format(
                key=show(key), expected=one_of(MAP_FIELDS[field])
            )
            return Problem(file, where, field, unknown)
        return Problem(
            file, where, f"{field}.{key}", expected_got(_(_SHARE), value, _hint(field, value))
        )
    if field in LIST_FIELDS and len(path) >= 2:
        return Problem(
            file,
            where,
            field,
            expected_got(one_of(_ENUM_VALUES[field]), value, _hint(field, value)),
        )
    return Problem(file, where, field, expected_got(expected, value, _hint(field, value)))


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
    if field in MAP_FIELDS:
        if _DECIMAL_COMMA.match(text):
            return " " + _("(write the decimal point as '.')")
        if text.endswith("%"):
            return " " + _("(write a percentage as a share: 30% is 0.3)")
    if field in LIST_FIELDS and "," in text:
        return " " + _("(separate list items with '{separator}')").format(separator=LIST_SEPARATOR)
    return ""
