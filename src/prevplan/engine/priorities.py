"""Which factors a population's plan should target first (VI-1.2, VI-1.3).

The priority factors are chosen from the known shares in the Communities That Care manner
that ``prioritisation.yaml`` describes: factors are ranked by need (a risk's share, or the
share *without* a protective resource), ties in the rules' order; those past the thresholds
come first, up to the maximum; if fewer than the minimum pass, the next most needed factors
fill up, but never one nobody needs. A factor whose share is missing is *unknown* and never
becomes a priority; a factor nobody has (a risk share of 0, a resource everybody has) is not
one either.

Where a population gives a national or regional benchmark for a factor (the Communities That
Care practice), the factor is judged against it instead of the fixed cut-offs: it passes
when its share is past the benchmark by at least ``benchmark_margin`` (above it for a risk,
below it for a protective resource), and it is never a priority when it is better than the
benchmark by that margin; within the margin either side it is *similar* and may only fill
up to the minimum. Factors past their benchmarks come first, most past first; then those
past the fixed cut-offs, most needed first; then the fill-up, most needed first. Without
benchmarks the ranking is exactly the fixed cut-offs' ranking. :attr:`PriorityRanking.rules`
says which rule made each priority.

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

CUT_OFF, BENCHMARK, MOST_NEEDED = 0, 1, 2
"""Which rule made a factor a priority: the fixed cut-offs, its benchmark, or the fill-up
to the minimum (the most needed of the others)."""

RULE_NAMES: tuple[str, ...] = ("cut_off", "benchmark", "most_needed")
"""The rules by number, as the output names them."""

TOLERANCE = 1e-9
"""Shares written with two decimals differ from their benchmark by a margin only up to
rounding (0.24 − 0.19 is 0.0499…): the margin is met within this."""


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
    rules: Ints
    """(population, slot): which rule made the factor in the slot a priority
    (:data:`CUT_OFF`, :data:`BENCHMARK` or :data:`MOST_NEEDED`)."""
    benchmarks: Floats
    """(population, slot): the benchmark of the factor in the slot, ``NaN`` where none."""
    benchmarked: Bools
    """(population,): some factor with a known share has a benchmark."""


def rank_priorities(
    shares: Floats,
    risks: int,
    rule: PriorityFactorRule,
    points: Ints,
    benchmarks: Floats | None = None,
) -> PriorityRanking:
    """The priority factors of populations whose shares are the rows of ``shares``.

    ``shares`` is (population, factor), ``NaN`` where unknown; factors numbered below
    ``risks`` are risks, the others protective resources; ``points`` are the points of a
    priority by its rank (``scoring.priority_rank``, at least one); ``benchmarks`` (same
    shape, ``NaN`` where none) are the national or regional figures to compare with.
    """
    judged = _judge(shares, risks, rule, benchmarks)
    by_factor = _ranks(judged, rule)
    chosen = by_factor < NOT_CHOSEN
    slots = min(shares.shape[1], max(rule.max, rule.min))
    order = np.argsort(by_factor, axis=1, kind="stable")[:, :slots]
    rule_of = np.where(
        judged.by_benchmark, BENCHMARK, np.where(judged.by_cut_off, CUT_OFF, MOST_NEEDED)
    )
    known = judged.known
    return PriorityRanking(
        points=np.where(chosen, points[np.minimum(by_factor, len(points) - 1)], 0),
        chosen=chosen,
        codes=order,
        used=np.take_along_axis(by_factor, order, axis=1) < NOT_CHOSEN,
        shares=np.take_along_axis(shares, order, axis=1),
        risk_known=np.asarray(known[:, :risks].any(axis=1)),
        factors_known=np.asarray(known.any(axis=1)),
        rules=np.take_along_axis(rule_of, order, axis=1),
        benchmarks=np.take_along_axis(np.where(judged.judged, judged.bench, np.nan), order, axis=1),
        benchmarked=np.asarray(judged.judged.any(axis=1)),
    )


@dataclass(frozen=True)
class _Judged:
    """How each factor of each population stands (population, factor)."""

    known: Bools
    """Its share is given."""
    bench: Floats
    """Its benchmark, ``NaN`` where none."""
    judged: Bools
    """Its share is given and judged against a benchmark."""
    past: Floats
    """How far past its benchmark it is (positive: worse than the benchmark)."""
    need: Floats
    """Its need, lower is more needed (``inf`` where unknown)."""
    by_benchmark: Bools
    """Past its benchmark by the margin."""
    better: Bools
    """Better than its benchmark by the margin: never a priority."""
    by_cut_off: Bools
    """Without a benchmark, past the fixed cut-off."""


def _judge(
    shares: Floats, risks: int, rule: PriorityFactorRule, benchmarks: Floats | None
) -> _Judged:
    """Each factor judged against its benchmark, or else the fixed cut-offs."""
    known = ~np.isnan(shares)
    risk = np.arange(shares.shape[1]) < risks
    bench = np.full_like(shares, np.nan) if benchmarks is None else benchmarks
    judged = known & ~np.isnan(bench)
    with np.errstate(invalid="ignore"):
        past = np.where(risk, shares - bench, bench - shares)
        need = np.where(risk, -shares, shares - 1.0)
        by_benchmark = judged & (past >= rule.benchmark_margin - TOLERANCE)
        better = judged & (past <= TOLERANCE - rule.benchmark_margin)
        by_cut_off = (
            known
            & ~judged
            & np.where(risk, shares >= rule.min_risk_share, shares <= rule.max_protective_share)
        )
    return _Judged(
        known=known,
        bench=bench,
        judged=judged,
        past=past,
        need=np.where(known, need, np.inf),
        by_benchmark=by_benchmark,
        better=better,
        by_cut_off=by_cut_off,
    )


def _ranks(judged: _Judged, rule: PriorityFactorRule) -> Ints:
    """(population, factor): the factor's rank among the priorities, :data:`NOT_CHOSEN`
    where it is not one."""
    by_benchmark, need = judged.by_benchmark, judged.need
    passes = by_benchmark | judged.by_cut_off
    # Past a benchmark first, then by need; ties in factor order (lexsort is stable).
    ranked = np.lexsort((np.where(by_benchmark, -judged.past, need), ~by_benchmark), axis=1)
    passes = np.take_along_axis(passes, ranked, axis=1)
    needed = np.take_along_axis(judged.known & ~judged.better, ranked, axis=1) & (
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
    by_factor: Ints = np.empty_like(rank)
    np.put_along_axis(by_factor, ranked, rank, axis=1)
    return by_factor
