"""Shared fixtures: the shipped rules, loaded once; one headless Chromium for every browser
test, wherever it lives."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from prevplan.rules import RuleSet, load_rules

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    from tests.browser.conftest import launch_chromium

    yield from launch_chromium()


# Tests left out of the fast `make check` (they run in `make test` and CI): each takes seconds
# because it starts processes or a browser, or generates thousands of cases. Listed here, with
# the reason, rather than in each file, so the fast set is visible in one place.
SLOW: dict[str, str] = {
    "tests/storage/test_concurrency.py": "starts competing saver processes",
    "tests/app/test_interactions.py": "journeys through the whole app, each page run many times",
    "tests/test_export.py": "draws report charts in Chromium (kaleido) and renders PDF pages",
    "tests/test_export_approval.py": "draws report charts in Chromium (kaleido)",
    "tests/test_recommend_properties.py": "property-based: thousands of generated populations",
    "tests/optimise/test_export.py::test_report_holds_the_allocation": "renders a PDF report",
    "tests/hostile/test_hostile_inputs.py": "one subprocess per hostile file, each warmed up first",
    "tests/hostile/test_hostile_inputs_worker.py": "starts upload worker processes",
    "tests/hostile/test_hostile_outputs.py::"
    "test_pdf_export_of_a_very_long_name_control_characters_and_emoji": (
        "two PDF reports in subprocesses, each drawing its charts in Chromium (kaleido)"
    ),
    "tests/test_monitor_reports.py::test_annual_pdf_in_three_languages": (
        "draws the annual report's charts in Chromium (kaleido), three PDFs"
    ),
    "tests/app/test_background.py": "starts worker processes; draws a PDF report's charts",
    "tests/test_recommend_cli.py::test_a_national_file_is_each_recommend_model": (
        "writes a 9,000-population file and compares it with recommend()"
    ),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests listed in :data:`SLOW` ``slow`` (``make check`` deselects them)."""
    for item in items:
        path, _, name = item.nodeid.partition("::")
        reason = SLOW.get(path) or SLOW.get(f"{path}::{name.split('[')[0]}")
        if reason:
            item.add_marker(pytest.mark.slow(reason=reason))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the scratch folder Streamlit's AppTest makes when imported.

    Streamlit keeps it in a module-level ``TemporaryDirectory`` that nothing cleans up, so
    every run that used AppTest ended with a ResourceWarning printed at interpreter exit.
    """
    app_test = sys.modules.get("streamlit.testing.v1.app_test")
    scratch = getattr(app_test, "TMP_DIR", None)
    if scratch is not None:
        scratch.cleanup()
