"""Coverage analytics: tidy tables of an assessment and the dashboard's charts.

:mod:`prevplan.analytics.frames` turns an :class:`~prevplan.plan.assessment.Assessment`
into documented pandas tables (populations, strategies of VI-3, prevention level × age
stage, Annex V items, factors of VI-1.2/VI-1.3, settings, costs, warnings, gaps);
:mod:`prevplan.analytics.charts` turns those tables into plotly figures. Both are pure.
"""

from __future__ import annotations

import plotly.graph_objects as go

from prevplan.analytics.charts import (
    COVERAGE_SCALE,
    OKABE_ITO,
    action_item_matrix,
    cost_per_person,
    effective_coverage_bars,
    level_stage_heatmap,
    reach_vs_target,
    strategy_coverage_bars,
)
from prevplan.analytics.frames import (
    action_item_frame,
    cost_frame,
    factor_frame,
    gap_frame,
    level_stage_frame,
    populations_frame,
    setting_frame,
    strategy_frame,
    warning_frame,
)
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet

__all__ = [
    "COVERAGE_SCALE",
    "OKABE_ITO",
    "action_item_frame",
    "action_item_matrix",
    "cost_frame",
    "cost_per_person",
    "dashboard_figures",
    "effective_coverage_bars",
    "factor_frame",
    "gap_frame",
    "level_stage_frame",
    "level_stage_heatmap",
    "populations_frame",
    "reach_vs_target",
    "setting_frame",
    "strategy_coverage_bars",
    "strategy_frame",
    "warning_frame",
]


def dashboard_figures(
    assessment: Assessment, rules: RuleSet, plan: Plan | None = None
) -> dict[str, go.Figure]:
    """Every dashboard chart of an assessed plan, by name, in display order.

    ``plan`` adds the coordinators' tracker status to the Program of Actions grid's table;
    the charts themselves need only the assessment and the rules.
    """
    populations = populations_frame(assessment, rules)
    return {
        "effective": effective_coverage_bars(populations),
        "level_stage": level_stage_heatmap(level_stage_frame(assessment, rules)),
        "strategies": strategy_coverage_bars(strategy_frame(assessment, rules)),
        "action_items": action_item_matrix(action_item_frame(assessment, rules, plan)),
        "reach_vs_target": reach_vs_target(populations),
        "cost_per_person": cost_per_person(cost_frame(assessment, rules)),
    }
