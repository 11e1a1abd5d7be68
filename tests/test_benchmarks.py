"""Priorities judged against national or regional benchmarks (issue #16, CTC practice).

The YAML cases of ``tests/cases/recommend/benchmarks.yaml`` show a factor above, below and
within the margin of its benchmark, and a population without one. Here: the ranking itself,
the batch JSON writer against the one-population path with benchmarks of many kinds,
``--benchmarks FILE`` (and bad files), the assessment's priorities, and a survey writing its
benchmarks into the plan's populations.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from prevplan.cli import main
from prevplan.commands import recommend as recommend_command
from prevplan.engine import recommend
from prevplan.engine.priorities import (
    BENCHMARK,
    CUT_OFF,
    MOST_NEEDED,
    PriorityRanking,
    rank_priorities,
)
from prevplan.engine.profile import priorities_for
from prevplan.io.benchmarks import read_benchmarks, with_benchmarks
from prevplan.io.populations import read_populations
from prevplan.plan.io import read_plan
from prevplan.rules import RuleSet

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def _rank(rules: RuleSet, shares: list[float], benchmarks: list[float] | None) -> PriorityRanking:
    rule = rules.files.prioritisation.priority_factors
    points = np.array(rules.files.prioritisation.scoring.priority_rank, dtype=np.int64)
    given = None if benchmarks is None else np.array([benchmarks], dtype=np.float64)
    return rank_priorities(np.array([shares], dtype=np.float64), 2, rule, points, given)


def test_without_benchmarks_the_ranking_is_the_fixed_cut_offs(rules: RuleSet) -> None:
    """No benchmark (``None`` or all ``NaN``) ranks exactly as the cut-offs alone."""
    nan = float("nan")
    shares = [0.3, 0.05, 0.4, 0.8]  # two risks, two protective resources
    plain = _rank(rules, shares, None)
    empty = _rank(rules, shares, [nan] * 4)
    for field in ("codes", "used", "chosen", "points", "rules"):
        assert np.array_equal(getattr(plain, field), getattr(empty, field)), field
    assert plain.codes[0][plain.used[0]].tolist() == [2, 0]  # lacking 60 %, then 30 %
    assert set(plain.rules[0][plain.used[0]].tolist()) <= {CUT_OFF, MOST_NEEDED}


def test_a_benchmark_overrides_the_cut_off_both_ways(rules: RuleSet) -> None:
    """A risk of 8 % (under the 10 % cut-off) twice its benchmark is a priority; a risk of
    40 % well under its benchmark is not, even to fill up; a benchmark comes first."""
    nan = float("nan")
    ranking = _rank(rules, [0.08, 0.40, nan, nan], [0.02, 0.60, nan, nan])
    chosen = ranking.codes[0][ranking.used[0]].tolist()
    assert chosen == [0]
    assert ranking.rules[0][0] == BENCHMARK
    assert ranking.benchmarks[0][0] == pytest.approx(0.02)
    assert bool(ranking.benchmarked[0])


POPULATIONS = """\
- {id: a, age_min: 13, age_max: 16, size: 900, risk_factors: {peers: 0.28, family: 0.15}}
- id: b
  age_min: 13
  age_max: 16
  size: 900
  risk_factors: {peers: 0.28, family: 0.2}
  protective_factors: {parents: 0.4}
  benchmarks: {scope: regional, source: North 2024, risk_factors: {family: 0.1}}
- {id: c, age_min: 7, age_max: 10, size: 500, protective_factors: {parents: 0.62}}
- {id: d, age_min: 20, age_max: 30, size: 400}
"""

BENCHMARKS = """\
scope: national
source: National school survey 2025
risk_factors: {peers: 0.19, family: 0.24}
protective_factors: {parents: 0.70}
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    populations = tmp_path / "pops.yaml"
    populations.write_text(POPULATIONS, encoding="utf-8")
    benchmarks = tmp_path / "bench.yaml"
    benchmarks.write_text(BENCHMARKS, encoding="utf-8")
    return populations, benchmarks


