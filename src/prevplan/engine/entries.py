"""Each strategy's (VI-3) and intervention's (VI-4) relations to levels, age stages,
settings, special groups and audiences, indexed once per rule set.

:class:`~prevplan.engine.options.OptionIndex` evaluates options from these entries: an
:class:`Entry` says what a strategy or intervention must meet to fit a situation (its level,
one of its age stages, one of its settings), which special groups name it (VI-1.2 #p3,
VI-4.1) or exclude it, whom it reaches besides the population itself (parents, VI-3.1.1),
and the points its own Standards items earn for their evidence (``scoring.evidence``).
"""

from __future__ import annotations

from typing import NamedTuple

from prevplan.rules import RuleSet
from prevplan.rules.models import Kind, Meaning, Strength
from prevplan.rules.ruleset import Link

_STRENGTH_ORDER = [s.value for s in Strength]


def evidence_strength(
    rules: RuleSet, kind: Kind, entity_id: str, keys: tuple[str, ...] | None = None
) -> tuple[str, str]:
    """The evidence strength of a strategy's or intervention's own Standards items (or of
    ``keys`` among them) and its confidence tag: the weakest of them, never a component's or
    a broader item's rating; ``("none", "")`` when it has no Standards entry of its own."""
    entry = rules.crosswalk.get(f"{kind.value}:{entity_id}")
    own = entry.standards if entry else ()
    items = [rules.standards[k] for k in (own if keys is None else keys) if k in rules.standards]
    if not items:
        return "none", ""
    weakest = max(items, key=lambda s: _STRENGTH_ORDER.index(s.strength.value))
    return weakest.strength.value, weakest.strength_tag.value


class Entry(NamedTuple):
    """One strategy's or intervention's relations to levels, age stages and settings."""

    kind: Kind
    id: str
    order: int
    slot: int
    """Position among all strategies and interventions (for keys)."""
    levels: dict[str, Link]
    """Level → its strongest relation."""
    stages: tuple[tuple[str, Link], ...]
    """(age stage, relation), in the rules' order of age stages."""
    settings: tuple[Link, ...]
    stage_mask: int
    """Bits of the age stages it is related to (``OptionIndex.stage_bit``)."""
    setting_mask: int
    """Bits of the settings it is related to (``OptionIndex.setting_bit``)."""
    specials: tuple[Link, ...]
    """For an intervention: the special-group relations that name it."""
    audiences: tuple[Link, ...]
    """The audiences it reaches besides the population itself (parents, VI-3.1.1)."""
    excluded_by: frozenset[str]
    """For an intervention: the special groups it is never proposed to."""
    evidence: dict[frozenset[str], int]
    """Points for the evidence of its own Standards items (``scoring.evidence``), by age
    stage (see :meth:`OptionIndex.evidence_points`)."""


def index_entries(
    rules: RuleSet, stage_bit: dict[str, int], setting_bit: dict[str, int]
) -> dict[tuple[Kind, str], Entry]:
    """The entry of every strategy, then every intervention, in the rules' order;
    ``stage_bit`` and ``setting_bit`` give each age stage's and setting's bit."""
    excluded = _exclusions(rules)
    entries: dict[tuple[Kind, str], Entry] = {}
    for kind, ids in (
        (Kind.STRATEGY, list(rules.strategies)),
        (Kind.INTERVENTION, list(rules.interventions)),
    ):
        for n, entity_id in enumerate(ids):
            entries[(kind, entity_id)] = _entry(
                rules,
                kind,
                entity_id,
                (n, len(entries)),
                (stage_bit, setting_bit),
                frozenset(excluded.get(entity_id, ())),
            )
    return entries


def _exclusions(rules: RuleSet) -> dict[str, set[str]]:
    """For each intervention, the special groups it is never proposed to."""
    excluded: dict[str, set[str]] = {}
    for group in rules.ids(Kind.SPECIAL_GROUP):
        for link in rules.context(Meaning.EXCLUDES, Kind.SPECIAL_GROUP, group):
            excluded.setdefault(link.object, set()).add(group)
    return excluded


def _entry(
    rules: RuleSet,
    kind: Kind,
    entity_id: str,
    place: tuple[int, int],
    bits: tuple[dict[str, int], dict[str, int]],
    excluded_by: frozenset[str],
) -> Entry:
    """The entry of one strategy or intervention; ``place`` is its position among its kind
    and among all entries, ``bits`` the age stages' and the settings' bits."""
    stage_bit, setting_bit = bits
    stage_order = rules.ids(Kind.AGE_STAGE)
    stages = sorted(
        rules.related(kind, Kind.AGE_STAGE, entity_id),
        key=lambda link: stage_order.index(link.object),
    )
    settings = rules.related(kind, Kind.SETTING, entity_id)
    specials = (
        tuple(rules.relating(Kind.SPECIAL_GROUP, kind, entity_id))
        if kind is Kind.INTERVENTION
        else ()
    )
    return Entry(
        kind,
        entity_id,
        place[0],
        place[1],
        _levels(rules, kind, entity_id),
        tuple((link.object, link) for link in stages),
        tuple(settings),
        sum(stage_bit[link.object] for link in stages),
        sum(setting_bit[link.object] for link in settings),
        specials,
        tuple(rules.related(kind, Kind.AUDIENCE, entity_id)),
        excluded_by,
        _evidence_points(rules, kind, entity_id),
    )


def _levels(rules: RuleSet, kind: Kind, entity_id: str) -> dict[str, Link]:
    """Each level the item is related to, with its strongest relation."""
    levels: dict[str, Link] = {}
    for link in rules.related(kind, Kind.LEVEL, entity_id):
        known = levels.get(link.object)
        if known is None or link.relation.weight > known.relation.weight:
            levels[link.object] = link
    return levels


def _evidence_points(rules: RuleSet, kind: Kind, entity_id: str) -> dict[frozenset[str], int]:
    """Points for the evidence of the item's own Standards items, by the age stages of
    the population: the items for those stages where there are some, else all."""
    scoring = rules.files.prioritisation.scoring
    entry = rules.crosswalk.get(f"{kind.value}:{entity_id}")
    keys = tuple(k for k in (entry.standards if entry else ()) if k in rules.standards)
    points: dict[frozenset[str], int] = {}
    for stage in rules.ids(Kind.AGE_STAGE):
        # Items tested at other ages only give no points at this one.
        for_stage = tuple(k for k in keys if stage in rules.standards[k].age_stages)
        strength = evidence_strength(rules, kind, entity_id, for_stage)[0]
        points[frozenset({stage})] = scoring.evidence.get(strength, 0)
    return points


def stages_placing(rules: RuleSet, group: str) -> list[str]:
    """The age stages in whose sections the Concept describes a special group.

    A clause of the group lies within a clause of the stage: pregnant women (VI-4.1.1,
    VI-4.1.2) are described under infancy and early childhood (VI-4.1).
    """
    entity = rules.entity(Kind.SPECIAL_GROUP, group)
    group_clauses = [ref.split("#", 1)[0] for ref in (entity.clauses if entity else ())]
    return [
        stage.id
        for stage in rules.age_stages.values()
        if any(
            ref == own or ref.startswith(own + ".")
            for own in (clause.split("#", 1)[0] for clause in stage.clauses)
            for ref in group_clauses
        )
    ]
