"""The planner's workspace in a real browser (#18): one journey through what used to lose work
or fight the user — a Markdown name shown as typed, "Add to plan" double-clicked, three cells
edited in a row without the grid jumping, and a reload mid-edit that gets the draft back."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from playwright.sync_api import Dialog

from prevplan.storage import DraftStore, store_from_url
from tests.browser.conftest import App

pytestmark = pytest.mark.browser

HOSTILE = "**md** [link](http://evil.example) $x$"


def grid_scroll(app: App) -> tuple[int, int]:
    """Where the activities grid is scrolled to (top, left), in pixels."""
    found = app.page.evaluate(
        "() => { const s = document.querySelector(\"[data-testid='stDataFrame'] .dvn-scroller\");"
        " return s ? [s.scrollTop, s.scrollLeft] : null; }"
    )
    assert found is not None, "the activities grid is on the page"
    return int(found[0]), int(found[1])


def draft_of(app: App) -> dict[str, Any]:
    """The plan this browser's person has kept as a draft, read from the app's database."""
    cookie = next(c["value"] for c in app.page.context.cookies() if c["name"] == "prevplan_client")
    store = store_from_url(f"sqlite:///{app.server.home / 'prevplan.db'}")
    try:
        kept = DraftStore(store.engine).last(f"browser:{cookie}")
    finally:
        store.close()
    assert kept is not None and kept.data is not None, "the unsaved work was kept"
    data = json.loads(kept.data)
    assert isinstance(data, dict)
    return data


def kept_reach(app: App, reach: int, timeout_s: float = 10) -> None:
    """Wait until an activity with ``reach`` is in the kept draft (each edit is kept)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if any(a.get("reach") == reach for a in draft_of(app)["activities"]):
            return
        time.sleep(0.2)
    raise AssertionError(f"the edit to {reach} was not kept")


def test_nothing_is_lost_and_nothing_fights_the_planner(app: App) -> None:
    app.open("Populations & recommendations")
    app.page.get_by_text("Add a target population").click()
    app.idle()
    app.fill("Id", "md-test")
    app.fill("Name", HOSTILE)
    app.fill("Youngest age", "12")
    app.fill("Oldest age", "15")
    app.fill("Number of people", "5000")
    app.click("💾 Add to the plan")
    # The name is shown as typed: no bold, no link, no formula.
    app.page.get_by_text(re.compile(r"Added .*\(md-test\) to the plan")).first.wait_for()
    app.screenshot("workspace_markdown_name")
    heading = app.page.locator("h3", has_text="[link]")
    heading.wait_for()
    assert "**md** [link](http" in heading.inner_text()
    assert app.page.locator("a[href*='evil.example']").count() == 0
    assert app.page.locator(".katex").count() == 0
    app.screenshot("workspace_markdown_name")

    # A double click adds the recommendation once, and says what it added.
    app.page.get_by_role("button", name="➕ Add to plan").first.dblclick()
    app.idle()
    added = app.page.get_by_text(re.compile(r"Added (\d+) activit(y|ies) for")).first
    added.wait_for()
    count = re.search(r"Added (\d+)", added.inner_text())
    assert count is not None
    n = int(count.group(1))
    data = draft_of(app)
    activities = [a for a in data["activities"] if a["population_id"] == "md-test"]
    assert len(activities) == n, "the second click added nothing"

    # Three cells edited in a row: the grid stays where it was scrolled to.
    app.open("Plan")
    grid = app.page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    app.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    app.page.mouse.wheel(0, 400)
    app.idle()
    scrolled = grid_scroll(app)
    assert scrolled[0] > 0, "the grid scrolled down"
    # The first visible row's "People reached" cell (after name and population).
    row_y = box["y"] + 35 + 35 * 1.5
    reach_x = box["x"] + 40 + 200 + 200 + 55
    for n, value in enumerate(("1111", "2222", "3333")):
        # The rows stay where they were: the same place on screen is the next row down.
        # A click selects the cell; on the cell already selected (the one below the last
        # edit: the grid kept its selection) it opens the editor, as Enter does.
        app.page.mouse.click(reach_x, row_y + 35 * n)
        app.page.wait_for_timeout(300)
        editor = app.page.locator("input.gdg-input")
        if not editor.is_visible():
            app.page.keyboard.press("Enter")
        editor.fill(value)
        editor.press("Enter")
        app.idle()
        assert grid_scroll(app) == scrolled, "the grid did not jump after the edit"
        kept_reach(app, int(value))
    app.screenshot("workspace_three_cells")

    # A reload asks first, then offers the draft back.
    dialogs: list[str] = []

    def accept(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    app.page.on("dialog", accept)
    app.page.reload()
    app.idle()
    assert dialogs == ["beforeunload"], "leaving with unsaved changes asked first"
    app.page.get_by_text("were kept as a draft").wait_for()
    app.screenshot("workspace_draft_offer")
    app.click("↩️ Restore the draft")
    app.page.get_by_text("Your unsaved changes are back.").first.wait_for()
    sidebar = app.page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Unsaved changes (from version 1)").wait_for()
    undo = re.compile("Undo: restored your unsaved changes")
    app.page.get_by_role("button", name=undo).first.wait_for()
    app.open("Populations & recommendations")
    app.page.locator("[data-testid='stSelectbox']", has_text="Selected population").click()
    app.page.get_by_role("option", name=re.compile(r"md-test")).click()  # it is back
    app.idle()
    app.page.locator("h3", has_text="[link]").wait_for()


def test_the_presentation_fills_a_1280x720_projector_and_follows_the_arrow_keys(
    app: App,
) -> None:
    app.page.set_viewport_size({"width": 1280, "height": 720})
    app.open("Concept explorer")
    app.page.get_by_text("Presentation mode").click()
    app.idle()
    sidebar = app.page.locator("[data-testid='stSidebar']")
    sidebar.wait_for(state="hidden")  # the app's chrome is hidden
    slide = app.page.locator(".st-key-concept-slide")
    heading = slide.locator("h3").first
    heading.wait_for()
    box = heading.bounding_box()
    assert box is not None and box["y"] + box["height"] < 720 / 2, "the slide starts on screen"
    where = app.page.get_by_text(re.compile(r"· 1 of \d+$"))
    where.wait_for()
    first = heading.inner_text()
    app.page.keyboard.press("ArrowRight")
    app.idle()
    app.page.get_by_text(re.compile(r"· 2 of \d+$")).wait_for()
    assert heading.inner_text() != first
    color = app.page.evaluate(
        "() => getComputedStyle(document.querySelector('.st-key-concept-slide p')).color"
    )
    assert color == "rgb(0, 0, 0)", "black on white for a projector"
    app.screenshot("workspace_presentation_1280x720")
    app.page.keyboard.press("ArrowLeft")
    app.idle()
    app.page.get_by_text(re.compile(r"· 1 of \d+$")).wait_for()
    app.page.keyboard.press("Escape")
    app.idle()
    assert sidebar.is_visible(), "Escape leaves the presentation"
