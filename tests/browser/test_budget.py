"""The Budget page in a real browser: open it with the sample plan, set a budget, read the
allocation, turn it into plan activities and see the coverage dashboard change; then undo.
(Screenshots kept in ``artifacts/screenshots`` for review.)"""

from __future__ import annotations

import pytest

from tests.browser.conftest import App
from tests.browser.test_journeys import number

pytestmark = pytest.mark.browser


def test_budget_allocation_into_the_plan(app: App) -> None:
    app.click("📥 Load the sample national plan")
    app.page.get_by_text("The sample national plan is open.").wait_for()
    app.open("Coverage dashboard")
    effective_before = app.metric("Effective coverage")

    app.open("Budget")
    app.fill("Budget", "60000000")
    table = app.page.locator("[data-testid='stDataFrame']").first
    table.wait_for(state="visible")
    assert app.metric("Spent") and number(app.metric("Spent")) <= 60_000_000
    app.page.get_by_text("What more or less money buys").wait_for()
    app.page.locator(".js-plotly-plot").first.wait_for(state="visible")
    app.screenshot("budget_allocation")

    app.click("Turn the allocation into plan activities")
    app.page.get_by_text("The plan's activities are now the allocation").wait_for()
    app.open("Coverage dashboard")
    effective_after = app.metric("Effective coverage")
    assert effective_after != effective_before
    assert number(effective_after) > number(effective_before)
    app.screenshot("budget_dashboard_after")

    app.page.get_by_role("button", name="Undo").first.click()
    app.idle()
    assert app.metric("Effective coverage") == effective_before
