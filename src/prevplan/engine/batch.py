"""Recommending a national batch: every population's mix chosen at once, then written out
from ready-made pieces of JSON.

What one recommendation takes is in :mod:`prevplan.engine.selection` (the reference,
:func:`~prevplan.engine.selection.choose`) and :mod:`prevplan.engine.render`. For a file of
100,000 populations the same choices are made for all of them together:

1. each population's situation (level, age stages, settings, special groups) is looked up,
   and the options of each distinct situation are evaluated once
   (:meth:`~prevplan.engine.selection._Index.fit`);
2. the priority factors of every population, the scores of every strategy and intervention
   and the mix itself are computed with numpy, one row per population (:class:`_Block`);
3. each part of a record — a strategy item with its rank and score, an intervention item,
   a factor with its share, the situation's members, the warnings — is rendered once per
   distinct value by the functions of :mod:`prevplan.engine.render` and found again by a
   number that says what it depends on; a record is then a ``str.join`` of those pieces.

The output is the same, byte for byte, as :func:`~prevplan.engine.recommend.recommendation_json`
of each population alone; the tests check it on many populations.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt

from prevplan.engine import render
from prevplan.engine.profile import Situation, tables_for
from prevplan.engine.selection import FIRST, Option, index_for
from prevplan.io.columns import PopulationColumns
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.rules.ruleset import Link
from prevplan.vocab import Level

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]

BLOCK = 16384
"""Populations whose records are made in one go (bounds the memory of the arrays)."""

_LAST = np.int64(1 << 50)
"""A sort key past every real one: what does not fit sorts last."""
_SUPPORTING = np.int64(1 << 40)
"""Added to a supporting strategy's sort key: fundamental strategies come first (VI-3.2)."""

_RECORD_START = b'{"population_id":'
_BETWEEN = b",\n"
_NEXT_RECORD = _BETWEEN + _RECORD_START


@dataclass(frozen=True)
class _Entities:
    """What the rules say about each strategy and intervention, as arrays (rules order)."""

    strategies: int
    interventions: int
    factors: int
    risks: int
    """Factors numbered below this are risks, the others protective resources."""
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
    points: Ints
    """Points of a priority factor by its rank (``scoring.priority_rank``)."""
    min_priorities: int
    max_priorities: int
    min_risk_share: float
    max_protective_share: float
    max_fundamental: int
    max_supporting: int
    min_strategies: int
    max_picked: int
    """The most strategies a mix can hold."""


def _entities(rules: RuleSet) -> _Entities:
    index = index_for(rules)
    found: _Entities | None = index.cache.get("batch entities")
    if found is not None:
        return found
    tables = tables_for(rules)
    factors = len(tables.factors)
    strategies, interventions = len(index.strategy_ids), len(index.intervention_ids)

    def weights(kind: Kind, ids: Sequence[str]) -> tuple[Ints, Ints]:
        total = np.zeros((factors, len(ids)), dtype=np.int64)
        bits = np.zeros((factors, len(ids)), dtype=np.int64)
        for n, entity_id in enumerate(ids):
            for code, links in index.factor_links(kind, entity_id).items():
                total[code, n] = sum(link.relation.weight for link in links)
                bits[code, n] = 1 << code
        return total, bits

    strategy_weights, strategy_bits = weights(Kind.STRATEGY, index.strategy_ids)
    intervention_weights, intervention_bits = weights(Kind.INTERVENTION, index.intervention_ids)
    delivery_weights = np.zeros((strategies, interventions), dtype=np.int64)
    delivery_masks = np.zeros(interventions, dtype=np.int64)
    for n, iid in enumerate(index.intervention_ids):
        for sid, link in index.delivered(iid).items():
            bit = index.strategy_bit[sid]
            delivery_weights[bit, n] = link.relation.weight
            delivery_masks[n] |= 1 << bit
    selection = index.selection
    prioritisation = rules.files.prioritisation.priority_factors
    most = min(factors, max(prioritisation.max, prioritisation.min))
    found = index.cache["batch entities"] = _Entities(
        strategies=strategies,
        interventions=interventions,
        factors=factors,
        risks=sum(1 for kind, _ in tables.factors if kind is Kind.RISK_FACTOR),
        strategy_weights=strategy_weights,
        strategy_bits=strategy_bits,
        intervention_weights=intervention_weights,
        intervention_bits=intervention_bits,
        delivery_weights=delivery_weights,
        delivery_masks=delivery_masks,
        fundamental=np.array(
            [rules.strategies[sid].kind.value == "fundamental" for sid in index.strategy_ids],
            dtype=np.bool_,
        ),
        points=np.array(index.points[: max(most, 1)], dtype=np.int64),
        min_priorities=prioritisation.min,
        max_priorities=prioritisation.max,
        min_risk_share=prioritisation.min_risk_share,
        max_protective_share=prioritisation.max_protective_share,
        max_fundamental=selection.max_fundamental,
        max_supporting=selection.max_supporting,
        min_strategies=selection.min_strategies,
        max_picked=min(
            strategies,
            max(selection.max_fundamental + selection.max_supporting, selection.min_strategies),
        ),
    )
    return found


