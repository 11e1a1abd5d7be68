"""The populations table: one row per target population with its exposure, effective
coverage, costs and warnings (the dashboard's first chart and the exports' main sheet)."""

from __future__ import annotations

from collections import Counter
from typing import Final

import pandas as pd

from prevplan.analytics.frames.table import JOIN, table
from prevplan.plan.assessment import Assessment
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

POPULATION_COLUMNS: Final = {
    "population_id": "str",
    "name": "str",
    "region": "str",
    "level": "str",
    "level_label": "str",
    "age_stages": "str",
    "age_stage_labels": "str",
    "size": "int64",
    "activities": "int64",
    "reach": "int64",
    "reach_upper": "int64",
    "coverage": "float64",
    "effective_reach": "int64",
    "effective_coverage": "float64",
    "target_reach": "Int64",
    "target_coverage": "float64",
    "cost": "float64",
    "cost_per_person": "float64",
    "cost_per_effective_person": "float64",
    "strategies": "int64",
    "warnings": "int64",
    "warning_codes": "str",
}


def populations_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per target population, in plan order.

    Columns:

    - ``population_id`` — the population's id in the plan
    - ``name`` — its name (the id when the plan gives none)
    - ``region`` — the planner's region label ("" when none)
    - ``level``, ``level_label`` — prevention level (VI-2, Table 1) id and label
    - ``age_stages``, ``age_stage_labels`` — the VI-4 age stages it spans, ids and labels,
      joined with "; "
    - ``size`` — people in the population (persons; the coverage denominator)
    - ``activities`` — activities serving it (count)
    - ``reach`` — people reached, lower bound (persons; largest single activity's reach)
    - ``reach_upper`` — people reached, upper bound (persons; sum of reaches, capped)
    - ``coverage`` — ``reach / size`` (share 0–1): exposure
    - ``effective_reach`` — people reached by an effective activity (persons;
      docs/effective-coverage.md)
    - ``effective_coverage`` — ``effective_reach / size`` (share 0–1)
    - ``target_reach`` — people the activities aim to reach (persons; missing if none set)
    - ``target_coverage`` — ``target_reach / size`` (share 0–1; missing if no target)
    - ``cost`` — cost of its activities (plan currency)
    - ``cost_per_person`` — ``cost / reach`` (plan currency per person; missing if no reach)
    - ``cost_per_effective_person`` — ``cost / effective_reach`` (missing if none)
    - ``strategies`` — distinct VI-3 strategies delivered to it (count)
    - ``warnings`` — warnings about it or its activities (count)
    - ``warning_codes`` — the distinct warning codes, joined with "; "
    """
    counts = Counter(w.population_id for w in assessment.warnings if w.population_id)
    rows = (
        (
            p.population_id,
            p.name,
            p.region or "",
            p.prevention_level.value,
            rules.label(Kind.LEVEL, p.prevention_level.value),
            JOIN.join(p.age_stages),
            JOIN.join(rules.label(Kind.AGE_STAGE, s) for s in p.age_stages),
            p.size,
            p.activities,
            p.reach,
            p.reach_upper,
            p.coverage,
            p.effective_reach,
            p.effective_coverage,
            p.target_reach,
            p.target_coverage,
            p.cost,
            p.cost_per_person,
            p.cost_per_effective_person,
            len(p.strategies),
            counts.get(p.population_id, 0),
            JOIN.join(p.warnings),
        )
        for p in assessment.coverage.populations
    )
    return table(rows, POPULATION_COLUMNS)
