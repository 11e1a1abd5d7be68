"""How fast the budget optimiser answers.

Run: ``uv run python benchmarks/bench_optimise.py``

Measures, with ``PREVPLAN_HOME`` in a temporary folder and the rules loaded once:

a. the sample national plan (14 populations, 37 activities) at budgets from 0 to twice its
   cost: building the options and solving, with the budget curve (five more solves), the
   marginal value and the comparison with the plan's own activities — what
   ``prevplan optimise`` does after reading the file. Slowest budget; budget 1 s;
b. 1,000 generated populations against the whole catalogue (every age stage, level and
   setting; catalogue costs converted to USD), one solve at a budget of 150 million, wall
   time of building the options (recommendations for all of them) and solving. Budget 5 s;
c. the Budget page rerun with the allocation cached (same plan, budget and constraints).
   Median of 7 reruns; budget 300 ms.

Each figure is printed with its budget and PASS or OVER; the exit code is 1 if any is over.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_of, timed, verdict  # noqa: E402

from prevplan.optimise.model import Constraints  # noqa: E402
from prevplan.optimise.run import optimise, prepare  # noqa: E402
from prevplan.plan.io import read_plan  # noqa: E402
from prevplan.plan.models import Plan  # noqa: E402
from prevplan.population import TargetPopulation  # noqa: E402
from prevplan.rules import load_rules  # noqa: E402

APP = ROOT / "streamlit_app.py"
SAMPLE = ROOT / "sample_data" / "national_plan.yaml"
SAMPLE_BUDGET_S = 1.0
NATIONAL_BUDGET_S = 5.0
PAGE_BUDGET_S = 0.300
SETTINGS = ["family", "school", "community", "health_services", "sport", "university"]


def line(name: str, seconds: float, budget: float, note: str = "") -> bool:
    ok = seconds <= budget
    extra = f"  ({note})" if note else ""
    figures = f"{seconds * 1000:9.1f} ms  budget {budget * 1000:6.0f} ms"
    print(f"{name:<44} {figures}  {verdict(ok)}{extra}")
    return ok


def sample_plan() -> bool:
    rules = load_rules()
    plan = read_plan(SAMPLE, rules)
    cost = sum(a.cost or 0.0 for a in plan.activities)
    worst, worst_budget = 0.0, 0.0
    for share in (0.0, 0.05, 0.25, 0.5, 1.0, 1.5, 2.0):
        seconds, _result = timed(lambda s=share: optimise(prepare(plan, rules=rules), cost * s))
        if seconds > worst:
            worst, worst_budget = seconds, cost * share
    return line("a. sample plan, slowest budget", worst, SAMPLE_BUDGET_S, f"at {worst_budget:,.0f}")


def national() -> bool:
    rules = load_rules()
    rng = random.Random(15)
    pops = []
    for n in range(1000):
        low = rng.randint(0, 60)
        high = min(120, low + rng.randint(1, 10))
        risk = rng.choice(["general", "general", "at_risk", "experienced_use"])
        parents = None
        if rng.random() < 0.15 and low >= 20:
            parents = {"age_min": rng.randint(0, 12), "age_max": rng.randint(12, 17)}
        pops.append(
            TargetPopulation.model_validate(
                {
                    "id": f"district-{n}",
                    "age_min": low,
                    "age_max": high,
                    "size": rng.randint(500, 200_000),
                    "risk_group": risk,
                    "settings": rng.sample(SETTINGS, 2),
                    "parents_of": parents,
                }
            )
        )
    plan = Plan(name="national", populations=tuple(pops))

    def work() -> tuple[int, int, str]:
        prepared = prepare(plan, rules=rules, currency="USD", year=2024)
        solution = prepared.model.solve(150_000_000, Constraints())
        return len(prepared.options.options), len(solution.funded), solution.status

    seconds, (options, funded, status) = timed(work)
    return line(
        "b. 1,000 populations x whole catalogue",
        seconds,
        NATIONAL_BUDGET_S,
        f"{options} options, {funded} funded, {status}",
    )


def page_rerun() -> bool:
    from streamlit.testing.v1 import AppTest  # noqa: TID251  (the benchmark drives the app)

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("app_pages/budget.py").run()
    assert not at.exception, at.exception
    at.number_input(key="budget.amount").set_value(30_000_000.0).run()
    assert not at.exception, at.exception
    return line("c. Budget page rerun, allocation cached", median_of(at.run, 7), PAGE_BUDGET_S)


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        os.environ["PREVPLAN_HOME"] = home
        os.environ.pop("PREVPLAN_DATABASE_URL", None)
        results = [sample_plan(), national(), page_rerun()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
