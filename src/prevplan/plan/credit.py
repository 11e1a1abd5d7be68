"""What an activity is credited with: strategies, Annex V items, factors, levels, settings.

Credit follows what an activity delivers, not everything its intervention could contain
(``concept_rules/assessment.yaml``):

- **Strategies (VI-3).** The strategies the activity declares; an activity that names only
  interventions (VI-4) gets their core strategies — the links the text states and inferred
  links of the weight the rules set. A format that can only pass on information (a lecture,
  a leaflet, a campaign, an event) is credited with no more than that format can deliver.
- **Program of Actions items (Annex V).** The items the activity names; otherwise those its
  credited strategies and interventions implement through stated or strong links, within the
  focus areas of the population's own level (as ``recommend`` lists them), and items of
  research, materials, surveys or training only for work of that kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from prevplan.plan.models import Activity
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind


@dataclass(frozen=True)
class ActivityFacts:
    """What an activity is credited with, once its interventions are expanded.

    Activities that name the same strategies, interventions, items, settings and format, for
    a population of the same level, share one.
    """

    strategies: frozenset[str]
    action_items: tuple[str, ...]
    settings: tuple[str, ...]
    risk_factors: frozenset[str]
    protective_factors: frozenset[str]
    levels: frozenset[str]
    interventions: tuple[str, ...] = ()
    """The interventions (VI-4) the activity names."""

    @cached_property
    def factors(self) -> frozenset[tuple[Kind, str]]:
        """The risk factors (VI-1.2) and protective factors (VI-1.3) it addresses, by kind."""
        return frozenset(
            [(Kind.RISK_FACTOR, x) for x in self.risk_factors]
            + [(Kind.PROTECTIVE_FACTOR, x) for x in self.protective_factors]
        )

    @cached_property
    def key_set(self) -> frozenset[str]:
        """:attr:`keys` as a set (kept: activities alike share their facts)."""
        return frozenset(self.keys)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every strategy, setting and factor this activity counts towards, tagged by kind."""
        return (
            *(f"s:{x}" for x in self.strategies),
            *(f"set:{x}" for x in self.settings),
            *(f"r:{x}" for x in self.risk_factors),
            *(f"p:{x}" for x in self.protective_factors),
        )


@lru_cache(maxsize=4096)
def core_strategies(rules: RuleSet, intervention: str) -> tuple[str, ...]:
    """The strategies an intervention is credited with when an activity declares none."""
    weight = rules.files.assessment.credit.strategy_min_weight
    return tuple(
        link.object
        for link in rules.related(Kind.INTERVENTION, Kind.STRATEGY, intervention)
        if link.relation.basis == "stated" or link.relation.weight >= weight
    )


@lru_cache(maxsize=32)
def format_strategies(rules: RuleSet, fmt: str) -> frozenset[str] | None:
    """The strategies a format can deliver at most; ``None`` when it is not limited."""
    for entry in rules.files.assessment.format_strategies:
        if entry.format == fmt:
            return frozenset(entry.strategies)
    return None


@lru_cache(maxsize=8)
def _format_only_items(rules: RuleSet) -> dict[str, frozenset[str]]:
    """Annex V item -> the formats whose activities alone implement it."""
    out: dict[str, set[str]] = {}
    for entry in rules.files.assessment.format_items:
        for ref in entry.items:
            out.setdefault(ref, set()).add(entry.format)
    return {ref: frozenset(formats) for ref, formats in out.items()}


@lru_cache(maxsize=8)
def _level_areas(rules: RuleSet, level: str) -> frozenset[str]:
    """The focus areas of Annex V in which the level's own items lie."""
    return frozenset(
        rules.action_items[ref].focus_area
        for ref in rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level)
    )


@lru_cache(maxsize=8192)
def _linked_items(rules: RuleSet, kind: Kind, entity_id: str, level: str | None) -> frozenset[str]:
    weight = rules.files.assessment.credit.action_item_min_weight
    areas = _level_areas(rules, level) if level else None
    return frozenset(
        link.object
        for link in rules.related(kind, Kind.ACTION_ITEM, entity_id)
        if (link.relation.basis == "stated" or link.relation.weight >= weight)
        and (areas is None or rules.action_items[link.object].focus_area in areas)
    )


def credited_strategies(activity: Activity, rules: RuleSet) -> frozenset[str]:
    """The strategies the activity is credited with (see the module's docstring)."""
    strategies = set(activity.strategies)
    if not strategies:
        for intervention in activity.interventions:
            strategies.update(core_strategies(rules, intervention))
    if activity.format is not None:
        allowed = format_strategies(rules, activity.format.value)
        if allowed is not None:
            strategies &= allowed
    return frozenset(strategies)


def activity_facts(activity: Activity, rules: RuleSet, level: str | None = None) -> ActivityFacts:
    """Expand an activity through the rules, for a population of prevention ``level``.

    Without a level, Annex V items are not limited to a level's focus areas.
    """
    strategies = credited_strategies(activity, rules)
    items = activity.interventions
    delivered = [(Kind.STRATEGY, s) for s in sorted(strategies)] + [
        (Kind.INTERVENTION, i) for i in items
    ]
    if activity.action_items:
        action_items = tuple(activity.action_items)
    else:
        fmt = activity.format.value if activity.format is not None else None
        only = _format_only_items(rules)
        found = {ref for kind, x in delivered for ref in _linked_items(rules, kind, x, level)}
        found = {ref for ref in found if ref not in only or fmt in only[ref]}
        if fmt is not None:
            found.update(ref for ref, formats in only.items() if fmt in formats)
        action_items = tuple(ref for ref in rules.action_items if ref in found)
    if activity.settings:
        settings = tuple(s.value for s in activity.settings)
    else:
        found_settings = {
            s for i in items for s in rules.objects(Kind.INTERVENTION, Kind.SETTING, i)
        }
        settings = tuple(s for s in rules.ids(Kind.SETTING) if s in found_settings)
    return ActivityFacts(
        strategies=strategies,
        action_items=action_items,
        settings=settings,
        risk_factors=frozenset(
            f for kind, x in delivered for f in rules.objects(kind, Kind.RISK_FACTOR, x)
        ),
        protective_factors=frozenset(
            f for kind, x in delivered for f in rules.objects(kind, Kind.PROTECTIVE_FACTOR, x)
        ),
        # The levels an activity suits are its interventions' (what it is), else its
        # strategies': a prevention curriculum does not become a response to dependence
        # because life skills have a place in rehabilitation.
        levels=frozenset(
            lv
            for kind, x in (
                [(Kind.INTERVENTION, i) for i in items]
                or [(Kind.STRATEGY, s) for s in sorted(strategies)]
            )
            for lv in rules.objects(kind, Kind.LEVEL, x)
        ),
        interventions=tuple(items),
    )
