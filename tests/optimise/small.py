"""Small optimisation problems built by hand, and their optimum found by enumeration.

The enumerator tries every set of funded options (at most one per group); for a set, the
minimum sizes are paid first and the rest of the budget buys segment places in order of
value per unit of money — the best a single budget constraint allows once the set is fixed
(a fractional knapsack). Its best value over all sets is the true optimum of the model.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from prevplan.optimise.model import Model
from prevplan.optimise.options import Option, Options, PopulationInfo
from prevplan.optimise.settings import OptimiserSettings, Segment, load_settings


def settings(
    segments: Sequence[tuple[float, float]] = ((0.5, 1.0), (1.0, 0.5)),
    reachable: float = 0.9,
) -> OptimiserSettings:
    base = load_settings()
    return base.model_copy(
        update={
            "segments": tuple(Segment(up_to=u, value=v) for u, v in segments),
            "reachable_share": reachable,
        }
    )


def population(
    pid: str, size: int, weight: float = 1.0, level: str = "universal"
) -> PopulationInfo:
    return PopulationInfo(pid, pid, size, level, weight, (), False)


def option(
    pid: str,
    name: str,
    unit: float,
    size: int,
    *,
    minimum: int = 1,
    evidence: float = 1.0,
    group: str | None = None,
    executor: str | None = None,
    evidence_based: bool = False,
    items: tuple[str, ...] = (),
    reachable: float = 0.9,
) -> Option:
    return Option(
        key=f"{pid}|{name}",
        group=group or f"{pid}|{name}",
        population_id=pid,
        intervention=name,
        programme=None,
        activity=None,
        strategies=(),
        unit_cost=unit,
        cost_kind="catalogue",
        cost_ref="https://example.org",
        min_participants=minimum,
        max_participants=int(reachable * size),
        evidence=evidence,
        risk_bonus=0.0,
        executor=executor,
        evidence_based=evidence_based,
        action_items=items,
        sources=(),
    )


def model(pops: Sequence[PopulationInfo], opts: Sequence[Option], s: OptimiserSettings) -> Model:
    return Model(Options(list(pops), list(opts)), s)


def enumerate_optimum(m: Model, budget: float) -> float:
    """The best objective over every feasible set of funded options."""
    opts = m.options.options
    best = 0.0
    for mask in itertools.product((0, 1), repeat=len(opts)):
        chosen = [o for o, on in zip(opts, mask, strict=True) if on]
        groups = [o.group for o in chosen]
        if len(groups) != len(set(groups)):
            continue
        if any(o.min_participants > o.max_participants for o in chosen):
            continue
        spent = sum(o.min_participants * o.unit_cost for o in chosen)
        if spent > budget:
            continue
        value = 0.0
        pieces: list[tuple[float, float, float]] = []  # value per person, unit cost, people
        for o in chosen:
            pop = m.pops[o.population_id]
            scale = 100.0 * pop.weight * o.weight / m.total_weight
            left_min = float(o.min_participants)
            room = float(o.max_participants)
            for width, seg in m.settings.widths(pop.size):
                width = min(width, room)
                room -= width
                paid = min(width, left_min)
                left_min -= paid
                value += paid * seg * scale
                if width - paid > 0:
                    pieces.append((seg * scale, o.unit_cost, width - paid))
        money = budget - spent
        for per_person, unit, people in sorted(pieces, key=lambda p: -p[0] / p[1]):
            take = min(people, money / unit)
            value += take * per_person
            money -= take * unit
            if money <= 0:
                break
        best = max(best, value)
    return best
