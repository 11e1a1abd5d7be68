"""Which strategies (VI-3) and interventions (VI-4) fit a situation, and their base points.

A strategy or intervention is an option for a situation only if the rules relate it to the
situation's prevention level and to one of its age stages (and, where the planner listed
settings, to one of them). Options are scored from the weights of those relations and of the
relations to the priority factors, using the points in ``prioritisation.yaml``.

Special groups (VI-1.2 #p3, VI-4.1) widen the options: an intervention the rules name for a
special group of the population is an option whatever the settings the planner listed, as
long as it suits the prevention level (the level decides, for instance, whether pregnant
women need the treatment services of VI-4.1.1) and one of the population's age stages: early
childhood education helps the young children of a community hit by war, not its adults. A
group that the Concept describes within an age stage's own section is the exception —
pregnant women, in VI-4.1 on infancy and early childhood: a population of pregnant women is
adult, yet the interventions for them sit in that stage, so they fit whatever the
population's age. When such an intervention reaches the population only through its special
group, the strategies it delivers are options too, the delivery standing in for the missing
age-stage fit: home visiting (VI-4.1.2) trains parenting skills, so work with parents
(VI-3.1.1) belongs in the mix for pregnant women, although the rules tie it to children's age
stages.

Which options are chosen, and in what order, is decided from their scores by
:mod:`prevplan.engine.mix`. An option is evaluated once per distinct way of fitting (options
are shared between situations that they fit alike), so a national file evaluates a few
thousand, not millions.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from prevplan.engine.entries import Entry, index_entries, stages_placing
from prevplan.engine.profile import LEVEL_ORDER, Situation, tables_for
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.rules.ruleset import Link
from prevplan.vocab import StrategyKind

FACTOR_KINDS = (Kind.RISK_FACTOR, Kind.PROTECTIVE_FACTOR)


@dataclass(frozen=True, eq=False)
class Option:
    """A strategy or intervention that fits a situation, before the priorities are known.

    Options that fit alike are shared between situations, so that the items built from them
    (:mod:`prevplan.engine.build`) are built once.
    """

    kind: Kind
    id: str
    order: int
    """Position in the rules (strategies: also the strategy's bit)."""
    fundamental: bool
    level: str
    """The situation's prevention level, which the rationale names."""
    base: int
    """Points from the level, the age stage (or special group) and the setting."""
    links: tuple[Link, ...]
    """The level, age-stage and setting relations that make it fit."""
    settings: tuple[str, ...]
    age_stages: tuple[str, ...]
    relaxed: bool
    """It fits only in a setting the planner did not list."""
    special: tuple[Link, ...]
    """Special-group relations that brought it in: for an intervention, the group's own
    relations; for a strategy, the relations of the special-group interventions that
    deliver it (only when it has no age-stage fit of its own)."""
    factors: tuple[tuple[int, tuple[Link, ...]], ...]
    """(factor number, its relations to the factor), in factor order."""
    factor_weights: tuple[tuple[int, int], ...]
    """(factor number, total weight of the relations to it)."""
    strategies: tuple[tuple[int, str, Link], ...]
    """For an intervention: (strategy bit, strategy id, relation) of each strategy it
    delivers, in the rules' order of its relations."""
    cache: dict[Any, Any] = field(default_factory=dict, compare=False)
    """The items built from this option (:mod:`prevplan.engine.build`), by what they add."""

    @cached_property
    def special_only(self) -> bool:
        """It reaches the population only through a special group (no age-stage fit)."""
        return bool(self.special) and not self.age_stages


@dataclass(frozen=True, eq=False)
class Pool:
    """Every strategy's and intervention's option for one situation, in the rules' order
    (``None`` where it does not fit)."""

    situation: Situation
    strategies: tuple[Option | None, ...]
    """Each strategy's option within the listed settings (or anywhere, if none are listed)."""
    relaxed: tuple[Option | None, ...]
    """Each strategy's option outside the listed settings, where it has none within."""
    interventions: tuple[Option | None, ...]


def item_links(option: Option, targeted: int, delivers: int) -> list[Link]:
    """Every relation behind an item: fit, special group, priorities, strategies delivered."""
    links = [*option.links, *option.special]
    links += [link for code, found in option.factors if targeted >> code & 1 for link in found]
    links += [link for bit, _, link in option.strategies if delivers >> bit & 1]
    return links


def _best_weight(links: Iterable[Link]) -> int:
    return max((link.relation.weight for link in links), default=0)


class _Relations(NamedTuple):
    """What :attr:`Option.factors`, :attr:`Option.factor_weights` and
    :attr:`Option.strategies` hold for a strategy or intervention."""

    factors: tuple[tuple[int, tuple[Link, ...]], ...]
    factor_weights: tuple[tuple[int, int], ...]
    strategies: tuple[tuple[int, str, Link], ...]


class OptionIndex:
    """The rules' relations indexed for evaluating options; one per rule set."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        prioritisation = rules.files.prioritisation
        self.scoring = prioritisation.scoring
        self.selection = prioritisation.selection
        self.setting_ids = rules.ids(Kind.SETTING)
        self.strategy_ids = list(rules.strategies)
        self.intervention_ids = list(rules.interventions)
        self.strategy_bit = {sid: n for n, sid in enumerate(self.strategy_ids)}
        self.factor_code = {f: n for n, f in enumerate(tables_for(rules).factors)}
        self.stage_bit = {stage: 1 << n for n, stage in enumerate(rules.ids(Kind.AGE_STAGE))}
        self.setting_bit = {setting: 1 << n for n, setting in enumerate(self.setting_ids)}
        self.level_number = {level: n for n, level in enumerate(LEVEL_ORDER)}
        self.entries: dict[tuple[Kind, str], Entry] = index_entries(
            rules, self.stage_bit, self.setting_bit
        )
        self.strategy_entries = [self.entries[(Kind.STRATEGY, s)] for s in self.strategy_ids]
        self.intervention_entries = [
            self.entries[(Kind.INTERVENTION, i)] for i in self.intervention_ids
        ]
        self.group_stages = {
            group: sum(self.stage_bit[stage] for stage in stages_placing(rules, group))
            for group in rules.ids(Kind.SPECIAL_GROUP)
        }
        """For each special group, the bits of the age stages whose sections of the Concept
        describe the group (pregnant women: VI-4.1, infancy and early childhood)."""
        self._relations_of: dict[int, _Relations] = {}
        self.options: dict[tuple[object, ...], Option | None] = {}
        self.pools: dict[Situation, Pool] = {}
        self.cache: dict[Any, Any] = {}
        """What the rules decide for the engine once (the mix's weights)."""
        self.built: dict[Any, Any] = {}
        """Parts of recommendations shared by many situations (action items, warnings, …)."""

    def evidence_points(self, entry: Entry, stages: Iterable[str]) -> int:
        """The evidence points of ``entry`` for a population of these age stages: the best
        of its stages (the items for each stage judged on their own)."""
        return max((entry.evidence.get(frozenset({s}), 0) for s in stages), default=0)

    def masks(self, situation: Situation) -> tuple[int, int, int]:
        """The bits of the situation's age stages and of its listed settings, and the number
        of its level."""
        return (
            sum(self.stage_bit[s] for s in {*situation.age_stages, *situation.own_stages}),
            sum(self.setting_bit[s] for s in situation.settings),
            self.level_number[situation.level],
        )

    def special_links(
        self, entry: Entry, groups: tuple[str, ...], stage_mask: int
    ) -> tuple[Link, ...]:
        """The relations naming the intervention for a special group of the population,
        where it fits one of the population's age stages or the stage of the group."""
        return tuple(
            link
            for link in entry.specials
            if link.subject in groups
            and entry.stage_mask & (stage_mask | self.group_stages[link.subject])
        )

    def evaluate(
        self,
        entry: Entry,
        situation: Situation,
        masks: tuple[int, int, int],
        special: tuple[Link, ...],
        use_settings: bool,
    ) -> Option | None:
        """The option, or ``None`` when it does not fit the situation.

        ``masks`` are :meth:`masks` of the situation. ``special`` are
        special-group relations that let it fit whatever the age stage; a special-group
        intervention also fits whatever the settings. Options are kept by what the fit
        depends on, so most situations find theirs ready.
        """
        stages = masks[0] & entry.stage_mask
        if stages and entry.kind is Kind.STRATEGY:
            special = ()  # the delivery by a special-group intervention is not needed
        key = (
            entry.slot,
            masks[2],
            stages,
            masks[1] & entry.setting_mask,
            bool(masks[1]),
            use_settings,
            situation.audience,
            entry.excluded_by.intersection(situation.special_groups) != frozenset(),
            *map(id, special),  # links by identity: hashing one hashes every field
        )
        option = self.options.get(key, self)
        if option is self:
            option = self.options[key] = self._evaluate(
                entry,
                situation,
                tuple(
                    link
                    for stage, link in entry.stages
                    if stage in situation.age_stages or stage in situation.own_stages
                ),
                tuple(link for link in entry.settings if link.object in situation.settings),
                special,
                use_settings,
            )
        return option  # type: ignore[return-value]  # ``self`` only marks a miss

    def _evaluate(
        self,
        entry: Entry,
        situation: Situation,
        stage_links: tuple[Link, ...],
        setting_links: tuple[Link, ...],
        special: tuple[Link, ...],
        use_settings: bool,
    ) -> Option | None:
        kind, scoring = entry.kind, self.scoring
        best_level = entry.levels.get(situation.level.value)
        if best_level is None or entry.excluded_by.intersection(situation.special_groups):
            return None
        audience = tuple(link for link in entry.audiences if link.object == situation.audience)
        if situation.audience and not audience:
            return None  # the population are parents: only work that reaches them fits
        stage_weight = max(_best_weight(stage_links), _best_weight(special))
        if not stage_weight:
            return None
        relaxed = False
        setting_points = 0
        if situation.settings:
            if setting_links:
                setting_points = scoring.setting * _best_weight(setting_links)
            elif use_settings and not (special and kind is Kind.INTERVENTION):
                return None
            else:
                relaxed = True
        factors, factor_weights, strategies = self._relations(entry)
        return Option(
            kind=kind,
            id=entry.id,
            order=entry.order,
            fundamental=kind is Kind.STRATEGY
            and self.rules.strategies[entry.id].kind is StrategyKind.FUNDAMENTAL,
            level=situation.level.value,
            base=scoring.level * best_level.relation.weight
            + scoring.age_stage * stage_weight
            + setting_points
            + self.evidence_points(entry, [link.object for link in stage_links]),
            links=(best_level, *stage_links, *setting_links, *audience),
            settings=self.settings_of(setting_links or entry.settings),
            age_stages=tuple(link.object for link in stage_links),
            relaxed=relaxed,
            special=special,
            factors=factors,
            factor_weights=factor_weights,
            strategies=strategies,
        )

    def _relations(self, entry: Entry) -> _Relations:
        """The relations of a strategy or intervention to the priority factors and to the
        strategies it delivers, as its options hold them: built once per item and shared
        by all its options (a national file has tens of thousands)."""
        found = self._relations_of.get(entry.slot)
        if found is None:
            factors = self.factor_links(entry.kind, entry.id)
            delivered = self.delivered(entry.id) if entry.kind is Kind.INTERVENTION else {}
            found = self._relations_of[entry.slot] = _Relations(
                tuple(factors.items()),
                tuple(
                    (code, sum(link.relation.weight for link in links))
                    for code, links in factors.items()
                ),
                tuple((self.strategy_bit[sid], sid, link) for sid, link in delivered.items()),
            )
        return found

    def factor_links(self, kind: Kind, entity_id: str) -> dict[int, tuple[Link, ...]]:
        """The relations of a strategy or intervention to each priority factor it addresses,
        by factor number (in that order)."""
        factors: dict[int, tuple[Link, ...]] = {}
        for factor_kind in FACTOR_KINDS:
            for link in self.rules.related(kind, factor_kind, entity_id):
                code = self.factor_code[(factor_kind, link.object)]
                factors[code] = (*factors.get(code, ()), link)
        return dict(sorted(factors.items()))

    def delivered(self, intervention_id: str) -> dict[str, Link]:
        """The strategies an intervention delivers, each with its first relation to it."""
        strategies: dict[str, Link] = {}
        for link in self.rules.related(Kind.INTERVENTION, Kind.STRATEGY, intervention_id):
            strategies.setdefault(link.object, link)
        return strategies

    def settings_of(self, links: Iterable[Link]) -> tuple[str, ...]:
        """The settings the relations name, in the rules' order."""
        found = {link.object for link in links}
        return tuple(s for s in self.setting_ids if s in found)

    def fit(
        self, situation: Situation
    ) -> tuple[list[Option | None], list[Option | None], list[Option | None]]:
        """Each strategy's option within the listed settings, each strategy's option outside
        them (only where it has none within), and each intervention's option — ``None``
        where it does not fit — in the rules' order."""
        masks = self.masks(situation)
        groups = situation.special_groups
        evaluate = self.evaluate
        interventions: list[Option | None] = []
        delivered: dict[str, list[Link]] = {}
        for entry in self.intervention_entries:
            special = self.special_links(entry, groups, masks[0]) if entry.specials else ()
            option = evaluate(entry, situation, masks, special, True)
            interventions.append(option)
            # Named for a special group of the population (pregnant women: home visiting),
            # it brings the strategies it delivers even where it also fits by age (a
            # population of pregnant women and their infants).
            if option is not None and special:
                for _, sid, link in option.strategies:
                    delivered.setdefault(sid, []).append(link)
        strategies: list[Option | None] = []
        relaxed: list[Option | None] = []
        for entry in self.strategy_entries:
            # A strategy delivered by an intervention that reaches the population only
            # through its special group fits whatever the age: the intervention→strategy
            # relations stand in for the missing age-stage relation.
            special = tuple(delivered[entry.id]) if entry.id in delivered else ()
            option = evaluate(entry, situation, masks, special, True)
            strategies.append(option)
            if option is None and situation.settings:
                relaxed.append(evaluate(entry, situation, masks, special, False))
            else:
                relaxed.append(None)
        return strategies, relaxed, interventions

    def pool(self, situation: Situation) -> Pool:
        """Every option for ``situation`` (kept: many populations share a situation)."""
        found = self.pools.get(situation)
        if found is None:
            if len(self.pools) >= MAX_POOLS:
                self.pools.clear()
            strategies, relaxed, interventions = self.fit(situation)
            found = self.pools[situation] = Pool(
                situation, tuple(strategies), tuple(relaxed), tuple(interventions)
            )
        return found


MAX_POOLS = 65536
"""Situations whose options an index keeps (the 100,000 varied populations of
``benchmarks/bench_recommend.py`` have about 25,500)."""


@lru_cache(maxsize=8)
def index_for(rules: RuleSet) -> OptionIndex:
    """The index of ``rules`` (one per rule set, kept)."""
    index = OptionIndex(rules)
    _INDEXES.add(index)
    return index


def clear_options() -> None:
    """Forget every pool, option and built item, as if no population had been seen.

    What the rules alone decide (their indexes) is kept: it does not depend on populations.
    """
    for index in list(_INDEXES):
        forget_built(index.options.values())
        index.options.clear()
        index.pools.clear()
        index.cache.clear()
        index.built.clear()


def forget_built(options: Iterable[Option | None]) -> None:
    """Forget the parts of recommendations kept with ``options`` (they are built again
    when needed): a writer that keeps the parts it has written bounds its memory this way."""
    for option in options:
        if option is not None:
            option.cache.clear()


_INDEXES: weakref.WeakSet[OptionIndex] = weakref.WeakSet()
"""Every index in use, so that :func:`clear_options` reaches them all."""
