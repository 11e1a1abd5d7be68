"""An NGO inventory workbook with a Progress sheet (issue #16).

An organisation that fills in the inventory template reports what it delivered per period in
a Progress sheet, as the plan workbook has it (:mod:`prevplan.inventory.progress_sheets`).
The upload (the app's, through :func:`prevplan.ui.inventory_upload.read_upload`,
``prevplan assess`` and ``prevplan monitor``) reads it into each activity's progress;
without a Periods sheet the periods are those the rows name (and a note says so); a row
naming an activity the Activities sheet lacks, or a fidelity above 1, is a problem at its
row and column.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from prevplan.cli import main
from prevplan.inventory.reader import import_inventory
from prevplan.monitor import monitor
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.ui.inventory_upload import read_upload
from tests.test_inventory import filled_book

HEADER = [
    "Monitoring period",
    "Activity ID",
    "People reached",
    "Sessions planned",
    "Sessions delivered",
    "Spent",
    "Fidelity (0–1)",
    "Fidelity checklist",
    "Note",
]


def _book(rules: RuleSet, rows: list[list[Any]], periods: list[str] | None = None) -> bytes:
    book = filled_book(rules)
    sheet = book.create_sheet("Progress")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if periods is not None:
        listed = book.create_sheet("Periods")
        listed.append(["Monitoring period"])
        for period in periods:
            listed.append([period])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    ["2025", "a1", 1100, 10, 9, 7000, 0.9, None, "first year"],
    ["2026", "a1", 600, 10, 5, 8000, None, "all_lessons=yes; role_play=no", None],
]


def test_the_upload_reads_the_progress_sheet(rules: RuleSet) -> None:
    imported = read_upload([("ngo.xlsx", _book(rules, ROWS))], rules)
    plan = imported.plan
    assert plan.periods == ("2025", "2026") or list(plan.periods) == ["2025", "2026"]
    assert any("no Periods sheet" in note and "2025, 2026" in note for note in imported.notes)
    [activity] = plan.activities
    first, second = activity.progress
    assert (first.period, first.reach, first.sessions_delivered, first.spent) == (
        "2025",
        1100,
        9,
        7000,
    )
    assert first.fidelity == pytest.approx(0.9) and first.note == "first year"
    assert second.fidelity_checklist == {"all_lessons": True, "role_play": False}
    report = monitor(plan, rules, "en")
    codes = {(w.code, w.period) for w in report.warnings}
    assert ("off_track", "2026") in codes  # 5 of 10 sessions, 600 of 3,000 people
    assert ("low_fidelity", "2026") in codes  # half the checklist delivered


def test_a_periods_sheet_gives_the_order_and_later_periods(rules: RuleSet) -> None:
    data = _book(rules, ROWS, periods=["2025", "2026", "2027"])
    imported = import_inventory(data, "ngo.xlsx", rules)
    assert list(imported.plan.periods) == ["2025", "2026", "2027"]
    assert not any("Periods" in note for note in imported.notes)


def test_bad_progress_rows_are_named_by_sheet_row_and_column(rules: RuleSet) -> None:
    rows = [
        ["2025", "a1", 1100, 10, 9, 7000, 1.4, None, None],
        ["2025", "ghost", 10, None, None, None, None, None, None],
    ]
    with pytest.raises(ProblemsError) as caught:
        import_inventory(_book(rules, rows), "ngo.xlsx", rules)
    found = [str(p) for p in caught.value.problems]
    assert any("sheet 'Progress', row 2" in p and "Fidelity (0–1)" in p for p in found), found
    assert any(
        "sheet 'Progress', row 3" in p and "Activity ID" in p and "unknown activity 'ghost'" in p
        for p in found
    ), found


def test_monitor_reads_the_progress_of_an_inventory(
    rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ngo.xlsx"
    path.write_bytes(_book(rules, ROWS))
    assert main(["monitor", str(path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"off_track"' in out and '"2026"' in out
    book = openpyxl.load_workbook(path)
    assert "Progress" in book.sheetnames
