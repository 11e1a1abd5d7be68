"""Which factors a population's plan should target first (VI-1.2, VI-1.3).

The priority factors are chosen from the known shares in the Communities That Care manner
that ``prioritisation.yaml`` describes: factors are ranked by need (a risk's share, or the
share *without* a protective resource), ties in the rules' order; those past the thresholds
come first, up to the maximum; if fewer than the minimum pass, the next most needed factors
fill up, but never one nobody needs. A factor whose share is missing is *unknown* and never
becomes a priority; a factor nobody has (a risk share of 0, a resource everybody has) is not
one either.

This is the only implementation of the rule: it ranks many populations at once, one row
each, and a single population is a batch of one. Factors are numbered as in
``tables_for(rules).factors`` (risks first, then protective resources, each in the rules'
order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from prevplan.rules.models import PriorityFactorRule

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]

NOT_CHOSEN = np.int64(1 << 50)
"""The rank of a factor that is not a priority: past every real rank."""


@dataclass(frozen=True)
class PriorityRanking:
    """The priority factors of each population (one row each)."""

    points: Ints
    """(population, factor): the points the factor's rank earns, 0 if not a priority."""
    chosen: Bools
    """(population, factor): whether the factor is a priority."""
    codes: Ints
    """(population, slot): the factors by number, priorities first in priority order."""
    used: Bools
    """(population, slot): whether the slot holds a priority."""
    shares: Floats
    """(population, slot): the share of the factor in the slot."""
    risk_known: Bools
    """(population,): some risk-factor share was given."""
    factors_known: Bools
    """(population,): some risk or protective share was given."""


def rank_priorities(
    shares: Floats, risks: int, rule: PriorityFactorRule, points: Ints
) -> PriorityRanking:
    """The priority factors of populations whose shares are the rows of ``shares``.

    ``shares`` is (population, factor), ``NaN`` where unknown; factors numbered below
    ``risks`` are risks, the others protective resources; ``points`` are the points of a
    priority by its rank (``scoring.priority_rank``, at least one).
    """
    factors = shares.shape[1]
    known = ~np.isnan(shares)
    risk = np.arange(factors) < risks
    with np.errstate(invalid="ignore"):
        need = np.where(risk, -shares, shares - 1.0)
        passes = known & np.where(
            risk, shares >= rule.min_risk_share, shares <= rule.max_protective_share
        )
    need = np.where(known, need, np.inf)
    ranked = np.argsort(need, axis=1, kind="stable")  # ties in factor order
    passes = np.take_along_axis(passes, ranked, axis=1)
    needed = np.take_along_axis(known, ranked, axis=1) & (
        np.take_along_axis(need, ranked, axis=1) < 0.0
    )
    passed = np.cumsum(passes, axis=1)
    first = passes & (passed <= rule.max)
    taken = first.sum(axis=1, keepdims=True)
    # Too few past the thresholds: the next most needed fill up to the minimum.
    fill = needed & ~passes
    filled = np.cumsum(fill, axis=1)
    fill &= filled <= np.maximum(0, rule.min - taken)
    rank = np.where(first, passed - 1, np.where(fill, taken + filled - 1, NOT_CHOSEN))
    by_factor = np.empty_like(rank)
    np.put_along_axis(by_factor, ranked, rank, axis=1)
    chosen = by_factor < NOT_CHOSEN
    slots = min(factors, max(rule.max, rule.min))
    order = np.argsort(by_factor, axis=1, kind="stable")[:, :slots]
    return PriorityRanking(
        points=np.where(chosen, points[np.minimum(by_factor, len(points) - 1)], 0),
        chosen=chosen,
        codes=order,
        used=np.take_along_axis(by_factor, order, axis=1) < NOT_CHOSEN,
        shares=np.take_along_axis(shares, order, axis=1),
        risk_known=np.asarray(known[:, :risks].any(axis=1)),
        factors_known=np.asarray(known.any(axis=1)),
    )
