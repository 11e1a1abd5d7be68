"""Choosing the mix of strategies (VI-3) and ordering the interventions (VI-4).

Each option of a population's situation (:mod:`prevplan.engine.situations`) is scored: its
base points for the fit to level, age stage and setting, plus, for each priority factor it
addresses, the weight of its relations to the factor times the points of the factor's rank
(``prioritisation.yaml``, ``scoring``).

The mix keeps the best fundamental strategies and adds supporting ones only beside them
(VI-3.2), with at least ``min_strategies`` in all (VI-intro: one isolated strategy cannot
remove vulnerability) — taking, if the listed settings allow fewer, the next best that fit
and then the best ones that need another setting. When no fundamental strategy fits the
listed settings, the best that need another setting lead instead. Every intervention that
fits is proposed: those named for a special group of the population first (when
``selection.special_group_interventions_first`` says so), then by score; an intervention
earns the weight of its relation to each chosen strategy it delivers.

This is the only implementation of these rules. It decides for many populations at once,
one row each, with numpy; a single population is a batch of one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from prevplan.engine.options import OptionIndex
from prevplan.engine.priorities import PriorityRanking
from prevplan.engine.situations import SituationTable
from prevplan.rules.models import Kind

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

LAST = np.int64(1 << 50)
"""A sort key past every real one: what is not chosen sorts last."""


@dataclass(frozen=True)
class Weights:
    """What the rules say about each strategy and intervention, as arrays (rules order)."""

    strategy_weights: Ints
    """(factor, strategy): total weight of the strategy's relations to the factor."""
    strategy_bits: Ints
    """(factor, strategy): the factor's bit where the strategy addresses it, else 0."""
    intervention_weights: Ints
    intervention_bits: Ints
    delivery_weights: Ints
    """(strategy, intervention): weight of the intervention's relation to the strategy."""
    delivery_masks: Ints
    """(intervention,): bits of the strategies the intervention delivers."""
    fundamental: Bools
    """(strategy,): the strategy is fundamental (VI-3.1)."""


def weights_for(index: OptionIndex) -> Weights:
    """The arrays of :class:`Weights` for the rules of ``index`` (kept with it)."""
    found: Weights | None = index.cache.get("weights")
    if found is None:
        found = index.cache["weights"] = _weights(index)
    return found


def _weights(index: OptionIndex) -> Weights:
    factors = len(index.factor_code)

    def by_factor(kind: Kind, ids: list[str]) -> tuple[Ints, Ints]:
        total = np.zeros((factors, len(ids)), dtype=np.int64)
        bits = np.zeros((factors, len(ids)), dtype=np.int64)
        for n, entity_id in enumerate(ids):
            for code, links in index.factor_links(kind, entity_id).items():
                total[code, n] = sum(link.relation.weight for link in links)
                bits[code, n] = 1 << code
        return total, bits

    strategy_weights, strategy_bits = by_factor(Kind.STRATEGY, index.strategy_ids)
    intervention_weights, intervention_bits = by_factor(Kind.INTERVENTION, index.intervention_ids)
    delivery_weights = np.zeros(
        (len(index.strategy_ids), len(index.intervention_ids)), dtype=np.int64
    )
    delivery_masks = np.zeros(len(index.intervention_ids), dtype=np.int64)
    for n, intervention_id in enumerate(index.intervention_ids):
        for strategy_id, link in index.delivered(intervention_id).items():
            bit = index.strategy_bit[strategy_id]
            delivery_weights[bit, n] = link.relation.weight
            delivery_masks[n] |= 1 << bit
    rules = index.rules
    return Weights(
        strategy_weights=strategy_weights,
        strategy_bits=strategy_bits,
        intervention_weights=intervention_weights,
        intervention_bits=intervention_bits,
        delivery_weights=delivery_weights,
        delivery_masks=delivery_masks,
        fundamental=np.array(
            [rules.strategies[s].kind.value == "fundamental" for s in index.strategy_ids],
            dtype=np.bool_,
        ),
    )


@dataclass(frozen=True)
class StrategyChoice:
    """The chosen strategies of each population (one row each)."""

    order: Ints
    """(population, rank): the strategies by number, the chosen ones first in mix order."""
    count: Ints
    """(population,): how many strategies are chosen."""
    score: Ints
    """(population, rank): each ranked strategy's score."""
    targeted: Ints
    """(population, rank): bits of the priority factors each ranked strategy addresses."""
    chosen: Bools
    """(population, strategy): whether the strategy is in the mix."""
    addressed: Ints
    """(population,): bits of the factors the mix or an intervention that fits addresses."""


def choose_strategies(
    index: OptionIndex, table: SituationTable, rows: Ints, ranking: PriorityRanking
) -> StrategyChoice:
    """The mix of strategies of populations whose situations are ``rows`` of ``table``."""
    weights = weights_for(index)
    score = _strategy_scores(index, table, rows, ranking, weights)
    targeted = ranking.chosen.astype(np.int64) @ weights.strategy_bits
    within, outside = table.within[rows], table.outside[rows]
    chosen = _chosen(index, within, outside, weights.fundamental[None, :], score)
    # The strategy an intervention named for a special group mainly delivers is in the mix
    # (VI-4.1: home visiting brings work with parents), whatever the caps.
    chosen |= table.forced[rows] & (within | outside)
    mix = _mix_order(index, table.forced[rows], weights.fundamental, chosen, score)
    return StrategyChoice(
        order=mix,
        count=chosen.sum(axis=1),
        score=np.take_along_axis(score, mix, axis=1),
        targeted=np.take_along_axis(targeted, mix, axis=1),
        chosen=chosen,
        addressed=table.addressed[rows]
        | np.bitwise_or.reduce(np.where(chosen, targeted, 0), axis=1),
    )


