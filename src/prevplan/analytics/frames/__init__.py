"""Tidy tables of an :class:`~prevplan.plan.assessment.Assessment`, ready for charts and export.

Each function turns one part of the assessment into a pandas DataFrame with one row per
thing (population, strategy of VI-3, prevention level × age stage of VI-2/VI-4, Program of
Actions item of Annex V, risk factor of VI-1.2, protective factor of VI-1.3, setting, cost
line, warning, gap) and documented columns. Every id column has a human-readable label
column beside it, taken from the rules' labels in the current language (see
:func:`prevplan.i18n.use_language`; English is the rules' own text), so a table is never
identified by internal ids alone; the id stays for joins and exports. Codes such as
``kind``, ``status`` and ``gap`` stay language-neutral: whoever shows them words them.

Units: ``people``, ``reach`` and ``size`` are persons; ``coverage`` columns are shares from
0 to 1 (charts format them as percentages); ``cost`` is in the plan's currency. The
functions are pure: they read the assessment, the rules and (where needed) the plan.

The tables live in one module per part of the Concept they describe: ``populations``,
``coverage`` (strategies, level × age stage, factors, settings), ``annex_v`` (the Program
of Actions), ``costs`` and ``findings`` (warnings and gaps); ``table`` holds what they share.
"""

from __future__ import annotations

from prevplan.analytics.frames.annex_v import (
    ACTION_ITEM_COLUMNS,
    NOT_SERVED,
    SERVED,
    action_item_frame,
    status_label,
)
from prevplan.analytics.frames.costs import COST_COLUMNS, cost_frame
from prevplan.analytics.frames.coverage import (
    FACTOR_COLUMNS,
    LEVEL_STAGE_COLUMNS,
    SETTING_COLUMNS,
    STRATEGY_COLUMNS,
    factor_frame,
    level_stage_frame,
    setting_frame,
    strategy_frame,
)
from prevplan.analytics.frames.findings import (
    GAP_ACTION_ITEM,
    GAP_COLUMNS,
    GAP_PRIORITY,
    GAP_STRATEGY,
    GAP_UNCOVERED,
    WARNING_COLUMNS,
    gap_frame,
    warning_frame,
)
from prevplan.analytics.frames.populations import POPULATION_COLUMNS, populations_frame
from prevplan.analytics.frames.table import JOIN

__all__ = [
    "ACTION_ITEM_COLUMNS",
    "COST_COLUMNS",
    "FACTOR_COLUMNS",
    "GAP_ACTION_ITEM",
    "GAP_COLUMNS",
    "GAP_PRIORITY",
    "GAP_STRATEGY",
    "GAP_UNCOVERED",
    "JOIN",
    "LEVEL_STAGE_COLUMNS",
    "NOT_SERVED",
    "POPULATION_COLUMNS",
    "SERVED",
    "SETTING_COLUMNS",
    "STRATEGY_COLUMNS",
    "WARNING_COLUMNS",
    "action_item_frame",
    "cost_frame",
    "factor_frame",
    "gap_frame",
    "level_stage_frame",
    "populations_frame",
    "setting_frame",
    "status_label",
    "strategy_frame",
    "warning_frame",
]