@pytest.mark.parametrize("large_from", [0, 10**9], ids=["batch writer", "small file"])
def test_benchmarks_file_gives_what_each_population_gives_alone(
    files: tuple[Path, Path],
    rules: RuleSet,
    tmp_path: Path,
    large_from: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--benchmarks`` applies to populations without their own; the JSON written (by
    either path) is, record for record, ``recommend()`` of the population given them."""
    monkeypatch.setattr(recommend_command, "LARGE_FILE", large_from)
    populations, benchmarks = files
    out = tmp_path / "out.json"
    assert (
        main(["recommend", str(populations), "--benchmarks", str(benchmarks), "--output", str(out)])
        == 0
    )
    records = json.loads(out.read_text(encoding="utf-8"))
    given = with_benchmarks(read_populations(populations), read_benchmarks(benchmarks))
    for record, population in zip(records, given, strict=True):
        assert record == recommend(population, rules).model_dump(mode="json")
    by_id = {r["population_id"]: r for r in records}
    peers = by_id["a"]["priority_risk_factors"][0]
    assert peers["rule"] == "benchmark" and peers["reason"] == "28% here vs 19% nationally"
    assert [f["id"] for f in by_id["a"]["priority_risk_factors"]] == [
        "peers"
    ]  # family well under 24 %
    # b keeps its own regional figures: family is past them, peers has none.
    b = {f["id"]: f for f in by_id["b"]["priority_risk_factors"]}
    assert b["family"]["reason"] == "20% here vs 10% regionally"
    assert b["peers"]["rule"] == "cut_off" and b["peers"]["benchmark"] is None
    assert "Benchmarks: North 2024." in by_id["b"]["priorities_basis"]
    assert by_id["c"]["weak_protective_factors"][0]["reason"] == "62% here vs 70% nationally"
    assert "Benchmarks" not in by_id["d"]["priorities_basis"]  # no shares, nothing compared


def test_batch_writer_with_many_benchmark_kinds_matches_one_by_one(
    tmp_path: Path, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hundreds of populations with benchmarks of several scopes and sources, in one batch:
    each record byte for byte the model's JSON."""
    monkeypatch.setattr(recommend_command, "LARGE_FILE", 0)
    rows = []
    for n in range(300):
        bench = (
            ""
            if n % 4 == 0
            else f"  benchmarks: {{scope: {'regional' if n % 3 else 'national'}, "
            f"source: S{n % 5}, risk_factors: {{peers: {(n % 7) / 20}, school: 0.15}}, "
            f"protective_factors: {{parents: {(n % 9) / 10}}}}}\n"
        )
        rows.append(
            f"- id: p{n}\n  age_min: {10 + n % 8}\n  age_max: {14 + n % 8}\n  size: 100\n"
            f"  risk_factors: {{peers: {(n % 11) / 20}, school: {(n % 5) / 10}}}\n"
            f"  protective_factors: {{parents: {(n % 10) / 10}}}\n" + bench
        )
    source = tmp_path / "many.yaml"
    source.write_text("".join(rows), encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["recommend", str(source), "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    records = text[2:-3].split(",\n")
    populations = read_populations(source)
    assert len(records) == len(populations) == 300
    seen = set()
    for record, population in zip(records, populations, strict=True):
        assert record == recommend(population, rules).model_dump_json()
        seen |= {f["rule"] for f in json.loads(record)["priority_risk_factors"]}
    assert seen == {"benchmark", "cut_off", "most_needed"}


def test_assessment_priorities_follow_the_benchmarks(
    files: tuple[Path, Path], rules: RuleSet
) -> None:
    """The assessment ranks with the same function: its priorities are the recommendation's."""
    populations, benchmarks = files
    given = with_benchmarks(read_populations(populations), read_benchmarks(benchmarks))
    for population, factors in zip(given, priorities_for(given, rules), strict=True):
        rec = recommend(population, rules)
        expected = [f.id for f in (*rec.priority_risk_factors, *rec.weak_protective_factors)]
        assert sorted(f for _, f in factors) == sorted(expected)


def test_a_bad_benchmarks_file_exits_2_naming_each_field(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    populations, _ = files
    bad = tmp_path / "bad.yaml"
    bad.write_text("scope: planet\nrisk_factors: {family: 1.2, gangs: 0.3}\n", encoding="utf-8")
    assert main(["recommend", str(populations), "--benchmarks", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml: top level: field 'scope': expected one of 'national' or 'regional'" in err
    assert "field 'risk_factors.family': expected a number of at most 1, got 1.2" in err
    assert "field 'risk_factors.gangs': expected one of 'family'" in err
    assert "Traceback" not in err


def test_a_population_with_bad_benchmarks_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "- {id: x, age_min: 13, age_max: 16, size: 9, benchmarks: {risk_factors: {peers: 2}}}\n",
        encoding="utf-8",
    )
    assert main(["recommend", str(path)]) == 2
    err = capsys.readouterr().err
    assert "item 1 (id x): field 'benchmarks.risk_factors.peers'" in err


def test_a_survey_writes_its_benchmarks_into_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rules: RuleSet
) -> None:
    """The definitions' national figures become the populations' benchmarks with their
    source, and the plan's priorities are then judged against them."""
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
    plan = read_plan(out, rules)
    population = plan.population("rural_adolescents_north")
    assert population is not None and population.benchmarks is not None
    assert population.benchmarks.scope == "national"
    assert population.benchmarks.source == "Aldoria national school survey 2024 (fictional)"
    assert population.benchmarks.risk_factors["peers"] == pytest.approx(0.32)  # type: ignore[index]
    rec = recommend(population, rules)
    assert rec.priority_risk_factors and rec.priority_risk_factors[0].rule == "benchmark"
    assert "nationally" in rec.priority_risk_factors[0].reason
    untouched = plan.population("university_students")
    assert untouched is not None and untouched.benchmarks is None
