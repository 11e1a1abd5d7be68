"""The Monitoring page (issue #16): the progress grid has the fidelity-checklist column.

AppTest cannot type into a data editor; what the grid saves is tested on its helpers
(``tests/test_monitor_grid.py``). Here: the page shows the column, labelled, in the grid's
order, with the plan's checklists written as ``component=yes; component=no``.
"""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.rules import load_rules
from prevplan.ui import state
from tests.app.helpers import go


def test_the_progress_grid_has_a_fidelity_checklist_column(at: AppTest) -> None:
    go(at, "monitoring")
    grid = at.dataframe[0]
    order = list(grid.proto.column_order)
    assert order.index("fidelity") + 1 == order.index("fidelity_checklist")
    config = json.loads(grid.proto.columns)
    assert config["fidelity_checklist"]["label"] == "Fidelity checklist"
    assert "fidelity_checklist" in grid.value.columns


def test_a_plans_checklist_is_shown_in_the_grid(at: AppTest) -> None:
    """A checklist in the plan appears in its activity's row for that period."""
    plan = at.session_state[state.PLAN]
    data = plan_to_data(plan)
    first = data["activities"][0]
    period = plan.periods[0]
    first["progress"] = [p for p in first.get("progress", []) if str(p["period"]) != period]
    first["progress"].insert(
        0,
        {"period": period, "fidelity_checklist": {"all_lessons": True, "role_play": False}},
    )
    at.session_state[state.PLAN] = plan_from_data(data, "test", load_rules())
    go(at, "monitoring")
    grid = at.dataframe[0]
    row = grid.value[grid.value["id"] == first["id"]].iloc[0]
    assert row["fidelity_checklist"] == "all_lessons=yes; role_play=no"