class _Situations:
    """The distinct situations of a batch with their options, as arrays (one row each).

    A population's situation depends on its risk group and special groups (as given: their
    order orders the level's clauses), the age stages its age range overlaps and the
    settings it lists; each distinct combination is a row. The options of every row are
    evaluated for one entity at a time: rows that an entity fits alike share its option,
    which is evaluated once (the fit depends on the row only through the level, the entity's
    own age stages and settings among the row's, and special groups).
    """

    def __init__(self, rules: RuleSet, columns: PopulationColumns, entities: _Entities) -> None:
        tables = tables_for(rules)
        index = index_for(rules)
        rank = tables.setting_rank.__getitem__
        in_order = {given: tuple(sorted(given, key=rank)) for given in set(columns.settings)}
        risk_group, groups_given, settings_given = (
            _codes(columns.risk_group),
            _codes(columns.special_groups),
            _codes(list(map(in_order.__getitem__, columns.settings))),
        )
        age_min = np.asarray(columns.age_min, dtype=np.int64)
        age_max = np.asarray(columns.age_max, dtype=np.int64)
        stages = np.zeros(len(columns), dtype=np.int64)
        for bit, stage in enumerate(tables.stage_entities):
            overlaps = (stage.age_min <= age_max) & (age_min <= stage.age_max)
            stages |= overlaps.astype(np.int64) << bit
        key = risk_group
        for codes, radix in (
            (groups_given, int(groups_given.max(initial=0)) + 1),
            (settings_given, int(settings_given.max(initial=0)) + 1),
            (stages, 1 << len(tables.stage_entities)),
        ):
            key = key * radix + codes
        _, first, of_population = np.unique(key, return_index=True, return_inverse=True)
        self.of_population: Ints = of_population.reshape(-1)
        self.situations: list[Situation] = [
            tables.situation_of(
                columns.risk_group[n],
                columns.special_groups[n],
                columns.age_min[n],
                columns.age_max[n],
                columns.settings[n],
            )
            for n in first.tolist()
        ]
        rows = len(self.situations)
        masks = [index.masks(situation) for situation in self.situations]
        stage_mask, setting_mask, level = (
            np.array([m[part] for m in masks], dtype=np.int64) for part in range(3)
        )
        group_bit = {g: 1 << n for n, g in enumerate(rules.ids(Kind.SPECIAL_GROUP))}
        group_mask = np.array(
            [sum(group_bit[g] for g in s.special_groups) for s in self.situations],
            dtype=np.int64,
        )
        listed = setting_mask != 0
        stage_radix, setting_radix = 1 << len(index.stage_bit), 1 << len(index.setting_bit)
        self.options: list[Option] = []
        """Every option of the batch, numbered (the number is part of the keys below)."""
        numbers: dict[int, int] = {}

        def number(option: Option | None) -> int:
            if option is None:
                return 0
            found = numbers.get(id(option))
            if found is None:
                found = numbers[id(option)] = len(self.options)
                self.options.append(option)
            return found

        def fit(
            entry: Any, links: Sequence[Link], special: Ints, use_settings: bool, where: Bools
        ) -> npt.NDArray[np.object_]:
            """The entity's option in each row (``None`` where it does not fit or where
            ``where`` is false); ``special`` has a bit for each of ``links`` that applies."""
            fit_key = (level * stage_radix + (stage_mask & entry.stage_mask)) * setting_radix
            fit_key = ((fit_key + (setting_mask & entry.setting_mask)) * 2 + listed) << len(links)
            fit_key = np.where(where, fit_key + special, -1)
            distinct, first_row, of_row = np.unique(fit_key, return_index=True, return_inverse=True)
            found: list[Option | None] = []
            for value, row in zip(distinct.tolist(), first_row.tolist(), strict=True):
                applies = int(special[row])
                found.append(
                    None
                    if value < 0
                    else index.evaluate(
                        entry,
                        self.situations[row],
                        masks[row],
                        tuple(link for n, link in enumerate(links) if applies >> n & 1),
                        use_settings,
                    )
                )
            return _objects(found)[of_row.reshape(-1)]

        everywhere = np.ones(rows, dtype=np.bool_)
        intervention_columns = []
        special_only = []
        for entry in index.intervention_entries:
            applies = np.zeros(rows, dtype=np.int64)
            for n, link in enumerate(entry.specials):
                named = (group_mask & group_bit[link.subject]) != 0
                stage_fit = (
                    (stage_mask | index.group_stages[link.subject]) & entry.stage_mask
                ) != 0
                applies |= (named & stage_fit).astype(np.int64) << n
            column = fit(entry, entry.specials, applies, True, everywhere)
            intervention_columns.append(column)
            special_only.append(
                np.array([o is not None and o.special_only for o in column.tolist()])
            )
        strategy_columns = []
        within_columns = []
        for entry in index.strategy_entries:
            # The special-group interventions that deliver it stand in for an age-stage fit.
            givers = [
                (n, index.delivered(iid)[entry.id])
                for n, iid in enumerate(index.intervention_ids)
                if entry.id in index.delivered(iid)
            ]
            applies = np.zeros(rows, dtype=np.int64)
            for bit, (n, _) in enumerate(givers):
                applies |= special_only[n].astype(np.int64) << bit
            applies = np.where((stage_mask & entry.stage_mask) != 0, 0, applies)
            links = [link for _, link in givers]
            within = fit(entry, links, applies, True, everywhere)
            fits_within = np.array([o is not None for o in within.tolist()], dtype=np.bool_)
            outside = fit(entry, links, applies, False, ~fits_within & listed)
            strategy_columns.append(np.where(fits_within, within, outside))
            within_columns.append(fits_within)
        strategy_options = np.stack(strategy_columns, axis=1)
        intervention_options = np.stack(intervention_columns, axis=1)
        self.strategy_options: list[list[Option | None]] = strategy_options.tolist()
        """Per situation, each strategy's option: within the listed settings, else outside."""
        self.intervention_options: list[list[Option | None]] = intervention_options.tolist()
        self.within: Bools = np.stack(within_columns, axis=1)
        """The strategy fits within the listed settings (or none were listed)."""
        self.outside: Bools = _present(strategy_options) & ~self.within
        """The strategy fits only outside the listed settings."""
        self.strategy_base: Ints = _attribute(strategy_options, lambda o: o.base)
        self.strategy_number: Ints = _attribute(strategy_options, number)
        self.fits: Bools = _present(intervention_options)
        self.intervention_base: Ints = _attribute(intervention_options, lambda o: o.base)
        self.intervention_first: Ints = _attribute(
            intervention_options, lambda o: FIRST if o.special else 0
        )
        self.intervention_number: Ints = _attribute(intervention_options, number)
        addressed = self.fits.astype(np.int64) * entities.intervention_bits.sum(axis=0)
        self.addressed: Ints = np.bitwise_or.reduce(addressed, axis=1)
        """Bits of the factors some intervention that fits addresses."""
        self.level: Ints = level
        self.proposes_from_mix: Bools = ~listed & ~self.fits.any(axis=1)
        """No settings listed and no intervention fits: the strategies' settings are proposed."""
        # What a record's tail depends on besides its mix (render.tail_start, middle_json).
        fitting = self.fits.astype(np.int64) @ (
            np.int64(1) << np.arange(entities.interventions, dtype=np.int64)
        )
        tail_key = (level * stage_radix + stage_mask) * (1 << entities.interventions) + fitting
        _, first_row, tail_class = np.unique(tail_key, return_index=True, return_inverse=True)
        self.tail_class: Ints = tail_class.reshape(-1)
        self.tails: list[tuple[Level, tuple[str, ...], tuple[str, ...]]] = [
            (
                self.situations[row].level,
                self.situations[row].age_stages,
                tuple(o.id for o in self.intervention_options[row] if o is not None),
            )
            for row in first_row.tolist()
        ]
        """What each class of tails depends on: level, age stages, interventions."""


