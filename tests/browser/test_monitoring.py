"""A monitoring officer's year in a real browser: enter progress for a period, upload the
school survey, see the trend and the warnings, download the annual report and look at its
pages (rendered to PNG with pdftoppm)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from prevplan.ui.plans import SAMPLE_DIR
from tests.browser.conftest import SCREENSHOTS, App

pytestmark = pytest.mark.browser


def _tab(app: App, name: str) -> None:
    """Open a tab of the page (it reruns the page) and wait until the page is idle."""
    app.page.get_by_role("tab", name=name).click()
    app.idle()
    app.page.get_by_role("tab", name=name, selected=True).wait_for()


def _type_in_grid(app: App, row: int, column: int, value: str) -> None:
    """Type ``value`` into a cell of the progress grid (a canvas: reached by the keyboard)."""
    app.screenshot("monitoring_before_typing")
    grid = app.page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(state="visible")
    box = grid.bounding_box()
    assert box is not None
    # A data cell, then the keyboard: to the first row and column, then to the cell wanted.
    app.page.mouse.click(box["x"] + 60, box["y"] + box["height"] / 3)
    app.page.wait_for_timeout(300)
    for key, times in (
        ("ArrowUp", 40),
        ("ArrowLeft", 12),
        ("ArrowDown", row),
        ("ArrowRight", column),
    ):
        for _ in range(times):
            app.page.keyboard.press(key)
    app.page.wait_for_timeout(300)
    app.page.keyboard.press("Enter")  # opens the cell's editor
    app.page.wait_for_timeout(400)
    app.page.keyboard.type(value, delay=80)
    app.page.wait_for_timeout(300)
    app.page.keyboard.press("Enter")
    app.idle()
    app.screenshot("monitoring_grid_typed")


def test_officer_enters_progress_uploads_a_survey_and_downloads_the_annual_report(
    app: App, tmp_path: Path
) -> None:
    app.click("📥 Load the sample national plan")
    app.page.get_by_text("The sample national plan is open.").wait_for()
    app.open("Monitoring")

    # 1. Progress for 2027, the period not reported yet: one activity reaches 1,000 people.
    _tab(app, "✏️ Progress")
    app.page.get_by_role("combobox", name=re.compile("Monitoring period")).first.click()
    app.page.get_by_role("option", name="2027").click()
    app.idle()
    _type_in_grid(app, row=0, column=2, value="1000")  # activity, target, reach
    app.click("💾 Save progress for 2027")
    app.page.get_by_text("Progress for 2027 is saved in the plan.").wait_for()
    app.screenshot("monitoring_progress")

    # 2. The 2026 school survey, grouped by population, written in for 2027.
    _tab(app, "📋 Survey")
    app.page.get_by_text("Survey microdata (CSV or Excel)").wait_for()
    uploader = app.page.locator("[data-testid='stFileUploaderDropzoneInput']").first
    uploader.set_input_files(str(SAMPLE_DIR / "school_survey_2026.csv"))
    app.idle()
    app.screenshot("monitoring_survey_uploaded")
    app.page.get_by_text("Wilson score interval", exact=False).first.wait_for()
    app.click("💾 Write the shares into the plan for 2027")
    app.page.get_by_text(
        "group 'rural_adolescents_north' written into population 'rural_adolescents_north'",
        exact=False,
    ).first.wait_for()
    app.screenshot("monitoring_survey")

    # 3. The trend and the warnings.
    _tab(app, "📉 Trends")
    app.idle()
    app.page.get_by_text("Survey results by period (95 % interval)").first.wait_for()
    app.page.get_by_text(
        "Fidelity of delivery by activity and period", exact=False
    ).first.wait_for()
    app.screenshot("monitoring_trends")
    _tab(app, "⚠️ Warnings and decisions")
    app.idle()
    app.page.get_by_text("2027:", exact=False).first.wait_for()
    assert app.page.get_by_text("Risk rising in the population").count() >= 1
    assert app.page.get_by_text("no progress reported", exact=False).count() >= 1
    assert app.page.get_by_text("what will you change", exact=False).count() >= 1
    app.screenshot("monitoring_warnings")

    # 4. The annual report of 2027 as a PDF, its pages looked at.
    _tab(app, "⬇️ Reports")
    app.idle()
    with app.page.expect_download(timeout=180_000) as download:
        app.page.get_by_role("button", name="📄 Annual report (PDF)").click()
    pdf = tmp_path / "annual.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to look at the report's pages")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(pdf), str(SCREENSHOTS / "annual_report")],
        check=True,
    )
    pages = sorted(SCREENSHOTS.glob("annual_report-*.png"))
    assert len(pages) >= 8, pages
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Annual report on the implementation of the Program of Actions" in text
    assert "Reporting period" in text and "2027" in text
    assert "Risk rising in the population" in text
