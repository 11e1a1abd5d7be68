"""Which population each survey group is written into: a mapping file.

A survey's groups are in the survey's own words — districts, age bands, school types — which
rarely are the plan's population ids. A mapping file says, for each group, which of the
plan's populations it measures (the CTC community profile is made per community and age
group, the plan per target population). One row per group: a column per grouping column
(``--by``) with the group's value, and ``population_id``. CSV::

    region,age_band,population_id
    North,15-17,rural_adolescents_north
    South,15-17,out_of_school_youth_south

or YAML / JSON, a list of the same records (or ``{mapping: [...]}``)::

    - {region: North, age_band: 15-17, population_id: rural_adolescents_north}

Values are compared without regard to case or surrounding blanks, and ``8`` matches ``8.0``.
Every fault is reported at once, naming the row and the field (exit 2): a grouping column
or ``population_id`` missing or blank, a column that is not a grouping column, a population
the plan does not have, a group mapped twice, or two groups mapped to one population (their
respondents would have to be estimated together: group by fewer columns instead).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from prevplan.i18n import _
from prevplan.io.files import read_input_bytes
from prevplan.io.populations import load_structured_bytes
from prevplan.problems import Location, Problem, ProblemsError

POPULATION_ID: Final = "population_id"

GroupKey = tuple[str, ...]
"""A group's values of the grouping columns, normalised (:func:`normalised`)."""


def normalised(value: object) -> str:
    """A group value as compared: blanks trimmed, case folded, ``8.0`` written ``8``."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text.casefold()
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return text.casefold()


def group_key(group: Mapping[str, str], by: Sequence[str]) -> GroupKey:
    """The key of a survey group (its values of the ``by`` columns)."""
    return tuple(normalised(group.get(column, "")) for column in by)


def read_mapping(path: Path, by: Sequence[str], populations: Sequence[str]) -> dict[GroupKey, str]:
    """Read and check a mapping file (see the module's docstring)."""
    file = str(path)
    return parse_mapping(read_input_bytes(path, file), file, by, populations)


def parse_mapping(
    data: bytes, file: str, by: Sequence[str], populations: Sequence[str]
) -> dict[GroupKey, str]:
    """The population id of each group key, from a mapping file given as bytes named
    ``file``; ``populations`` are the plan's population ids. Raises :class:`ProblemsError`
    with every fault, by row and field."""
    if not by:
        raise ProblemsError(
            [Problem(file, "", "--by", _("a mapping needs the grouping columns (--by)"))]
        )
    records, places, header = _records(data, file)
    known = {p.casefold(): p for p in populations}
    wanted = [*by, POPULATION_ID]
    found: dict[GroupKey, str] = {}
    first_row: dict[GroupKey, Location] = {}
    target_of: dict[str, Location] = {}
    problems: list[Problem] = []
    if header is not None:  # a CSV file: its columns are checked once, on the header
        columns, place = header
        problems += _column_problems(file, place, columns, wanted)
        if any(c not in columns for c in wanted):
            raise ProblemsError(problems)
    for record, where in zip(records, places, strict=True):
        row_problems = _row_problems(file, where, record, wanted, checked=header is not None)
        if row_problems:
            problems += row_problems
            continue
        key = tuple(normalised(record[c]) for c in by)
        pop = known.get(str(record[POPULATION_ID]).strip().casefold())
        if pop is None:
            problems.append(
                Problem(
                    file,
                    where,
                    POPULATION_ID,
                    _("the plan has no population '{id}' (its populations: {ids})").format(
                        id=str(record[POPULATION_ID]).strip(), ids=", ".join(populations)
                    ),
                )
            )
            continue
        if key in first_row:
            problems.append(
                Problem(
                    file,
                    where,
                    ", ".join(by),
                    _("this group is already mapped in {place}").format(
                        place=first_row[key].text()
                    ),
                )
            )
            continue
        if pop in target_of:
            problems.append(
                Problem(
                    file,
                    where,
                    POPULATION_ID,
                    _(
                        "population '{id}' already takes the group of {place}; group by "
                        "fewer columns to estimate them together"
                    ).format(id=pop, place=target_of[pop].text()),
                )
            )
            continue
        first_row[key] = where
        target_of[pop] = where
        found[key] = pop
    ProblemsError.raise_if_any(problems)
    if not found:
        raise ProblemsError([Problem(file, "", POPULATION_ID, _("the mapping has no rows"))])
    return found


def _row_problems(
    file: str, where: Location, record: Mapping[str, object], wanted: list[str], *, checked: bool
) -> list[Problem]:
    """A row's columns (unless ``checked`` on a header already) and blank values."""
    found = [] if checked else _column_problems(file, where, record, wanted)
    for column in wanted:
        value = record.get(column)
        if column in record and (value is None or not str(value).strip()):
            found.append(Problem(file, where, column, _("missing: every row gives a value")))
    return found


def _column_problems(
    file: str, where: Location, columns: Sequence[str] | Mapping[str, object], wanted: list[str]
) -> list[Problem]:
    """A column that is not wanted, or a wanted one missing."""
    found = [
        Problem(
            file,
            where,
            column,
            _("not a grouping column; expected {columns}").format(columns=", ".join(wanted)),
        )
        for column in columns
        if column not in wanted
    ]
    found += [
        Problem(
            file,
            where,
            column,
            _("missing column; expected {columns}").format(columns=", ".join(wanted)),
        )
        for column in wanted
        if column not in columns
    ]
    return found


Header = tuple[list[str], Location] | None
"""A CSV file's columns and where they are; ``None`` for YAML or JSON."""


def _records(data: bytes, file: str) -> tuple[list[dict[str, object]], list[Location], Header]:
    """The mapping's rows, where each is, and a CSV file's header."""
    if file.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProblemsError(
                [Problem(file, "", "", _("not a text file; expected UTF-8"))]
            ) from None
        reader = csv.DictReader(io.StringIO(text))
        columns = [str(c).strip() for c in reader.fieldnames or []]
        rows: list[dict[str, object]] = []
        places: list[Location] = []
        for n, row in enumerate(reader, start=1):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append({str(k).strip(): v for k, v in row.items() if k is not None})
            places.append(Location("row", number=n, line=reader.line_num))
        return rows, places, (columns, Location("header", line=1))
    loaded = load_structured_bytes(data, file)
    if isinstance(loaded, dict) and set(loaded) == {"mapping"}:
        loaded = loaded["mapping"]
    if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
        raise ProblemsError(
            [
                Problem(
                    file,
                    Location("top"),
                    "mapping",
                    _("expected a list of rows, each with the grouping columns and population_id"),
                )
            ]
        )
    return (
        [{str(k): v for k, v in r.items()} for r in loaded],
        [Location("item", number=n) for n in range(1, len(loaded) + 1)],
        None,
    )
