"""Properties of every allocation, on generated problems: spending never exceeds the budget,
the objective never falls when the budget rises, nobody is funded beyond a population's
size, and a zero budget funds nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevplan.optimise.model import Model
from tests.optimise.small import model, option, population
from tests.optimise.small import settings as model_settings


@st.composite
def problems(draw: st.DrawFn) -> Model:
    n = draw(st.integers(1, 4))
    pops = []
    opts = []
    for p in range(n):
        size = draw(st.integers(1, 5000))
        pid = f"p{p}"
        pops.append(population(pid, size, weight=draw(st.sampled_from([1.0, 1.5, 2.0]))))
        for k in range(draw(st.integers(0, 3))):
            opts.append(
                option(
                    pid,
                    f"o{k}",
                    draw(st.floats(0.5, 500.0)),
                    size,
                    minimum=draw(st.integers(1, 60)),
                    evidence=draw(st.sampled_from([0.3, 0.6, 1.0])),
                    group=f"{pid}|g{draw(st.integers(0, 1))}",
                )
            )
    return model(pops, opts, model_settings())


budgets = st.floats(0, 2e6, allow_nan=False, allow_infinity=False)
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(problems(), budgets)
def test_spending_never_exceeds_the_budget(m: Model, budget: float) -> None:
    solution = m.solve(budget)
    assert solution.spent <= budget + 1e-6


@fast
@given(problems(), budgets, st.floats(1.0, 3.0))
def test_objective_never_falls_when_the_budget_rises(m: Model, budget: float, more: float) -> None:
    low, high = m.solve(budget), m.solve(budget * more)
    # Within the solver's relative gap, and one whole person of rounding per option.
    slack = sum(m.value_of(o, 1) for o in m.options.options) + 1e-6 * max(1.0, low.objective)
    assert high.objective >= low.objective - slack


@fast
@given(problems(), budgets)
def test_nobody_funded_beyond_the_population(m: Model, budget: float) -> None:
    solution = m.solve(budget)
    for pid, people in solution.reach().items():
        assert people <= m.pops[pid].size
    for f in solution.funded:
        assert f.option.min_participants <= f.participants <= f.option.max_participants


@fast
@given(problems())
def test_zero_budget_funds_nothing(m: Model) -> None:
    solution = m.solve(0.0)
    assert solution.funded == [] and solution.objective == 0.0 and solution.spent == 0.0
