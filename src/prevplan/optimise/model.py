"""The budget allocation as a mixed-integer linear program, solved by HiGHS (scipy ``milp``).

For each option (:mod:`prevplan.optimise.options`) the model has a yes/no variable *fund it*
and one participants variable per diminishing-returns segment. It maximises
priority-weighted effective coverage:

    value = Σ population weight (VI-2) × option weight (evidence, priority risk factors
            VI-1.2) × Σ segment value × participants in the segment

subject to

- the budget: Σ cost per participant × participants ≤ budget;
- semi-continuous sizes: an option is either not funded or funded between its minimum
  viable size (a group, a caseload) and the reachable share of its population — never
  beyond the population's size; its cost buys the tested dose;
- one option per intervention and population: programmes delivering the same intervention
  to the same people are alternatives; different interventions for one population add up
  (a mix of strategies, VI-intro), each with its own diminishing returns;
- the planner's constraints (:class:`Constraints`): populations and Program of Actions
  items (Annex V) that must be served, a minimum share of the money for evidence-based
  programmes delivering a fundamental strategy (VI-3.1), a cap on what one executor gets.

The objective is scaled to 0–100: 100 would be every person of every population reached at
full value by the best-evidenced option. The same input always gives the same output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import coo_array  # type: ignore[import-untyped]

from prevplan.optimise.options import Option, Options
from prevplan.optimise.settings import OptimiserSettings

TIME_LIMIT = 30.0
"""Seconds HiGHS may search before it returns its best allocation and the gap."""
MIP_GAP = 1e-6
"""Relative gap at which HiGHS stops: the allocation is within this of the best possible."""


@dataclass(frozen=True)
class Constraints:
    """What the planner requires of the allocation."""

    must_serve: tuple[str, ...] = ()
    """Population ids that must get an option."""
    must_serve_items: tuple[str, ...] = ()
    """Annex V items (``V-3.5``) at least one funded option must serve."""
    min_evidence_share: float = 0.0
    """Share (0–1) of the money spent that must go to evidence-based fundamental
    programmes."""
    executor_caps: tuple[tuple[str, float], ...] = ()
    """(executor, most money it may receive)."""
    keep: tuple[str, ...] = ()
    """Plan activities (ids) kept at least at their current reach: what works now stays."""

    def names(self) -> list[str]:
        """Each constraint as a name the planner recognises (for explanations)."""
        out = [f"must_serve:{p}" for p in self.must_serve]
        out += [f"must_serve_item:{i}" for i in self.must_serve_items]
        if self.min_evidence_share > 0:
            out.append("min_evidence_share")
        out += [f"executor_cap:{e}" for e, _cap in self.executor_caps]
        if self.keep:
            out.append("keep")  # what works is kept as a whole, as the planner chose it
        return out

    def without(self, name: str) -> Constraints:
        """These constraints less the one named."""
        kind, _sep, what = name.partition(":")
        return Constraints(
            must_serve=tuple(p for p in self.must_serve if kind != "must_serve" or p != what),
            must_serve_items=tuple(
                i for i in self.must_serve_items if kind != "must_serve_item" or i != what
            ),
            min_evidence_share=0.0 if kind == "min_evidence_share" else self.min_evidence_share,
            executor_caps=tuple(
                (e, c) for e, c in self.executor_caps if kind != "executor_cap" or e != what
            ),
            keep=() if kind == "keep" else self.keep,
        )


@dataclass(frozen=True)
class Funded:
    """One funded option."""

    option: Option
    participants: int
    cost: float


@dataclass
class Solution:
    """What the solver returned for one budget."""

    budget: float
    status: str
    """``optimal``, ``time_limit`` (best found, with its gap) or ``infeasible``."""
    objective: float
    mip_gap: float
    funded: list[Funded] = field(default_factory=list)

    @property
    def spent(self) -> float:
        """Money the allocation spends."""
        return sum(f.cost for f in self.funded)

    @property
    def feasible(self) -> bool:
        """Whether an allocation meets every constraint."""
        return self.status != "infeasible"

    def reach(self) -> dict[str, int]:
        """Effective reach per funded population: its largest funded option (as
        docs/effective-coverage.md counts a plan's activities)."""
        out: dict[str, int] = {}
        for f in self.funded:
            pid = f.option.population_id
            out[pid] = max(out.get(pid, 0), f.participants)
        return out


class Model:
    """The matrices of one plan's options; solved for any budget and constraints."""

    def __init__(self, options: Options, settings: OptimiserSettings) -> None:
        self.options = options
        self.settings = settings
        self.pops = {p.id: p for p in options.populations}
        self.total_weight = sum(p.weight * p.size for p in options.populations) or 1.0
        # Columns: for each option, its yes/no column, then one column per segment.
        self.first_col: list[int] = []
        self.seg_cols: list[list[int]] = []
        self.col_value: dict[int, float] = {}
        self.col_width: dict[int, float] = {}
        col = 0
        for o in options.options:
            self.first_col.append(col)
            col += 1
            cols: list[int] = []
            room = float(o.max_participants)
            for width, value in settings.widths(self.pops[o.population_id].size):
                used = min(width, max(0.0, room))
                room -= used
                self.col_value[col] = value
                self.col_width[col] = used
                cols.append(col)
                col += 1
            self.seg_cols.append(cols)
        self.ncols = col

    def value_of(self, option: Option, people: float) -> float:
        """Objective points of reaching ``people`` with ``option`` (0–100 scale)."""
        pop = self.pops[option.population_id]
        return (
            100.0
            * pop.weight
            * option.weight
            * self.settings.value_of(min(people, option.max_participants), pop.size)
            / self.total_weight
        )

    def solve(self, budget: float, constraints: Constraints | None = None) -> Solution:
        """The best allocation of ``budget`` under ``constraints``."""
        cons = constraints or Constraints()
        if not self.options.options:
            infeasible = bool(cons.must_serve or cons.must_serve_items or cons.keep)
            return Solution(budget, "infeasible" if infeasible else "optimal", 0.0, 0.0)
        c, upper, integrality, cost_row, eb_row = self._columns()
        rows = self._rows(cons)
        dense: list[tuple[np.ndarray, float, float]] = [(cost_row, -np.inf, budget)]
        if cons.min_evidence_share > 0:
            dense.append((eb_row - cons.min_evidence_share * cost_row, 0.0, np.inf))
        for executor, cap in cons.executor_caps:
            mask = np.zeros(self.ncols)
            for k, o in enumerate(self.options.options):
                if o.executor == executor:
                    mask[self._segment_cols(k)] = 1.0
            dense.append((cost_row * mask, -np.inf, cap))
        result = milp(
            c,
            integrality=integrality,
            bounds=Bounds(np.zeros(self.ncols), upper),
            constraints=_constraints(rows, dense, self.ncols),
            options={"time_limit": TIME_LIMIT, "mip_rel_gap": MIP_GAP, "presolve": True},
        )
        return self._solution(budget, result)

    def _columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Objective, upper bounds, integrality, cost and evidence-based cost per column."""
        n = self.ncols
        c, upper, integrality = np.zeros(n), np.zeros(n), np.zeros(n)
        cost_row, eb_row = np.zeros(n), np.zeros(n)
        for k, o in enumerate(self.options.options):
            b = self.first_col[k]
            integrality[b] = 1
            upper[b] = 1.0 if o.max_participants >= o.min_participants else 0.0
            pop = self.pops[o.population_id]
            scale = 100.0 * pop.weight * o.weight / self.total_weight
            for col in self.seg_cols[k]:
                # Maximise value; a hair of cost breaks ties towards the cheaper allocation.
                c[col] = -(scale * self.col_value[col]) + 1e-12 * o.unit_cost
                upper[col] = self.col_width[col]
                cost_row[col] = o.unit_cost
                eb_row[col] = o.unit_cost if o.evidence_based else 0.0
        return c, upper, integrality, cost_row, eb_row

    def _rows(self, cons: Constraints) -> list[tuple[list[int], list[float], float, float]]:
        """Sparse rows: sizes, one option per group, and what must be served."""
        opts = self.options.options
        rows: list[tuple[list[int], list[float], float, float]] = []
        by_pop: dict[str, list[int]] = {}
        by_group: dict[str, list[int]] = {}
        for k, o in enumerate(opts):
            b = self.first_col[k]
            segs = self._segment_cols(k)
            ones = [1.0] * len(segs)
            # min z ≤ Σ segments ≤ max z
            rows.append(([b, *segs], [-float(o.min_participants), *ones], 0.0, np.inf))
            rows.append(([b, *segs], [-float(o.max_participants), *ones], -np.inf, 0.0))
            by_pop.setdefault(o.population_id, []).append(b)
            by_group.setdefault(o.group, []).append(b)
        for cols in by_group.values():
            rows.append((cols, [1.0] * len(cols), -np.inf, 1.0))
        for pid in cons.must_serve:
            cols = by_pop.get(pid, [])
            rows.append((cols, [1.0] * len(cols), 1.0, np.inf))
        kept = set(cons.keep)
        found: set[str] = set()
        for k, o in enumerate(opts):
            if o.activity in kept:
                found.add(o.activity)
                floor = float(min(o.current, o.max_participants))
                b, segs = self.first_col[k], self._segment_cols(k)
                rows.append(([b], [1.0], 1.0, np.inf))
                rows.append((segs, [1.0] * len(segs), floor, np.inf))
        if kept - found:  # an activity with no costed option cannot be kept
            rows.append(([], [], 1.0, np.inf))
        for item in cons.must_serve_items:
            cols = [self.first_col[k] for k, o in enumerate(opts) if item in o.action_items]
            rows.append((cols, [1.0] * len(cols), 1.0, np.inf))
        return rows

    def _segment_cols(self, k: int) -> list[int]:
        return self.seg_cols[k]

    def _solution(self, budget: float, result: object) -> Solution:
        status_code = int(getattr(result, "status", 4))
        x = getattr(result, "x", None)
        if x is None:
            status = "infeasible" if status_code == 2 else "error"
            if status_code == 1:
                status = "time_limit"
            return Solution(budget, "infeasible" if status != "time_limit" else status, 0.0, 0.0)
        status = "optimal" if status_code == 0 else "time_limit"
        gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
        if not math.isfinite(gap):
            gap = 0.0
        funded: list[Funded] = []
        for k, o in enumerate(self.options.options):
            if x[self.first_col[k]] < 0.5:
                continue
            people = math.floor(float(sum(x[c] for c in self._segment_cols(k))) + 1e-6)
            people = max(o.min_participants, min(people, o.max_participants))
            funded.append(Funded(o, people, people * o.unit_cost))
        funded = _within_budget(funded, budget)
        objective = sum(self.value_of(f.option, f.participants) for f in funded)
        return Solution(budget, status, round(objective, 6), round(gap, 9), funded)

    def value_for(self, population_id: str, weight: float, people: float) -> float:
        """Objective points of reaching ``people`` of a population with an activity of
        ``weight`` (saturating at the reachable share)."""
        pop = self.pops[population_id]
        cap = self.settings.reachable_share * pop.size
        value = self.settings.value_of(min(people, cap), pop.size)
        return 100.0 * pop.weight * weight * value / self.total_weight


def _within_budget(funded: list[Funded], budget: float) -> list[Funded]:
    """Rounding to whole people never takes spending over the budget."""
    out = list(funded)
    while out and sum(f.cost for f in out) > budget * (1 + 1e-12):
        over = sum(f.cost for f in out) - budget
        i = max(range(len(out)), key=lambda n: (out[n].participants, out[n].option.key))
        f = out[i]
        cut = math.ceil(over / f.option.unit_cost)
        people = f.participants - cut
        if people < f.option.min_participants:
            del out[i]
        else:
            out[i] = Funded(f.option, people, people * f.option.unit_cost)
    return out


def _constraints(
    rows: Sequence[tuple[list[int], list[float], float, float]],
    dense: Sequence[tuple[np.ndarray, float, float]],
    n: int,
) -> list[LinearConstraint]:
    out: list[LinearConstraint] = []
    if rows:
        r_idx: list[int] = []
        c_idx: list[int] = []
        vals: list[float] = []
        lo: list[float] = []
        hi: list[float] = []
        for r, (cols, coefs, low, high) in enumerate(rows):
            r_idx += [r] * len(cols)
            c_idx += cols
            vals += coefs
            lo.append(low)
            hi.append(high)
        matrix = coo_array((vals, (r_idx, c_idx)), shape=(len(rows), n)).tocsr()
        out.append(LinearConstraint(matrix, np.array(lo), np.array(hi)))
    for row, low, high in dense:
        out.append(LinearConstraint(row.reshape(1, -1), np.array([low]), np.array([high])))
    return out
