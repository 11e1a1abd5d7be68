"""What ``prevplan optimise`` reports (interfaces §7): the allocation, the effective coverage
it buys per population, the budget curve, what stays unfunded and why, and the comparison
with the plan's own activities. Plain, frozen models; their JSON is the command's output."""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict

from prevplan.i18n import N_, _


class Out(BaseModel):
    """A part of the output: frozen and strict."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CostSource(Out):
    """Where an allocation's cost per participant comes from."""

    kind: str
    """``catalogue`` (a registry's cost, converted), ``plan_activity`` (the activity's own
    cost per person) or ``plan_intervention`` (the plan's median for the intervention)."""
    ref: str


class Allocation(Out):
    """One funded option: who, what, how many, at what cost, and on what clauses."""

    population_id: str
    intervention: str | None
    programme: str | None
    activity: str | None
    """The plan activity the allocation scales up, if any."""
    strategies: tuple[str, ...]
    participants: int
    cost: float
    unit_cost: float
    cost_source: CostSource
    min_participants: int
    coverage: float
    sessions: int | None
    boosters: int | None
    executor: str | None
    evidence_based: bool
    weight: float
    """How much one participant counts: evidence × (1 + priority risk-factor bonus)."""
    action_items: tuple[str, ...]
    sources: tuple[str, ...]


class PopulationResult(Out):
    """The effective coverage the allocation buys for one population."""

    population_id: str
    size: int
    prevention_level: str
    priority_weight: float
    effective_reach: int
    effective_coverage: float


class CurvePoint(Out):
    """The allocation at another budget (the budget curve)."""

    share: float
    """The budget as a share of the one asked for (0.8 = a 20 % cut)."""
    budget: float
    spent: float
    objective: float
    effective_reach: int
    populations_served: int
    gained: tuple[str, ...]
    """Populations served at this budget but not at the one asked for."""
    dropped: tuple[str, ...]
    """Populations served at the budget asked for but not at this one."""


class Unfunded(Out):
    """A population the allocation leaves unfunded, and why."""

    population_id: str
    reason: str
    """``no_option``, ``lower_value`` or ``below_minimum``."""
    message: str
    cheapest: float | None = None
    """Cost of the population's cheapest viable option, where it has one."""


class ExcludedOut(Out):
    """A programme that fits a population but is not an option, and why."""

    population_id: str
    programme: str
    reason: str
    """``harmful``, ``no_effect`` (never funded), ``no_cost`` or ``no_rate``."""


class Side(Out):
    """Money, objective and effective coverage of one way to spend it."""

    cost: float
    objective: float
    effective_reach: int
    effective_coverage: float


class Comparison(Out):
    """The plan's own activities against the optimised allocation of the same money."""

    plan: Side
    optimised: Side


class WarningItem(Out):
    """Something the planner must know about the allocation."""

    code: str
    population_id: str | None = None
    message: str
    sources: tuple[str, ...] = ()


class ConstraintsOut(Out):
    """The constraints the allocation was made under."""

    must_serve: tuple[str, ...]
    must_serve_items: tuple[str, ...]
    min_evidence_share: float
    executor_caps: dict[str, float]
    keep: tuple[str, ...] = ()


class OptimisationResult(Out):
    """The whole answer of ``prevplan optimise`` (interfaces §7)."""

    budget: float
    currency: str | None
    price_year: int | None
    spent: float
    objective: float
    status: str
    mip_gap: float
    allocations: tuple[Allocation, ...]
    populations: tuple[PopulationResult, ...]
    marginal_value: float
    """Objective gained per additional 1 % of budget (solved again at 101 %)."""
    curve: tuple[CurvePoint, ...]
    unfunded: tuple[Unfunded, ...]
    excluded: tuple[ExcludedOut, ...]
    comparison: Comparison | None
    constraints: ConstraintsOut
    warnings: tuple[WarningItem, ...]


#: The solver's status in words (``status`` keeps the code for scripts).
STATUS: Final = {
    "optimal": N_("optimal"),
    "time_limit": N_("time limit reached, best allocation found"),
    "infeasible": N_("infeasible"),
}


def status_text(status: str) -> str:
    """The solver's status in the reader's language."""
    return _(STATUS[status]) if status in STATUS else status
