"""The cost table: what each strategy (VI-3) and prevention level (VI-2) costs, per person
reached and per person effectively reached."""

from __future__ import annotations

from typing import Final

import pandas as pd

from prevplan.analytics.frames.table import table
from prevplan.plan.assessment import Assessment
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

COST_COLUMNS: Final = {
    "group": "str",
    "id": "str",
    "label": "str",
    "clause": "str",
    "cost": "float64",
    "reach": "int64",
    "cost_per_person": "float64",
    "effective_reach": "int64",
    "cost_per_effective_person": "float64",
}

_COST_KINDS: Final = {"strategy": Kind.STRATEGY, "level": Kind.LEVEL}


def cost_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per cost line: every strategy (VI-3), then every prevention level in the plan.

    Columns:

    - ``group`` — ``strategy`` or ``level``
    - ``id``, ``label`` — the strategy's or level's rule id and label
    - ``clause`` — the clause defining it
    - ``cost`` — cost attributed to it (plan currency); a strategy carries the whole cost of
      every activity delivering it (strategy lines overlap and do not add up to the plan's
      cost); a level carries the whole cost of its populations
    - ``reach`` — people reached (persons)
    - ``cost_per_person`` — ``cost / reach`` (plan currency per person; missing if no reach)
    - ``effective_reach`` — people effectively reached (persons)
    - ``cost_per_effective_person`` — ``cost / effective_reach`` (missing if none)
    """
    rows = (
        (
            c.group,
            c.id,
            rules.label(_COST_KINDS[c.group], c.id) if c.group in _COST_KINDS else c.id,
            c.clause,
            c.cost,
            c.reach,
            c.cost_per_person,
            c.effective_reach,
            c.cost_per_effective_person,
        )
        for c in assessment.costs
    )
    return table(rows, COST_COLUMNS)
