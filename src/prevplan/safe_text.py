"""User text made safe for where prevplan writes it, so that a name stays a name.

Population, plan and activity names come from planners and from third parties (an NGO's
inventory), and prevplan writes them into places that would otherwise act on them:

- a CSV file opened in a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
  ``@`` as a formula (``=HYPERLINK(…)`` sends data away, ``+cmd|…`` starts programs), and a
  leading tab or carriage return hides such a start from naive checks:
  :func:`csv_cell` puts a ``'`` before it, as spreadsheets themselves store literal text;
- a terminal acts on control characters (``ESC [31m`` recolours it, others move the
  cursor): :func:`printable` shows each as a visible ``\\xNN`` escape.
"""

from __future__ import annotations

from typing import Final

CSV_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters a spreadsheet reads as the start of a formula (or that hide one)."""

QUOTE: Final = "'"


def csv_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows and never computes."""
    if text.startswith(CSV_FORMULA_STARTS):
        return QUOTE + text
    return text


def _visible(code: int) -> str:
    return f"\\x{code:02x}"


_CONTROLS: Final = {
    code: _visible(code) for code in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if code != 0x0A
}
_CONTROLS_NO_NEWLINE: Final = {**_CONTROLS, 0x0A: _visible(0x0A)}


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control character (but newlines, unless asked) shown as ``\\xNN``."""
    return text.translate(_CONTROLS if keep_newlines else _CONTROLS_NO_NEWLINE)
