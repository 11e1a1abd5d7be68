"""What every tidy table of the assessment shares: exact columns and dtypes, clauses, costs
per person, and the separator of lists joined into one cell."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import pandas as pd

from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

JOIN: Final = "; "
"""Separator of lists joined into one cell (labels may contain commas)."""


def table(rows: Iterable[Sequence[Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """A frame with exactly these columns and dtypes, also when there are no rows."""
    frame = pd.DataFrame(list(rows), columns=list(dtypes))
    return frame.astype(dict(dtypes))


def clause_of(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    """The first clause the rules cite for an entity ("" when it is unknown)."""
    entity = rules.entity(kind, entity_id)
    return entity.clauses[0] if entity is not None else ""


def per_person(cost: float, reach: float) -> float | None:
    """Cost per person to the cent (``None`` when nobody is reached)."""
    return round(cost / reach, 2) if reach else None