def _codes(column: Sequence[Hashable]) -> Ints:
    """Each value's number among the distinct values of the column."""
    numbers = {value: n for n, value in enumerate(dict.fromkeys(column))}
    return np.fromiter(map(numbers.__getitem__, column), dtype=np.int64, count=len(column))


def _objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    found = np.empty(len(values), dtype=object)
    found[:] = values
    return found


def _present(options: npt.NDArray[np.object_]) -> Bools:
    """Where there is an option."""
    return np.array([[o is not None for o in row] for row in options.tolist()], dtype=np.bool_)


def _attribute(options: npt.NDArray[np.object_], get: Callable[[Option], int]) -> Ints:
    """``get`` of each option (0 where there is none), as an array of the same shape."""
    values = [[0 if o is None else get(o) for o in row] for row in options.tolist()]
    return np.array(values, dtype=np.int64).reshape(options.shape)


def _shares(columns: PopulationColumns, rules: RuleSet) -> Floats:
    """(population, factor number): the share, ``NaN`` where unknown."""
    factors = tables_for(rules).factors
    found = np.full((len(columns), len(factors)), np.nan, dtype=np.float64)
    for code, (kind, factor_id) in enumerate(factors):
        given = columns.risk_factors if kind is Kind.RISK_FACTOR else columns.protective_factors
        values = given.get(factor_id)
        if values is not None:
            found[:, code] = np.asarray(values, dtype=np.float64)
    return found


