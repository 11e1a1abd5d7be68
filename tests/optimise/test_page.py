"""The app's Budget page without a browser: the allocation of the sample plan, a constraint
that cannot be met named in the page's words, the allocation turned into plan activities and
taken back with Undo, and the page in Russian and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prevplan.ui import state
from tests.app.helpers import APP, assert_clean, go, shown


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path))
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("PREVPLAN_LANG", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    return go(app, "budget")


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_allocation_of_the_sample_plan(page: AppTest) -> None:
    # The default budget is what the plan's own activities cost; what works is kept.
    assert page.number_input(key="budget.amount").value == 47_125_000
    assert page.checkbox(key="budget.keep").value is True
    frame = page.dataframe[0].value
    assert len(frame) > 10
    assert "Outpatient counselling and referral to treatment" in set(frame.iloc[:, 1])
    assert float(_metric(page, "Objective")) > 0
    headers = [h.value for h in page.subheader]
    assert "Against the plan's own activities" in headers
    assert "What stays unfunded, and why" in headers


def test_a_budget_below_what_works_names_the_constraint(page: AppTest) -> None:
    page.number_input(key="budget.amount").set_value(10_000_000.0).run()
    assert_clean(page)
    errors = [e.value for e in page.error]
    assert any("No allocation meets every constraint" in e for e in errors)
    bullets = " ".join(shown(m.value) for m in page.markdown)
    assert "kept at least at their current reach" in bullets and "38,780,000" in bullets
    page.checkbox(key="budget.keep").uncheck().run()
    assert not page.error
    assert page.dataframe[0].value is not None


def test_into_the_plan_and_undo(page: AppTest) -> None:
    before = page.session_state[state.PLAN].activities
    page.number_input(key="budget.amount").set_value(60_000_000.0).run()
    page.button(key="budget.apply").click().run()
    assert_clean(page)
    after = page.session_state[state.PLAN].activities
    assert after != before
    assert all(a.reach > 0 and a.cost for a in after)
    assert sum(a.cost or 0 for a in after) <= 60_000_000
    page.button(key="undo").click().run()
    assert page.session_state[state.PLAN].activities == before


@pytest.mark.parametrize(("lang", "title"), [("ru", "Бюджет"), ("zh", "预算")])
def test_in_every_language(page: AppTest, lang: str, title: str) -> None:
    page.session_state[state.LANG] = lang
    page.run()
    assert_clean(page)
    assert any(title in t.value for t in page.title)


def test_the_solve_runs_in_a_worker_and_a_lost_worker_is_said(
    page: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import time

    from prevplan.ui import budget_work
    from prevplan.ui.background import WorkerLost

    ran_in: list[int] = []
    real = budget_work.OPTIMISER.run

    def watched(function: object, *args: object, **kwargs: object) -> object:
        ran_in.append(real(os.getpid))
        raise WorkerLost("optimiser")

    # The page started the optimiser's worker; until it is up, a solve is made in place.
    budget_work.OPTIMISER.warm_up()
    deadline = time.monotonic() + 300
    while not budget_work.OPTIMISER.ready() and time.monotonic() < deadline:
        time.sleep(0.2)
    monkeypatch.setattr(budget_work.OPTIMISER, "run", watched)
    page.number_input(key="budget.amount").set_value(51_000_000.0).run()  # not yet cached
    assert ran_in and ran_in[0] != os.getpid()
    errors = [e.value for e in page.error]
    assert any("ended before it finished" in e and "Nothing was changed" in e for e in errors)
    assert not page.dataframe  # no stale allocation shown as if it were this budget's
