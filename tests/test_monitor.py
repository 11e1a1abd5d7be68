"""Monitoring a plan (interfaces §8): the warning cases, the figures, the command line.

The YAML cases in ``tests/cases/monitor/warnings.yaml`` show each monitoring warning firing
and staying silent; the other tests check the figures of a small plan by hand, the JSON
shape of ``prevplan monitor`` and that bad input exits 2 naming the row and the field.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from prevplan.cli import main
from prevplan.monitor import monitor
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.rules import RuleSet

CASES = Path(__file__).parent / "cases" / "monitor" / "warnings.yaml"
ROOT = Path(__file__).resolve().parents[1]


def _plan(
    progress: list[dict[str, Any]],
    surveys: list[dict[str, Any]] | None = None,
    other_progress: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    population: dict[str, Any] = {"id": "p", "age_min": 12, "age_max": 14, "size": 1000}
    if surveys:
        population["surveys"] = surveys
    activity = {
        "id": "a",
        "population_id": "p",
        "strategies": ["life_skills"],
        "format": "interactive",
        "sessions": 10,
        "deliverers_trained": True,
        "reach": 500,
        "cost": 3000,
        "progress": progress,
    }
    activities = [activity]
    if other_progress is not None:
        activities.append({**activity, "id": "b", "progress": other_progress})
    return {
        "name": "case",
        "periods": ["2025", "2026", "2027"],
        "populations": [population],
        "activities": activities,
    }


def _cases() -> list[dict[str, Any]]:
    loaded = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    assert isinstance(loaded, list) and loaded
    return loaded


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_monitoring_warning_case(case: dict[str, Any], rules: RuleSet) -> None:
    assert set(case) <= {
        "name",
        "clauses",
        "progress",
        "other_progress",
        "surveys",
        "fires",
        "silent",
    }
    assert case.get("fires") or case.get("silent"), "a case must expect something"
    plan = plan_from_data(
        _plan(
            case.get("progress", []),
            case.get("surveys"),
            case.get("other_progress"),
        ),
        "case.yaml",
        rules,
    )
    report = monitor(plan, rules)
    raised = [asdict(w) for w in report.warnings]
    for wanted in case.get("fires", []):
        assert any(all(w.get(k) == v for k, v in wanted.items()) for w in raised), (
            f"{wanted} not in {[(w['code'], w['period']) for w in raised]}"
        )
    for unwanted in case.get("silent", []):
        assert not any(all(w.get(k) == v for k, v in unwanted.items()) for w in raised), (
            f"{unwanted} raised: {raised}"
        )
    for w in report.warnings:
        assert w.sources == rules.warning_definitions[w.code].sources
        assert "?" in w.message, "every monitoring warning asks what will be changed"


def test_figures_of_a_small_plan_match_a_hand_computation(rules: RuleSet) -> None:
    plan = plan_from_data(
        _plan(
            [
                {
                    "period": "2025",
                    "reach": 300,
                    "spent": 700,
                    "fidelity": 0.9,
                    "sessions_planned": 20,
                    "sessions_delivered": 18,
                },
                {"period": "2026", "reach": 450, "spent": 1000},
            ],
            other_progress=[{"period": "2025", "reach": 200, "fidelity": 0.6}],
        ),
        "hand.yaml",
        rules,
    )
    report = monitor(plan, rules)
    first = report.periods[0]
    a = first.activities[0]
    assert (a.target, a.reach, a.budget, a.spent, a.fidelity) == (500, 300, 1000.0, 700.0, 0.9)
    pop = first.populations[0]
    # Both activities count as effective: the larger reach (300) of the two, of 1,000 people.
    assert (pop.reach, pop.effective_reach, pop.effective_coverage) == (300, 300, 0.3)
    t = first.totals
    # Fidelity weighted by reach: (0.9 × 300 + 0.6 × 200) / 500 = 0.78.
    assert t.mean_fidelity == pytest.approx(0.78)
    assert (t.spent, t.budget, t.total_budget) == (700.0, 2000.0, 6000.0)
    assert report.periods[1].totals.cumulative_spent == 1700.0
    assert report.reported_periods == ("2025", "2026")


def test_plan_data_round_trips_with_monitoring(rules: RuleSet) -> None:
    data = _plan(
        [{"period": "2025", "reach": 300, "fidelity_checklist": {"x": True}}],
        [{"period": "2025", "risk_factors": {"peers": 0.3}, "source": "s"}],
    )
    data["decisions"] = [{"period": "2025", "decision": "train", "activity_id": "a"}]
    plan = plan_from_data(data, "x.yaml", rules)
    again = plan_from_data(plan_to_data(plan), "x.json", rules)
    assert again == plan
    assert plan.surveys["p"][0].risk_factors
    assert "surveys" in plan_to_data(plan)["populations"][0]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_monitor_json_follows_the_interface(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["monitor", str(ROOT / "sample_data" / "national_plan.yaml")], capsys)
    assert code == 0
    data = json.loads(out)
    period = data["periods"][0]
    assert period["period"] == "2025"
    assert set(period["activities"][0]) >= {
        "activity_id",
        "target",
        "reach",
        "sessions_planned",
        "sessions_delivered",
        "spent",
        "fidelity",
    }
    assert set(period["populations"][0]) >= {
        "population_id",
        "size",
        "effective_reach",
        "risk_factors",
        "protective_factors",
    }
    codes = {w["code"] for w in data["warnings"]}
    assert codes == {"off_track", "low_fidelity", "overspent", "rising_risk"}
    for w in data["warnings"]:
        assert set(w) >= {"code", "period", "message", "sources"}
        assert None not in w.values()


@pytest.mark.parametrize(
    ("change", "where", "field"),
    [
        (
            lambda d: d["activities"][0]["progress"].append({"period": "2030", "reach": 1}),
            "activity 1 (id a)",
            "progress[2].period",
        ),
        (
            lambda d: d["activities"][0]["progress"][0].update(fidelity=1.2),
            "activity 1 (id a)",
            "progress[1].fidelity",
        ),
        (
            lambda d: d["populations"][0].update(
                surveys=[{"period": "2025", "risk_factors": {"peers": 2}}]
            ),
            "population 1 (id p)",
            "surveys[1].risk_factors.peers",
        ),
        (
            lambda d: d["populations"][0].update(surveys=[{"period": "1999"}]),
            "population 1 (id p)",
            "surveys[1].period",
        ),
    ],
)
def test_bad_monitoring_input_exits_2_naming_row_and_field(
    change: Any, where: str, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _plan([{"period": "2025", "reach": 300}])
    change(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = _run(["monitor", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert f"{where}: field '{field}'" in err, err
    assert "Traceback" not in err


def test_monitor_table_in_russian(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(
        [
            "monitor",
            str(ROOT / "sample_data" / "national_plan.yaml"),
            "--format",
            "table",
            "--lang",
            "ru",
        ],
        capsys,
    )
    assert code == 0
    assert "Период 2025" in out
    assert "что вы измените" in out
