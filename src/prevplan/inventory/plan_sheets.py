"""The Plan and Tracker sheets of an exported plan workbook, and formula-safe cell text.

An exported workbook (:mod:`prevplan.export.xlsx`) holds a plan's own fields on a *Plan*
sheet and the Program of Actions tracker (Annex V items and their status) on a *Tracker*
sheet; :mod:`prevplan.inventory.plan_workbook` reads both back. Both sides use the names
here, so the reader does not depend on the exporter. Text cells are written neutralised
(a leading ``'`` before ``=``, ``+``, ``-``, ``@``), so a spreadsheet shows them and never
computes them, and read back unescaped.
"""

from __future__ import annotations

import re
from typing import Final

from prevplan.i18n import N_
from prevplan.plan.models import ActionStatus

PLAN_FIELDS: Final = (
    "name",
    "country",
    "region",
    "period",
    "description",
    "currency",
    "price_year",
)
#: What the Plan sheet's field column says for each field (its id is accepted too).
PLAN_FIELD_LABELS: Final = {
    "name": N_("Name"),
    "country": N_("Country"),
    "region": N_("Region"),
    "period": N_("Period"),
    "description": N_("Description"),
    "currency": N_("Currency"),
    "price_year": N_("Price year"),
}
TRACKER_FIELDS: Final = ("action_item", "status", "note")
TRACKER_HEADERS: Final = {
    "action_item": N_("Annex V item"),
    "status": N_("Status"),
    "note": N_("Note"),
}
#: A tracker status as the Tracker sheet shows it (its id is accepted too).
STATUS_LABELS: Final = {
    ActionStatus.NOT_STARTED.value: N_("Not started"),
    ActionStatus.IN_PROGRESS.value: N_("In progress"),
    ActionStatus.DONE.value: N_("Done"),
}

FORMULA_STARTS: Final = ("=", "+", "-", "@")
QUOTE: Final = "'"


def neutralise(text: str) -> str:
    r"""``text`` as a spreadsheet must store it to show it, never to compute it.

    Control characters a workbook cannot hold (``\x07``, ``\x1b`` in a name from a JSON
    file) are written as visible ``\xNN`` escapes.
    """
    text = _ILLEGAL.sub(lambda found: f"\\x{ord(found.group(0)):02x}", text)
    if text.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + text
    return text


_ILLEGAL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The characters an .xlsx cannot store (openpyxl refuses them)."""


def unescape(text: str) -> str:
    """The text :func:`neutralise` was given."""
    if len(text) > 1 and text[0] == QUOTE and text[1] in (*FORMULA_STARTS, QUOTE):
        return text[1:]
    return text
