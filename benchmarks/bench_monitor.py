"""How fast a plan is monitored and a survey estimated (issue #16's budgets).

Run: ``uv run python benchmarks/bench_monitor.py``

a. ``monitor`` on a generated plan of 1,000 populations × 5 periods: two activities per
   population (a life-skills programme and a family programme, both described so that they
   count as effective), progress in every period with reach, sessions, spending and
   fidelity, and a survey of every population in three of the periods. Budget 1 s, best of
   3 (the rules are loaded beforehand; the assessment inside ``monitor`` is counted).
b. ``estimate`` of a survey of 100,000 respondents into 500 groups (two grouping columns,
   25 × 20 values), with the sample definitions (six risk, four protective factors, five use
   indicators); reading the CSV is timed too. Budget 3 s for reading and estimating, best
   of 3.

Each figure is printed with its budget and PASS or OVER; the exit code is 1 if any budget
is over.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from timing import best_of, verdict

from prevplan.monitor import monitor
from prevplan.plan.io import plan_from_data
from prevplan.rules import load_rules
from prevplan.survey import estimate
from prevplan.survey.definitions import read_definitions
from prevplan.survey.read import parse_survey

ROOT = Path(__file__).resolve().parents[1]
MONITOR_BUDGET_S = 1.0
SURVEY_BUDGET_S = 3.0
PERIODS = ["2025", "2026", "2027", "2028", "2029"]


def plan_data(populations: int, seed: int = 7) -> dict[str, object]:
    rng = random.Random(seed)
    pops: list[dict[str, object]] = []
    acts: list[dict[str, object]] = []
    for n in range(populations):
        size = rng.randint(2_000, 50_000)
        surveys = [
            {
                "period": period,
                "risk_factors": {"peers": round(rng.uniform(0.1, 0.5), 3)},
                "protective_factors": {"parents": round(rng.uniform(0.3, 0.8), 3)},
                "use": {"past_30_day": round(rng.uniform(0.01, 0.1), 3)},
                "intervals": {"risk_factors.peers": {"low": 0.05, "high": 0.55}},
            }
            for period in PERIODS[::2]
        ]
        pops.append({"id": f"p{n}", "age_min": 12, "age_max": 15, "size": size, "surveys": surveys})
        for kind, strategies in (("ls", ["life_skills"]), ("fam", ["work_with_parents"])):
            target = size // 2
            acts.append(
                {
                    "id": f"{kind}{n}",
                    "population_id": f"p{n}",
                    "strategies": strategies,
                    "format": "interactive",
                    "sessions": 10,
                    "deliverers_trained": True,
                    "reach": target,
                    "cost": 50_000.0,
                    "progress": [
                        {
                            "period": period,
                            "reach": int(target * rng.uniform(0.6, 1.1)),
                            "sessions_planned": 100,
                            "sessions_delivered": rng.randint(60, 100),
                            "spent": round(10_000 * rng.uniform(0.8, 1.3), 2),
                            "fidelity": round(rng.uniform(0.6, 1.0), 2),
                        }
                        for period in PERIODS
                    ],
                }
            )
    return {"name": "bench", "periods": PERIODS, "populations": pops, "activities": acts}


def survey_csv(respondents: int, seed: int = 11) -> bytes:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "district": rng.integers(0, 25, respondents).astype(str),
            "school": rng.integers(0, 20, respondents).astype(str),
            "weight": rng.uniform(0.5, 2.0, respondents).round(3),
        }
    )
    scales = {
        "fam_conflict": 4,
        "fam_attitude": 4,
        "school_commit1": 5,
        "school_commit2": 5,
        "money_worries": 4,
        "thrill1": 4,
        "thrill2": 4,
        "refusal_skill": 4,
        "par_monitor1": 4,
        "par_monitor2": 4,
        "risk_regular": 4,
    }
    for item, top in scales.items():
        frame[item] = rng.integers(1, top + 1, respondents)
    for item, top in (("fights_year", 5), ("truancy_days", 4), ("friends_use", 3)):
        frame[item] = rng.integers(0, top + 1, respondents)
    for item in ("trusted_adult", "safe_area", "drug_ever", "drug_year"):
        frame[item] = rng.integers(0, 2, respondents)
    frame["drug_30d"] = rng.integers(0, 5, respondents)
    frame["age_first"] = rng.integers(11, 18, respondents)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def _cpu(work: Callable[[], object]) -> float:
    """CPU seconds of ``work``: comparable when other jobs load the machine."""
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> int:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rules = load_rules()
    plan = plan_from_data(plan_data(1000), "bench.yaml", rules)
    seconds = best_of(lambda: monitor(plan, rules), 3)
    cpu = min(_cpu(lambda: monitor(plan, rules)) for _ in range(3))
    report = monitor(plan, rules)
    ok_monitor = seconds < MONITOR_BUDGET_S
    print(
        f"monitor: 1,000 populations x 5 periods (2,000 activities, {len(report.warnings)} "
        f"warnings): {seconds:.3f} s wall, {cpu:.3f} s CPU "
        f"(budget {MONITOR_BUDGET_S:.1f} s) {verdict(ok_monitor)}"
    )
    definitions = read_definitions(ROOT / "sample_data" / "school_survey_definitions.yaml")
    data = survey_csv(100_000)
    by = ["district", "school"]

    def read_and_estimate() -> int:
        frame = parse_survey(data, "bench.csv", definitions, by)
        return len(estimate(frame, definitions, by).groups)

    groups = read_and_estimate()
    survey_seconds = best_of(read_and_estimate, 3)
    survey_cpu = min(_cpu(read_and_estimate) for _ in range(3))
    ok_survey = survey_seconds < SURVEY_BUDGET_S and groups == 500
    print(
        f"survey: 100,000 respondents into {groups} groups (read + estimate): "
        f"{survey_seconds:.3f} s wall, {survey_cpu:.3f} s CPU "
        f"(budget {SURVEY_BUDGET_S:.1f} s) {verdict(ok_survey)}"
    )
    return 0 if ok_monitor and ok_survey else 1


if __name__ == "__main__":
    sys.exit(main())
