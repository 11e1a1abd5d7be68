r"""User text made safe for where prevplan writes it, so that a name stays a name.

Population, plan and activity names come from planners and from third parties (an NGO's
inventory), and prevplan writes them into places that would otherwise act on them:

- a CSV file opened in a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
  ``@`` as a formula (``=HYPERLINK(…)`` sends data away, ``+cmd|…`` starts programs), and a
  leading tab or carriage return hides such a start from naive checks:
  :func:`csv_cell` puts a ``'`` before it, as spreadsheets themselves store literal text;
- a terminal acts on control characters (``ESC [31m`` recolours it, others move the
  cursor): :func:`printable` shows each as a visible ``\xNN`` escape.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeVar

from pydantic import BaseModel

T = TypeVar("T")

CSV_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters a spreadsheet reads as the start of a formula (or that hide one)."""

QUOTE: Final = "'"


def csv_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows and never computes."""
    if text.startswith(CSV_FORMULA_STARTS):
        return QUOTE + text
    return text


def csv_bytes(rows: Iterable[Mapping[str, object]], header: Iterable[str] | None = None) -> bytes:
    """The rows as a CSV file for spreadsheets: UTF-8 with a byte-order mark (Excel reads
    Cyrillic and Chinese right), every text cell neutralised (:func:`csv_cell`), lists
    joined with ``; `` and missing values empty."""
    listed = list(rows)
    columns = (
        list(header) if header is not None else list(dict.fromkeys(k for r in listed for k in r))
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(str(column)) for column in columns])
    for row in listed:
        writer.writerow([_csv_value(row.get(column)) for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return csv_cell("; ".join(str(item) for item in value))
    if isinstance(value, bool | int | float):
        return str(value)
    return csv_cell(str(value))


def _visible(code: int) -> str:
    return f"\\x{code:02x}"


_CONTROLS: Final = {
    code: _visible(code) for code in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if code != 0x0A
}
_CONTROLS_NO_NEWLINE: Final = {**_CONTROLS, 0x0A: _visible(0x0A)}


def printable(text: str, *, keep_newlines: bool = True) -> str:
    r"""``text`` with every control character (but newlines, unless asked) shown as ``\xNN``."""
    return text.translate(_CONTROLS if keep_newlines else _CONTROLS_NO_NEWLINE)


def shortened(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def map_strings(value: T, change: Callable[[str], str]) -> T:
    """``value`` — a pydantic model, or tuples, lists and dicts of them — with ``change``
    applied to every string in it (dict keys too); unchanged parts are the same objects.

    Models are copied without validation: ``change`` must keep what was valid valid (show
    control characters, say, not cut ids).
    """
    return _mapped(value, change)  # type: ignore[no-any-return]


def _mapped(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        new = change(value)
        return value if new == value else new
    if isinstance(value, BaseModel):
        update = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _mapped(old, change)
            if new is not old:
                update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, tuple | list):
        items = [_mapped(item, change) for item in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        pairs = [(_mapped(k, change), _mapped(v, change)) for k, v in value.items()]
        if all(a is k and b is v for (a, b), (k, v) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    return value
