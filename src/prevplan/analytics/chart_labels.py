"""Category labels that fit a chart: broken into lines by their width on screen, so that
Chinese labels (which have no spaces) wrap too, and made unique where two names are the same.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from prevplan.i18n import text_width


def _pieces(label: str) -> Iterator[tuple[str, str]]:
    """The units a label may break between, each with what joins it to the unit before.

    Words are joined by a space. A word with Chinese characters is split further, between
    any two characters (as Chinese text breaks), joined by nothing: Latin letters, digits
    and closing punctuation stay with the character before, opening punctuation with the
    one after.
    """
    for word in label.split():
        if not any(text_width(c) == 2 for c in word):
            yield " ", word
            continue
        units: list[str] = []
        opening = ""
        for char in word:
            category = unicodedata.category(char)
            if category in ("Ps", "Pi"):
                opening += char
            elif units and (text_width(char) == 1 or category in ("Pe", "Pf", "Po")):
                units[-1] += opening + char
                opening = ""
            else:
                units.append(opening + char)
                opening = ""
        if opening:
            units.append(opening)
        for n, unit in enumerate(units):
            yield (" " if n == 0 else ""), unit


def wrap_label(label: str, width: int = 18) -> str:
    """Break a long category label into lines (plotly does not wrap tick labels).

    ``width`` is in Latin letters; Chinese characters count double, and a Chinese label
    (which has no spaces) breaks between characters.
    """
    pieces = list(_pieces(label))
    lines = _fill(pieces, width)
    if len(lines) > 1 and any(text_width(c) == 2 for c in label):
        # Chinese breaks anywhere: even the lines out rather than leave one character alone.
        while width > 2 and len(_fill(pieces, width - 1)) == len(lines):
            width -= 1
        lines = _fill(pieces, width)
    return "<br>".join(lines)


def _fill(pieces: list[tuple[str, str]], width: int) -> list[str]:
    lines: list[str] = []
    for joiner, piece in pieces:
        if lines and text_width(lines[-1]) + len(joiner) + text_width(piece) <= width:
            lines[-1] += joiner + piece
        else:
            lines.append(piece)
    return lines


def unique_names(names: list[str], ids: list[str]) -> list[str]:
    """Category labels: the names, with the id added only where two names are the same."""
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [
        name if seen[name] == 1 else f"{name} ({pid})" for name, pid in zip(names, ids, strict=True)
    ]
