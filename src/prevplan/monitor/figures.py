"""Numbers in the reader's language, fast enough for thousands of warnings.

Each warning of a national plan's report quotes its figures, and Babel's formatting (which
parses the locale on every call) took most of the monitor's time on 1,000 populations. The
separators and the percent pattern of each language are learnt once from
:mod:`prevplan.i18n` itself, so the text is the same as theirs: ``12,345`` / ``12 345``,
``60%`` / ``60 %``, ``1,234.50`` / ``1 234,50``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from prevplan.i18n import format_money, format_number, format_percent, resolve_language


@dataclass(frozen=True)
class Figures:
    """The number formats of one language."""

    group: str
    decimal: str
    percent: str
    """The percent pattern with ``{}`` where the digits go."""

    def number(self, n: float) -> str:
        """A whole number with the language's grouping."""
        return f"{round(n):,}".replace(",", self.group)

    def money(self, x: float) -> str:
        """An amount with two decimals."""
        text = f"{x:,.2f}"
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.group)

    def share(self, x: float) -> str:
        """A share as a whole percentage."""
        return self.percent.format(self.number(x * 100))


@lru_cache(maxsize=8)
def figures(lang: str | None = None) -> Figures:
    """The formats of ``lang`` (the current language when ``None``)."""
    chosen = resolve_language(lang)
    group = format_number(1000, chosen)[1]
    decimal = format_money(0.5, chosen)[1]
    percent = format_percent(0.6, chosen).replace("60", "{}", 1)
    return Figures(group=group, decimal=decimal, percent=percent)
