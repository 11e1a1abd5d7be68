"""Reading survey microdata: one row per respondent, CSV or Excel, with a weight column.

Every column the definitions name must be there, the weight must be a positive number on
every row, and each item a number or blank (a blank is a missing answer). A file that breaks
this is answered with every problem — the file, the row (as the spreadsheet or the text file
numbers it) and the column — never with a traceback; at most :data:`MAX_ROW_PROBLEMS` rows
are listed per column.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from prevplan.i18n import N_, _
from prevplan.io.files import empty_file, file_kind, read_input_bytes
from prevplan.problems import Location, Problem, ProblemsError
from prevplan.survey.definitions import SurveyDefinitions

MAX_ROW_PROBLEMS: Final = 10
SUFFIXES: Final = {".csv": "csv", ".xlsx": "xlsx"}
EXPECTED: Final = N_("CSV or Excel (.xlsx), one row per respondent")


def read_survey(
    path: Path,
    definitions: SurveyDefinitions,
    by: Iterable[str] = (),
    *,
    definitions_file: str = "",
) -> pd.DataFrame:
    """Read and check a survey file against its definitions and grouping columns."""
    file = str(path)
    data = read_input_bytes(path, file)
    return parse_survey(data, file, definitions, by, definitions_file=definitions_file)


def parse_survey(
    data: bytes,
    file: str,
    definitions: SurveyDefinitions,
    by: Iterable[str] = (),
    *,
    definitions_file: str = "",
) -> pd.DataFrame:
    """The survey as a frame: items and weight as floats (blank = NaN), groups as text."""
    by = list(by)
    kind = file_kind(file, SUFFIXES)
    if not data.strip():
        raise ProblemsError([empty_file(file, _(EXPECTED))])
    try:
        if kind == "xlsx":
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
            first_row = 2  # spreadsheet row of the first respondent (after the header)
        else:
            # Numbers are read as numbers at once (a blank is NaN); a column with anything
            # else stays text and is checked cell by cell below, naming the rows.
            frame = pd.read_csv(
                io.BytesIO(data),
                dtype=dict.fromkeys(by, str),
                keep_default_na=False,
                na_values=[""],
                encoding="utf-8-sig",
            )
            first_row = 2  # file line of the first respondent
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        message = _("cannot read the survey ({error}); expected {expected}").format(
            error=str(err).splitlines()[0] if str(err) else type(err).__name__,
            expected=_(EXPECTED),
        )
        raise ProblemsError([Problem(file, "", "", message)]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    problems = _missing_columns(frame, file, definitions, list(by), definitions_file)
    ProblemsError.raise_if_any(problems)
    items = sorted({i for c in definitions.indicators.all().values() for i in c.items()})
    out = pd.DataFrame(index=frame.index)
    for column in [definitions.weight, *items]:
        out[column] = _numbers(frame[column], file, column, kind, first_row, problems)
    weight = out[definitions.weight]
    bad = weight.isna() | ~(weight > 0)
    for row in np.flatnonzero(bad.to_numpy())[:MAX_ROW_PROBLEMS]:
        if weight.iloc[row] == weight.iloc[row]:  # a number, but not positive
            problems.append(
                Problem(
                    file,
                    _row(kind, int(row) + first_row),
                    definitions.weight,
                    _("a weight must be a positive number, got {value}").format(
                        value=frame[definitions.weight].iloc[row]
                    ),
                )
            )
        elif not str(frame[definitions.weight].iloc[row]).strip():
            problems.append(
                Problem(
                    file,
                    _row(kind, int(row) + first_row),
                    definitions.weight,
                    _("the weight is missing; every respondent needs one"),
                )
            )
    ProblemsError.raise_if_any(problems)
    for column in by:
        out[column] = frame[column].fillna("").astype(str).str.strip()
    return out


def _row(kind: str, number: int) -> Location:
    if kind == "xlsx":
        return Location("cell", number=number, sheet="1")
    return Location("line", line=number)


def _missing_columns(
    frame: pd.DataFrame,
    file: str,
    definitions: SurveyDefinitions,
    by: list[str],
    definitions_file: str,
) -> list[Problem]:
    problems: list[Problem] = []
    present = set(frame.columns)
    header = Location("header", line=1)
    if definitions.weight not in present:
        problems.append(
            Problem(
                file,
                header,
                definitions.weight,
                _(
                    "the weight column '{column}' is missing; a survey needs one weight per "
                    "respondent (use 1 for every row of an unweighted survey)"
                ).format(column=definitions.weight),
            )
        )
    for column in by:
        if column not in present:
            problems.append(
                Problem(
                    file,
                    header,
                    column,
                    _("the grouping column '{column}' (--by) is missing").format(column=column),
                )
            )
    for name, condition in definitions.indicators.all().items():
        for item in dict.fromkeys(condition.items()):
            if item not in present:
                problems.append(
                    Problem(
                        definitions_file or file,
                        Location("top"),
                        f"indicators.{name}",
                        _("names the item '{item}', which the survey file {survey} lacks").format(
                            item=item, survey=file
                        ),
                    )
                )
    return problems


def _numbers(
    column: pd.Series,
    file: str,
    name: str,
    kind: str,
    first_row: int,
    problems: list[Problem],
) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.astype(float)
    else:
        values = _checked_text(column, file, name, kind, first_row, problems)
    infinite = np.isinf(values.to_numpy())
    for row in np.flatnonzero(infinite)[:MAX_ROW_PROBLEMS]:
        problems.append(
            Problem(
                file,
                _row(kind, int(row) + first_row),
                name,
                _("expected a finite number, got {value}").format(value=column.iloc[row]),
            )
        )
    return values


def _checked_text(
    column: pd.Series,
    file: str,
    name: str,
    kind: str,
    first_row: int,
    problems: list[Problem],
) -> pd.Series:
    """Numbers from text cells (a decimal comma accepted); every other text a problem."""
    text = column.fillna("").astype(str).str.strip().str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text.where(text != "", None), errors="coerce")
    wrong = numbers.isna() & (text != "")
    for row in np.flatnonzero(wrong.to_numpy())[:MAX_ROW_PROBLEMS]:
        problems.append(
            Problem(
                file,
                _row(kind, int(row) + first_row),
                name,
                _("expected a number or a blank, got {value}").format(value=column.iloc[row]),
            )
        )
    return numbers.astype(float)
