"""What keeping unsaved work costs an edit: writing the plan as the person's draft.

After every change of the plan the app writes it to the ``plan_drafts`` table
(:func:`prevplan.ui.workspace.autosave`): the plan as JSON, one upsert. Budget: under 50 ms
per edit with the sample national plan open, and under 200 ms with a generated plan of
1,000 target populations and 3,000 activities. The figure is the median of 30 writes, each
of a different version of the plan (reach changed), to a SQLite database in a temporary
folder. Run: ``uv run python benchmarks/bench_workspace.py``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench_app import generated_plan
from timing import median_of, verdict

from prevplan.plan.io import plan_to_data, read_plan
from prevplan.plan.models import Plan
from prevplan.rules import load_rules
from prevplan.storage import DraftStore, store_from_url
from prevplan.ui.plans import SAMPLE_PLAN

SAMPLE_BUDGET_S = 0.050
LARGE_BUDGET_S = 0.200
WRITES = 30


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
    return median_of(one, WRITES)


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
                    f"autosave, {label}: {cost * 1000:6.1f} ms per edit "
                    f"(budget {budget * 1000:.0f} ms)  {verdict(ok)}"
                )
        finally:
            store.close()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
