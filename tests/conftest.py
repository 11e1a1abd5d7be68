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
# because it starts processes or a browser, runs the app's pages, or generates thousands of
# cases. `make check` (lint, import contracts, types and the rest of the tests) is for everyday
# work and stays under a minute on a quiet machine. Listed here, with
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
    "tests/hostile/test_hostile_storage.py": "one CLI subprocess per broken database or backup",
    "tests/hostile/test_hostile_outputs.py": "one CLI subprocess per hostile output target",
    "tests/hostile/test_hostile_app.py": "runs every page of the app on a damaged store",
    "tests/app/test_pages.py": "runs every page of the app (AppTest), in three languages",
    "tests/app/test_workspace.py": "app journeys (AppTest): drafts, uploads, reopening plans",
    "tests/app/test_team.py": "app journeys (AppTest) for each role",
    "tests/app/test_monitoring.py": "app journeys (AppTest) on the Monitoring page",
    "tests/app/test_official_quote.py": "runs the Concept page (AppTest)",
    "tests/app/test_offline_start.py": "starts the app without a network (AppTest)",
    "tests/app/test_resources.py::test_the_heap_is_frozen_once_and_full_collections_skip_it": (
        "loads every shared resource of the app and times full collections"
    ),
    "tests/optimise/test_page.py": "runs the Budget page (AppTest), solves in a worker process",
    "tests/catalogue/test_page.py": "runs the Programme catalogue page (AppTest)",
    "tests/test_official_texts.py::test_the_pdf_quotes_official_texts_with_their_source": (
        "draws a PDF report's charts in Chromium (kaleido)"
    ),
    "tests/test_tooling.py::test_every_imported_package_is_declared": (
        "parses every module and reads every installed package's metadata"
    ),
    "tests/test_recommend_fit.py::test_no_intervention_excludes_its_population": (
        "recommends for every age stage × level × setting population"
    ),
    "tests/test_benchmarks.py::test_batch_writer_with_many_benchmark_kinds_matches_one_by_one": (
        "writes a many-population file both ways and compares them"
    ),
    "tests/test_recommend_cli.py::test_a_national_csv_gives_the_records_of_the_reference_path": (
        "a national CSV through the CLI and one by one, compared"
    ),
    "tests/test_population_io.py::test_random_csv_files_read_alike_every_way": (
        "property-based: generated CSV files read by every reader"
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
