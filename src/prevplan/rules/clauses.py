"""Clause references: how prevplan cites Annex IV, V and VI of the source document.

A reference is ``VI-3.1.1``, ``VI-T1``, ``V-3.2a``, ``IV-prevention`` and so on (see the
interfaces reference §1). A finer part is ``REF#N`` (the N-th bullet) or ``REF#pN`` (the N-th
paragraph). This module only parses the form; whether a reference exists is decided against
the encoded sources by :class:`prevplan.rules.ruleset.RuleSet`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = re.compile(
    r"^(?P<base>(?:VI|V|IV)-[A-Za-z0-9][A-Za-z0-9.\-]*?)"
    r"(?:#(?P<para>p)?(?P<num>[1-9][0-9]*))?$"
)


@dataclass(frozen=True)
class ClauseRef:
    """A parsed clause reference: the clause, and optionally one bullet or paragraph."""

    base: str
    part: int | None = None
    is_paragraph: bool = False

    @property
    def annex(self) -> str:
        return self.base.split("-", 1)[0]

    def __str__(self) -> str:
        if self.part is None:
            return self.base
        return f"{self.base}#{'p' if self.is_paragraph else ''}{self.part}"


def parse_ref(text: str) -> ClauseRef | None:
    """Parse a clause reference; ``None`` when the text is not of the reference form."""
    match = _REF.match(text.strip())
    if match is None:
        return None
    num = match.group("num")
    return ClauseRef(
        base=match.group("base"),
        part=int(num) if num else None,
        is_paragraph=bool(match.group("para")),
    )
