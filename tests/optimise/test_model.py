"""The model's optimum on small problems equals the one found by enumeration, and the
constraints (minimum sizes, one option per intervention, must-serve, evidence share,
executor caps) hold."""

from __future__ import annotations

import pytest

from prevplan.optimise.explain import infeasible
from prevplan.optimise.model import Constraints
from tests.optimise.small import enumerate_optimum, model, option, population, settings


def _three() -> tuple[list, list]:  # type: ignore[type-arg]
    pops = [population("a", 1000), population("b", 400, weight=2.0), population("c", 200)]
    opts = [
        option("a", "cheap", 10.0, 1000, minimum=50, evidence=0.6),
        option("a", "good", 25.0, 1000, minimum=50, evidence=1.0, group="a|cheap"),
        option("a", "extra", 15.0, 1000, minimum=100, evidence=0.5),
        option("b", "family", 60.0, 400, minimum=40, evidence=1.0),
        option("c", "costly", 300.0, 200, minimum=20, evidence=1.0),
    ]
    return pops, opts


@pytest.mark.parametrize("budget", [0, 400, 999, 1500, 5000, 12000, 30000, 60000, 200000])
def test_optimum_equals_enumeration(budget: float) -> None:
    pops, opts = _three()
    m = model(pops, opts, settings())
    solution = m.solve(budget)
    expected = enumerate_optimum(m, budget)
    # The model rounds participants down to whole people: at most one person per option.
    slack = max(m.value_of(o, 1) for o in opts) * len(opts)
    assert solution.objective <= expected + 1e-6
    assert solution.objective >= expected - slack - 1e-6
    assert solution.spent <= budget + 1e-6


def test_minimum_size_is_all_or_nothing() -> None:
    pops = [population("a", 1000)]
    opts = [option("a", "group", 10.0, 1000, minimum=30)]
    m = model(pops, opts, settings())
    assert m.solve(299).funded == []  # 30 people cost 300
    funded = m.solve(300).funded
    assert [(f.participants, f.cost) for f in funded] == [(30, 300.0)]


def test_saturates_at_the_reachable_share_and_never_beyond_size() -> None:
    pops = [population("a", 1000)]
    opts = [option("a", "x", 1.0, 1000, reachable=0.9)]
    m = model(pops, opts, settings(reachable=0.9))
    solution = m.solve(1e9)
    assert solution.funded[0].participants == 900
    assert solution.spent == 900.0


def test_diminishing_returns_spread_money_over_populations() -> None:
    # Equal populations and costs: with concave returns the money is split, not piled on one.
    pops = [population("a", 1000), population("b", 1000)]
    opts = [option("a", "x", 1.0, 1000), option("b", "x", 1.0, 1000)]
    m = model(pops, opts, settings(segments=((0.5, 1.0), (1.0, 0.2))))
    reach = m.solve(1000).reach()
    assert reach == {"a": 500, "b": 500}


def test_alternatives_of_one_group_are_never_both_funded() -> None:
    pops, opts = _three()
    funded = model(pops, opts, settings()).solve(1e9).funded
    groups = [f.option.group for f in funded]
    assert len(groups) == len(set(groups))


def test_must_serve_funds_a_population_the_optimum_would_leave_out() -> None:
    pops, opts = _three()
    m = model(pops, opts, settings())
    free = m.solve(3000)
    assert "c" not in free.reach()
    forced = m.solve(8000, Constraints(must_serve=("c",)))
    assert "c" in forced.reach()


def test_unmeetable_must_serve_names_the_constraint() -> None:
    pops, opts = _three()
    m = model(pops, opts, settings())
    cons = Constraints(must_serve=("c",))
    assert not m.solve(1000, cons).feasible  # 20 people at 300 cost 6,000
    error = infeasible(m, 1000, cons)
    [problem] = error.problems
    assert problem.file == "--must-serve" and problem.field == "c"
    assert "6,000" in problem.message


def test_infeasibility_is_traced_to_the_culprit_among_several() -> None:
    pops, opts = _three()
    m = model(pops, opts, settings())
    cons = Constraints(must_serve=("a", "c"))
    error = infeasible(m, 2000, cons)
    assert [p.field for p in error.problems] == ["c"]


def test_must_serve_item() -> None:
    pops = [population("a", 1000), population("b", 1000)]
    opts = [option("a", "x", 1.0, 1000), option("b", "y", 5.0, 1000, items=("V-4.1",))]
    m = model(pops, opts, settings())
    assert "b" not in m.solve(100).reach()
    assert "b" in m.solve(200, Constraints(must_serve_items=("V-4.1",))).reach()


def test_evidence_share_and_executor_cap() -> None:
    pops = [population("a", 1000), population("b", 1000)]
    opts = [
        option("a", "x", 1.0, 1000, executor="Ministry"),
        option("b", "y", 4.0, 1000, evidence_based=True, evidence=0.5),
    ]
    m = model(pops, opts, settings())
    shared = m.solve(1000, Constraints(min_evidence_share=0.6))
    eb = sum(f.cost for f in shared.funded if f.option.evidence_based)
    assert eb >= 0.6 * shared.spent - 1e-6
    capped = m.solve(1000, Constraints(executor_caps=(("Ministry", 100.0),)))
    assert sum(f.cost for f in capped.funded if f.option.executor == "Ministry") <= 100.0


def test_same_input_same_output() -> None:
    pops, opts = _three()
    first = model(pops, opts, settings()).solve(7777)
    second = model(pops, opts, settings()).solve(7777)
    assert [(f.option.key, f.participants) for f in first.funded] == [
        (f.option.key, f.participants) for f in second.funded
    ]
    assert first.objective == second.objective


def test_kept_activity_stays_at_its_current_reach() -> None:
    from dataclasses import replace

    pops = [population("a", 1000), population("b", 1000)]
    dear = replace(option("a", "dear", 50.0, 1000), activity="act", current=100)
    m = model(pops, [dear, option("b", "cheap", 1.0, 1000)], settings())
    assert "a" not in m.solve(900).reach()
    kept = m.solve(6000, Constraints(keep=("act",)))
    assert kept.reach()["a"] >= 100
    assert not m.solve(4000, Constraints(keep=("act",))).feasible
