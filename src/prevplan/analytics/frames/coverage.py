"""Coverage tables: by strategy (VI-3), by prevention level (VI-2) × age stage (VI-4), by
risk factor (VI-1.2) and protective factor (VI-1.3), and by setting."""

from __future__ import annotations

from typing import Final

import pandas as pd

from prevplan.analytics.frames.table import clause_of, per_person, table
from prevplan.plan.assessment import Assessment
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

STRATEGY_COLUMNS: Final = {
    "clause": "str",
    "strategy_id": "str",
    "label": "str",
    "kind": "str",
    "populations_served": "int64",
    "people_reached": "int64",
    "coverage": "float64",
    "cost": "float64",
    "cost_per_person": "float64",
}


def strategy_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per strategy of VI-3, in the rules' order (fundamental first).

    Columns:

    - ``clause`` — the strategy's clause (``VI-3.1.x`` fundamental, ``VI-3.2.x`` supporting)
    - ``strategy_id``, ``label`` — its rule id and label
    - ``kind`` — ``fundamental`` (VI-3.1) or ``supporting`` (VI-3.2)
    - ``populations_served`` — populations with at least one activity delivering it (count)
    - ``people_reached`` — people reached by it, summed over populations (persons)
    - ``coverage`` — ``people_reached`` over all people in the plan (share 0–1)
    - ``cost`` — the whole cost of every activity delivering it (plan currency); the lines
      overlap and do not add up to the plan's cost (:data:`prevplan.plan.assess.COST_RULE`)
    - ``cost_per_person`` — ``cost / people_reached`` (plan currency per person; missing if
      nobody is reached)
    """
    coverage = assessment.coverage
    people = assessment.totals.people
    costs = {c.id: c for c in assessment.costs if c.group == "strategy"}
    rows = []
    for sid, strategy in rules.strategies.items():
        reached = coverage.strategy_reach.get(strategy.clause, 0)
        line = costs.get(sid)
        cost = line.cost if line is not None else 0.0
        rows.append(
            (
                strategy.clause,
                sid,
                rules.label(Kind.STRATEGY, sid),
                strategy.kind.value,
                coverage.strategies.get(strategy.clause, 0),
                reached,
                round(reached / people, 4) if people else 0.0,
                cost,
                per_person(cost, reached),
            )
        )
    return table(rows, STRATEGY_COLUMNS)


LEVEL_STAGE_COLUMNS: Final = {
    "level": "str",
    "level_label": "str",
    "age_stage": "str",
    "stage_label": "str",
    "people": "int64",
    "reach": "int64",
    "coverage": "float64",
    "has_people": "bool",
}


def level_stage_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """Every prevention level (VI-2) × age stage (VI-4) combination, in the rules' order.

    A population spanning several age stages is split between them in proportion to the
    years of each stage it covers (as :func:`prevplan.plan.assess.assess` does).

    Columns:

    - ``level``, ``level_label`` — prevention level id and label
    - ``age_stage``, ``stage_label`` — age stage id and label
    - ``people`` — people of that level in that stage (persons; 0 when none)
    - ``reach`` — of them, people reached (persons)
    - ``coverage`` — ``reach / people`` (share 0–1; 0 when there are no people)
    - ``has_people`` — whether the plan has any people in the cell; a cell without people
      is *empty*, not *uncovered*
    """
    cells = {(c.level, c.age_stage): c for c in assessment.coverage.levels}
    rows = []
    for level in rules.ids(Kind.LEVEL):
        level_label = rules.label(Kind.LEVEL, level)
        for stage in rules.ids(Kind.AGE_STAGE):
            cell = cells.get((level, stage))
            people = cell.people if cell is not None else 0
            rows.append(
                (
                    level,
                    level_label,
                    stage,
                    rules.label(Kind.AGE_STAGE, stage),
                    people,
                    cell.reach if cell is not None else 0,
                    cell.coverage if cell is not None else 0.0,
                    people > 0,
                )
            )
    return table(rows, LEVEL_STAGE_COLUMNS)


FACTOR_COLUMNS: Final = {
    "kind": "str",
    "factor_id": "str",
    "label": "str",
    "clause": "str",
    "people": "int64",
    "reach": "int64",
    "coverage": "float64",
    "populations": "int64",
}


def factor_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per risk factor (VI-1.2) then per protective factor (VI-1.3).

    Columns:

    - ``kind`` — ``risk`` or ``protective``
    - ``factor_id``, ``label`` — the factor's rule id and label
    - ``clause`` — the clause defining it (``VI-1.2.x`` or ``VI-1.3.x``)
    - ``people`` — for a risk factor, people with the risk; for a protective factor, people
      *lacking* the resource; counted over populations whose share is known (persons)
    - ``reach`` — of them, people reached by activities addressing the factor (persons)
    - ``coverage`` — ``reach / people`` (share 0–1)
    - ``populations`` — populations with a known share for the factor (count)
    """
    coverage = assessment.coverage
    rows = (
        (
            name,
            f.id,
            rules.label(kind, f.id),
            f.clause,
            f.people,
            f.reach,
            f.coverage,
            f.populations,
        )
        for name, kind, factors in (
            ("risk", Kind.RISK_FACTOR, coverage.risk_factors),
            ("protective", Kind.PROTECTIVE_FACTOR, coverage.protective_factors),
        )
        for f in factors
    )
    return table(rows, FACTOR_COLUMNS)


SETTING_COLUMNS: Final = {
    "setting": "str",
    "label": "str",
    "clause": "str",
    "activities": "int64",
    "reach": "int64",
    "cost": "float64",
    "cost_per_person": "float64",
}


def setting_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per setting where people are reached, in the rules' order.

    Columns:

    - ``setting``, ``label`` — the setting's id and label
    - ``clause`` — the first clause the rules cite for the setting
    - ``activities`` — activities delivered in it (count)
    - ``reach`` — people reached there, summed over populations (persons)
    - ``cost`` — cost of those activities (plan currency)
    - ``cost_per_person`` — ``cost / reach`` (plan currency per person; missing if no reach)
    """
    rows = (
        (
            s.setting,
            rules.label(Kind.SETTING, s.setting),
            clause_of(rules, Kind.SETTING, s.setting),
            s.activities,
            s.reach,
            s.cost,
            per_person(s.cost, s.reach),
        )
        for s in assessment.coverage.settings
    )
    return table(rows, SETTING_COLUMNS)
