"""Problems found in user input or in the concept rules, reported all at once.

Every part of prevplan that reads something a person wrote (rule files, population files,
plans, inventories) reports what is wrong as a list of :class:`Problem` — one per fault,
naming the file, the row or id, the field and what was expected — instead of stopping at
the first one or raising a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prevplan.i18n import _


@dataclass(frozen=True, order=True)
class Problem:
    """One fault in one place: file, row or id, field, and what was expected."""

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file or _("<input>")]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(_("field '{field}'").format(field=self.field))
        return f"{': '.join(parts)}: {self.message}"


class ProblemsError(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def raise_if_any(cls, problems: Iterable[Problem]) -> None:
        found = list(problems)
        if found:
            raise cls(found)