def _strategy_scores(
    index: OptionIndex,
    table: SituationTable,
    rows: Ints,
    ranking: PriorityRanking,
    weights: Weights,
) -> Ints:
    """(population, strategy): each strategy's score, its base points plus the points of
    the priorities it addresses and of its delivery."""
    # A strategy earns points for the strongest relation of an intervention that fits and
    # delivers it: the mix leans towards what can be delivered here (interventions are
    # proposed only with a strategy of the mix they deliver).
    fits = table.fits[rows].astype(np.int64)
    delivery = (fits[:, None, :] * weights.delivery_weights[None, :, :]).max(
        axis=2, initial=0
    ) * np.int64(index.scoring.delivery)
    score: Ints = table.strategy_base[rows] + ranking.points @ weights.strategy_weights + delivery
    return score


def _chosen(
    index: OptionIndex, within: Bools, outside: Bools, fundamental: Bools, score: Ints
) -> Bools:
    """(population, strategy): whether the strategy is in the mix by its score — the best
    fundamental strategies, supporting ones beside them, at least ``min_strategies``."""
    selection = index.selection
    order = np.argsort(-score, axis=1, kind="stable")  # best first, ties in rules order

    def ranked(mask: Bools) -> Bools:
        return np.take_along_axis(mask, order, axis=1)

    fundamental_within = within & fundamental
    any_within = fundamental_within.any(axis=1, keepdims=True)
    # No fundamental strategy fits the listed settings: the best ones that need another
    # setting lead instead, rather than supporting strategies alone.
    leading = ranked(np.where(any_within, fundamental_within, outside & fundamental))
    others = ranked(np.where(any_within, outside, outside & ~fundamental))
    supporting = ranked(within & ~fundamental)
    lead = leading & (np.cumsum(leading, axis=1) <= selection.max_fundamental)
    support = supporting & (np.cumsum(supporting, axis=1) <= selection.max_supporting)
    picked = (lead.sum(axis=1) + support.sum(axis=1))[:, None]
    # At least ``min_strategies`` (VI-intro): the next best that fit, then the best that
    # need a setting the planner did not list.
    rest = (leading & ~lead) | (supporting & ~support)
    more = np.maximum(0, selection.min_strategies - picked)
    rest_rank = np.cumsum(rest, axis=1)
    other_rank = np.cumsum(others, axis=1) + rest.sum(axis=1, keepdims=True)
    extra = (rest & (rest_rank <= more)) | (others & (other_rank <= more))
    chosen_ranked = (lead | support | extra) & leading.any(axis=1, keepdims=True)
    chosen: Bools = np.empty_like(chosen_ranked)
    np.put_along_axis(chosen, order, chosen_ranked, axis=1)
    return chosen


def _mix_order(
    index: OptionIndex, forced: Bools, fundamental: Bools, chosen: Bools, score: Ints
) -> Ints:
    """(population, rank): the strategies by number, the chosen ones first in mix order."""
    # The mix's order: fundamental strategies first (VI-3.2), each kind best first; where the
    # Concept names interventions for a special group of the population (VI-1.2 #p3), the
    # strategies they mainly deliver lead their kind, as the interventions lead theirs:
    # street children start with school and sport, not with parents they may not have.
    supporting_last = np.where(fundamental, 0, LAST >> 10)
    if index.rules.files.prioritisation.interventions.special_groups_first:
        supporting_last = supporting_last - np.where(forced, LAST >> 20, 0)
    mix: Ints = np.argsort(np.where(chosen, supporting_last - score, LAST), axis=1, kind="stable")
    return mix


@dataclass(frozen=True)
class InterventionChoice:
    """The proposed interventions of each population (one row each)."""

    order: Ints
    """(population, rank): the interventions by number, those that fit first, in order."""
    count: Ints
    """(population,): how many interventions fit."""
    targeted: Ints
    """(population, rank): bits of the priority factors each ranked intervention addresses."""
    delivers: Ints
    """(population, rank): bits of the chosen strategies each ranked intervention delivers."""


def order_interventions(
    index: OptionIndex,
    table: SituationTable,
    rows: Ints,
    ranking: PriorityRanking,
    strategies: StrategyChoice,
) -> InterventionChoice:
    """Every intervention that fits, in the order they are proposed."""
    weights = weights_for(index)
    chosen = strategies.chosen.astype(np.int64)
    strategy_bits = chosen @ (np.int64(1) << np.arange(chosen.shape[1], dtype=np.int64))
    score = (
        table.intervention_base[rows]
        + ranking.points @ weights.intervention_weights
        + chosen @ weights.delivery_weights
    )
    delivering = strategy_bits[:, None] & weights.delivery_masks[None, :]
    # An intervention is proposed only if it delivers a strategy of the mix.
    fits = table.fits[rows] & (delivering != 0)
    key = np.where(fits, -score, LAST)
    if index.rules.files.prioritisation.interventions.special_groups_first:
        key = np.where(table.special[rows], key - (LAST >> 10), key)
    order = np.argsort(key, axis=1, kind="stable")
    targeted = ranking.chosen.astype(np.int64) @ weights.intervention_bits
    delivers = delivering
    count = fits.sum(axis=1)
    most = index.rules.files.prioritisation.interventions.max_proposed
    if most is not None:
        count = np.minimum(count, most)
    return InterventionChoice(
        order=order,
        count=count,
        targeted=np.take_along_axis(targeted, order, axis=1),
        delivers=np.take_along_axis(delivers, order, axis=1),
    )
