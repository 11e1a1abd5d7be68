"""Whose evidence it is: the UNODC/WHO Standards items that were rated for a population.

The Standards rate each item for the age groups and prevention levels it was evaluated with
(``evidence.yaml``: ``age_stages``, ``levels``). School skills curricula (e, i) were rated for
pupils at the universal level, brief intervention (m) for people at the selective and
indicated levels. A rating shown for another population — life skills for prisoners or for
people in treatment, brief intervention for all students — is prevplan's extrapolation, and
is said to be (the Concept asks for work "based on scientific evidences", VI-intro; the
rating is not the Standards' finding for that population). The ranking counts the ratings
of the items for the population's age stages (:mod:`prevplan.engine.options`); the levels
the Standards give the items are only reported (tag R), so a rating carried to another
level is shown as extrapolated but still counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from prevplan.rules import RuleSet


def items_for(
    rules: RuleSet, keys: Iterable[str], age_stages: Iterable[str], level: str | None
) -> tuple[str, ...]:
    """The Standards items among ``keys`` that were rated for a population of one of these
    age stages (any, when none is given) at ``level`` (any, when ``None``); an item that
    names no stage or no level is taken to cover them all."""
    stages = set(age_stages)
    found: list[str] = []
    for key in keys:
        item = rules.standards.get(key)
        if item is None:
            continue
        if stages and item.age_stages and not stages & set(item.age_stages):
            continue
        if level is not None and item.levels and level not in item.levels:
            continue
        found.append(key)
    return tuple(found)


def rated_for(rules: RuleSet, keys: Iterable[str], age_stages: Iterable[str]) -> tuple[str, ...]:
    """Who the Standards items ``keys`` were rated for, as ids in the rules' order: their age
    stages where none is one of ``age_stages`` (the population's), else their levels."""
    items = [rules.standards[k] for k in keys if k in rules.standards]
    stages = {s for item in items for s in item.age_stages}
    if not stages & set(age_stages):
        return tuple(s for s in rules.age_stages if s in stages)
    levels = {lv for item in items for lv in item.levels}
    return tuple(lv for lv in rules.levels if lv in levels)
