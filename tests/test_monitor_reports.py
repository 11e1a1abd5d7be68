"""The reports a ministry sends: the annual implementation report (V-6.7) in PDF and Excel in
three languages, the EUDA-style level of provision, and the DHIS2 data value set.

The files are opened and read back: the workbook's sheets and numbers, the PDF's text (with
pdftotext), the DHIS2 JSON and CSV against the format DHIS2 imports.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from prevplan.cli import main
from prevplan.export.annual_xlsx import annual_workbook
from prevplan.export.dhis2 import CSV_COLUMNS, data_value_set_csv, data_value_set_json, dhis2_period
from prevplan.monitor import monitor
from prevplan.monitor.annual import annual_report
from prevplan.monitor.provision import band_of, provision_rules, provision_table
from prevplan.plan.assess import assess
from prevplan.plan.io import plan_from_data, read_plan
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "national_plan.yaml"


@pytest.fixture(scope="module")
def sample(rules: RuleSet) -> Plan:
    return read_plan(SAMPLE, rules)


def test_annual_report_adds_up(sample: Plan, rules: RuleSet) -> None:
    report = annual_report(sample, rules, "2026")
    assert report.previous == "2025"
    period = report.current
    assert report.total.spent == pytest.approx(sum(a.spent or 0 for a in period.activities))
    assert report.total.reach == sum(a.reach or 0 for a in period.activities)
    rural = next(p for p in report.populations if p.population_id == "rural_adolescents_north")
    peers = next(c for c in rural.indicators if c.indicator == "risk_factors.peers")
    assert peers.previous_period == "2025" and peers.current > peers.previous  # type: ignore[operator]
    assert {w.period for w in report.warnings} == {"2026"}
    assert {d.period for d in report.decisions} <= {"2025", "2026"}


def test_an_unknown_report_period_is_a_problem(sample: Plan, rules: RuleSet) -> None:
    with pytest.raises(ProblemsError) as caught:
        annual_report(sample, rules, "2031")
    assert "2031" in str(caught.value)


@pytest.mark.parametrize(
    ("lang", "sheet", "heading"),
    [
        ("en", "Annex V items", "Item"),
        ("ru", "Пункты Приложения V", "Пункт"),
        ("zh", "附件五事项", "事项"),
    ],
)
def test_annual_workbook_in_three_languages(
    sample: Plan, rules: RuleSet, lang: str, sheet: str, heading: str
) -> None:
    book = load_workbook(io.BytesIO(annual_workbook(sample, rules, period="2026", lang=lang)))
    assert sheet in book.sheetnames
    items = book[sheet]
    assert items.cell(row=1, column=1).value == heading
    assert str(items.cell(row=2, column=1).value).startswith("V-3.1")
    assert isinstance(items.cell(row=2, column=3).value, int)  # numbers stay numbers
    assert items.cell(row=2, column=5).number_format == "0.0%"
    assert len(book.sheetnames) == 7


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Annual report on the implementation of the Program of Actions"),
        ("ru", "Ежегодный отчёт о выполнении Программы действий"),
        ("zh", "《行动计划》年度执行报告"),
    ],
)
def test_annual_pdf_in_three_languages(
    sample: Plan, rules: RuleSet, tmp_path: Path, lang: str, title: str
) -> None:
    from prevplan.export.annual_pdf import annual_report_pdf

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the report")
    path = tmp_path / "annual.pdf"
    path.write_bytes(annual_report_pdf(sample, rules, period="2026", lang=lang))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert title in text.replace("\n", " ").replace("  ", " ") or title in text
    assert "V-6.6" in text and "2026" in text
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert (
        int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages"))) >= 8
    )


def test_provision_bands_follow_the_rule_file(sample: Plan, rules: RuleSet) -> None:
    bands = provision_rules()
    assert [band_of(x, bands) for x in (0.0, 0.05, 0.2, 0.5, 0.9)] == [
        "none",
        "rare",
        "limited",
        "extensive",
        "full",
    ]
    cells = provision_table(sample, assess(sample, rules), rules)
    school = next(c for c in cells if c.setting == "school" and c.level == "universal")
    assert school.people > 0 and school.share == pytest.approx(
        school.effective_reach / school.people, abs=1e-4
    )
    prison = [c for c in cells if c.setting == "prison"]
    assert all(c.band is None for c in prison), "no population is reached in prison"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2026", "2026"),
        ("2026-H2", "2026S2"),
        ("2026-Q3", "2026Q3"),
        ("2026-03", "202603"),
        ("FY26", None),
    ],
)
def test_dhis2_periods(label: str, expected: str | None) -> None:
    assert dhis2_period(label) == expected


def test_dhis2_data_value_set(sample: Plan, rules: RuleSet) -> None:
    report = monitor(sample, rules)
    document = data_value_set_json(report, "AL_NAT")
    values = document["dataValues"]
    assert {v["period"] for v in values} == {"2025", "2026"}
    assert all(
        set(v) == {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value", "comment"}
        for v in values
    )
    assert all(isinstance(v["value"], str) and v["orgUnit"] == "AL_NAT" for v in values)
    coverage = next(
        v
        for v in values
        if v["dataElement"] == "PREVPLAN_POP_EFFECTIVE_COVERAGE"
        and v["categoryOptionCombo"] == "SECONDARY_PUPILS"
        and v["period"] == "2026"
    )
    row = next(p for p in report.periods[1].populations if p.population_id == "secondary_pupils")
    assert float(coverage["value"]) == pytest.approx(row.effective_coverage * 100)
    rows = list(csv.reader(io.StringIO(data_value_set_csv(report, "AL_NAT"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(values) + 1


def test_dhis2_refuses_a_period_it_cannot_name(rules: RuleSet) -> None:
    plan = plan_from_data(
        {
            "name": "p",
            "periods": ["spring"],
            "populations": [{"id": "p", "age_min": 12, "age_max": 14, "size": 100}],
            "activities": [
                {
                    "id": "a",
                    "population_id": "p",
                    "strategies": ["life_skills"],
                    "progress": [{"period": "spring", "reach": 10}],
                }
            ],
        },
        "p.yaml",
        rules,
    )
    with pytest.raises(ProblemsError) as caught:
        data_value_set_json(monitor(plan, rules))
    assert "spring" in str(caught.value)


def test_monitor_command_writes_dhis2_and_the_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["monitor", str(SAMPLE), "--format", "dhis2-json", "--org-unit", "X1"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["dataValues"][0]["orgUnit"] == "X1"
    out = tmp_path / "annual.xlsx"
    assert main(["monitor", str(SAMPLE), "--format", "xlsx", "--output", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert main(["monitor", str(SAMPLE), "--format", "pdf"]) == 2
    assert "--output" in capsys.readouterr().err
