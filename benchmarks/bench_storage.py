"""How fast a large plan is saved to and loaded from the plan store (SQLite).

A national plan of 10,000 target populations and 20,000 activities must save and load in
under 1 s each, so that the app stays responsive. Saving includes validating the plan
against the rules and writing a new version; loading includes validating it again. The
database lives in a temporary directory and is deleted; run with
``uv run python benchmarks/bench_storage.py [POPULATIONS]``.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from timing import best_of, verdict

from prevplan.plan.models import Activity, Plan, TrackerEntry
from prevplan.population import TargetPopulation
from prevplan.rules import load_rules
from prevplan.storage import store_from_url
from prevplan.vocab import RiskFactor, RiskGroup, Setting

BUDGET_S = 1.0
STRATEGIES = ("life_skills", "work_with_parents", "information", "normative_education")
INTERVENTIONS = ("skills_social_influence", "school_policy_culture", "family_bonding_programmes")


def large_plan(populations: int, seed: int = 1) -> Plan:
    """A plan with ``populations`` populations and two activities for each."""
    rng = random.Random(seed)
    pops = []
    acts = []
    for n in range(populations):
        age_min = rng.randint(0, 60)
        pops.append(
            TargetPopulation(
                id=f"pop-{n}",
                name=f"Population {n}",
                age_min=age_min,
                age_max=rng.randint(age_min, 120),
                size=rng.randint(100, 100_000),
                risk_group=rng.choice(list(RiskGroup)),
                settings=tuple(rng.sample(list(Setting), 2)),
                risk_factors={f: round(rng.random(), 3) for f in rng.sample(list(RiskFactor), 3)},
                region=f"region-{n % 12}",
            )
        )
        for k in range(2):
            acts.append(
                Activity(
                    id=f"act-{n}-{k}",
                    name=f"Activity {k} for population {n}",
                    population_id=f"pop-{n}",
                    strategies=tuple(rng.sample(STRATEGIES, 2)),
                    interventions=(rng.choice(INTERVENTIONS),),
                    reach=rng.randint(0, 100),
                    cost=round(rng.random() * 10_000, 2),
                    executor="NGO",
                    action_items=("V-3.5",),
                )
            )
    return Plan(
        name="National plan",
        country="Kazakhstan",
        period="2026-2030",
        populations=tuple(pops),
        activities=tuple(acts),
        tracker=(TrackerEntry(action_item="V-3.5", status="in_progress"),),
    )


def report(label: str, seconds: float) -> bool:
    print(f"{label}: {seconds:.3f} s (budget {BUDGET_S:.1f} s) {verdict(seconds < BUDGET_S)}")
    return seconds < BUDGET_S


def main() -> None:
    populations = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    plan = large_plan(populations)
    rules = load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        store = store_from_url(f"sqlite:///{Path(tmp) / 'bench.db'}", rules=rules)
        saved = [0]

        def save() -> None:
            info = store.save(plan, author="bench", base_version=saved[0] or None)
            saved[0] = info.version

        save_s = best_of(save, 3)
        loaded = store.load(plan.name)
        assert loaded == plan, "the plan did not load back unchanged"
        load_s = best_of(lambda: store.load(plan.name), 3)
        size_mb = len(store._read_data(plan.name, None)[1].encode()) / 1e6
        store.close()
    print(
        f"plan: {populations:,} populations, {len(plan.activities):,} activities, "
        f"{size_mb:.1f} MB of JSON"
    )
    ok = report("save", save_s) & report("load", load_s)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
