"""The optimised allocation in the Excel workbook and the PDF report: opened and read back,
its figures there as numbers (workbook) and words (report), in the report's language."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from prevplan.cli import main
from prevplan.export.xlsx import plan_workbook
from prevplan.optimise.result import OptimisationResult
from prevplan.optimise.run import optimise, prepare
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet

SAMPLE = Path("sample_data/national_plan.yaml")


@pytest.fixture(scope="module")
def solved(rules: RuleSet) -> tuple[Plan, OptimisationResult]:
    plan = read_plan(SAMPLE, rules)
    return plan, optimise(prepare(plan, rules=rules), 30_000_000)


def test_workbook_holds_the_allocation(
    rules: RuleSet, solved: tuple[Plan, OptimisationResult]
) -> None:
    plan, result = solved
    book = load_workbook(io.BytesIO(plan_workbook(plan, rules, lang="en", optimised=result)))
    sheet = book["Budget allocation"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    assert len(rows) == len(result.allocations)
    assert sum(float(r["Cost"]) for r in rows) == pytest.approx(result.spent, abs=1)
    assert all(isinstance(r["Participants"], int) for r in rows)
    curve = book["Budget curve"]
    whats = [row[0].value for row in curve.iter_rows(2)]
    assert "80% of the budget" in whats and "The plan's own activities" in whats
    # Without an allocation the workbook is as before.
    plain = load_workbook(io.BytesIO(plan_workbook(plan, rules, lang="en")))
    assert "Budget allocation" not in plain.sheetnames


def test_workbook_in_russian(rules: RuleSet, solved: tuple[Plan, OptimisationResult]) -> None:
    plan, result = solved
    book = load_workbook(io.BytesIO(plan_workbook(plan, rules, lang="ru", optimised=result)))
    assert "Распределение бюджета" in book.sheetnames


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_report_holds_the_allocation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.pdf"
    assert main(["optimise", str(SAMPLE), "--budget", "30000000", "--report", str(out)]) == 0
    capsys.readouterr()
    text = subprocess.run(
        ["pdftotext", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Optimised budget allocation" in text
    assert "What stays unfunded, and why" in text
    assert "Against the plan's own activities" in text
    assert "30,000,000" in text


def test_report_must_be_pdf_or_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.docx"
    assert main(["optimise", str(SAMPLE), "--budget", "1", "--report", str(out)]) == 2
    assert "--report" in capsys.readouterr().err
    assert not out.exists()
