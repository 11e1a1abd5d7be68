"""``prevplan assess FILE`` (interfaces §3): JSON with coverage of every population, all nine
strategies and every Annex V item, and warnings with the codes of §4; a readable table; plan
files, Excel and CSV inventories alike; and for a bad file exit code 2 with one line per
problem naming the file, the item and the field — never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from prevplan.cli import main
from prevplan.rules import RuleSet

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
NATIONAL = SAMPLES / "national_plan.yaml"

# interfaces §4
WARNING_CODES = {
    "information_only",
    "no_fundamental_strategy",
    "single_strategy",
    "uncovered_population",
    "level_mismatch",
    "route_to_treatment",
    "untargeted_priority_risk",
    "reach_exceeds_size",
    "age_stage_mismatch",
    "media_only",
    "one_off_session",
    "information_lecture",
    "fear_appeal",
    "ex_user_testimony",
    "drug_testing",
    "needs_screening_referral",
    "harmful_programme",
    # prevplan's own, beside interfaces §4
    "untrained_deliverers",
    "delivery_unknown",
}

GOOD_PLAN = """\
name: small
populations:
  - {id: teens, age_min: 12, age_max: 17, size: 1000}
  - {id: adults, age_min: 18, age_max: 60, size: 5000}
activities:
  - {id: a1, population_id: teens, strategies: [life_skills, VI-3.2.3], reach: 300}
  - {id: a2, population_id: adults, strategies: [VI-3.1.1], reach: 40}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["assess", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def assess_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def test_json_on_the_sample_plan(capsys: pytest.CaptureFixture[str], rules: RuleSet) -> None:
    result = assess_json(capsys, str(NATIONAL))
    coverage = result["coverage"]
    populations = coverage["populations"]
    assert len(populations) == 14
    for row in populations:
        assert {"population_id", "size", "reach", "coverage", "strategies", "warnings"} <= set(row)
        assert 0 <= row["coverage"] <= 1
        assert row["reach"] <= row["size"]
    assert set(coverage["strategies"]) == {s.clause for s in rules.strategies.values()}
    assert sorted(coverage["strategies"]) == [
        "VI-3.1.1", "VI-3.1.2", "VI-3.1.3", "VI-3.1.4", "VI-3.1.5",
        "VI-3.2.1", "VI-3.2.2", "VI-3.2.3", "VI-3.2.4",
    ]  # fmt: skip
    assert list(coverage["action_items"]) == list(rules.action_items)
    assert len(coverage["action_items"]) == 40
    assert "outpatient_counselling" in coverage["action_items"]["V-4.1"]
    assert coverage["action_items"]["V-1.1"] == []  # law enforcement: no prevention activity
    codes = {w["code"] for w in result["warnings"]}
    assert codes <= WARNING_CODES
    assert {"uncovered_population", "information_only", "level_mismatch",
            "reach_exceeds_size"} <= codes  # fmt: skip
    for warning in result["warnings"]:
        assert warning["message"] and warning["sources"]
        assert all(rules.ref_exists(ref) for ref in warning["sources"])


def test_json_is_the_default_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(NATIONAL))
    assert code == 0
    assert json.loads(out)["plan_name"].startswith("Aldoria")


