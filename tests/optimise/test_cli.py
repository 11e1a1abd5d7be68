"""``prevplan optimise`` (interfaces §7) on the sample plan and on a population file: the JSON
holds what the interface promises, the allocation is one a planner can defend, and bad
input exits 2 with a line naming the option — never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prevplan.catalogue import load_catalogue
from prevplan.cli import main

SAMPLE = "sample_data/national_plan.yaml"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["optimise", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def test_sample_plan(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(capsys, SAMPLE, "--budget", "20000000")
    for key in ("budget", "spent", "objective", "allocations", "populations", "marginal_value"):
        assert key in data
    assert data["spent"] <= data["budget"]
    assert data["status"] == "optimal"
    allocations = data["allocations"]
    assert isinstance(allocations, list) and allocations
    for a in allocations:
        for key in (
            "population_id",
            "intervention",
            "programme",
            "participants",
            "cost",
            "sources",
        ):
            assert key in a
    sizes = {p["population_id"]: p["size"] for p in data["populations"]}
    for p in data["populations"]:
        assert p["effective_reach"] <= sizes[p["population_id"]]
    # The curve answers "what does 10 %, 25 %, 50 % more buy, what does 20 % less drop".
    shares = [c["share"] for c in data["curve"]]
    assert shares == [0.8, 1.0, 1.1, 1.25, 1.5]
    objectives = [c["objective"] for c in data["curve"]]
    assert objectives == sorted(objectives)
    # The plan's own activities, scored the same way at the same money.
    comparison = data["comparison"]
    assert comparison["plan"]["cost"] == 47125000.0
    assert comparison["optimised"]["objective"] >= comparison["plan"]["objective"]
    # Nothing stays unfunded without a reason.
    funded = {a["population_id"] for a in allocations}
    unfunded = {u["population_id"] for u in data["unfunded"]}
    assert funded | unfunded == set(sizes) and not funded & unfunded


def test_never_funds_harmful_or_misfitting_programmes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pops = tmp_path / "pops.yaml"
    pops.write_text(
        "populations:\n"
        "  - {id: teens, age_min: 12, age_max: 14, size: 50000, settings: [school, family]}\n"
        "  - {id: young, age_min: 6, age_max: 8, size: 30000, settings: [school]}\n"
        "  - {id: risk, age_min: 12, age_max: 17, size: 8000, risk_group: at_risk,"
        " settings: [school, community, prison]}\n",
        encoding="utf-8",
    )
    data = _run(capsys, str(pops), "--budget", "50000000", "--currency", "USD")
    catalogue = load_catalogue()
    ages = {"teens": (12, 14), "young": (6, 8), "risk": (12, 17)}
    for a in data["allocations"]:
        programme = catalogue.get(a["programme"]) if a["programme"] else None
        assert programme is not None  # a population file has only catalogue options
        assert not programme.to_avoid
        low, high = ages[a["population_id"]]
        assert programme.age_min <= high and programme.age_max >= low
    excluded = {(e["programme"], e["reason"]) for e in data["excluded"]}
    assert ("scared_straight", "harmful") in excluded
    codes = {w["code"] for w in data["warnings"]}
    assert "catalogue_cost_converted" in codes


def test_zero_budget_funds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(capsys, SAMPLE, "--budget", "0")
    assert data["allocations"] == [] and data["spent"] == 0


def test_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    first = _run(capsys, SAMPLE, "--budget", "12345678", "--must-serve", "people_who_use_drugs")
    second = _run(capsys, SAMPLE, "--budget", "12345678", "--must-serve", "people_who_use_drugs")
    assert first == second
    assert "people_who_use_drugs" in {a["population_id"] for a in first["allocations"]}


def test_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["optimise", SAMPLE, "--budget", "5000000", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "Budget curve" in out and "Allocation" in out


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--budget", "-5"], "--budget"),
        (["--budget", "lots"], "--budget"),
        (["--budget", "nan"], "--budget"),
        (["--budget", "10", "--must-serve", "nobody"], "--must-serve"),
        (["--budget", "10", "--must-serve-item", "V-99"], "--must-serve-item"),
        (["--budget", "10", "--min-evidence-share", "1.5"], "--min-evidence-share"),
        (["--budget", "10", "--cap-executor", "Nobody=5"], "--cap-executor"),
        (["--budget", "10", "--cap-executor", "no-amount"], "--cap-executor"),
        # Cannot be met: the cheapest option for people in treatment costs more than 10.
        (["--budget", "10", "--must-serve", "people_in_treatment"], "--must-serve"),
        # Nothing with a cost figure fits university students (the plan names no currency).
        (["--budget", "1e7", "--must-serve", "university_students"], "university_students"),
    ],
)
def test_bad_input_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    assert main(["optimise", SAMPLE, *args]) == 2
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err


def test_missing_budget_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["optimise", SAMPLE])
    assert exit_.value.code == 2
    assert "--budget" in capsys.readouterr().err


def test_keep_working_keeps_every_effective_activity(capsys: pytest.CaptureFixture[str]) -> None:
    data = _run(capsys, SAMPLE, "--budget", "50000000", "--keep-working")
    kept = {a["activity"]: a["participants"] for a in data["allocations"] if a["activity"]}
    # What the assessment counts as effective today, with its cost: every one kept at scale.
    assert kept["outpatient_counselling"] >= 5200
    assert kept["rehab_programme"] >= 3900
    assert kept["life_skills_secondary"] >= 182000
    assert "police_assemblies" not in kept  # a fear-appeal lecture is never an option
    assert len(data["constraints"]["keep"]) == 22


def test_keep_working_beyond_the_budget_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["optimise", SAMPLE, "--budget", "30000000", "--keep-working"]) == 2
    err = capsys.readouterr().err
    assert "--keep-working" in err and "38,780,000" in err
    assert err.count("\n") <= 3  # one problem for the constraint as a whole, not one per activity
