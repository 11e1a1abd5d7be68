"""The Budget page's heavy work, done in worker processes (:mod:`prevplan.ui.background`).

Solving a budget allocation (the MILP of :mod:`prevplan.optimise`, with its curve of other
budgets) takes from a tenth of a second for the sample plan to seconds for a national plan
with a thousand populations; the plan report with the allocation takes seconds more. Here
both run in a worker process, so another planner's pages keep their speed meanwhile. This
module holds no Streamlit state: each worker imports it on its own.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final

from prevplan.optimise.model import Constraints
from prevplan.optimise.result import OptimisationResult
from prevplan.optimise.run import Prepared, optimise, prepare
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet, load_rules
from prevplan.ui.background import Lane

OPTIMISE_SECONDS: Final = 120.0
"""Longest the page waits for an allocation, queue included (the slowest measured, 1,000
populations with the whole catalogue, needs about 2 s)."""

OPTIMISER: Final = Lane(
    "optimiser",
    workers=1,
    timeout_s=OPTIMISE_SECONDS,
    warm=("prevplan.ui.budget_work", "prevplan.rules:load_rules"),
)

Wanted = tuple[
    tuple[str, ...], tuple[str, ...], float, tuple[tuple[str, float], ...], tuple[str, ...]
]
"""A :class:`Constraints` as plain values (must-serve, items, evidence share, caps, keep)."""

_PREPARED: OrderedDict[tuple[str, str | None], Prepared] = OrderedDict()
_KEEP: Final = 8


def solve(
    key: str,
    currency: str | None,
    budget: float,
    wanted: Wanted,
    shares: tuple[float, ...],
    plan: Plan,
) -> OptimisationResult:
    """Runs in a worker: the allocation of ``budget`` and its curve at ``shares``.

    The plan's options and model are built once per plan content and currency in each
    worker (``key`` is the plan's fingerprint), as the page builds its own.
    """
    prep = _PREPARED.get((key, currency))
    if prep is None:
        prep = prepare(plan, rules=load_rules(), currency=currency)
        _PREPARED[(key, currency)] = prep
        while len(_PREPARED) > _KEEP:
            _PREPARED.popitem(last=False)
    else:
        _PREPARED.move_to_end((key, currency))
    return optimise(prep, budget, Constraints(*wanted), shares)


def report(
    plan: Plan, result: OptimisationResult, fmt: str, rules: RuleSet | None, lang: str
) -> bytes:
    """Runs in a worker: the plan report (``pdf``) or workbook (``xlsx``) with the allocation."""
    shipped = rules if rules is not None else load_rules()
    if fmt == "xlsx":
        from prevplan.export.xlsx import plan_workbook

        return plan_workbook(plan, shipped, lang=lang, optimised=result)
    from prevplan.export.pdf import plan_report_pdf

    return plan_report_pdf(plan, shipped, lang=lang, optimised=result)
