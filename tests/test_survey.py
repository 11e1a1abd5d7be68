"""Survey microdata → weighted shares (interfaces §8, ``prevplan survey``).

The estimates of a small file are checked against a computation by hand (weights, Kish
effective sample size, Wilson interval, blanks left out, small cells suppressed); bad input
exits 2 naming the row or the definition and the field; the shares are written into a
plan's populations with the survey recorded as their source.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prevplan.cli import main
from prevplan.plan.io import read_plan
from prevplan.rules import RuleSet
from prevplan.survey import SurveyReport, estimate
from prevplan.survey.definitions import parse_definitions
from prevplan.survey.read import parse_survey

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"

DEFINITIONS = b"""
title: Hand survey
weight: w
min_cell: 3
indicators:
  risk_factors:
    peers: {item: friends, at_least: 1}
    family: {any: [{item: conflict, at_least: 3}, {item: attitude, in: [4]}]}
  protective_factors:
    parents: {mean_of: [m1, m2], at_least: 3}
  use:
    age_first_use: {item: age, mean: true}
benchmarks:
  source: National figure
  risk_factors: {peers: 0.1}
"""

# Group A: four pupils; group B: two pupils (below the minimum cell size of 3).
SURVEY = b"""id,grp,w,friends,conflict,attitude,m1,m2,age
1,A,1,1,1,1,4,4,13
2,A,2,0,3,1,2,2,
3,A,3,2,1,4,3,4,15
4,A,2,,1,1,,3,
5,B,1,1,1,1,1,1,
6,B,1,0,1,1,1,1,
"""


def _report(min_cell: int | None = None) -> SurveyReport:
    definitions = parse_definitions(DEFINITIONS, "defs.yaml")
    frame = parse_survey(SURVEY, "hand.csv", definitions, ["grp"])
    return estimate(frame, definitions, ["grp"], source="hand.csv", min_cell=min_cell)


def test_weighted_share_and_interval_match_a_hand_computation() -> None:
    report = _report()
    a = report.groups[0]
    assert a.label == "A" and a.respondents == 4 and a.weighted == 8
    peers = a.estimates["risk_factors.peers"]
    # Pupil 4 left it blank: p = (1·1 + 3·1) / (1 + 2 + 3) = 4/6; n_eff = 6² / (1 + 4 + 9).
    assert peers.respondents == 3
    assert peers.value == pytest.approx(0.6667, abs=1e-4)
    assert peers.effective_n == pytest.approx(2.57, abs=0.01)
    # Wilson score interval, z = 1.96, n = 36/14 (computed by hand: 0.1886 – 0.9451).
    assert peers.low == pytest.approx(0.1886, abs=1e-4)
    assert peers.high == pytest.approx(0.9451, abs=1e-4)
    # Its interval lies above the national 10 %.
    assert peers.compared == "above" and peers.benchmark == 0.1


def test_any_and_mean_of_conditions_and_blanks() -> None:
    a = _report().groups[0]
    # family: pupil 2 (conflict 3) and pupil 3 (attitude 4) have it: (2 + 3) / 8.
    assert a.estimates["risk_factors.family"].value == pytest.approx(0.625)
    # parents: mean of m1, m2 ≥ 3 for pupils 1 and 3; pupil 4's blank m1 leaves them out:
    # (1 + 3) / (1 + 2 + 3).
    parents = a.estimates["protective_factors.parents"]
    assert parents.value == pytest.approx(0.6667, abs=1e-4) and parents.respondents == 3


def test_small_groups_and_indicators_are_suppressed_and_said_so() -> None:
    report = _report()
    b = report.groups[1]
    assert b.label == "B" and b.suppressed and b.estimates == {}
    assert report.suppressed_groups == 1
    # age of first use: only two of group A answered, below the minimum of 3.
    age = report.groups[0].estimates["use.age_first_use"]
    assert age.suppressed and age.value is None and age.respondents == 2
    # With a minimum of 2 it is a weighted mean: (1·13 + 3·15) / 4.
    age = _report(min_cell=2).groups[0].estimates["use.age_first_use"]
    assert age.value == pytest.approx(14.5)


def _files(tmp_path: Path, survey: bytes = SURVEY, definitions: bytes = DEFINITIONS) -> list[str]:
    (tmp_path / "s.csv").write_bytes(survey)
    (tmp_path / "d.yaml").write_bytes(definitions)
    return [str(tmp_path / "s.csv"), "--definitions", str(tmp_path / "d.yaml")]


def test_survey_without_its_weight_column_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = SURVEY.replace(b",w,", b",weight_x,")
    assert main(["survey", *_files(tmp_path, survey), "--by", "grp"]) == 2
    err = capsys.readouterr().err
    assert "s.csv: header (line 1): field 'w': the weight column 'w' is missing" in err


def test_definition_naming_a_missing_item_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definitions = DEFINITIONS.replace(b"item: friends", b"item: best_friends")
    assert main(["survey", *_files(tmp_path, definitions=definitions)]) == 2
    err = capsys.readouterr().err
    assert "d.yaml: top level: field 'indicators.risk_factors.peers'" in err
    assert "'best_friends'" in err


def test_bad_values_name_the_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = SURVEY.replace(b"3,A,3,2,", b"3,A,-3,two,")
    assert main(["survey", *_files(tmp_path, survey)]) == 2
    err = capsys.readouterr().err
    assert "s.csv: line 4: field 'friends': expected a number or a blank, got two" in err
    assert "s.csv: line 4: field 'w': a weight must be a positive number, got -3" in err
    assert "Traceback" not in err


def test_survey_json_of_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "survey",
        str(SAMPLES / "school_survey_2025.csv"),
        "--definitions",
        str(SAMPLES / "school_survey_definitions.yaml"),
        "--by",
        "region,age_band",
    ]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["min_cell"] == 30 and "Wilson" in data["method"]
    labels = {g["label"]: g for g in data["groups"]}
    assert labels["Islands / 11-14"]["suppressed"] is True
    north = labels["North / 15-17"]["estimates"]["risk_factors.peers"]
    assert north["low"] < north["value"] < north["high"]


def test_shares_are_written_into_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rules: RuleSet
) -> None:
    out = tmp_path / "plan.json"
    args = [
        "survey",
        str(SAMPLES / "school_survey_2026.csv"),
        "--definitions",
        str(SAMPLES / "school_survey_definitions.yaml"),
        "--by",
        "population",
        "--plan",
        str(SAMPLES / "national_plan.yaml"),
        "--period",
        "2027",
        "--output",
        str(out),
    ]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "written into population 'rural_adolescents_north' for period 2027" in err
    plan = read_plan(out, rules)
    result = plan.surveys["rural_adolescents_north"][-1]
    assert result.period == "2027" and result.respondents and result.respondents > 900
    assert result.source and "school_survey_2026.csv" in result.source
    population = plan.population("rural_adolescents_north")
    assert population is not None
    assert population.risk_factors[next(iter(result.risk_factors))] == next(
        iter(result.risk_factors.values())
    )


def test_writing_into_an_unknown_period_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "survey",
        str(SAMPLES / "school_survey_2026.csv"),
        "--definitions",
        str(SAMPLES / "school_survey_definitions.yaml"),
        "--by",
        "population",
        "--plan",
        str(SAMPLES / "national_plan.yaml"),
        "--period",
        "2031",
    ]
    assert main(args) == 2
    assert "field '--period': unknown period '2031'" in capsys.readouterr().err
