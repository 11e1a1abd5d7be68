"""What planners, NGOs and trainers do, in a real browser: every journey ends with what the
user should see, and no console error or request off this machine (checked by the fixture)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from prevplan.ui.plans import SAMPLE_DIR
from tests.browser.conftest import App

pytestmark = pytest.mark.browser

PAGES = (
    ("start", "Start"),
    ("concept", "Concept explorer"),
    ("populations", "Populations & recommendations"),
    ("plan", "Plan"),
    ("dashboard", "Coverage dashboard"),
    ("tracker", "Program of Actions tracker"),
    ("workshop", "Workshop exercise"),
)


def number(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text) or "nan")


def test_every_page_renders_and_is_photographed(app: App) -> None:
    """Each page opens from the sidebar without an error box; a screenshot is kept for review."""
    for n, (slug, title) in enumerate(PAGES, start=1):
        app.open(title)
        assert app.page.locator("h1").first.is_visible()
        assert app.page.locator("[data-testid='stException']").count() == 0
        assert app.page.get_by_text("Something went wrong").count() == 0
        app.screenshot(f"{n}_{slug}")


def test_planner_adds_a_population_and_its_recommendation(app: App) -> None:
    """Load the sample → add a population → its recommendation → into the plan → dashboard."""
    app.click("📥 Load the sample national plan")
    app.page.get_by_text("The sample national plan is open.").wait_for()
    app.open("Coverage dashboard")
    people_before = number(app.metric("People planned for"))
    warnings_before = number(app.metric("Warnings"))

    app.open("Populations & recommendations")
    app.page.get_by_text("Add a target population").click()
    app.fill("Id", "teens-east")
    app.fill("Name", "Teenagers, East region")
    app.fill("Youngest age", "12")
    app.fill("Oldest age", "16")
    app.fill("Number of people", "5000")
    app.click("💾 Add to the plan")
    app.page.get_by_text("Added Teenagers, East region (teens-east) to the plan.").wait_for()
    app.page.get_by_text("Recommended for Teenagers, East region").wait_for()
    app.screenshot("journey_recommendation")

    app.open("Coverage dashboard")
    assert number(app.metric("People planned for")) == people_before + 5000
    warnings_uncovered = number(app.metric("Warnings"))
    assert warnings_uncovered > warnings_before, "the new population is not served yet"

    app.open("Populations & recommendations")
    app.click("➕ Add to plan")
    app.page.get_by_text(re.compile(r"Added \d+ activit(y|ies) for Teenagers")).wait_for()

    app.open("Coverage dashboard")
    assert number(app.metric("People planned for")) == people_before + 5000
    assert number(app.metric("Warnings")) < warnings_uncovered, "now it is served"
    app.screenshot("journey_dashboard_after")


def _broken_copy(source: Path, target: Path) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    size = next(n for n, h in enumerate(header) if h.lower().startswith("size"))
    row = lines[1].split(",")
    row[size] = "about a thousand"
    target.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")


def test_ngo_uploads_an_inventory_with_an_error_then_fixes_it(app: App, tmp_path: Path) -> None:
    populations = SAMPLE_DIR / "ngo_inventory_populations.csv"
    activities = SAMPLE_DIR / "ngo_inventory_activities.csv"
    broken = tmp_path / "ngo_inventory_populations.csv"
    _broken_copy(populations, broken)

    app.open("Plan")
    app.page.get_by_role("tab", name="📥 Import an NGO inventory").click()
    uploader = app.page.locator("[data-testid='stFileUploaderDropzoneInput']").first
    uploader.set_input_files([str(broken), str(activities)])
    app.idle()
    app.page.get_by_text(
        re.compile(r"The inventory has \d+ problems?; nothing was imported")
    ).wait_for()
    assert app.page.get_by_text("about a thousand").count() >= 1
    app.screenshot("journey_inventory_error")

    for name in (broken.name, activities.name):  # remove both, then upload the correct pair
        app.page.get_by_role("button", name=f"Remove {name}").first.click()
        app.idle()
    uploader.set_input_files([str(populations), str(activities)])
    app.idle()
    app.page.get_by_text(re.compile(r"The inventory is correct")).wait_for()
    app.click("Add it to the current plan")
    app.page.get_by_text(
        re.compile(r"The inventory's populations and activities were added")
    ).wait_for()


def test_trainer_runs_a_workshop_exercise(app: App) -> None:
    app.open("Workshop exercise")
    app.page.get_by_text("Information dissemination (VI-3.2.1)").click()
    app.idle()
    app.page.get_by_text("Work with parents (VI-3.1.1)").click()
    app.idle()
    app.click("🔍 Compare with the Concept")
    app.page.get_by_text("Agreement score").wait_for()
    assert app.page.get_by_text(re.compile(r"Missed \(\d+\)")).count() == 1
    app.screenshot("journey_workshop")


def test_planner_downloads_the_report_workbook_and_json(app: App, tmp_path: Path) -> None:
    """The dashboard's downloads are real files: JSON that reads back, a workbook, a PDF."""
    from prevplan.plan.io import plan_from_data

    app.open("Coverage dashboard")
    files = {}
    for label, suffix in (
        ("🧾 JSON (re-importable)", "json"),
        ("📗 Excel workbook", "xlsx"),
        ("📄 PDF report", "pdf"),
    ):
        with app.page.expect_download(timeout=120_000) as download:
            app.page.get_by_role("button", name=label).click()
        target = tmp_path / f"plan.{suffix}"
        download.value.save_as(target)
        files[suffix] = target.read_bytes()
    plan = plan_from_data(json.loads(files["json"]), "download")
    assert plan.populations
    assert files["xlsx"][:2] == b"PK"
    assert files["pdf"][:5] == b"%PDF-"
