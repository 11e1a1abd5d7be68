"""The UNODC/WHO Standards behind a recommended strategy or intervention, for one population.

A recommended item shows the Standards items that *are* it (``concept_rules/evidence.yaml``,
crosswalk), narrowed to those rated for the population's age stages and level where some
are; their weakest rating, never a broader item's or a component's; and, where the ratings
were for other ages or levels only, that prevplan extrapolates them
(:mod:`prevplan.engine.evidence_scope`). What works in delivering the item — sessions,
boosters, trained deliverers — comes from the same items, and only where their rating
covers the population (:func:`delivery_facts`).
"""

from __future__ import annotations

from functools import lru_cache

from prevplan.engine.entries import evidence_strength
from prevplan.engine.evidence_scope import items_for
from prevplan.engine.models import Evidence
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind


@lru_cache(maxsize=1024)
def evidence_of(
    rules: RuleSet,
    kind: Kind,
    entity_id: str,
    lang: str,
    age_stages: tuple[str, ...] = (),
    level: str | None = None,
) -> Evidence:
    """A strategy's or intervention's own Standards items (those rated for ``age_stages``
    and ``level``, where some are), their weakest rating (never a component's or a broader
    item's), the note on its evidence and what works, in ``lang``. When none of its items
    was rated for the population, all are shown and the evidence is marked extrapolated
    (:mod:`prevplan.engine.evidence_scope`)."""
    concept = f"{kind.value}:{entity_id}"
    entry = rules.crosswalk.get(concept)
    own = tuple(entry.standards) if entry else ()
    for_stages = items_for(rules, own, age_stages, None)
    rated = items_for(rules, for_stages or own, age_stages, level)
    keys = rated or for_stages or own
    extrapolated = bool(keys) and not rated
    strength, tag = evidence_strength(rules, kind, entity_id, keys)
    return Evidence(
        standards=keys,
        strength=strength,
        strength_tag=tag,
        components=tuple(entry.components) if entry else (),
        extrapolated=extrapolated,
        note=rules.text("crosswalk", concept, "note", "", lang),
    )


@lru_cache(maxsize=1024)
def what_works(rules: RuleSet, standards: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """How the work is delivered where it works (sessions, boosters, trained deliverers,
    interactive methods): the ``works`` facts of these Standards items, each once, in
    ``lang``."""
    facts = (
        rules.translated("standards_items", key, f"works#{n}", lang)
        for key in standards
        if key in rules.standards
        for n in range(1, len(rules.standards[key].works) + 1)
    )
    return tuple(dict.fromkeys(facts))


def delivery_facts(
    rules: RuleSet, evidence: Evidence, age_stages: tuple[str, ...], level: str, lang: str
) -> tuple[str, ...]:
    """What works in delivering an item (:func:`what_works`) for a population of these age
    stages at ``level``; none where the Standards rated its items for other ages only, or
    where no Standards item is rated at ``level`` (tertiary: treatment and rehabilitation,
    outside the prevention Standards).

    The facts come from the populations the Standards rated: a series of school lessons with
    boosters, pupils correcting their estimates of peers' use. Shown as "what works" for
    older adults or for people in treatment they would read as advice no evaluation supports;
    the evidence line says the rating is extrapolated instead. A rating for another level at
    the same ages keeps its facts: brief intervention is delivered the same way whoever is
    screened.
    """
    if evidence.extrapolated and (
        level not in _rated_levels(rules)
        or not items_for(rules, evidence.standards, age_stages, None)
    ):
        return ()
    return what_works(rules, evidence.standards, lang)


@lru_cache(maxsize=8)
def _rated_levels(rules: RuleSet) -> frozenset[str]:
    """The prevention levels some Standards item is rated for (``evidence.yaml``)."""
    return frozenset(level for item in rules.standards.values() for level in item.levels)
