"""How fast the coverage dashboard is built, and how fast ``assess`` is on a national plan.

Run: ``uv run python benchmarks/bench_dashboard.py``

Measures, with the rules loaded beforehand:

a. every dashboard figure (frames + figures, :func:`prevplan.analytics.dashboard_figures`)
   for a realistic plan — ``sample_data/national_plan.yaml`` if it exists, otherwise a
   generated plan of 12 populations and 30 activities; the assessment is done before the
   clock starts (its time is printed too). Budget 300 ms for the median of repeated builds,
   which is what every dashboard render in a running app costs. The first build in the
   process is printed beside it: it also pays plotly's one-time lazy imports and template
   load (and compiling plotly's sources when bytecode caching is off, as under
   ``PYTHONDONTWRITEBYTECODE``);
b. ``assess`` on a generated plan of 10,000 populations and 50,000 activities, best of 3;
   budget 1 s. Each activity is a programme that suits its population's ages, and says how
   it is delivered (format, sessions, boosters, trained deliverers, practices — one in ten
   is a lecture, a one-off event, or uses a practice the Standards advise against), so the
   quality checks run on every activity; ``--no-delivery`` leaves the delivery fields out
   (the plan as it was before they existed, to compare with an older prevplan).

Each figure is printed with its budget and PASS or OVER; the exit code is 1 if any budget
is over, so ``make bench`` notices.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from timing import best_of, median_of, timed, verdict

from prevplan.analytics import dashboard_figures
from prevplan.plan.assess import assess
from prevplan.plan.io import read_plan
from prevplan.plan.models import Activity, Plan
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, SpecialGroup

SAMPLE_PLAN = Path(__file__).resolve().parents[1] / "sample_data" / "national_plan.yaml"
FIGURES_BUDGET_S = 0.300
ASSESS_BUDGET_S = 1.0

# Programmes a national plan repeats across districts: (strategies, interventions).
PROGRAMMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("life_skills", "refusal_skills"), ("skills_social_influence",)),
    (("normative_education",), ("school_policy_culture",)),
    (("work_with_parents",), ("family_bonding_programmes",)),
    (("work_with_parents",), ("home_visiting",)),
    ((), ("early_childhood_education",)),
    (("life_skills",), ("personal_social_skills",)),
    (("school_bonding",), ("school_climate",)),
    (("work_with_authoritative_adults",), ()),
    (("peer_leaders", "life_skills"), ()),
    (("alternatives",), ("sport",)),
    (("information",), ("media_campaign",)),
    ((), ("workplace_prevention",)),
    ((), ("entertainment_venues",)),
    ((), ("pregnant_women_substance_use",)),
    (("information",), ()),
)
AGE_BANDS = ((0, 5), (6, 10), (11, 14), (15, 17), (12, 17), (18, 24), (25, 45), (30, 60))
# Which programmes (indices into PROGRAMMES) a national plan offers each age band.
FOR_AGES: dict[tuple[int, int], tuple[int, ...]] = {
    (0, 5): (2, 3, 4, 7, 13, 14),
    (6, 10): (2, 5, 6, 7, 9, 14),
    (11, 14): (0, 1, 2, 7, 8, 9, 10, 14),
    (15, 17): (0, 1, 7, 8, 9, 10, 14),
    (12, 17): (0, 1, 2, 7, 8, 9, 10, 14),
    (18, 24): (7, 8, 9, 10, 12, 14),
    (25, 45): (10, 11, 12, 14, 7),
    (30, 60): (2, 10, 11, 14, 7),
}
# How activities are delivered: (format, sessions, boosters, trained, practices), mostly well.
DELIVERY: tuple[tuple[str, int | None, int | None, bool | None, tuple[str, ...]], ...] = (
    ("interactive", 12, 3, True, ()),
    ("interactive", 10, 2, True, ()),
    ("interactive", 8, None, True, ()),
    ("one_to_one", 4, None, True, ()),
    ("policy", None, None, True, ()),
    ("campaign", None, None, None, ()),
    ("screening", 2, None, True, ()),
    ("interactive", 6, 1, False, ()),
    ("lecture", 1, None, None, ("fear_appeal",)),
    ("event", None, None, None, ()),
)
DELIVERY_WEIGHTS = (20, 15, 10, 8, 8, 6, 4, 4, 3, 3)


def generated_plan(
    populations: int, activities: int, seed: int = 3, *, delivery: bool = True
) -> Plan:
    """A plan of varied populations, each activity a common programme that suits its ages,
    said how it is delivered unless ``delivery`` is false."""
    rng = random.Random(seed)
    groups = list(RiskGroup)
    pops = []
    for n in range(populations):
        age_min, age_max = rng.choice(AGE_BANDS)
        pops.append(
            TargetPopulation(
                id=f"pop-{n}",
                name=f"District {n // 4 + 1}, ages {age_min}-{age_max}",
                age_min=age_min,
                age_max=age_max,
                size=rng.randint(200, 200_000),
                risk_group=rng.choices(groups, weights=(6, 3, 1, 1))[0],
                special_groups=(SpecialGroup.MARGINAL_YOUTH,) if rng.random() < 0.05 else (),
                risk_factors={f: round(rng.random(), 2) for f in RiskFactor if rng.random() < 0.6},
                protective_factors={
                    f: round(rng.random(), 2) for f in ProtectiveFactor if rng.random() < 0.5
                },
                region=f"Region {n % 7 + 1}",
            )
        )
    acts = []
    for n in range(activities):
        # Leave about one population in twelve without any activity, as real plans do.
        population = pops[rng.randrange(max(1, populations - populations // 12))]
        band = (population.age_min, population.age_max)
        strategies, interventions = PROGRAMMES[rng.choice(FOR_AGES[band])]
        reach = rng.randint(0, population.size)
        fmt, sessions, boosters, trained, practices = rng.choices(
            DELIVERY, weights=DELIVERY_WEIGHTS
        )[0]
        how: dict[str, object] = (
            {
                "format": fmt,
                "sessions": sessions,
                "boosters": boosters,
                "deliverers_trained": trained,
                "practices": practices,
            }
            if delivery
            else {}
        )
        acts.append(
            Activity.model_validate(
                {
                    "id": f"act-{n}",
                    "population_id": population.id,
                    "strategies": strategies,
                    "interventions": interventions,
                    "reach": reach,
                    "target_reach": min(population.size, int(reach * rng.uniform(0.8, 1.6))),
                    "cost": round(rng.uniform(1_000, 250_000), 2),
                    **how,
                }
            )
        )
    return Plan(name="Generated national plan", populations=tuple(pops), activities=tuple(acts))


def bench_figures(rules: RuleSet) -> bool:
    if SAMPLE_PLAN.exists():
        plan = read_plan(SAMPLE_PLAN, rules)
        source = str(SAMPLE_PLAN.name)
    else:
        plan = generated_plan(12, 30)
        source = "generated"
    assess_s, assessment = timed(lambda: assess(plan, rules))
    print(
        f"dashboard plan ({source}): {len(plan.populations)} populations, "
        f"{len(plan.activities)} activities; assess {assess_s * 1000:.1f} ms"
    )
    first_s, figures = timed(lambda: dashboard_figures(assessment, rules, plan))
    runs = 10
    median = median_of(lambda: dashboard_figures(assessment, rules, plan), runs)
    bytecode = "off" if sys.dont_write_bytecode else "on"
    print(
        f"  first build in process: {first_s * 1000:.0f} ms "
        f"(plotly's one-time imports and template; bytecode caching {bytecode})"
    )
    print(
        f"  {len(figures)} figures (frames + figures), median of {runs}: "
        f"{median * 1000:.0f} ms  (budget {FIGURES_BUDGET_S * 1000:.0f} ms) "
        f"{verdict(median < FIGURES_BUDGET_S)}"
    )
    return median < FIGURES_BUDGET_S


def bench_assess(
    rules: RuleSet, populations: int = 10_000, activities: int = 50_000, *, delivery: bool = True
) -> bool:
    start = time.perf_counter()
    plan = generated_plan(populations, activities, delivery=delivery)
    described = "delivery described" if delivery else "no delivery fields"
    print(
        f"assess plan: {populations:,} populations, {activities:,} activities, {described} "
        f"(generated in {time.perf_counter() - start:.1f} s)"
    )
    runs = 3
    best = best_of(lambda: assess(plan, rules), runs)
    cpu = min(_cpu_time(lambda: assess(plan, rules)) for _ in range(runs))
    result = assess(plan, rules)
    print(
        f"  assess, best of {runs}: {best:.3f} s wall, {cpu:.3f} s CPU "
        f"(budget {ASSESS_BUDGET_S:.0f} s) {verdict(best < ASSESS_BUDGET_S)}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"{len(result.warnings):,} warnings, effective coverage "
        f"{result.totals.effective_coverage:.1%} of exposure {result.totals.coverage:.1%}"
    )
    return best < ASSESS_BUDGET_S


def _cpu_time(work: Callable[[], object]) -> float:
    """CPU seconds of this process for ``work``: comparable when other jobs load the machine."""
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> int:
    rules = load_rules()
    ok = bench_figures(rules) if "--assess-only" not in sys.argv else True
    ok = bench_assess(rules, delivery="--no-delivery" not in sys.argv) and ok
    print("all budgets met" if ok else "SOME BUDGETS OVER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