class Batch:
    """A batch of populations ready to be written as records, block by block.

    Building it looks up every situation and its options; :meth:`pieces_of` then makes the
    records of any range of populations. A forked worker can make some ranges while its
    parent makes others: the rendering caches are each process's own.
    """

    def __init__(self, columns: PopulationColumns, rules: RuleSet, lang: str) -> None:
        self.columns = columns
        self.rules = rules
        self.lang = lang
        self.entities = entities = _entities(rules)
        self.situations = situations = _Situations(rules, columns, entities)
        self.shares = _shares(columns, rules)
        self.pieces: dict[str, dict[Hashable, bytes]] = {}
        """Rendered pieces (UTF-8) by kind and key."""
        self.tail_starts: dict[tuple[Level, int], str] = {}
        # A piece is found by a number made of what it depends on, each part in its own
        # radix (see the ``_Block`` methods that make them).
        self.mix_radix = (entities.strategies + 1) ** entities.max_picked
        # A score is at most the best base plus the best points for every factor.
        self.score_radix = 1 + int(
            situations.strategy_base.max(initial=0)
            + entities.points.max(initial=0) * entities.strategy_weights.sum(axis=0).max(initial=0)
        )
        fits = (
            max(
                _bits(len(situations.options)) + _bits(self.score_radix),
                _bits(len(situations.options)) + entities.factors + entities.strategies,
                _bits(max(len(situations.situations), len(situations.tails)))
                + _bits(self.mix_radix)
                + 1,
                _bits(len(Level) * 4 * (entities.strategies + 1))
                + _bits((entities.factors + 1) ** len(entities.points)),
            )
            <= 62
        )
        self.key_type: type = np.int64 if fits else object
        """The keys' numbers fit in 64 bits with the shipped rules, by far; with many more
        rules they would be Python integers (slower, never wrong)."""

    def __len__(self) -> int:
        return len(self.columns)

    def pieces_of(self, start: int, stop: int) -> Iterator[list[bytes]]:
        """The records of populations ``start`` to ``stop`` as UTF-8, joined by ``,\\n``:
        for each :data:`BLOCK` of them, the pieces to write one after the other."""
        for low in range(start, stop, BLOCK):
            parts = _Block(self, low, min(stop, low + BLOCK)).parts()
            if low == start:
                parts[0][0] = _RECORD_START  # type: ignore[index]
            # The constant pieces repeat without end: the lists set the length.
            yield list(chain.from_iterable(zip(*parts, strict=False)))

    def records(self) -> Iterator[str]:
        """Each population's record, in order."""
        for low in range(0, len(self), BLOCK):
            parts = _Block(self, low, min(len(self), low + BLOCK)).parts()
            records = map(b"".join, zip(repeat(_RECORD_START), *parts[1:], strict=False))
            yield from (record.decode() for record in records)

    def piece(
        self,
        kind: str,
        keys: Ints,
        make: Callable[[Any], str],
        stable: Callable[[int], Hashable] | None = None,
    ) -> list[bytes]:
        """The rendered piece for each key, each distinct key rendered once per batch.

        ``stable`` turns a key into the one the piece is kept under, where keys are only
        meaningful within the block.
        """
        cache = self.pieces.setdefault(kind, {})
        distinct, inverse = np.unique(keys, return_inverse=True)
        texts: list[bytes] = []
        for key in distinct.tolist():
            kept = key if stable is None else stable(key)
            text = cache.get(kept)
            if text is None:
                text = cache[kept] = make(kept).encode()
            texts.append(text)
        found: list[bytes] = np.array(texts, dtype=object)[inverse.reshape(-1)].tolist()
        return found


