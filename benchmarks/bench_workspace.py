"""What keeping unsaved work costs an edit: writing the plan as the person's draft.

After every change of the plan the app writes it to the ``plan_drafts`` table
(:func:`prevplan.ui.workspace.autosave`): the plan as JSON, one upsert. Budget: under 50 ms
per edit with the sample national plan open, and under 200 ms with a generated plan of
1,000 target populations and 3,000 activities. The figure is the median of 30 writes, each
of a different version of the plan (reach changed), to a SQLite database in a temporary
folder. Both figures are CPU time of this process (``time.process_time``), printed beside
the wall time and the machine's load average, so a busy machine does not pass for a slow app.

With ``--pages`` it also measures every page's rerun with the sample plan open (Streamlit's
AppTest, as :mod:`bench_app` does), in CPU time: #18's budget is under 200 ms a page.
Run: ``uv run python benchmarks/bench_workspace.py [--pages]``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_app import APP, PAGES, generated_plan
from timing import median_of, verdict

from prevplan.plan.io import plan_to_data, read_plan
from prevplan.plan.models import Plan
from prevplan.rules import load_rules
from prevplan.storage import DraftStore, store_from_url
from prevplan.ui.plans import SAMPLE_PLAN

SAMPLE_BUDGET_S = 0.050
LARGE_BUDGET_S = 0.200
WRITES = 30
PAGE_BUDGET_S = 0.200
PAGE_RERUNS = 7


def cpu_median(work: Callable[[], object], runs: int) -> float:
    """Median CPU seconds of this process over ``runs`` calls of ``work()``."""
    spent = []
    for _ in range(runs):
        start = time.process_time()
        work()
        spent.append(time.process_time() - start)
    return statistics.median(spent)


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}, {os.cpu_count()} cores)"


def page_cpu() -> bool:
    """Every page's rerun with the sample plan open, CPU time; whether all are in budget."""
    from streamlit.testing.v1 import AppTest  # noqa: TID251 (as bench_app does)

    over = False
    with tempfile.TemporaryDirectory() as home:
        os.environ["PREVPLAN_HOME"] = home
        os.environ.pop("PREVPLAN_DATABASE_URL", None)
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        print(f"page rerun, sample plan open (CPU, median of {PAGE_RERUNS}; {load()})")
        for page in PAGES:
            at.switch_page(f"app_pages/{page}.py")
            at.run()  # warm-up: caches, first imports
            assert not at.exception, [e.value for e in at.exception]
            wall = median_of(at.run, 3)
            cpu = cpu_median(at.run, PAGE_RERUNS)
            assert not at.exception, [e.value for e in at.exception]
            ok = cpu < PAGE_BUDGET_S
            over |= not ok
            print(
                f"   {page:<12} {cpu * 1000:6.1f} ms CPU ({wall * 1000:6.1f} ms wall)  "
                f"budget {PAGE_BUDGET_S * 1000:.0f} ms  {verdict(ok)}"
            )
    return not over


def autosave_cost(drafts: DraftStore, plan: Plan) -> float:
    """Median seconds of one autosave: the edited plan as JSON, written as a draft."""
    counter = iter(range(10**9))

    def one() -> None:
        n = next(counter)
        first = plan.activities[0].model_copy(update={"reach": n})
        edited = plan.model_copy(update={"activities": (first, *plan.activities[1:])})
        text = json.dumps(plan_to_data(edited), ensure_ascii=False, separators=(",", ":"))
        drafts.write("browser:bench", plan.name, 1, text)

    one()  # the row exists from here on: every timed write is an update, as after the first
    return cpu_median(one, WRITES)


def main() -> int:
    rules = load_rules()
    over = False
    with tempfile.TemporaryDirectory() as home:
        store = store_from_url(f"sqlite:///{Path(home) / 'prevplan.db'}", rules=rules)
        try:
            drafts = DraftStore(store.engine)
            for label, plan, budget in (
                ("sample national plan", read_plan(SAMPLE_PLAN, rules), SAMPLE_BUDGET_S),
                ("1,000 populations, 3,000 activities", generated_plan(1000), LARGE_BUDGET_S),
            ):
                cost = autosave_cost(drafts, plan)
                ok = cost < budget
                over |= not ok
                print(
                    f"autosave, {label}: {cost * 1000:6.1f} ms CPU per edit "
                    f"(budget {budget * 1000:.0f} ms; {load()})  {verdict(ok)}"
                )
        finally:
            store.close()
    if "--pages" in sys.argv[1:]:
        over |= not page_cpu()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