def test_table_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(NATIONAL), "--format", "table")
    assert code == 0 and not err
    assert out.startswith("Plan: Aldoria National Drug Prevention Programme 2025–2027\n")
    # Effective coverage leads; exposure follows.
    lines = out.splitlines()
    assert lines[1].startswith("Effective coverage 23%: 742,400 of 3,239,000 people in 14")
    assert lines[2].startswith("Coverage by any activity: 54%; people reached: 1,750,800")
    assert "VI-3.1.1" in out and "Work with parents" in out
    assert "Warnings:" in out
    assert "! uncovered_population [displaced_children_south]" in out
    assert "! level_mismatch [people_in_treatment/rehab_lectures]" in out


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    code, out, _ = run(capsys, str(NATIONAL), "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["totals"]["populations"] == 14


def test_excel_and_csv_inventories(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from_xlsx = assess_json(capsys, str(SAMPLES / "ngo_inventory.xlsx"))
    from_csv = assess_json(capsys, str(SAMPLES / "ngo_inventory_activities.csv"))
    assert from_xlsx == from_csv
    assert from_xlsx["totals"]["activities"] == 10
    # The populations file may be given explicitly, under any name.
    shutil.copy(SAMPLES / "ngo_inventory_activities.csv", tmp_path / "acts.csv")
    shutil.copy(SAMPLES / "ngo_inventory_populations.csv", tmp_path / "pops.csv")
    explicit = assess_json(
        capsys, str(tmp_path / "acts.csv"), "--populations", str(tmp_path / "pops.csv")
    )
    assert explicit["coverage"] == from_xlsx["coverage"]


def test_notes_about_an_inventory_go_to_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import openpyxl

    book = openpyxl.load_workbook(SAMPLES / "ngo_inventory.xlsx")
    book.create_sheet("Budget")
    path = tmp_path / "with_budget.xlsx"
    book.save(path)
    code, out, err = run(capsys, str(path), "--format", "table")
    assert code == 0
    assert err == (
        f"note: {path}: ignored sheet 'Budget' (only the Populations and Activities sheets, "
        "and Periods, Progress, Surveys, Decisions where present, are read)\n"
    )
    assert out.startswith("Plan: with_budget\n")


BAD_PLANS = {
    "unknown population": (
        "  - {id: a1, population_id: kids, strategies: [life_skills], reach: 10}\n",
        ["activity 1 (id a1): field 'population_id': unknown population 'kids'"],
    ),
    "unknown strategy": (
        "  - {id: a1, population_id: teens, strategies: [lifeskills], reach: 10}\n",
        ["activity 1 (id a1): field 'strategies': unknown strategy 'lifeskills'"],
    ),
    "unknown clause": (
        "  - {id: a1, population_id: teens, strategies: [VI-3.1.9], reach: 10}\n",
        ["activity 1 (id a1): field 'strategies': unknown strategy 'VI-3.1.9'"],
    ),
    "unknown Annex V item": (
        "  - {id: a1, population_id: teens, strategies: [VI-3.1.1], action_items: [V-3.9]}\n",
        ["activity 1 (id a1): field 'action_items': unknown Program of Actions item 'V-3.9'"],
    ),
    "negative reach": (
        "  - {id: a1, population_id: teens, strategies: [life_skills], reach: -5}\n",
        ["activity 1 (id a1): field 'reach': expected a number of at least 0, got -5"],
    ),
    "negative cost": (
        "  - {id: a1, population_id: teens, strategies: [life_skills], cost: -1}\n",
        ["activity 1 (id a1): field 'cost': expected a number of at least 0"],
    ),
    "duplicate ids": (
        "  - {id: a1, population_id: teens, strategies: [life_skills]}\n"
        "  - {id: a1, population_id: teens, strategies: [VI-3.1.1]}\n",
        ["activity id a1: field 'id': duplicate activity id"],
    ),
    "several problems at once": (
        "  - {id: a1, population_id: kids, strategies: [lifeskills], reach: -5}\n"
        "  - {id: a2, population_id: teens, interventions: [VI-4.9]}\n",
        [
            "activity 1 (id a1): field 'reach': expected a number of at least 0, got -5",
            "activity 2 (id a2): field 'interventions': unknown intervention 'VI-4.9'",
        ],
    ),
}


@pytest.mark.parametrize("case", list(BAD_PLANS), ids=list(BAD_PLANS))
def test_bad_plan_files_exit_2_with_one_line_per_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    activities, expected = BAD_PLANS[case]
    path = tmp_path / "plan.yaml"
    path.write_text(
        "name: bad\npopulations:\n  - {id: teens, age_min: 12, age_max: 17, size: 100}\n"
        f"activities:\n{activities}",
        encoding="utf-8",
    )
    code, out, err = run(capsys, str(path))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    count = len(lines) - 1
    assert lines[-1] == f"{count} problem{'s' if count != 1 else ''} found."
    for line in lines[:-1]:
        assert line.startswith(f"{path}: "), line
    for wanted in expected:
        assert any(line.startswith(f"{path}: {wanted}") for line in lines), (wanted, lines)


def test_duplicate_population_ids(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "populations:\n  - {id: p, age_min: 1, age_max: 2, size: 3}\n"
        "  - {id: p, age_min: 1, age_max: 2, size: 3}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, str(path))
    assert code == 2
    assert f"{path}: population 2 (id p): field 'id': duplicate id 'p'" in err


def test_bad_inventory_exits_2_naming_sheet_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import openpyxl

    book = openpyxl.load_workbook(SAMPLES / "ngo_inventory.xlsx")
    book["Activities"]["G3"] = -7
    book["Activities"]["C4"] = "nobody"
    path = tmp_path / "bad.xlsx"
    book.save(path)
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{path}: sheet 'Activities', row 3, column G: field 'Reach (people reached)': "
        "expected a number of at least 0, got -7",
        f"{path}: sheet 'Activities', row 4, column C: field 'Population ID': unknown "
        "population 'nobody'; expected an ID from the sheet 'Populations': riverside-pupils, "
        "street-youth, partner-parents, young-users",
        "2 problems found.",
    ]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.yaml", None, "file not found"),
        ("plan.txt", "x", "unsupported file type '.txt'"),
        ("plan.yaml", "name: [unclosed", "malformed YAML"),
        ("plan.xlsx", "not a workbook", "not a readable Excel .xlsx file"),
        ("plan.xls", "old", "save it as 'Excel Workbook (.xlsx)'"),
    ],
)
def test_unreadable_files_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    content: str | None,
    says: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == ""
    assert says in err and "Traceback" not in err


def test_populations_option_is_only_for_csv_inventories(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD_PLAN, encoding="utf-8")
    code, _, err = run(capsys, str(path), "--populations", str(tmp_path / "p.csv"))
    assert code == 2
    assert "only a CSV inventory takes a separate populations file" in err


def test_a_small_good_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD_PLAN, encoding="utf-8")
    result = assess_json(capsys, str(path))
    teens = result["coverage"]["populations"][0]
    assert (teens["population_id"], teens["size"], teens["reach"], teens["coverage"]) == (
        "teens",
        1000,
        300,
        0.3,
    )
    assert result["coverage"]["strategies"]["VI-3.1.3"] == 1
    assert result["coverage"]["strategies"]["VI-3.2.3"] == 1
    assert result["coverage"]["strategies"]["VI-3.1.1"] == 1


def test_the_apps_excel_export_is_assessed_as_the_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An exported workbook keeps the plan's name and gives the same coverage as its source."""
    workbook = tmp_path / "exported.xlsx"
    assert main(["export", str(NATIONAL), "--format", "xlsx", "--output", str(workbook)]) == 0
    capsys.readouterr()
    from_yaml = assess_json(capsys, str(NATIONAL))
    from_xlsx = assess_json(capsys, str(workbook))
    assert from_xlsx["plan_name"] == from_yaml["plan_name"]
    assert from_xlsx["totals"] == from_yaml["totals"]
