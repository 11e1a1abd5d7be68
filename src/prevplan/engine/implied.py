"""What a mix implies beyond its items: the Annex V items the work implements and the
practices to avoid (UNODC/WHO Standards).

The Annex V items are the level's own and those of the chosen strategies and interventions
within the level's focus areas; the practices to avoid are those of the Standards items
crosswalked to the mix, for the population's age stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from prevplan.engine.models import AvoidItem
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import Level


def action_items(rules: RuleSet, level: Level, items: Sequence[tuple[Kind, str]]) -> list[str]:
    """The Annex V items the recommended work implements, in Annex V order.

    The level's own items, and the items of the chosen strategies and interventions within
    the focus areas of the level's items: information (VI-3.2.1) serves the social
    reintegration of people with dependence (V-4.4) in a tertiary plan, not in a primary
    school's.
    """
    found = _level_items(rules, level)
    for kind, entity_id in items:
        found |= _items_of(rules, level, kind, entity_id)
    return list(_items_in_order(rules, found))


@lru_cache(maxsize=8)
def _level_items(rules: RuleSet, level: Level) -> int:
    """The level's own Annex V items, as bits (bit *n*: the *n*-th item of Annex V)."""
    bits = _item_bits(rules)
    return sum(bits[ref] for ref in set(rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level.value)))


@lru_cache(maxsize=1024)
def _items_of(rules: RuleSet, level: Level, kind: Kind, entity_id: str) -> int:
    """The Annex V items a strategy or intervention implements within the focus areas of
    the level's own items, as bits."""
    areas = {
        rules.action_items[ref].focus_area
        for ref in rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level.value)
    }
    bits = _item_bits(rules)
    return sum(
        bits[ref]
        for ref in set(rules.objects(kind, Kind.ACTION_ITEM, entity_id))
        if rules.action_items[ref].focus_area in areas
    )


@lru_cache(maxsize=8)
def _item_bits(rules: RuleSet) -> dict[str, int]:
    return {ref: 1 << n for n, ref in enumerate(rules.action_items)}


@lru_cache(maxsize=4096)
def _items_in_order(rules: RuleSet, found: int) -> tuple[str, ...]:
    return tuple(ref for n, ref in enumerate(rules.action_items) if found >> n & 1)


def avoid(
    rules: RuleSet,
    age_stages: tuple[str, ...],
    items: Sequence[tuple[Kind, str]],
    lang: str,
    level: Level | None = None,
    settings: tuple[str, ...] = (),
) -> list[AvoidItem]:
    """Practices to avoid, from the Standards items for these strategies and interventions
    (by kind and id), age stages, level and listed settings: each practice once, with the
    items it applies to."""
    practices = _practices(rules, lang)
    return [
        AvoidItem(text=practices[n][0], tag=practices[n][1], applies_to=tuple(ids))
        for n, ids in _avoided(rules, age_stages, items, lang, level, settings).items()
    ]


def _avoided(
    rules: RuleSet,
    age_stages: tuple[str, ...],
    items: Sequence[tuple[Kind, str]],
    lang: str,
    level: Level | None,
    settings: tuple[str, ...],
) -> dict[int, list[str]]:
    """The practices to avoid (by number) and the items each applies to, in order."""
    found: dict[int, list[str]] = {}
    for kind, entity_id in items:
        for practice in _avoid_of(rules, kind, entity_id, age_stages, lang, level, settings):
            applies = found.setdefault(practice, [])
            if entity_id not in applies:
                applies.append(entity_id)
    return found


@lru_cache(maxsize=8)
def _practices(rules: RuleSet, lang: str) -> list[tuple[str, str]]:
    """Every practice to avoid in the Standards items, as (text, confidence tag), each
    once, numbered in the order of the items."""
    found: dict[tuple[str, str], None] = {}
    for item in rules.standards.values():
        for n, fact in enumerate(item.avoid, start=1):
            text = rules.translated("standards_items", item.key, f"avoid#{n}", lang)
            found[(text, fact.tag.value)] = None
    return list(found)


@lru_cache(maxsize=4096)
def _avoid_of(
    rules: RuleSet,
    kind: Kind,
    entity_id: str,
    age_stages: tuple[str, ...],
    lang: str,
    level: Level | None = None,
    settings: tuple[str, ...] = (),
) -> tuple[int, ...]:
    """The practices to avoid (by number) for a strategy or intervention: those of its own
    Standards items, unless the item is for other age stages, other levels or (where the
    planner listed settings) other settings only."""
    number = {practice: n for n, practice in enumerate(_practices(rules, lang))}
    entry = rules.crosswalk.get(f"{kind.value}:{entity_id}")
    stages = set(age_stages)
    return tuple(
        number[(rules.translated("standards_items", item.key, f"avoid#{n}", lang), fact.tag.value)]
        for item in (rules.standards[key] for key in (entry.standards if entry else ()))
        if not item.age_stages or stages & set(item.age_stages)
        if level is None or not item.levels or level.value in item.levels
        if not settings or not item.settings or set(settings) & set(item.settings)
        for n, fact in enumerate(item.avoid, start=1)
    )
