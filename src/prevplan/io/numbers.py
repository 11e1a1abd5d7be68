"""How prevplan reads the numbers people write in a population file (interfaces §2).

Two readings, kept here together so that the fast path and the usual reader agree on what a
number is:

- written plainly — digits, and for a share one point — the fast path reads a whole column
  at once (:data:`PLAIN_COUNTS`, :data:`PLAIN_SHARES`; :mod:`prevplan.io.population_csv` and
  :mod:`prevplan.io.population_csv_bytes`); a column with anything else goes the usual way;
- written as a person would — thousands grouped (``12,000``, ``12 000``), shares as
  percentages throughout (45 for 45 %) — the usual reader forgives it and says what it read
  (:func:`forgive`, called by :mod:`prevplan.io.populations`).
"""

from __future__ import annotations

import re
from typing import Any, Final

from prevplan.i18n import _, ngettext

PLAIN_COUNTS: Final = re.compile(r"[0-9]{1,40}(?:,[0-9]{1,40})*")
"""A column of counts written plainly, its cells joined with commas."""
PLAIN_SHARES: Final = re.compile(r"[0-9.]{0,40}(?:,[0-9.]{0,40})*")
"""A column of shares written plainly (or empty: unknown), its cells joined with commas."""

#: A count written with thousands grouped: "12,000", "12 000", "12 000" (no-break space).
_GROUPED: Final = re.compile(r"^\d{1,3}(?:([,\u00a0\u202f ])\d{3})(?:\1\d{3})*$")
_COUNTS: Final = ("age_min", "age_max", "size")
_SHARE_FIELDS: Final = ("risk_factors", "protective_factors")


def forgive(records: list[dict[str, Any]]) -> list[str]:
    """Read, in place, what a person writes differently from the format; say what was read.

    - counts with their thousands grouped (``12,000``, ``12 000``) are read as ``12000``;
    - when the shares read as percentages throughout (none a fraction, none above 100, some
      5 or more), every share is divided by 100 (45 → 0.45), and the note says so.
    """
    return [*_grouped_counts(records), *_percentages(records)]


def _grouped_counts(records: list[dict[str, Any]]) -> list[str]:
    grouped = 0
    for record in records:
        for name in _COUNTS:
            value = record.get(name)
            if isinstance(value, str) and _GROUPED.match(value.strip()):
                record[name] = re.sub(r"\D", "", value)
                grouped += 1
    if not grouped:
        return []
    return [
        ngettext(
            "{n} number was written with grouped thousands (12,000 or 12 000) and was read "
            "as a whole number.",
            "{n} numbers were written with grouped thousands (12,000 or 12 000) and were "
            "read as whole numbers.",
            grouped,
        ).format(n=grouped)
    ]


def _shares(records: list[dict[str, Any]]) -> list[float] | None:
    """Every share of the records as a number; ``None`` if one is written with ``%`` (it
    gets its own answer: write it as a share) or is no number (its row's problem says so)."""
    shares: list[float] = []
    for record in records:
        for name in _SHARE_FIELDS:
            for value in (record.get(name) or {}).values():
                if str(value).strip().endswith("%"):
                    return None
                try:
                    shares.append(_number(value))
                except ValueError:
                    return None
    return shares


def _number(value: object) -> float:
    return float(str(value).strip().rstrip("%").replace(",", "."))


def _percentages(records: list[dict[str, Any]]) -> list[str]:
    shares = _shares(records)
    # Percentages only when the file reads as percentages throughout: every share within
    # 0–100, none a fraction (0 < x < 1: a mix is ambiguous), and some clearly a percentage
    # (5 or more) — "1.5" alone stays a mistake to report, not 1.5 %.
    if not (
        shares
        and max(shares) >= 5
        and all(0 <= share <= 100 for share in shares)
        and not any(0 < share < 1 for share in shares)
    ):
        return []
    example = next(share for share in shares if share > 1)
    for record in records:
        for name in _SHARE_FIELDS:
            found = record.get(name)
            if found:
                record[name] = {key: round(_number(v) / 100, 6) for key, v in found.items()}
    return [
        _(
            "The shares of risk and protective factors look like percentages (for example "
            "{example:g}); they were read as percentages: {example:g} means {share:g}."
        ).format(example=example, share=round(example / 100, 6))
    ]
