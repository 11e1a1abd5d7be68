"""What the budget can buy: options from the catalogue (converted to the plan's currency),
from the plan's own effective activities and at the plan's own unit costs; never a harmful,
ineffective or misfitting programme."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevplan.catalogue import load_catalogue
from prevplan.optimise.model import Constraints
from prevplan.optimise.run import optimise, prepare
from prevplan.plan.io import read_plan
from prevplan.rules import RuleSet

PLAN = """\
name: Test district plan
currency: USD
price_year: 2024
populations:
  - {id: pupils, age_min: 11, age_max: 14, size: 20000, settings: [school, family]}
  - {id: parents, age_min: 30, age_max: 50, size: 15000, settings: [family],
     parents_of: {age_min: 10, age_max: 14}}
  - {id: risk, age_min: 12, age_max: 17, size: 3000, risk_group: at_risk,
     settings: [school, community, prison]}
activities:
  - {id: sfp_groups, population_id: parents, interventions: [family_bonding_programmes],
     strategies: [work_with_parents], programme: sfp_10_14, format: interactive, sessions: 7,
     boosters: 4, deliverers_trained: true, reach: 1100, target_reach: 3000, cost: 550000,
     executor: Family NGO}
  - {id: scare_tours, population_id: risk, strategies: [information], format: event,
     sessions: 1, reach: 500, cost: 20000, programme: scared_straight, executor: Police}
"""


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_options(plan_file: Path, rules: RuleSet) -> None:
    prepared = prepare(read_plan(plan_file, rules), rules=rules)
    options = prepared.options.options
    catalogue = load_catalogue()
    # The plan's SFP groups: at their own cost per family, weighed as a recommended programme.
    [sfp] = [o for o in options if o.activity == "sfp_groups"]
    assert sfp.unit_cost == 500.0 and sfp.evidence == 1.0 and sfp.evidence_based
    assert sfp.max_participants == 3000  # up to the target the plan sets for it
    # Scared Straight tours do not count as effective: never an option, and flagged excluded.
    assert not any(o.activity == "scare_tours" for o in options)
    assert ("risk", "scared_straight", "harmful") in {
        (e.population_id, e.programme, e.reason) for e in prepared.options.excluded
    }
    for o in options:
        if o.programme:
            programme = catalogue.programmes[o.programme]
            assert not programme.to_avoid
            if o.population_id == "parents":
                assert programme.ages_of == "children"  # work with parents, not with pupils
        assert o.min_participants <= o.max_participants or o.max_participants == 0
    # Catalogue costs converted from their base year to 2024 US dollars.
    [star] = [o for o in options if o.programme == "project_star" and o.population_id == "pupils"]
    assert star.unit_cost == pytest.approx(77 * 313.7 / 304.7, rel=1e-6)


def test_evidence_share_and_executor_cap_on_a_plan(plan_file: Path, rules: RuleSet) -> None:
    prepared = prepare(read_plan(plan_file, rules), rules=rules)
    result = optimise(prepared, 2_000_000, Constraints(min_evidence_share=0.9))
    eb = sum(a.cost for a in result.allocations if a.evidence_based)
    assert eb >= 0.9 * result.spent - 1
    capped = optimise(prepared, 2_000_000, Constraints(executor_caps=(("Family NGO", 100_000.0),)))
    assert sum(a.cost for a in capped.allocations if a.executor == "Family NGO") <= 100_000