class _Block:
    """The mixes of a range of populations, one row each, and their records' text."""

    def __init__(self, batch: Batch, start: int, stop: int) -> None:
        self.batch = batch
        self.start, self.stop = start, stop
        entities = batch.entities
        situations = batch.situations
        self.situation = situations.of_population[start:stop]
        self._priorities(batch.shares[start:stop], entities)
        self._strategies(entities, situations)
        self._interventions(entities, situations)

    # --- priority factors (profile.py: ranked_factors) -------------------------------------

    def _priorities(self, shares: Floats, entities: _Entities) -> None:
        count = len(shares)
        known = ~np.isnan(shares)
        risk = np.arange(entities.factors) < entities.risks
        with np.errstate(invalid="ignore"):
            need = np.where(risk, -shares, shares - 1.0)
            passes = known & np.where(
                risk,
                shares >= entities.min_risk_share,
                shares <= entities.max_protective_share,
            )
        need = np.where(known, need, np.inf)
        # Ranked by need, ties in factor order (a stable sort keeps it).
        ranked = np.argsort(need, axis=1, kind="stable")
        passes = np.take_along_axis(passes, ranked, axis=1)
        needed = np.take_along_axis(known, ranked, axis=1) & (
            np.take_along_axis(need, ranked, axis=1) < 0.0
        )
        passed = np.cumsum(passes, axis=1)
        first = passes & (passed <= entities.max_priorities)
        taken = first.sum(axis=1, keepdims=True)
        # Too few past the thresholds: the next most needed fill up to the minimum.
        fill = needed & ~passes
        filled = np.cumsum(fill, axis=1)
        fill &= filled <= np.maximum(0, entities.min_priorities - taken)
        rank = np.where(first, passed - 1, np.where(fill, taken + filled - 1, _LAST))
        by_factor = np.empty_like(rank)
        np.put_along_axis(by_factor, ranked, rank, axis=1)
        chosen = by_factor < _LAST
        points = entities.points[np.minimum(by_factor, len(entities.points) - 1)]
        self.points: Ints = np.where(chosen, points, 0)
        self.targeted_factors: Ints = chosen.astype(np.int64)
        slots = min(entities.factors, len(entities.points))
        order = np.argsort(by_factor, axis=1, kind="stable")[:, :slots]
        self.priority_code: Ints = order
        self.priority_used: Bools = np.take_along_axis(by_factor, order, axis=1) < _LAST
        self.priority_share: Floats = np.take_along_axis(shares, order, axis=1)
        self.risk_known: Bools = np.asarray(known[:, : entities.risks].any(axis=1))
        self.factors_known: Bools = np.asarray(known.any(axis=1))
        self.count = count

    # --- the mix of strategies (selection.py: choose, _short_mix) ---------------------------

    def _strategies(self, entities: _Entities, situations: _Situations) -> None:
        row = self.situation
        score = situations.strategy_base[row] + self.points @ entities.strategy_weights
        targeted = self.targeted_factors @ entities.strategy_bits
        within, outside = situations.within[row], situations.outside[row]
        fundamental = entities.fundamental[None, :]
        # Best first, ties in the rules' order.
        order = np.argsort(-score, axis=1, kind="stable")

        def ranked(mask: Bools) -> Bools:
            return np.take_along_axis(mask, order, axis=1)

        fundamental_within = within & fundamental
        any_within = fundamental_within.any(axis=1, keepdims=True)
        # No fundamental strategy fits the listed settings: the best ones that need another
        # setting lead instead, rather than supporting strategies alone.
        leading = ranked(np.where(any_within, fundamental_within, outside & fundamental))
        others = ranked(np.where(any_within, outside, outside & ~fundamental))
        supporting = ranked(within & ~fundamental)
        led = np.cumsum(leading, axis=1)
        lead = leading & (led <= entities.max_fundamental)
        supported = np.cumsum(supporting, axis=1)
        support = supporting & (supported <= entities.max_supporting)
        picked = (lead.sum(axis=1) + support.sum(axis=1))[:, None]
        # At least ``min_strategies`` (VI-intro): the next best that fit, then the best that
        # need a setting the planner did not list.
        rest = (leading & ~lead) | (supporting & ~support)
        more = np.maximum(0, entities.min_strategies - picked)
        rest_rank = np.cumsum(rest, axis=1)
        other_rank = np.cumsum(others, axis=1) + rest.sum(axis=1, keepdims=True)
        extra = (rest & (rest_rank <= more)) | (others & (other_rank <= more))
        chosen_ranked = (lead | support | extra) & leading.any(axis=1, keepdims=True)
        chosen = np.empty_like(chosen_ranked)
        np.put_along_axis(chosen, order, chosen_ranked, axis=1)
        # The mix's order: fundamental strategies first, each kind best first.
        key = np.where(chosen, np.where(fundamental, 0, _SUPPORTING) - score, _LAST)
        mix = np.argsort(key, axis=1, kind="stable")[:, : entities.max_picked]
        self.strategy: Ints = mix
        self.strategy_count: Ints = chosen.sum(axis=1)
        self.strategy_score: Ints = np.take_along_axis(score, mix, axis=1)
        self.strategy_targeted: Ints = np.take_along_axis(targeted, mix, axis=1)
        self.chosen: Bools = chosen
        self.has_fundamental: Bools = (chosen & fundamental).any(axis=1)
        self.addressed: Ints = situations.addressed[row] | np.bitwise_or.reduce(
            np.where(chosen, targeted, 0), axis=1
        )

    # --- interventions (selection.py: _interventions) -------------------------------------

    def _interventions(self, entities: _Entities, situations: _Situations) -> None:
        row = self.situation
        chosen = self.chosen.astype(np.int64)
        strategy_bits = chosen @ (np.int64(1) << np.arange(entities.strategies, dtype=np.int64))
        score = (
            situations.intervention_base[row]
            + self.points @ entities.intervention_weights
            + chosen @ entities.delivery_weights
        )
        key = situations.intervention_first[row] + score
        fits = situations.fits[row]
        order = np.argsort(np.where(fits, -key, _LAST), axis=1, kind="stable")
        targeted = self.targeted_factors @ entities.intervention_bits
        delivers = strategy_bits[:, None] & entities.delivery_masks[None, :]
        self.intervention: Ints = order
        self.intervention_count: Ints = fits.sum(axis=1)
        self.intervention_targeted: Ints = np.take_along_axis(targeted, order, axis=1)
        self.intervention_delivers: Ints = np.take_along_axis(delivers, order, axis=1)

    # --- the records ------------------------------------------------------------------------

    def parts(self) -> list[Iterable[bytes]]:
        """The records as columns of pieces: the ``,\\n`` before each record with the
        record's start, then the rest of the record's pieces in order."""
        batch = self.batch
        situations = batch.situations
        row = self.situation
        ids = batch.columns.ids[self.start : self.stop]
        columns: list[Iterable[bytes]] = [
            [_NEXT_RECORD] * self.count,
            list(map(str.encode, map(encode_basestring, ids))),
        ]
        mix = self._mix_keys()
        head = self._wide(row) * batch.mix_radix + np.where(
            situations.proposes_from_mix[row], mix, 0
        )
        columns.append(batch.piece("head", head, self._make_head))
        columns += self._strategy_items()
        columns += self._intervention_items('],"interventions":[')
        columns += self._factor_items('],"priority_risk_factors":[', risk=True)
        columns += self._factor_items('],"weak_protective_factors":[', risk=False)
        tail = (self._wide(situations.tail_class[row]) * batch.mix_radix + mix) * 2
        columns.append(batch.piece("tail", tail + self.factors_known, self._make_tail))
        columns.append(batch.piece("warnings", self._warning_keys(), self._make_warnings))
        return columns

    def _wide(self, values: Ints) -> Ints:
        """``values`` as the batch's key numbers (see :attr:`Batch.key_type`)."""
        return values.astype(self.batch.key_type, copy=False)

    def _mix_keys(self) -> Ints:
        """The chosen strategies in order, as one number (a digit each, 0 for none)."""
        radix = self.batch.entities.strategies + 1
        slots = self.strategy.shape[1]
        used = np.arange(slots) < self.strategy_count[:, None]
        digits = np.where(used, self.strategy + 1, 0)
        weights = self._wide(np.int64(radix) ** np.arange(slots, dtype=np.int64))
        return self._wide(digits) @ weights

    def _mix_of(self, key: int) -> list[int]:
        """The strategies (by number) of a number of :meth:`_mix_keys`."""
        radix = self.batch.entities.strategies + 1
        found: list[int] = []
        while key:
            key, digit = divmod(key, radix)
            found.append(digit - 1)
        return found

    def _make_head(self, key: int) -> str:
        batch = self.batch
        row, mix = divmod(key, batch.mix_radix)
        situation = batch.situations.situations[row]
        interventions = [o for o in batch.situations.intervention_options[row] if o is not None]
        options = batch.situations.strategy_options[row]
        strategies = [o for o in (options[n] for n in self._mix_of(mix)) if o is not None]
        return (
            render.head_start(situation)
            + render.settings_json(batch.rules, situation.settings, interventions or strategies)
            + ',"strategies":['
        )

    def _make_tail(self, key: int) -> str:
        batch = self.batch
        rest, factors_known = divmod(key, 2)
        tail_class, mix = divmod(rest, batch.mix_radix)
        level, age_stages, interventions = batch.situations.tails[tail_class]
        strategy_ids = index_for(batch.rules).strategy_ids
        start_key = (level, factors_known)
        start = batch.tail_starts.get(start_key)
        if start is None:
            start = batch.tail_starts[start_key] = render.tail_start(
                batch.rules, level, bool(factors_known), batch.lang
            )
        return (
            "]"  # closes the weak protective factors
            + start
            + render.middle_json(
                batch.rules,
                level,
                age_stages,
                interventions,
                tuple(strategy_ids[n] for n in self._mix_of(mix)),
                batch.lang,
            )
            + ',"warnings":'
        )

    def _strategy_items(self) -> list[list[bytes]]:
        """For each rank of the mix: the strategy's JSON up to its score (the strategy, its
        rank and score), and the rest of it (which depends on the priorities it targets)."""
        batch = self.batch
        rules, lang = batch.rules, batch.lang
        options = batch.situations.options
        number = np.take_along_axis(
            batch.situations.strategy_number[self.situation], self.strategy, axis=1
        )
        factors, scores = 1 << batch.entities.factors, batch.score_radix
        items: list[list[bytes]] = []
        for slot in range(int(self.strategy_count.max(initial=0))):
            used = slot < self.strategy_count
            option = self._wide(number[:, slot])
            score = self.strategy_score[:, slot]
            targeted = self.strategy_targeted[:, slot]

            def start(key: int, slot: int = slot) -> str:
                if key < 0:
                    return ""
                option, score = divmod(key, scores)
                parts = render.strategy_parts(rules, options[option], 0, lang)
                return ("," if slot else "") + f'{parts[0]}{slot + 1},"score":{score}'

            def end(key: int) -> str:
                if key < 0:
                    return ""
                option, targeted = divmod(key, factors)
                return render.strategy_parts(rules, options[option], targeted, lang)[1]

            starts = np.where(used, option * scores + score, -1)
            items.append(batch.piece(f"strategy {slot}", starts, start))
            ends = np.where(used, option * factors + targeted, -1)
            items.append(batch.piece("strategy end", ends, end))
        return items

    def _intervention_items(self, opening: str) -> list[list[bytes]]:
        """Each intervention's JSON, the first after ``opening`` (the array's start)."""
        batch = self.batch
        rules, lang = batch.rules, batch.lang
        number = np.take_along_axis(
            batch.situations.intervention_number[self.situation], self.intervention, axis=1
        )
        factors = 1 << batch.entities.factors
        strategies = 1 << batch.entities.strategies
        items: list[list[bytes]] = []
        for slot in range(max(1, int(self.intervention_count.max(initial=0)))):
            key = np.where(
                slot < self.intervention_count,
                (self._wide(number[:, slot]) * factors + self.intervention_targeted[:, slot])
                * strategies
                + self.intervention_delivers[:, slot],
                -1,
            )

            def make(key: int, slot: int = slot) -> str:
                before = "," if slot else opening
                if key < 0:
                    return "" if slot else opening
                rest, delivers = divmod(key, strategies)
                option, targeted = divmod(rest, factors)
                text = render.intervention_json(
                    rules, batch.situations.options[option], targeted, delivers, lang
                )
                return before + text

            items.append(batch.piece(f"intervention {slot}", key, make))
        return items

    def _factor_items(self, opening: str, risk: bool) -> list[list[bytes]]:
        """The risk factors (or weak resources) among the priorities, in priority order, the
        first after ``opening`` (the array's start)."""
        batch = self.batch
        codes = self.priority_code
        wanted = self.priority_used & ((codes < batch.entities.risks) == risk)
        # Those wanted first, each group in priority order.
        order = np.argsort(~wanted, axis=1, kind="stable")
        codes = np.take_along_axis(codes, order, axis=1)
        wanted = np.take_along_axis(wanted, order, axis=1)
        # A share is kept by its bits: -0.0 is written as such.
        bits = np.take_along_axis(self.priority_share, order, axis=1).view(np.int64)
        objects = _factor_objects(batch.rules)
        items: list[list[bytes]] = []
        for slot in range(max(1, int(wanted.sum(axis=1).max(initial=0)))):
            shares, share_of = np.unique(bits[:, slot], return_inverse=True)
            distinct = len(shares)
            key = np.where(wanted[:, slot], codes[:, slot] * distinct + share_of.reshape(-1), -1)

            def stable(key: int, shares: Ints = shares, distinct: int = distinct) -> Hashable:
                if key < 0:
                    return None
                code, share = divmod(key, distinct)
                return (code, int(shares[share]))

            def make(key: tuple[int, int] | None, slot: int = slot) -> str:
                if key is None:
                    return "" if slot else opening
                code, share_bits = key
                before = "," if slot else opening
                return before + objects[code] + repr(_float(share_bits)) + "}"

            items.append(batch.piece(f"{opening} {slot}", key, make, stable))
        return items

    def _warning_keys(self) -> Ints:
        """The level, whether risks are known, whether a fundamental strategy leads, the
        number of strategies and the untargeted priority factors in order, as one number."""
        entities = self.batch.entities
        radix = entities.factors + 1
        codes = self.priority_code
        untargeted = self.priority_used & ((self.addressed[:, None] >> codes) & 1 == 0)
        place = np.cumsum(untargeted, axis=1) - 1
        factors = np.where(untargeted, (codes + 1) * np.int64(radix) ** np.maximum(place, 0), 0)
        key = self._wide(self.batch.situations.level[self.situation]) * 2 + self.risk_known
        key = key * 2 + self.has_fundamental
        key = key * (entities.strategies + 1) + self.strategy_count
        found: Ints = key * np.int64(radix) ** codes.shape[1] + factors.sum(axis=1)
        return found

    def _make_warnings(self, key: int) -> str:
        batch = self.batch
        entities = batch.entities
        radix = entities.factors + 1
        rest, factors = divmod(key, radix ** self.priority_code.shape[1])
        rest, count = divmod(rest, entities.strategies + 1)
        rest, has_fundamental = divmod(rest, 2)
        level, risk_known = divmod(rest, 2)
        untargeted: list[int] = []
        while factors:
            factors, digit = divmod(factors, radix)
            untargeted.append(digit - 1)
        warnings = render.warnings_json(
            batch.rules,
            batch.lang,
            list(Level)[level],
            bool(risk_known),
            bool(has_fundamental),
            count,
            tuple(untargeted),
        )
        return warnings + "}"  # the record's end


def _bits(count: int) -> int:
    """Bits that hold numbers below ``count``."""
    return max(1, (count - 1).bit_length())


def _float(bits: int) -> float:
    value: float = struct.unpack("<d", struct.pack("<q", bits))[0]
    return value


def _factor_objects(rules: RuleSet) -> list[str]:
    """``{"id":…,"clause":…,"share":`` for each factor, by number."""
    index = index_for(rules)
    found: list[str] | None = index.cache.get("factor objects")
    if found is None:
        found = index.cache["factor objects"] = [
            '{"id":'
            + encode_basestring(factor_id)
            + ',"clause":'
            + encode_basestring(rules.entities[kind][factor_id].clauses[0])
            + ',"share":'
            for kind, factor_id in tables_for(rules).factors
        ]
    return found
