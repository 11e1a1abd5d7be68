"""The report's look: the colours, type sizes and cell styles every PDF section shares.

Okabe–Ito, as in :mod:`prevplan.analytics.charts`: blue for the report's structure and, as a
tint, for what the SCO text *states*; an orange tint for what prevplan *infers* and for what
the plan is missing. Every colour comes with words, so none has to be told apart.
"""

from __future__ import annotations

from typing import Final

from fpdf.fonts import FontFace

from prevplan.analytics import OKABE_ITO

RGB = tuple[int, int, int]
"""A colour: red, green and blue from 0 to 255."""


def _rgb(hex_colour: str) -> RGB:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


BLUE: Final = _rgb(OKABE_ITO[4])
ORANGE_TINT: Final = (252, 236, 200)  # Okabe–Ito orange #E69F00, lightened for a background
INK: Final = (26, 26, 26)
GREY: Final = (90, 90, 90)
RULE: Final = (190, 198, 206)
BLUE_TINT: Final = (219, 234, 246)
GREY_TINT: Final = (238, 238, 238)
ZEBRA: Final = (245, 247, 250)
WHITE: Final = (255, 255, 255)

BODY_PT: Final = 10.0
TABLE_PT: Final = 8.5
MIN_TABLE_PT: Final = 6.0
"""The smallest type a table is set in to keep its words whole; still legible in print."""
SMALL_PT: Final = 8.0
TABLE_LINE_MM: Final = 3.9
CLAUSE_EXCERPT_CHARS: Final = 320
CELL_PADDING_MM: Final = 1.2

MAX_CELL_CHARS: Final = 400
"""Characters of a table cell printed; a longer text (a 2,500-character name) is cut with an
ellipsis, since fpdf2 cannot split one row over two pages."""

TOTAL_ROW: Final = FontFace(emphasis="BOLD", fill_color=GREY_TINT)
STATED: Final = FontFace(fill_color=BLUE_TINT)
INFERRED: Final = FontFace(emphasis="ITALICS", fill_color=ORANGE_TINT)
MISSING: Final = FontFace(emphasis="BOLD", fill_color=ORANGE_TINT)
