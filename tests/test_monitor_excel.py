"""The monitoring sheets of the plan workbook: written with drop-downs, read back, checked.

A planner fills in progress in Excel: the exported workbook carries Periods, Progress,
Surveys and Decisions sheets, the Progress sheet has drop-downs for the period and the
activity and accepts only a fidelity between 0 and 1, and the workbook reads back to an equal
plan. A wrong cell is named by sheet, row and column.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from prevplan.export.xlsx import plan_workbook
from prevplan.inventory.plan_workbook import read_plan_xlsx
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "national_plan.yaml"


@pytest.fixture(scope="module")
def sample(rules: RuleSet) -> Plan:
    return read_plan(SAMPLE, rules)


@pytest.fixture(scope="module")
def workbook(sample: Plan, rules: RuleSet) -> bytes:
    return plan_workbook(sample, rules, lang="ru")


def test_monitoring_sheets_have_drop_downs(workbook: bytes) -> None:
    book = load_workbook(io.BytesIO(workbook))
    assert {"Периоды", "Ход выполнения", "Обследования", "Решения"} <= set(book.sheetnames)
    progress = book["Ход выполнения"]
    rules = progress.data_validations.dataValidation
    kinds = sorted(v.type for v in rules)
    assert kinds == ["decimal", "list", "list"]
    period = next(v for v in rules if v.type == "list" and "Периоды" in (v.formula1 or ""))
    assert "A2:A" in str(period.sqref)
    assert progress.cell(row=2, column=1).value == "2025"


def test_monitoring_round_trips_through_excel(
    workbook: bytes, sample: Plan, rules: RuleSet
) -> None:
    again = read_plan_xlsx(workbook, "plan.xlsx", rules)
    assert again.periods == sample.periods
    assert again.surveys == sample.surveys
    assert again.decisions == sample.decisions
    assert [a.progress for a in again.activities] == [a.progress for a in sample.activities]


def test_a_fidelity_above_one_is_named_by_cell(workbook: bytes, rules: RuleSet) -> None:
    book = load_workbook(io.BytesIO(workbook))
    sheet = book["Ход выполнения"]
    headers = [c.value for c in sheet[1]]
    column = headers.index("Соблюдение модели программы (0–1)") + 1
    sheet.cell(row=3, column=column, value=1.4)
    sheet.cell(row=4, column=1, value="2031")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ProblemsError) as caught:
        read_plan_xlsx(out.getvalue(), "plan.xlsx", rules)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "sheet 'Ход выполнения', row 3" in text and "at most 1" in text
    assert "2031" in text
