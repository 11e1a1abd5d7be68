"""The fast path's byte reader for the usual national population CSV file (interfaces §2).

A plain file — ASCII, no quotes, one row per line — whose every value is valid is read
straight from its bytes with numpy into :class:`~prevplan.io.columns.PopulationColumns`,
without a string per cell: for 100,000 populations this costs a fraction of the usual reader
(:mod:`prevplan.io.population_csv`). It accepts exactly what the fast path of that module
(:func:`~prevplan.io.population_csv.valid_csv_table`) accepts, and numbers only as
:mod:`prevplan.io.numbers` says they may be written plainly; any other file gives ``None``
and is read the usual way, which reports its problems or forgives its numbers.
"""

from __future__ import annotations

from enum import StrEnum
from itertools import repeat
from typing import Any, Final

from prevplan.io.columns import PopulationColumns, Shares
from prevplan.io.population_csv import (
    _FIELD_LIMIT,
    _GROUP_VALUES,
    _NOT_ONE_OF,
    _RISK_GROUPS,
    _fast_columns,
    _list_items,
    _read_header,
)
from prevplan.population import AGE_MAX, MAX_PEOPLE, MAX_TEXT_LENGTH
from prevplan.problems import NOWHERE
from prevplan.vocab import RiskGroup, Setting, SpecialGroup


def plain_csv_columns(data: bytes) -> PopulationColumns | None:
    """The columns of a plain CSV file — ASCII, no quotes — whose every value is valid,
    read from its bytes with numpy; ``None`` for any other file (the usual national file
    is plain: read this way, it costs a fraction of making a string of every cell).

    It accepts what :func:`valid_csv_table` accepts, and numbers written with leading
    zeros as pydantic's lax mode reads them; a number is read as ``int`` and ``float`` read
    its text: digits only, or digits and one point with at most 15 digits in all, which
    ``n / 10**d`` gives exactly as ``float`` does (both round the exact quotient correctly).
    """
    if not data.isascii() or b'"' in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    import numpy as np  # the batch that reads columns needs it anyway

    text = np.frombuffer(data, dtype=np.uint8)
    blank = np.isin(text, _ASCII_BLANKS)
    # Blank lines at the end are no rows: the body ends at the last character that is not
    # blank, found from the end (a position for every character would take 8 bytes each).
    filled_from_end = ~blank[::-1]
    if not filled_from_end.any():
        return None
    header_end = data.find(b"\n")
    body_end = len(blank) - int(np.argmax(filled_from_end))
    if header_end < 0 or header_end >= body_end:
        return None
    header = [cell.strip() for cell in data[:header_end].decode("ascii").split(",")]
    named, unnamed, problems = _read_header(header, "", NOWHERE)
    if problems or unnamed or not _fast_columns(named):
        return None
    body = text[header_end + 1 : body_end]
    bounds = _cell_bounds(body, len(header))
    if bounds is None:
        return None
    starts, stops = bounds
    widths = stops - starts
    if int(widths.max()) > _FIELD_LIMIT:
        return None
    texts = [n for n, name in named if name in ("name", "region")]
    if texts and int(widths[:, texts].max()) > MAX_TEXT_LENGTH:
        return None  # the model refuses a longer text: the usual way says so
    cells = {
        name: _Cells(body, blank[header_end + 1 : body_end], starts[:, n], stops[:, n])
        for n, name in named
        if name not in ("name", "region")
    }
    return _plain_columns(cells, len(starts))


def _cell_bounds(body: Any, width: int) -> tuple[Any, Any] | None:
    """(row, column): where each cell of the body starts and stops, as 32-bit numbers for
    any file under 2 GB (half the memory of numpy's default); ``None`` unless every row
    has ``width`` cells."""
    import numpy as np

    separator = body == _COMMA
    separator |= body == _NEWLINE
    found = np.flatnonzero(separator)
    separators = found.astype(np.int32) if len(body) < np.iinfo(np.int32).max else found
    count, rest = divmod(len(separators) + 1, width)
    if rest or not count:
        return None
    # A newline after every ``width`` cells, and nowhere else: no blank or ragged row.
    ends_row = body[separators] == _NEWLINE
    if not np.array_equal(np.flatnonzero(ends_row) + 1, np.arange(1, count) * width):
        return None
    first, last = np.zeros(1, separators.dtype), np.full(1, len(body), separators.dtype)
    starts = np.concatenate((first, separators + 1)).reshape(count, width)
    stops = np.concatenate((separators, last)).reshape(count, width)
    return starts, stops


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
    """The columns, when every cell is valid as written plainly; else ``None``."""
    if not all(c.usable for c in cells.values()):
        return None
    ids = cells["id"].texts()
    if not all(ids) or len(set(ids)) < count:
        return None
    ages = _ages(cells)
    sizes = cells["size"].numbers(point=False)
    if ages is None or sizes is None or sizes[1].any():
        return None
    if (sizes[0] < 1).any() or (sizes[0] > MAX_PEOPLE).any():
        return None
    groups = _groups(cells, count)
    settings = _words(cells, "settings", Setting, count)
    special_groups = _words(cells, "special_groups", SpecialGroup, count)
    factors = _factors(cells)
    if groups is None or settings is None or special_groups is None or factors is None:
        return None
    return PopulationColumns(
        ids=ids,
        age_min=ages[0].tolist(),
        age_max=ages[1].tolist(),
        risk_group=groups,
        settings=settings,
        special_groups=special_groups,
        risk_factors=factors["risk_factors"],
        protective_factors=factors["protective_factors"],
    )


def _ages(cells: dict[str, _Cells]) -> tuple[Any, Any] | None:
    """The youngest and oldest ages, each a whole number within range, none missing."""
    ages = []
    for field in ("age_min", "age_max"):
        found = cells[field].numbers(point=False)
        if found is None or found[1].any() or (found[0] > AGE_MAX).any():
            return None
        ages.append(found[0])
    if (ages[0] > ages[1]).any():
        return None
    return ages[0], ages[1]


def _groups(cells: dict[str, _Cells], count: int) -> list[str] | None:
    """The risk groups (general where the column is missing)."""
    if "risk_group" not in cells:
        return [RiskGroup.GENERAL.value] * count
    found = list(map(_RISK_GROUPS.get, cells["risk_group"].texts(), repeat(_NOT_ONE_OF)))
    if _NOT_ONE_OF in found:
        return None
    return list(map(_GROUP_VALUES.__getitem__, found))


def _words(
    cells: dict[str, _Cells], field: str, vocabulary: type[StrEnum], count: int
) -> list[tuple[str, ...]] | None:
    """A list column's words (settings, special groups), each known and listed once."""
    if field not in cells:
        return [()] * count
    column = cells[field].texts()
    parsed = {cell: _list_items(cell, vocabulary) for cell in set(column)}
    if None in parsed.values():
        return None
    words = {cell: items[0] for cell, items in parsed.items() if items is not None}
    return list(map(words.__getitem__, column))


def _factors(cells: dict[str, _Cells]) -> dict[str, dict[str, Shares]] | None:
    """The shares of each factor column, ``NaN`` where empty; none above 1. Each column is
    a numpy array (a list of floats would take four times the memory)."""
    import numpy as np

    factors: dict[str, dict[str, Shares]] = {"risk_factors": {}, "protective_factors": {}}
    for name, column_cells in cells.items():
        field, _dot, key = name.partition(".")
        if not key:
            continue
        shares = column_cells.numbers(point=True)
        if shares is None or (shares[0] > 1.0).any():
            return None
        factors[field][key] = np.where(shares[1], np.nan, shares[0])
    return factors
